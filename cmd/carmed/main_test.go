package main

import (
	"bytes"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestCommandLine builds carmed and drives it as a user would: pki init, serve, call (one exit status
// per outcome) and store check (locked while serving, clean after).
func TestCommandLine(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "carmed")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	run := func(args ...string) (int, string, string) {
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
	pkiDir, data := filepath.Join(dir, "pki"), filepath.Join(dir, "data")
	if code, out, errs := run("pki", "init", "--dir", pkiDir); code != 0 || !strings.Contains(out, "cpas-namur") {
		t.Fatalf("pki init: %d %s %s", code, out, errs)
	}
	if code, _, errs := run("pki", "init", "--dir", pkiDir); code == 0 || !strings.Contains(errs, "exist") {
		t.Fatalf("a second pki init must refuse to overwrite: %d %s", code, errs)
	}

	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	serve := exec.Command(bin, "serve", "--listen", addr, "--data", data, "--pki", pkiDir,
		"--registry", "testdata/registry", "--today", "2026-12-01")
	serve.Dir = "../.."
	var logs bytes.Buffer
	serve.Stderr = &logs
	if err := serve.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = serve.Process.Kill(); _ = serve.Wait() }()
	for i := 0; ; i++ {
		if r, err := http.Get("http://" + addr + "/readyz"); err == nil && r.StatusCode == 200 {
			r.Body.Close()
			break
		}
		if i > 100 {
			t.Fatalf("server did not become ready:\n%s", logs.String())
		}
		time.Sleep(100 * time.Millisecond)
	}
	url := "--url=http://" + addr + "/cpas/v1"
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
	if code, _, errs := run("store", "check", "--data", data); code == 0 || !strings.Contains(errs, "another carmed process holds") {
		t.Fatalf("store check while serving: %d %s", code, errs)
	}
	if strings.Contains(logs.String(), "85031412302") {
		t.Fatal("the server log contains an SSIN")
	}
	_ = serve.Process.Signal(syscall.SIGTERM)
	_ = serve.Wait()
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
