package main

import (
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// `store check` tells a store's format without changing it; `store upgrade` moves a store the
// gateway of schema 2 wrote (store/testdata/schema2-demo.db.gz) to this format, and it checks clean.
func TestStoreCheckTellsTheFormatAndUpgradeMovesIt(t *testing.T) {
	run := runner(t, carmedBinary(t))
	data := t.TempDir()
	in, err := os.Open("../../store/testdata/schema2-demo.db.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	z, err := gzip.NewReader(in)
	if err != nil {
		t.Fatal(err)
	}
	out, err := os.Create(filepath.Join(data, "carmed.db"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := io.Copy(out, z); err != nil {
		t.Fatal(err)
	}
	out.Close()
	for i, want := range []string{"format: schema 2:", "format: schema 2:"} { // check changes nothing
		if code, stdout, errs := run("store", "check", "--data", data); code != exitOK || !strings.Contains(stdout, want) {
			t.Fatalf("check %d: exit %d\n%s%s", i, code, stdout, errs)
		}
	}
	if code, stdout, errs := run("store", "upgrade", "--data", data); code != exitOK || !strings.Contains(stdout, "format: schema 3:") {
		t.Fatalf("upgrade: exit %d\n%s%s", code, stdout, errs)
	}
	if code, stdout, errs := run("store", "check", "--data", data); code != exitOK ||
		!strings.Contains(stdout, "format: schema 3:") || !strings.Contains(stdout, "store check: ok") {
		t.Fatalf("check after the upgrade: exit %d\n%s%s", code, stdout, errs)
	}
}
