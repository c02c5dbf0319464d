// Package etcdtest runs a real etcd cluster for a test: N members of Debian's etcd binary
// (etcd-server) on loopback, on free ports, with data directories under the test's temporary
// folder, bootstrapped statically (--initial-cluster). A test can kill a member (SIGKILL, as a
// crash) and restart it on its data, and the test's cleanup stops every member.
//
// The package talks to etcd over HTTP only (/health and the v3 JSON gateway), so the tests that
// use it do not pull in the etcd client; the store under test brings its own.
//
// Without the etcd binary the test is skipped with how to install it, and fails under CI=true
// (internal/needtool), so a CI machine can never pass by checking less.
package etcdtest

import (
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/carmed/carmed/internal/needtool"
)

const (
	// MaxMembers bounds Start: a test needs 1 to 5 members to show quorum behaviour, and each
	// member is a process with its own raft log on a machine the other tests share.
	MaxMembers = 7
	// startTimeout is how long a fresh cluster may take to elect a leader and answer /health on
	// every member: seconds usually, more on a loaded 2-core machine.
	startTimeout = 30 * time.Second
	// requestTimeout bounds one HTTP request to a member (/health, a put, a get).
	requestTimeout = 5 * time.Second
	// pollInterval is the pause between two /health probes while waiting.
	pollInterval = 50 * time.Millisecond
	// startAttempts: a free port found by binding to :0 can be taken by another process before
	// etcd binds it; a second attempt on new ports makes that race harmless.
	startAttempts = 2
	// logTail is how much of a member's log a failing test prints.
	logTail = 3000
)

// Cluster is a running etcd cluster; its members are numbered from 0.
type Cluster struct {
	t       testing.TB
	bin     string
	token   string
	members []*member
}

// member is one etcd process and where it keeps its data and log.
type member struct {
	name       string
	dir        string // holds data/ and etcd.log
	clientPort int
	peerPort   int

	mu   sync.Mutex
	cmd  *exec.Cmd
	done chan struct{} // closed when the process has exited
}

// Start runs a cluster of n members and waits until every member answers /health; the test's
// cleanup kills them. Without /usr/bin/etcd (Debian etcd-server) the test is skipped, or fails
// under CI.
func Start(t testing.TB, n int) *Cluster {
	t.Helper()
	if n < 1 || n > MaxMembers {
		t.Fatalf("etcdtest: %d members: 1 to %d", n, MaxMembers)
	}
	c := &Cluster{t: t, bin: needtool.Path(t, "etcd")}
	t.Cleanup(c.stopAll) // after the TempDirs below are made, so it runs before they are removed
	var err error
	for attempt := 1; attempt <= startAttempts; attempt++ {
		if err = c.boot(n, attempt); err == nil {
			return c
		}
		c.logTails()
		c.stopAll()
		if !c.portTaken() {
			break
		}
	}
	t.Fatalf("etcdtest: %d-member cluster: %v", n, err)
	return nil
}

// boot makes fresh members on new ports and starts them together.
func (c *Cluster) boot(n, attempt int) error {
	ports, err := freePorts(2 * n)
	if err != nil {
		return err
	}
	root := c.t.TempDir()
	c.token = fmt.Sprintf("etcdtest-%d-%d", os.Getpid(), time.Now().UnixNano())
	c.members = make([]*member, n)
	for i := range c.members {
		m := &member{name: fmt.Sprintf("m%d", i), dir: filepath.Join(root, fmt.Sprintf("etcd-%d", i)),
			clientPort: ports[2*i], peerPort: ports[2*i+1]}
		if err := os.MkdirAll(m.dir, 0o700); err != nil {
			return err
		}
		c.members[i] = m
	}
	for i := range c.members {
		if err := c.launch(i, "new"); err != nil {
			return err
		}
	}
	deadline := time.Now().Add(startTimeout)
	for i := range c.members {
		if err := c.waitHealthy(i, deadline); err != nil {
			return fmt.Errorf("attempt %d: %w", attempt, err)
		}
	}
	return nil
}

// launch starts member i's process; state is "new" on the first start, "existing" after.
func (c *Cluster) launch(i int, state string) error {
	m := c.members[i]
	var peers []string
	for _, p := range c.members {
		peers = append(peers, p.name+"=http://"+hostPort(p.peerPort))
	}
	log, err := os.OpenFile(filepath.Join(m.dir, "etcd.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		return err
	}
	defer log.Close() // the child holds its own descriptor
	client, peer := "http://"+hostPort(m.clientPort), "http://"+hostPort(m.peerPort)
	cmd := exec.Command(c.bin,
		"--name", m.name,
		"--data-dir", filepath.Join(m.dir, "data"),
		"--listen-client-urls", client, "--advertise-client-urls", client,
		"--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
		"--initial-cluster", strings.Join(peers, ","),
		"--initial-cluster-state", state,
		"--initial-cluster-token", c.token,
		"--logger", "zap", "--log-outputs", "stderr", "--log-level", "error")
	cmd.Stdout, cmd.Stderr = log, log
	cmd.Env = withoutEtcdEnv(os.Environ())
	DieWithParent(cmd)
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("member %d: %w", i, err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	m.mu.Lock()
	m.cmd, m.done = cmd, done
	m.mu.Unlock()
	return nil
}

// Endpoints are the members' client addresses (host:port), as the etcd client takes them.
func (c *Cluster) Endpoints() []string {
	var eps []string
	for _, m := range c.members {
		eps = append(eps, hostPort(m.clientPort))
	}
	return eps
}

// Endpoint is member i's client address (host:port).
func (c *Cluster) Endpoint(i int) string { return hostPort(c.member(i).clientPort) }

// URL is the store address `carmed serve --store` takes: etcd://HOST:PORT,HOST:PORT,… (no key
// prefix: append "/PREFIX" for one).
func (c *Cluster) URL() string { return "etcd://" + strings.Join(c.Endpoints(), ",") }

// Members is the size of the cluster.
func (c *Cluster) Members() int { return len(c.members) }

// Kill ends member i with SIGKILL (a crash: nothing flushed, no goodbye to its peers) and waits
// until the process is gone. Killing a stopped member does nothing.
func (c *Cluster) Kill(i int) {
	c.t.Helper()
	m := c.member(i)
	m.mu.Lock()
	cmd, done := m.cmd, m.done
	m.mu.Unlock()
	if cmd == nil {
		return
	}
	_ = cmd.Process.Kill()
	<-done
	m.mu.Lock()
	m.cmd = nil
	m.mu.Unlock()
}

// Restart starts member i again on its data directory (after Kill) and waits until it answers
// /health, which needs it to have rejoined the cluster's quorum.
func (c *Cluster) Restart(i int) {
	c.t.Helper()
	m := c.member(i)
	m.mu.Lock()
	running := m.cmd != nil
	m.mu.Unlock()
	if running {
		c.t.Fatalf("etcdtest: Restart(%d): the member is running (Kill it first)", i)
	}
	if err := c.launch(i, "existing"); err != nil {
		c.t.Fatalf("etcdtest: Restart(%d): %v", i, err)
	}
	if err := c.waitHealthy(i, time.Now().Add(startTimeout)); err != nil {
		c.logTails()
		c.t.Fatalf("etcdtest: Restart(%d): %v", i, err)
	}
}

// WaitHealthy waits until member i answers /health (after a kill of another member, say, until
// the others have elected a leader): a write sent to a follower while the leader is gone waits
// for etcd's own request timeout (7 s) before it fails, so a test that kills waits here first.
func (c *Cluster) WaitHealthy(i int) {
	c.t.Helper()
	c.member(i)
	if err := c.waitHealthy(i, time.Now().Add(startTimeout)); err != nil {
		c.t.Fatalf("etcdtest: %v", err)
	}
}

// Running tells whether member i's process is up (started and not killed, not exited).
func (c *Cluster) Running(i int) bool {
	m := c.member(i)
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.cmd == nil {
		return false
	}
	select {
	case <-m.done:
		return false
	default:
		return true
	}
}

// DataDir is member i's data directory (for a test that looks at what a crash left).
func (c *Cluster) DataDir(i int) string { return filepath.Join(c.member(i).dir, "data") }

func (c *Cluster) member(i int) *member {
	c.t.Helper()
	if i < 0 || i >= len(c.members) {
		c.t.Fatalf("etcdtest: no member %d in a %d-member cluster", i, len(c.members))
	}
	return c.members[i]
}

// waitHealthy polls member i's /health until it says true, the process exits or deadline passes.
func (c *Cluster) waitHealthy(i int, deadline time.Time) error {
	m := c.members[i]
	m.mu.Lock()
	done := m.done
	m.mu.Unlock()
	var err error
	for {
		if err = c.Health(i); err == nil {
			return nil
		}
		select {
		case <-done:
			return fmt.Errorf("member %d exited before it was healthy (log: %s)", i, filepath.Join(m.dir, "etcd.log"))
		default:
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("member %d not healthy after %s: %w", i, startTimeout, err)
		}
		time.Sleep(pollInterval)
	}
}

// stopAll kills every running member (the cleanup; also between two start attempts).
func (c *Cluster) stopAll() {
	for i := range c.members {
		c.Kill(i)
	}
	if c.t.Failed() {
		c.logTails()
	}
}

// logTails prints the end of each member's log once, for a test that is failing.
func (c *Cluster) logTails() {
	for i, m := range c.members {
		b, err := os.ReadFile(filepath.Join(m.dir, "etcd.log"))
		if err != nil || len(b) == 0 {
			continue
		}
		c.t.Logf("etcd member %d log (end):\n%s", i, b[max(0, len(b)-logTail):])
	}
}

// portTaken tells whether a member failed because its port was taken between freePorts and bind.
func (c *Cluster) portTaken() bool {
	for _, m := range c.members {
		b, _ := os.ReadFile(filepath.Join(m.dir, "etcd.log"))
		if strings.Contains(string(b), "address already in use") {
			return true
		}
	}
	return false
}

// freePorts holds n listeners on loopback port 0 at once (so the kernel gives n distinct ports)
// and releases them for etcd to bind.
func freePorts(n int) ([]int, error) {
	var ports []int
	var lns []net.Listener
	defer func() {
		for _, ln := range lns {
			ln.Close()
		}
	}()
	for range n {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, errors.Join(errors.New("no free loopback port"), err)
		}
		lns = append(lns, ln)
		ports = append(ports, ln.Addr().(*net.TCPAddr).Port)
	}
	return ports, nil
}

func hostPort(port int) string { return fmt.Sprintf("127.0.0.1:%d", port) }

// withoutEtcdEnv drops ETCD_* variables: etcd reads its flags from them too, and one left in a
// developer's shell would change the cluster under test.
func withoutEtcdEnv(env []string) []string {
	var out []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, "ETCD_") {
			out = append(out, kv)
		}
	}
	return out
}
