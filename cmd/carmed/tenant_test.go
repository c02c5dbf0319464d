package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestTenantCommandsAndAReplayUnderAPrefix is the README's walk: create a tenant, list it, run a
// conformance case against its prefix with carmed replay, reset it (its date back), refuse to delete
// the default tenant, delete it: the index no longer names it.
func TestTenantCommandsAndAReplayUnderAPrefix(t *testing.T) {
	dir, pkiDir, bin, run := replayEnv(t)
	data := filepath.Join(dir, "data")
	srv := startServe(t, bin, "--data", data, "--pki", pkiDir, "--registry", "testdata/registry",
		"--today", "2026-12-01", "--harness")
	url := "--url=http://" + srv.addr
	pk := "--pki=" + pkiDir

	if code, out, errs := run("tenant", "create", "acme", url, pk, "--today", "2026-11-15"); code != exitOK ||
		!strings.Contains(out, "created acme") || !strings.Contains(out, "/t/acme") {
		t.Fatalf("tenant create: exit %d\n%s%s", code, out, errs)
	}
	if code, out, errs := run("tenant", "create", "acme", url, pk); code != exitRejected || !strings.Contains(errs, "TENANT_EXISTS") {
		t.Errorf("tenant create twice: exit %d\n%s%s", code, out, errs)
	}
	code, out, errs := run("tenant", "list", url, pk)
	if code != exitOK || !strings.HasPrefix(out, "default ") || !strings.Contains(out, "\nacme ") {
		t.Fatalf("tenant list: exit %d\n%s%s", code, out, errs)
	}
	if code, out, errs := run("replay", url+"/t/acme", pk, runnerCases+"/passes"); code != exitOK ||
		!strings.Contains(out, "conformance: 1 passed") {
		t.Fatalf("replay under /t/acme: exit %d\n%s%s", code, out, errs)
	}
	// The case set acme's clock to its day; a reset puts back the day acme was created with.
	if code, out, errs := run("tenant", "reset", "acme", url, pk); code != exitOK || !strings.Contains(out, "today 2026-11-15") {
		t.Errorf("tenant reset: exit %d\n%s%s", code, out, errs)
	}
	if code, out, errs := run("tenant", "delete", "default", url, pk); code != exitRejected || !strings.Contains(errs, "TENANT_DEFAULT") {
		t.Errorf("tenant delete default: exit %d\n%s%s", code, out, errs)
	}
	if code, out, errs := run("tenant", "delete", "acme", url, pk); code != exitOK {
		t.Errorf("tenant delete: exit %d\n%s%s", code, out, errs)
	}
	b, err := os.ReadFile(filepath.Join(data, "tenants", "tenants.json"))
	if err != nil || strings.Contains(string(b), "acme") {
		t.Errorf("the index after the delete: %v\n%s", err, b)
	}
}
