package main

import (
	"encoding/xml"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// runnerCases are the runner's own cases: one that passes, one broken on purpose.
const runnerCases = "conformance/testdata/runner"

// replayEnv is a fresh demo PKI in a temporary folder, the carmed binary and a runner of it.
func replayEnv(t *testing.T) (dir, pkiDir, bin string, run func(args ...string) (int, string, string)) {
	t.Helper()
	dir = t.TempDir()
	bin = carmedBinary(t)
	run = runner(t, bin)
	pkiDir = filepath.Join(dir, "pki")
	if code, _, errs := run("pki", "init", "--dir", pkiDir); code != 0 {
		t.Fatal(errs)
	}
	return dir, pkiDir, bin, run
}

// TestReplayPassesAGoodCaseAndFailsABrokenOne runs carmed replay against a gateway with the harness:
// the good case passes, the case with a wrong expected reason code fails the run with the step named.
func TestReplayPassesAGoodCaseAndFailsABrokenOne(t *testing.T) {
	dir, pkiDir, bin, run := replayEnv(t)
	srv := startServe(t, bin, "--data", filepath.Join(dir, "data"), "--pki", pkiDir, "--registry", "testdata/registry",
		"--today", "2026-12-01", "--harness")
	url := "--url=http://" + srv.addr
	junit := filepath.Join(dir, "junit.xml")

	code, out, errs := run("replay", url, "--pki", pkiDir, runnerCases+"/passes")
	if code != exitOK || !strings.Contains(out, "PASS  runner-passes") || !strings.Contains(out, "conformance: 1 passed, 0 failed, 0 skipped") {
		t.Fatalf("the good case: exit %d\n%s%s", code, out, errs)
	}
	// Again on the same server: fresh SSINs and tickets make a case re-runnable.
	if code, out, errs := run("replay", url, "--pki", pkiDir, runnerCases+"/passes"); code != exitOK {
		t.Fatalf("the good case run twice: exit %d\n%s%s", code, out, errs)
	}

	code, out, errs = run("replay", url, "--pki", pkiDir, "--junit", junit, "--plain", runnerCases)
	if code != exitRejected || !strings.Contains(out, "FAIL  runner-wrong-reason") ||
		!strings.Contains(out, `step "create-too-early"`) || !strings.Contains(out, "reasons [START_TOO_EARLY], expected [PERIOD_TOO_LONG]") ||
		!strings.Contains(out, "conformance: 1 passed, 1 failed, 0 skipped") {
		t.Fatalf("the broken case must fail the run: exit %d\n%s%s", code, out, errs)
	}
	var j struct {
		Suites []struct {
			Tests    int `xml:"tests,attr"`
			Failures int `xml:"failures,attr"`
			Cases    []struct {
				Name    string `xml:"name,attr"`
				Failure *struct {
					Message string `xml:"message,attr"`
				} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	raw, err := os.ReadFile(junit)
	if err != nil || xml.Unmarshal(raw, &j) != nil || len(j.Suites) != 1 {
		t.Fatalf("junit file: %v\n%s", err, raw)
	}
	s := j.Suites[0]
	if s.Tests != 2 || s.Failures != 1 || len(s.Cases) != 2 || s.Cases[1].Name != "runner-wrong-reason" || s.Cases[1].Failure == nil ||
		!strings.Contains(s.Cases[1].Failure.Message, "create-too-early") {
		t.Fatalf("junit counts or failure wrong:\n%s", raw)
	}

	// --run selects cases by id.
	if code, out, _ := run("replay", url, "--pki", pkiDir, "--run", "passes$", runnerCases); code != exitOK || strings.Contains(out, "wrong-reason") {
		t.Fatalf("--run: exit %d\n%s", code, out)
	}
}

// TestReplayWithoutAHarnessSkipsTheCasesThatNeedOne: against a server without the harness face, a
// case that needs persons and a business date is skipped with the reason, and the run does not fail.
func TestReplayWithoutAHarnessSkipsTheCasesThatNeedOne(t *testing.T) {
	dir, pkiDir, bin, run := replayEnv(t)
	srv := startServe(t, bin, "--data", filepath.Join(dir, "data"), "--pki", pkiDir, "--registry", "testdata/registry")
	code, out, errs := run("replay", "--url=http://"+srv.addr, "--pki", pkiDir, runnerCases+"/passes")
	if code != exitOK || !strings.Contains(out, "SKIP  runner-passes") || !strings.Contains(out, "needs the harness face") ||
		!strings.Contains(out, "0 passed, 0 failed, 1 skipped") {
		t.Fatalf("exit %d\n%s%s", code, out, errs)
	}
}

// TestReplayRefusesBrokenCasesAndADeadServerWithOneError: a manifest error is reported with its file
// and line before anything is sent (here no server even listens), and an unreachable server is one
// error, not one per step.
func TestReplayRefusesBrokenCasesAndADeadServerWithOneError(t *testing.T) {
	dir, pkiDir, _, run := replayEnv(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := "--url=http://" + ln.Addr().String()
	ln.Close()

	broken := filepath.Join(dir, "broken")
	if err := os.MkdirAll(broken, 0o755); err != nil {
		t.Fatal(err)
	}
	manifest := "id: broken\npurpose: Broken.\nparties: [cpas-namur]\nsteps:\n  - name: a\n    as: cpas-namur\n    request: missing.xml\n    expect: {value: DATA_FOUND}\n"
	if err := os.WriteFile(filepath.Join(broken, "case.yaml"), []byte(manifest), 0o644); err != nil {
		t.Fatal(err)
	}
	code, out, errs := run("replay", dead, "--pki", pkiDir, broken)
	if code != exitError || !strings.Contains(errs, "broken/case.yaml:5: step \"a\": request missing.xml: cannot be read") ||
		!strings.Contains(errs, "nothing was sent") || strings.Contains(errs, "unreachable") {
		t.Fatalf("a broken case: exit %d\n%s%s", code, out, errs)
	}

	unknown := filepath.Join(dir, "unknown-party")
	if err := os.CopyFS(unknown, os.DirFS("../../"+runnerCases+"/passes")); err != nil {
		t.Fatal(err)
	}
	m, _ := os.ReadFile(filepath.Join(unknown, "case.yaml"))
	m = []byte(strings.ReplaceAll(string(m), "cpas-namur", "cpas-atlantis"))
	if err := os.WriteFile(filepath.Join(unknown, "case.yaml"), m, 0o644); err != nil {
		t.Fatal(err)
	}
	code, _, errs = run("replay", dead, "--pki", pkiDir, unknown)
	if code != exitError || !strings.Contains(errs, `unknown party "cpas-atlantis"`) || !strings.Contains(errs, "nothing was sent") {
		t.Fatalf("an unknown party: exit %d\n%s", code, errs)
	}

	code, out, errs = run("replay", dead, "--pki", pkiDir, runnerCases)
	if code != exitError || strings.Count(errs, "unreachable") != 1 || strings.Contains(out, "FAIL") {
		t.Fatalf("a dead server must be one error: exit %d\n%s%s", code, out, errs)
	}
}
