//go:build !linux

package etcdtest

import "os/exec"

// DieWithParent: only Linux can tie a child's life to its parent's; elsewhere cleanup must do it.
func DieWithParent(cmd *exec.Cmd) {}
