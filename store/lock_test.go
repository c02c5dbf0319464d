package store

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// lockChildEnv, when set, makes TestASecondProcessIsLockedOut play the second process: it opens
// the named file and prints what happened.
const lockChildEnv = "CARMED_STORE_LOCK_CHILD"

func TestASecondProcessIsLockedOut(t *testing.T) {
	if path := os.Getenv(lockChildEnv); path != "" {
		b, err := Open(path, Options{Timeout: 300 * time.Millisecond})
		if err == nil {
			_ = b.Close()
			fmt.Println("CHILD-OPENED")
			return
		}
		fmt.Printf("CHILD-ERR locked=%v msg=%s\n", errors.Is(err, ErrLocked), err)
		return
	}

	_, path := openTemp(t, Options{NoSync: true})
	cmd := exec.Command(os.Args[0], "-test.run=^TestASecondProcessIsLockedOut$", "-test.count=1")
	cmd.Env = append(os.Environ(), lockChildEnv+"="+path)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("child process: %v\n%s", err, out)
	}
	s := string(out)
	if strings.Contains(s, "CHILD-OPENED") {
		t.Fatalf("the second process opened a file the first one holds")
	}
	if !strings.Contains(s, "CHILD-ERR locked=true") {
		t.Fatalf("the second process did not get ErrLocked:\n%s", s)
	}
	if want := "another carmed process holds " + path; !strings.Contains(s, want) {
		t.Errorf("the message does not say %q:\n%s", want, s)
	}
}
