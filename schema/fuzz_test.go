package schema

import (
	"os"
	"strings"
	"testing"

	"github.com/beevik/etree"
)

// reasons is every Reason Validate may give.
var reasons = map[string]bool{
	ReasonMissing: true, ReasonUnexpected: true, ReasonOutOfOrder: true, ReasonTooMany: true,
	ReasonChoice: true, ReasonNamespace: true, ReasonUnboundPrefix: true, ReasonText: true,
	ReasonChildInSimple: true, ReasonType: true, ReasonPattern: true, ReasonEnumeration: true,
	ReasonLength: true, ReasonRange: true, ReasonMissingAttr: true, ReasonUnexpectedAttr: true,
	ReasonTooDeep: true, ReasonNoElement: true, ReasonDuplicateID: true,
}

// FuzzValidate: Validate never panics, and any error is an *Error with a known reason whose path
// starts at the root element.
func FuzzValidate(f *testing.F) {
	for _, file := range append(requestFiles(f), responseXML) {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`<cpas:consultCarmedRequest xmlns:cpas="urn:carmed:cpas:v1"><x:y/></cpas:consultCarmedRequest>`))
	f.Add([]byte(`<cpas:consultCarmedRequest xmlns:cpas="urn:carmed:cpas:v1" xmlns="urn:carmed:cpas:v1"><selectionCriteria/></cpas:consultCarmedRequest>`))
	f.Fuzz(fuzzTarget(contract(f)))
}

// FuzzValidateProvider is FuzzValidate for the provider contract (imports, qualified forms,
// the strict wildcard, xml:lang, IDs).
func FuzzValidateProvider(f *testing.F) {
	for _, file := range []string{provRefDate, provPeriod, provSuccess, provBusiness} {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`<mp:ConsultCarmedInterventionResponse xmlns:mp="urn:be:fgov:ehealth:mediprima:protocol:v2" Id="a" IssueInstant="2026-01-01T00:00:00Z">` +
		`<Status xmlns="urn:be:fgov:ehealth:commons:core:v2"><StatusCode Value="x"/><StatusDetail><Status><StatusCode Value="y"/></Status></StatusDetail></Status></mp:ConsultCarmedInterventionResponse>`))
	f.Fuzz(fuzzTarget(provider(f)))
}

func fuzzTarget(s *Schema) func(*testing.T, []byte) {
	return func(t *testing.T, b []byte) {
		doc := etree.NewDocument()
		if doc.ReadFromBytes(b) != nil || doc.Root() == nil {
			return
		}
		root := doc.Root()
		err := s.Validate(root)
		if err == nil {
			return
		}
		e, ok := err.(*Error)
		if !ok {
			t.Fatalf("Validate returned %T", err)
		}
		if !reasons[e.Reason] {
			t.Fatalf("unknown reason %q", e.Reason)
		}
		if !strings.HasPrefix(e.Path, "/"+root.Tag) {
			t.Fatalf("path %q does not start at the root %s", e.Path, root.Tag)
		}
	}
}
