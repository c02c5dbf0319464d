package carmed_test

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/beevik/etree"
	"github.com/carmed/carmed"
	"github.com/carmed/carmed/internal/needtool"
	"github.com/carmed/carmed/schema"
)

// The two project contracts these tests check, as paths inside carmed.Contracts (the runtime
// validator reads the embedded copy; xmllint reads the same files on disk).
const (
	cpasXSD    = "xsd/carmed-cpas-v1.xsd"
	harnessXSD = "xsd/carmed-harness-v1.xsd"
	cpasNS     = "urn:carmed:cpas:v1"
	harnessNS  = "urn:carmed:harness:v1"
)

// fixtureSets is every request fixture of the harness service and of the CPAS notices, with the
// schema it must validate against.
var fixtureSets = []struct{ glob, xsd string }{
	{"testdata/requests/harness/*.xml", harnessXSD},
	{"testdata/requests/notices/*.xml", cpasXSD},
}

var (
	compileMu sync.Mutex
	compiled  = map[string]*schema.Schema{}
)

// runtimeSchema is the gateway's own validator compiled from the embedded contract xsd, once per
// file for the whole package (every contract test shares it).
func runtimeSchema(t testing.TB, xsd string) *schema.Schema {
	t.Helper()
	compileMu.Lock()
	defer compileMu.Unlock()
	if s, ok := compiled[xsd]; ok {
		return s
	}
	s, err := schema.Compile(carmed.Contracts, xsd)
	if err != nil {
		t.Fatalf("the runtime validator cannot compile %s: %v", xsd, err)
	}
	compiled[xsd] = s
	return s
}

// needTool finds an external tool: missing, it fails the test when CI is set and skips it otherwise.
func needTool(t *testing.T, name string) string {
	t.Helper()
	return needtool.Path(t, name)
}

// xmllintValid tells whether libxml2 accepts doc against xsd; anything but a validity verdict fails.
func xmllintValid(t *testing.T, lint, xsd string, doc []byte) bool {
	t.Helper()
	f := filepath.Join(t.TempDir(), "doc.xml")
	if err := os.WriteFile(f, doc, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(lint, "--noout", "--schema", xsd, f).CombinedOutput()
	if err == nil {
		return true
	}
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.ExitCode() == 3 { // xmllint's "validation error"
		return false
	}
	t.Fatalf("xmllint: %v\n%s", err, out)
	return false
}

// fixtures lists the files of every set; a set with no file is an error (a glob that drifted).
func fixtures(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, s := range fixtureSets {
		files, err := filepath.Glob(s.glob)
		if err != nil || len(files) == 0 {
			t.Fatalf("no fixture matches %s (%v)", s.glob, err)
		}
		for _, f := range files {
			out[f] = s.xsd
		}
	}
	return out
}

func readDoc(t testing.TB, file string) *etree.Document {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return parseDoc(t, b)
}

func parseDoc(t testing.TB, b []byte) *etree.Document {
	t.Helper()
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(b); err != nil {
		t.Fatalf("parse: %v", err)
	}
	return doc
}

func docBytes(t testing.TB, doc *etree.Document) []byte {
	t.Helper()
	b, err := doc.WriteToBytes()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// schemaError unwraps a runtime validation result; nil stays nil.
func schemaError(t *testing.T, err error) *schema.Error {
	t.Helper()
	if err == nil {
		return nil
	}
	var e *schema.Error
	if !errors.As(err, &e) {
		t.Fatalf("Validate returned %T (%v), want *schema.Error", err, err)
	}
	return e
}

func TestEveryNewRequestFixtureIsValidForXmllint(t *testing.T) {
	lint := needTool(t, "xmllint")
	bySchema := map[string][]string{}
	for f, xsd := range fixtures(t) {
		bySchema[xsd] = append(bySchema[xsd], f)
	}
	for xsd, files := range bySchema {
		args := append([]string{"--noout", "--schema", xsd}, files...)
		if out, err := exec.Command(lint, args...).CombinedOutput(); err != nil {
			t.Errorf("fixtures that do not validate against %s:\n%s", xsd, out)
		}
	}
}

func TestEveryNewRequestFixtureIsValidForTheRuntimeValidator(t *testing.T) {
	for f, xsd := range fixtures(t) {
		t.Run(f, func(t *testing.T) {
			if err := runtimeSchema(t, xsd).Validate(readDoc(t, f).Root()); err != nil {
				t.Fatalf("want valid, got %v", err)
			}
		})
	}
}

// TestEveryHarnessOperationHasARequestFixture keeps the fixture set complete as operations are added.
func TestEveryHarnessOperationHasARequestFixture(t *testing.T) {
	have := map[string]bool{}
	for f := range fixtures(t) {
		have[readDoc(t, f).Root().Tag] = true
	}
	for _, op := range wsdlOperations(t, "wsdl/carmed-harness-v1.wsdl") {
		if !have[op+"Request"] {
			t.Errorf("no request fixture for the harness operation %s", op)
		}
	}
	if !have["consultNoticesRequest"] {
		t.Error("no request fixture for consultNotices")
	}
}

// mutation breaks a copy of a valid fixture; both validators must refuse it.
type mutation struct {
	name       string
	file       string
	breakIt    func(t *testing.T, root *etree.Element)
	wantPath   string
	wantReason string
}

// child is root's element at a slash path of local names (the first match at each step).
func child(t *testing.T, root *etree.Element, path string) *etree.Element {
	t.Helper()
	e := root
	for _, step := range strings.Split(path, "/") {
		if e = e.SelectElement(step); e == nil {
			t.Fatalf("no %s under %s", path, root.Tag)
		}
	}
	return e
}

func setText(path, text string) func(*testing.T, *etree.Element) {
	return func(t *testing.T, root *etree.Element) { child(t, root, path).SetText(text) }
}

func addElement(name, text string) func(*testing.T, *etree.Element) {
	return func(_ *testing.T, root *etree.Element) { root.CreateElement(name).SetText(text) }
}

func removeElement(path string) func(*testing.T, *etree.Element) {
	return func(t *testing.T, root *etree.Element) {
		e := child(t, root, path)
		e.Parent().RemoveChild(e)
	}
}

func TestBothValidatorsRefuseABrokenCopyOfEachFixture(t *testing.T) {
	const h, n = "testdata/requests/harness/", "testdata/requests/notices/"
	cases := []mutation{
		{"a registry load without any person is refused", h + "load-registry.xml",
			func(t *testing.T, root *etree.Element) {
				for _, p := range root.SelectElements("person") {
					root.RemoveChild(p)
				}
			}, "/loadRegistryRequest/person", schema.ReasonMissing},
		{"a situation kind outside the eight is refused", h + "load-registry.xml",
			setText("person/situation/kind", "TOURIST"), "/loadRegistryRequest/person/situation/kind", schema.ReasonEnumeration},
		{"a mutation carrying two changes (name and gender) is refused", h + "mutate-name.xml",
			addElement("gender", "M"), "/applyMutationRequest/gender", schema.ReasonChoice},
		{"a mutation carrying no change at all is refused", h + "mutate-death.xml",
			removeElement("death"), "/applyMutationRequest/name|gender|birthDate|newSsin|death|situation", schema.ReasonMissing},
		{"a gender other than M or F is refused", h + "mutate-gender.xml",
			setText("gender", "X"), "/applyMutationRequest/gender", schema.ReasonEnumeration},
		{"a birth date that is not a day of the calendar is refused", h + "mutate-birth-date.xml",
			setText("birthDate", "1991-02-30"), "/applyMutationRequest/birthDate", schema.ReasonType},
		{"a residence INS code of four digits is refused", h + "mutate-situation.xml",
			func(_ *testing.T, root *etree.Element) {
				root.SelectElement("situation").CreateElement("residenceIns").SetText("9209")
			}, "/applyMutationRequest/situation/residenceIns", schema.ReasonPattern},
		{"a new SSIN of ten digits is refused", h + "mutate-ssin.xml",
			setText("newSsin", "8306150017"), "/applyMutationRequest/newSsin", schema.ReasonPattern},
		{"a death with content is refused (its date is the effective date)", h + "mutate-death.xml",
			setText("death", "2026-11-20"), "/applyMutationRequest/death", schema.ReasonText},
		{"a clock request that both sets and shifts the day is refused", h + "set-clock.xml",
			addElement("advanceDays", "1"), "/setClockRequest/advanceDays", schema.ReasonChoice},
		{"a clock shift beyond ten years is refused", h + "set-clock-advance.xml",
			setText("advanceDays", "3661"), "/setClockRequest/advanceDays", schema.ReasonRange},
		{"a notice list of more than a thousand is refused", h + "list-notices.xml",
			setText("maxNotices", "1001"), "/listNoticesRequest/maxNotices", schema.ReasonRange},
		{"a ticket longer than 32 characters is refused", h + "consult-person.xml",
			setText("ticket", strings.Repeat("t", 33)), "/consultPersonRequest/ticket", schema.ReasonLength},
		{"an empty agreement number is refused", h + "verify-agreement.xml",
			setText("agreementNumber", ""), "/verifyAgreementRequest/agreementNumber", schema.ReasonLength},
		{"a 13-digit notice id to acknowledge is refused", n + "consult-notices.xml",
			setText("acknowledge", "0000000000001"), "/consultNoticesRequest/acknowledge", schema.ReasonPattern},
		{"maxNotices comes after the acknowledged ids", n + "consult-notices.xml",
			func(_ *testing.T, root *etree.Element) {
				m := root.SelectElement("maxNotices")
				root.RemoveChild(m)
				root.InsertChildAt(root.SelectElement("acknowledge").Index(), m)
			}, "/consultNoticesRequest/acknowledge", schema.ReasonOutOfOrder},
		{"a CPAS may ask for at most 100 notices at once", n + "consult-notices.xml",
			setText("maxNotices", "101"), "/consultNoticesRequest/maxNotices", schema.ReasonRange},
	}
	lint, haveLint := needtool.Optional(t, "xmllint")
	all := fixtures(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			xsd, ok := all[c.file]
			if !ok {
				t.Fatalf("%s is not a known fixture", c.file)
			}
			doc := readDoc(t, c.file)
			c.breakIt(t, doc.Root())
			e := schemaError(t, runtimeSchema(t, xsd).Validate(doc.Root()))
			if e == nil || e.Path != c.wantPath || e.Reason != c.wantReason {
				t.Errorf("runtime validator: got %v, want %s: %s", e, c.wantPath, c.wantReason)
			}
			if haveLint && xmllintValid(t, lint, xsd, docBytes(t, doc)) {
				t.Error("xmllint accepts the broken copy")
			}
		})
	}
}
