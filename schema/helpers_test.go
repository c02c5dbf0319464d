package schema

import (
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"testing/fstest"

	"github.com/beevik/etree"
	"github.com/carmed/carmed"
	"github.com/carmed/carmed/internal/needtool"
)

// contractXSD is the contract on disk, for xmllint; Compile reads the embedded copy of it.
const contractXSD = "../xsd/carmed-cpas-v1.xsd"

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
	return needtool.Path(t, "xmllint")
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

// schemaCase is a document validated against a small schema set: reason "" means valid.
type schemaCase struct {
	name, doc, path, reason string
	libxml2                 string // see mutation.libxml2
}

// checkSchemaCases validates every case with Compile(files, main) and, when xmllint is present
// (required under CI), cross-checks each verdict with libxml2 on the same files.
func checkSchemaCases(t *testing.T, files map[string]string, main string, cases []schemaCase) {
	t.Helper()
	s := compileFiles(t, files, main)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := asError(t, s.Validate(parse(t, []byte(c.doc)).Root()))
			switch {
			case c.reason == "" && e != nil:
				t.Fatalf("want valid, got %v", e)
			case c.reason != "" && e == nil:
				t.Fatalf("want %s at %s, got valid", c.reason, c.path)
			case e != nil && (e.Path != c.path || e.Reason != c.reason):
				t.Fatalf("got %q at %s\nwant %q at %s", e.Reason, e.Path, c.reason, c.path)
			}
		})
	}
	t.Run("xmllint agrees", func(t *testing.T) {
		bin := xmllintBin(t)
		dir := t.TempDir()
		for name, body := range files {
			f := filepath.Join(dir, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(f), 0o700); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(f, []byte(body), 0o600); err != nil {
				t.Fatal(err)
			}
		}
		for _, c := range cases {
			want := c.reason == ""
			if c.libxml2 != "" {
				want = !want
			}
			if got := xmllintValid(t, bin, filepath.Join(dir, main), []byte(c.doc)); got != want {
				t.Errorf("%s: xmllint says valid=%v, want %v", c.name, got, want)
			}
		}
	})
}

func compileFiles(t *testing.T, files map[string]string, main string) *Schema {
	t.Helper()
	fsys := fstest.MapFS{}
	for name, body := range files {
		fsys[name] = &fstest.MapFile{Data: []byte(body)}
	}
	s, err := Compile(fsys, main)
	if err != nil {
		t.Fatal(err)
	}
	return s
}
