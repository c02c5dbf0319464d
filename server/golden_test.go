package server_test

import (
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/carmed/carmed/client"
)

var update = flag.Bool("update", false, "rewrite the golden answers under testdata/golden")

const goldenDir = "../testdata/golden/cpas"

// volatile are the parts of an answer that change from run to run: the gateway's own ticket and times.
var volatile = []struct {
	re   *regexp.Regexp
	with string
}{
	{regexp.MustCompile(`<ticketCBSS>[^<]*</ticketCBSS>`), `<ticketCBSS>00000000-0000-4000-8000-000000000000</ticketCBSS>`},
	{regexp.MustCompile(`<(timestampReceive|timestampReply|creationTime)>[^<]*</`), `<$1>2026-12-01T00:00:00Z</`},
	{regexp.MustCompile(` Id="ID[^"]*"`), ` Id="ID00000000-0000-4000-8000-000000000000"`},
	{regexp.MustCompile(` IssueInstant="[^"]*"`), ` IssueInstant="2026-12-01T00:00:00Z"`},
}

// golden compares an answer's Body element with testdata/golden/cpas/NAME.xml (or rewrites it with -update).
func golden(t *testing.T, name string, a *client.Answer) {
	t.Helper()
	goldenIn(t, goldenDir, name, a)
}

func goldenIn(t *testing.T, goldenDir, name string, a *client.Answer) {
	t.Helper()
	d := newDoc(a.Payload.Copy())
	d.Indent(2)
	b, err := d.WriteToBytes()
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range volatile {
		b = v.re.ReplaceAll(b, []byte(v.with))
	}
	path := filepath.Join(goldenDir, name+".xml")
	if *update {
		if err := os.MkdirAll(goldenDir, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./server -run %s -update)", err, t.Name())
	}
	if string(want) != string(b) {
		t.Fatalf("answer %s differs from %s:\n%s", name, path, b)
	}
}

// TestEveryFixtureValidatesAgainstTheXSD runs xmllint --schema over every CPAS request file and
// every golden answer of the CPAS face.
func TestEveryFixtureValidatesAgainstTheXSD(t *testing.T) {
	lint := needTool(t, "xmllint")
	// The harness face has its own XSD (contracts_test.go checks those fixtures).
	var files []string
	for _, dir := range []string{"demo", "notices"} {
		fs, _ := filepath.Glob("../testdata/requests/" + dir + "/*.xml")
		files = append(files, fs...)
	}
	answers, _ := filepath.Glob(goldenDir + "/*.xml")
	providerLint(t, lint)
	if len(files) < 8 || len(answers) < 8 {
		t.Fatalf("found %d request files and %d golden answers; expected the demo set", len(files), len(answers))
	}
	args := append([]string{"--noout", "--schema", "../xsd/carmed-cpas-v1.xsd"}, append(files, answers...)...)
	if out, err := exec.Command(lint, args...).CombinedOutput(); err != nil {
		t.Fatalf("fixtures that do not validate:\n%s", out)
	}
}

// providerLint validates the provider-face fixtures and golden answers against our eHealth-shaped XSD
// and, when ../shared is beside the repo, against the published eHealth XSD.
func providerLint(t *testing.T, lint string) {
	t.Helper()
	files, _ := filepath.Glob("../testdata/provider/*.xml")
	golden, _ := filepath.Glob("../testdata/golden/provider/*.xml")
	if len(files) < 4 || len(golden) < 3 {
		t.Fatalf("found %d provider fixtures and %d golden answers", len(files), len(golden))
	}
	schemas := []string{"../xsd/ehealth-mediprima-protocol-v2.xsd"}
	if _, err := os.Stat(oracleXSD); err == nil {
		schemas = append(schemas, oracleXSD)
	}
	for _, x := range schemas {
		args := append([]string{"--noout", "--schema", x}, append(files, golden...)...)
		if out, err := exec.Command(lint, args...).CombinedOutput(); err != nil {
			t.Fatalf("provider fixtures that do not validate against %s:\n%s", x, out)
		}
	}
}
