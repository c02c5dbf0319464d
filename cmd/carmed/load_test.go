package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestLoadDrivesAGatewayAndReportsWhatItMeasured runs a tiny `carmed load` against a real gateway:
// every presigned consult and create is answered (none refused as a replay, none rejected), and
// the report carries the gateway's CPU and RSS read from /proc and the signing anchors.
func TestLoadDrivesAGatewayAndReportsWhatItMeasured(t *testing.T) {
	bin := carmedBinary(t)
	run := runner(t, bin)
	dir := t.TempDir()
	pkiDir := filepath.Join(dir, "pki")
	if code, _, errs := run("pki", "init", "--dir", pkiDir); code != 0 {
		t.Fatalf("pki init: %s", errs)
	}
	srv := startServe(t, bin, "--data", filepath.Join(dir, "data"), "--pki", pkiDir,
		"--registry", "testdata/registry", "--today", "2026-12-01", "--harness")
	out := filepath.Join(dir, "load.jsonl")
	code, stdout, errs := run("load", "--url", "http://"+srv.addr, "--pki", pkiDir, "--ops", "consult,create",
		"--duration", "30s", "--max", "12", "--concurrency", "3", "--pid", fmt.Sprint(srv.cmd.Process.Pid),
		"--label", "ecdsa", "--out", out)
	if code != exitOK {
		t.Fatalf("load: exit %d\n%s%s", code, stdout, errs)
	}
	raw, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(raw)), "\n")
	if len(lines) != 2 {
		t.Fatalf("want one result per phase, got %d:\n%s", len(lines), raw)
	}
	for i, op := range []string{"consult", "create"} {
		var r loadResult
		if err := json.Unmarshal([]byte(lines[i]), &r); err != nil {
			t.Fatal(err)
		}
		if r.Label != "ecdsa/"+op || r.Sent != 12 || r.OK != 12 || len(r.Errors) != 0 || !r.Exhausted {
			t.Errorf("%s: %+v", op, r)
		}
		if r.GatewayCPU <= 0 || r.PeakRSSMB <= 0 || r.RSASignRate <= 0 || r.ECSignRate <= 0 || r.P99ms < r.P50ms {
			t.Errorf("%s: measures missing: %+v", op, r)
		}
	}
	if !strings.Contains(stdout, "ecdsa/create: 12 sent, 12 ok") {
		t.Errorf("printed report:\n%s", stdout)
	}

	t.Run("a gateway off loopback is refused before anything is signed", func(t *testing.T) {
		code, _, errs := run("load", "--url", "http://192.0.2.1:8080", "--pki", pkiDir)
		if code != exitError || !strings.Contains(errs, "loopback only") {
			t.Fatalf("exit %d %s", code, errs)
		}
	})
}
