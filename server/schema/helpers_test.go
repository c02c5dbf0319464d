package schema

import (
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/beevik/etree"
	"github.com/carmed/carmed"
)

// contractXSD is the contract on disk, for xmllint; Compile reads the embedded copy of it.
const contractXSD = "../../xsd/carmed-cpas-v1.xsd"

var (
	contractOnce   sync.Once
	contractSchema *Schema
	contractErr    error
)

func contract(t testing.TB) *Schema {
	t.Helper()
	contractOnce.Do(func() {
		contractSchema, contractErr = Compile(contractFS(), "xsd/carmed-cpas-v1.xsd")
	})
	if contractErr != nil {
		t.Fatalf("Compile the contract: %v", contractErr)
	}
	return contractSchema
}

func contractFS() fs.FS { return carmed.Contracts }

func parse(t testing.TB, b []byte) *etree.Document {
	t.Helper()
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(b); err != nil {
		t.Fatalf("parse: %v", err)
	}
	return doc
}

func readDoc(t testing.TB, file string) *etree.Document {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return parse(t, b)
}

// asError unwraps Validate's result; nil stays nil.
func asError(t *testing.T, err error) *Error {
	t.Helper()
	if err == nil {
		return nil
	}
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("Validate returned %T (%v), want *Error", err, err)
	}
	return e
}

// xmllintBin finds xmllint; without it the cross-check fails under CI and is skipped otherwise.
func xmllintBin(t *testing.T) string {
	t.Helper()
	bin, err := exec.LookPath("xmllint")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("xmllint is required when CI is set (apt-get install libxml2-utils)")
		}
		t.Skip("xmllint not found: the cross-check against libxml2 is skipped (it fails when CI is set)")
	}
	return bin
}

// xmllintValid runs libxml2's validator; it tells valid from invalid and fails the test on any
// other outcome (an unreadable schema or document).
func xmllintValid(t *testing.T, bin, xsd string, doc []byte) bool {
	t.Helper()
	f := filepath.Join(t.TempDir(), "doc.xml")
	if err := os.WriteFile(f, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(bin, "--noout", "--nonet", "--schema", xsd, f).CombinedOutput()
	if err == nil {
		return true
	}
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.ExitCode() == 3 { // 3: the document does not validate
		return false
	}
	t.Fatalf("xmllint: %v\n%s", err, out)
	return false
}
