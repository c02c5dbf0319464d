package conformance

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/carmed/carmed/rules"
	"github.com/carmed/carmed/wssec"
)

const okRequest = `<cpas:consultCarmedRequest xmlns:cpas="urn:carmed:cpas:v1"><informationCustomer><ticket>${ticket}</ticket></informationCustomer><ssin>${ssin.adam}</ssin></cpas:consultCarmedRequest>`

// writeCase makes a case folder with the manifest and files given.
func writeCase(t *testing.T, manifest string, files map[string]string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "case")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	files[ManifestName] = manifest
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

const header = `id: a-case
purpose: Something a person can read.
today: 2026-12-01
persons:
  adam: {situation: ILLEGAL}
parties: [cpas-namur]
steps:
`

func TestABrokenCaseIsRefusedWithItsFileAndLineBeforeAnythingIsSent(t *testing.T) {
	for _, tc := range []struct {
		name, steps string
		files       map[string]string
		line        int
		want        string
	}{
		{"malformed YAML", "  - name: a\n    as: [cpas-namur\n", nil, 0, "malformed manifest"},
		{"an unknown field", "  - name: a\n    as: cpas-namur\n    request: r.xml\n    expected: {value: DATA_FOUND}\n", nil, 11, "field expected not found"},
		{"a missing request file", "  - name: a\n    as: cpas-namur\n    request: nowhere.xml\n    expect: {value: DATA_FOUND}\n", nil, 8, "request nowhere.xml: cannot be read"},
		{"a party not among the case's", "  - name: a\n    as: cpas-nowhere\n    request: r.xml\n    expect: {value: DATA_FOUND}\n", nil, 8, `as "cpas-nowhere": not among the case's parties`},
		{"a capture that names nothing", "  - name: a\n    as: cpas-namur\n    request: r.xml\n    expect: {value: DATA_FOUND}\n  - name: b\n    as: cpas-namur\n    request: r.xml\n    set: {ssin: '${cap.number}'}\n    expect: {value: DATA_FOUND}\n", nil, 12, "no earlier step captures \"number\""},
		{"a person the case does not declare", "  - name: a\n    as: cpas-namur\n    request: eve.xml\n    expect: {value: DATA_FOUND}\n", map[string]string{"eve.xml": strings.ReplaceAll(okRequest, "ssin.adam", "ssin.eve")}, 8, `no person "eve"`},
		{"a ticket of a later step", "  - name: a\n    as: cpas-namur\n    request: r.xml\n    set: {ticket: '${ticket.b}'}\n    expect: {value: DATA_FOUND}\n", nil, 8, `no earlier step "b"`},
		{"two expected outcomes", "  - name: a\n    as: cpas-namur\n    request: r.xml\n    expect: {value: DATA_FOUND, fault: InvalidSecurity}\n", nil, 8, "exactly one of value, status and fault"},
		{"a rejection without its reasons", "  - name: a\n    as: cpas-namur\n    request: r.xml\n    expect: {value: NO_RESULT}\n", nil, 8, "names its reasons"},
		{"a missing golden", "  - name: a\n    as: cpas-namur\n    request: r.xml\n    expect: {value: DATA_FOUND, golden: a.xml}\n", nil, 8, "golden a.xml is missing"},
		{"a resend of nothing", "  - name: a\n    resend: zzz\n    expect: {fault: MessageExpired}\n", nil, 8, `resend "zzz"`},
		{"content withheld without a golden to show it", "  - name: a\n    as: cpas-namur\n    request: r.xml\n    withholds: true\n    expect: {value: DATA_FOUND}\n", nil, 8, "withholds: for a successful answer"},
		{"a request that is not XML", "  - name: a\n    as: cpas-namur\n    request: bad.xml\n    expect: {value: DATA_FOUND}\n", map[string]string{"bad.xml": "<a><b></a>"}, 8, "is not XML"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files := map[string]string{"r.xml": okRequest}
			for k, v := range tc.files {
				files[k] = v
			}
			dir := writeCase(t, header+tc.steps, files)
			_, err := Load(dir, false)
			var le *LoadError
			if !errors.As(err, &le) {
				t.Fatalf("want a LoadError, got %v", err)
			}
			if !strings.Contains(le.Msg, tc.want) || le.File != filepath.Join(dir, ManifestName) || (tc.line > 0 && le.Line != tc.line) {
				t.Fatalf("got %q at %s:%d, want %q at line %d", le.Msg, le.File, le.Line, tc.want, tc.line)
			}
		})
	}
}

func TestAWellFormedCaseLoadsWithItsFaceAndNeeds(t *testing.T) {
	dir := writeCase(t, header+"  - name: a\n    as: cpas-namur\n    request: r.xml\n    expect: {value: DATA_FOUND}\n    capture: {n: carmed/carmedNumber}\n", map[string]string{"r.xml": okRequest})
	c, err := Load(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	if c.Steps[0].Face != FaceCPAS || !c.NeedsHarness() || c.ChangesClock() || c.Steps[0].Line != 8 {
		t.Fatalf("face %q needs harness %v changes clock %v line %d", c.Steps[0].Face, c.NeedsHarness(), c.ChangesClock(), c.Steps[0].Line)
	}
}

func TestAnUnknownPartyIsRefusedAtTheStepThatNamesIt(t *testing.T) {
	dir := writeCase(t, strings.Replace(header, "[cpas-namur]", "[cpas-namur, cpas-nowhere]", 1)+
		"  - name: a\n    as: cpas-namur\n    request: r.xml\n    expect: {value: DATA_FOUND}\n  - name: b\n    as: cpas-nowhere\n    request: r.xml\n    expect: {value: DATA_FOUND}\n",
		map[string]string{"r.xml": okRequest})
	c, err := Load(dir, false)
	if err != nil {
		t.Fatal(err)
	}
	r := &Runner{Admin: "admin", Signer: func(p string) (*wssec.Signer, error) {
		if p == "cpas-nowhere" {
			return nil, errors.New("no key pair")
		}
		return &wssec.Signer{}, nil
	}}
	err = r.Check([]*Case{c})
	if err == nil || !strings.Contains(err.Error(), `case.yaml:12: unknown party "cpas-nowhere"`) {
		t.Fatalf("got %v", err)
	}
}

func TestFreshSSINsAreValidAndFollowGenderAndBIS(t *testing.T) {
	birth := birthFrom.AddDate(20, 3, 9)
	for i := 0; i < 200; i++ {
		m, f, bis, none := newSSIN(birth, "M", false), newSSIN(birth, "F", false), newSSIN(birth, "M", true), newSSIN(birth, GenderNone, false)
		if none[2:4] != "24" {
			t.Fatalf("a person without a gender gets a BIS number with month + 20: %s", none)
		}
		for _, s := range []string{m, f, bis, none} {
			if !rules.ValidSSIN(s) {
				t.Fatalf("%s is not a valid SSIN", s)
			}
		}
		if (m[8]-'0')%2 != 1 || (f[8]-'0')%2 != 0 {
			t.Fatalf("sequence parity: man %s woman %s", m, f)
		}
		if bis[2:4] != "44" || m[:6] != "700410" {
			t.Fatalf("birth date or BIS month wrong: %s %s", m, bis)
		}
	}
}

func TestPlaceholdersExpandAndGoldensShowThemBack(t *testing.T) {
	v := newVars("2026-12-01")
	v.set("ssin.adam", "85031412302")
	v.set("cap.number", "000000000007")
	got, err := v.expand("<a>${ssin.adam}</a><b>${today-61}</b><c>${ticket}</c><d>${today+31}</d>", "T1")
	if err != nil || got != "<a>85031412302</a><b>2026-10-01</b><c>T1</c><d>2027-01-01</d>" {
		t.Fatalf("%q %v", got, err)
	}
	if _, err := v.expand("${cap.other}", ""); err == nil {
		t.Fatal("a capture without a value must be an error")
	}
}
