package main

import (
	"bytes"
	"flag"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// The binary is built once for every test of the package (TestMain removes it).
var (
	buildOnce sync.Once
	binDir    string
	binPath   string
	buildErr  error
	buildOut  []byte
)

func TestMain(m *testing.M) {
	code := m.Run()
	if binDir != "" {
		os.RemoveAll(binDir)
	}
	os.Exit(code)
}

// carmedBinary builds carmed (once) and answers its path.
func carmedBinary(t *testing.T) string {
	t.Helper()
	buildOnce.Do(func() {
		if binDir, buildErr = os.MkdirTemp("", "carmed-cmd-test"); buildErr != nil {
			return
		}
		binPath = filepath.Join(binDir, "carmed")
		buildOut, buildErr = exec.Command("go", "build", "-o", binPath, ".").CombinedOutput()
	})
	if buildErr != nil {
		t.Fatalf("build: %v\n%s", buildErr, buildOut)
	}
	return binPath
}

// runner runs the binary from the repository root (where testdata/ is) and answers its exit
// status, stdout and stderr.
func runner(t *testing.T, bin string) func(args ...string) (int, string, string) {
	return func(args ...string) (int, string, string) {
		t.Helper()
		cmd := exec.Command(bin, args...)
		cmd.Dir = "../.."
		var out, errb bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errb
		err := cmd.Run()
		code := 0
		if ee, ok := err.(*exec.ExitError); ok {
			code = ee.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return code, out.String(), errb.String()
	}
}

// lockedBuffer collects a child's stderr while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// served is a `carmed serve` child process.
type served struct {
	addr string
	cmd  *exec.Cmd
	logs *lockedBuffer
	once sync.Once
}

// startServe runs `carmed serve --listen ADDR args…` and waits until it is ready; the test's
// cleanup stops it.
func startServe(t *testing.T, bin string, args ...string) *served {
	t.Helper()
	return startServeWith(t, bin, http.DefaultClient, "http", nil, args...)
}

// startServeWith is startServe for a gateway asked for readiness with hc over scheme, with extra
// environment variables (NAME=VALUE).
func startServeWith(t *testing.T, bin string, hc *http.Client, scheme string, env []string, args ...string) *served {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &served{addr: ln.Addr().String(), logs: &lockedBuffer{}}
	ln.Close()
	s.cmd = exec.Command(bin, append([]string{"serve", "--listen", s.addr}, args...)...)
	s.cmd.Dir = "../.."
	s.cmd.Stderr = s.logs
	s.cmd.Env = append(os.Environ(), env...)
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.once.Do(func() { _ = s.cmd.Process.Kill(); _ = s.cmd.Wait() }) })
	for i := 0; ; i++ {
		if r, err := hc.Get(scheme + "://" + s.addr + "/readyz"); err == nil {
			r.Body.Close()
			if r.StatusCode == 200 {
				return s
			}
		}
		if i > 100 {
			t.Fatalf("server did not become ready:\n%s", s.logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// stop ends the server as an operator would (SIGTERM) and waits for it.
func (s *served) stop() {
	s.once.Do(func() { _ = s.cmd.Process.Signal(syscall.SIGTERM); _ = s.cmd.Wait() })
}

// TestCommandLine builds carmed and drives it as a user would: pki init, serve, call (one exit status
// per outcome) and store check (locked while serving, clean after).
func TestCommandLine(t *testing.T) {
	dir := t.TempDir()
	bin := carmedBinary(t)
	run := runner(t, bin)
	pkiDir, data := filepath.Join(dir, "pki"), filepath.Join(dir, "data")
	if code, out, errs := run("pki", "init", "--dir", pkiDir); code != 0 || !strings.Contains(out, "cpas-namur") {
		t.Fatalf("pki init: %d %s %s", code, out, errs)
	}
	if code, _, errs := run("pki", "init", "--dir", pkiDir); code == 0 || !strings.Contains(errs, "exist") {
		t.Fatalf("a second pki init must refuse to overwrite: %d %s", code, errs)
	}

	srv := startServe(t, bin, "--data", data, "--pki", pkiDir, "--registry", "testdata/registry", "--today", "2026-12-01")
	url := "--url=http://" + srv.addr + "/cpas/v1"
	call := func(party, file string, extra ...string) (int, string, string) {
		args := append([]string{"call", url, "--pki", pkiDir, "--as", party}, extra...)
		return run(append(args, "testdata/requests/demo/"+file)...)
	}
	if code, out, errs := call("cpas-namur", "create.xml"); code != exitOK || !strings.Contains(out, "<carmedNumber>000000000001</carmedNumber>") ||
		!strings.Contains(errs, "signature verified") {
		t.Fatalf("create: exit %d\n%s\n%s", code, out, errs)
	}
	if code, _, errs := call("cpas-namur", "modify.xml", "--set", "ticket=cli-stale", "--set", "versionNumber=7"); code != exitRejected {
		t.Fatalf("a business rejection must exit %d, got %d: %s", exitRejected, code, errs)
	}
	if code, _, errs := call("cpas-namur", "consult.xml", "--set", "ssin=85031412303"); code != exitFault {
		t.Fatalf("a SOAP fault must exit %d, got %d: %s", exitFault, code, errs)
	}
	if code, _, _ := call("cpas-namur", "consult.xml", "--soap12"); code != exitOK {
		t.Fatalf("SOAP 1.2 consult exit %d", code)
	}
	if code, _, errs := run("call", url, "--pki", pkiDir, "--as", "cpas-namur", "--gateway-cert", filepath.Join(pkiDir, "cpas-liege.crt"),
		"testdata/requests/demo/consult.xml"); code != exitError || !strings.Contains(errs, "does not verify") {
		t.Fatalf("an answer not signed by the expected gateway must be refused: %d %s", code, errs)
	}
	// This gateway runs without --harness: the harness commands must say so, not fail obscurely.
	if code, out, errs := run("harness", "clock", "--url=http://"+srv.addr, "--pki", pkiDir); code != exitError ||
		!strings.Contains(errs, "harness face not enabled") || !strings.Contains(errs, "serve --harness") || out != "" {
		t.Fatalf("harness against a gateway without it: exit %d\n%s%s", code, out, errs)
	}
	if code, _, errs := run("store", "check", "--data", data); code == 0 || !strings.Contains(errs, "another carmed process holds") {
		t.Fatalf("store check while serving: %d %s", code, errs)
	}
	if strings.Contains(srv.logs.String(), "85031412302") {
		t.Fatal("the server log contains an SSIN")
	}
	srv.stop()
	if code, out, errs := run("store", "check", "--data", data); code != 0 || !strings.Contains(out, "ok") {
		t.Fatalf("store check after shutdown: %d %s %s", code, out, errs)
	}
	backup := filepath.Join(dir, "copy.db")
	if code, _, errs := run("store", "backup", "--data", data, "--out", backup); code != 0 {
		t.Fatalf("backup: %s", errs)
	}
	if st, err := os.Stat(backup); err != nil || st.Size() == 0 {
		t.Fatal("backup file missing or empty")
	}
}

func TestParseArgsTakesFlagsOnEitherSideOfOperands(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		pos  []string
		url  string
	}{
		{"flags before the operand", []string{"--url", "U", "TOKEN"}, []string{"TOKEN"}, "U"},
		{"flags after the operand", []string{"TOKEN", "--url", "U"}, []string{"TOKEN"}, "U"},
		{"everything after -- is an operand", []string{"A", "--", "--url", "U"}, []string{"A", "--url", "U"}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs := flag.NewFlagSet("test", flag.ContinueOnError)
			url := fs.String("url", "", "")
			pos, err := parseArgs(fs, tc.args)
			if err != nil || strings.Join(pos, " ") != strings.Join(tc.pos, " ") || *url != tc.url {
				t.Fatalf("parseArgs(%q) = %q, url %q, %v", tc.args, pos, *url, err)
			}
		})
	}
}
