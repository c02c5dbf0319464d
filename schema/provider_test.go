package schema

import (
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"github.com/beevik/etree"
)

// The provider face's contract: the root schema imports the eHealth commons and MediPrima core
// schemas and xml.xsd; providerXSD is it on disk, for xmllint.
const (
	providerRoot = "xsd/ehealth-mediprima-protocol-v2.xsd"
	providerXSD  = "../" + providerRoot
	providerDir  = "../testdata/provider"

	provRefDate  = providerDir + "/request-reference-date.xml"
	provPeriod   = providerDir + "/request-period.xml"
	provSuccess  = providerDir + "/response-success.xml"
	provBusiness = providerDir + "/response-business-error.xml"
)

var (
	providerOnce   sync.Once
	providerSchema *Schema
	providerErr    error
)

func provider(t testing.TB) *Schema {
	t.Helper()
	providerOnce.Do(func() { providerSchema, providerErr = Compile(contractFS(), providerRoot) })
	if providerErr != nil {
		t.Fatalf("Compile the provider contract: %v", providerErr)
	}
	return providerSchema
}

func TestEveryProviderSampleValidates(t *testing.T) {
	s := provider(t)
	files, err := filepath.Glob(providerDir + "/*.xml")
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 4 {
		t.Fatalf("found %d samples under %s, want the four provider samples", len(files), providerDir)
	}
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			if err := s.Validate(readDoc(t, f).Root()); err != nil {
				t.Fatalf("want valid, got %v", err)
			}
		})
	}
}

func TestTheProviderRootsAreTheProtocolElementsOnly(t *testing.T) {
	s := provider(t)
	const proto = "urn:be:fgov:ehealth:mediprima:protocol:v2"
	if len(s.roots) != 2 || s.roots[qname{proto, "ConsultCarmedInterventionRequest"}] == nil ||
		s.roots[qname{proto, "ConsultCarmedInterventionResponse"}] == nil {
		t.Fatalf("roots %v, want the request and the response of %s", s.roots, proto)
	}
	// core:Status is a global element (referenced from the response), not a payload.
	doc := `<Status xmlns="urn:be:fgov:ehealth:commons:core:v2"><StatusCode Value="urn:x"/></Status>`
	if e := asError(t, s.Validate(parse(t, []byte(doc)).Root())); e == nil || e.Path != "/Status" || e.Reason != ReasonUnexpected {
		t.Fatalf("got %v, want an unexpected root", e)
	}
}

// appendIn adds raw XML (one element; prefixes resolve where it lands) as the last child of p.
func appendIn(p, xml string) func(*testing.T, *etree.Element) { return fill(p, xml, 1) }

func setAttr(p, key, value string) func(*testing.T, *etree.Element) {
	return func(t *testing.T, root *etree.Element) { el(t, root, p).CreateAttr(key, value) }
}

func removeAttr(p, key string) func(*testing.T, *etree.Element) {
	return func(t *testing.T, root *etree.Element) {
		if el(t, root, p).RemoveAttr(key) == nil {
			t.Fatalf("no attribute %s on %s", key, p)
		}
	}
}

const (
	pswcName     = "Result/Carmed/CarmedIdentifier/Pswc/Name"
	hospitalPart = "Result/Carmed/CarmedContent/RefundPodmiSppis/PodmiSppisPart/HospitalizationPart"
	respRoot     = "/ConsultCarmedInterventionResponse"
	reqRoot      = "/ConsultCarmedInterventionRequest"
	// nestedRequest is a request (a global element, so the strict StatusDetail wildcard takes it)
	// with Id %s; its unqualified children undeclare Status's default namespace.
	nestedRequest = `<mp:ConsultCarmedInterventionRequest Id="%s" IssueInstant="2026-12-01T09:25:00Z" xmlns="">` +
		`<SelectionCriteria><BySsin><Ssin>85031412302</Ssin><ReferenceDate>2026-12-01</ReferenceDate></BySsin></SelectionCriteria>` +
		`</mp:ConsultCarmedInterventionRequest>`
	businessID = "_0b7e2d4c-91f3-4a6b-8c2e-5f1d9a3b7c64"
)

var providerMutations = []mutation{
	// Namespaces: the protocol's children are unqualified, core's are qualified, mc's unqualified.
	{name: "a Status in no namespace is in the wrong namespace (core is qualified)", base: provSuccess,
		mutate: removeAttr("Status", "xmlns"), path: respRoot + "/Status", reason: ReasonNamespace},
	{name: "a StatusCode in no namespace under a qualified Status is in the wrong namespace", base: provBusiness,
		mutate: setAttr("Status/StatusCode/StatusCode", "xmlns", ""),
		path:   respRoot + "/Status/StatusCode/StatusCode", reason: ReasonNamespace},
	{name: "a SelectionCriteria in the protocol namespace is in the wrong namespace (it is unqualified)", base: provRefDate,
		mutate: func(t *testing.T, root *etree.Element) { el(t, root, "SelectionCriteria").Space = "mp" },
		path:   reqRoot + "/SelectionCriteria", reason: ReasonNamespace},
	{name: "a BySsin in the MediPrima core namespace is in the wrong namespace (mc is unqualified)", base: provPeriod,
		mutate: setAttr("SelectionCriteria/BySsin", "xmlns", "urn:be:fgov:ehealth:mediprima:core:v2"),
		path:   reqRoot + "/SelectionCriteria/BySsin", reason: ReasonNamespace},
	{name: "a MedicalCardRegistryStatus in no namespace under StatusDetail is a namespace slip", base: provBusiness,
		mutate: func(t *testing.T, root *etree.Element) {
			el(t, root, "Status/StatusDetail/MedicalCardRegistryStatus").Space = ""
		}, path: respRoot + "/Status/StatusDetail/MedicalCardRegistryStatus", reason: ReasonNamespace},
	{name: "a response without Status is missing a required element", base: provSuccess,
		mutate: remove("Status"), path: respRoot + "/Status", reason: ReasonMissing},

	// The strict xs:any of StatusDetail.
	{name: "an unknown element in StatusDetail is unexpected under the strict wildcard", base: provBusiness,
		mutate: appendIn("Status/StatusDetail", `<mc:Unknown xmlns:mc="urn:be:fgov:ehealth:mediprima:core:v2"/>`),
		path:   respRoot + "/Status/StatusDetail/Unknown", reason: ReasonUnexpected},
	{name: "a CbssStatus in StatusDetail is valid", base: provBusiness,
		mutate: appendIn("Status/StatusDetail", `<mc:CbssStatus xmlns:mc="urn:be:fgov:ehealth:mediprima:core:v2" xmlns="">`+
			`<Value>x</Value><Code>y</Code><Information><FieldName>f</FieldName></Information></mc:CbssStatus>`)},
	{name: "a CbssStatus in StatusDetail is checked against its declaration", base: provBusiness,
		mutate: appendIn("Status/StatusDetail", `<mc:CbssStatus xmlns:mc="urn:be:fgov:ehealth:mediprima:core:v2" xmlns=""><Code>y</Code></mc:CbssStatus>`),
		path:   respRoot + "/Status/StatusDetail/CbssStatus/Value", reason: ReasonMissing},
	{name: "a message without Severity in StatusDetail is missing a required attribute", base: provBusiness,
		mutate: removeAttr("Status/StatusDetail/MedicalCardRegistryStatus/MedicalCardRegistryMessage", "Severity"),
		path:   respRoot + "/Status/StatusDetail/MedicalCardRegistryStatus/MedicalCardRegistryMessage/@Severity", reason: ReasonMissingAttr},

	// Attributes of the protocol types.
	{name: "a response without IssueInstant is missing a required attribute", base: provSuccess,
		mutate: removeAttr(".", "IssueInstant"), path: respRoot + "/@IssueInstant", reason: ReasonMissingAttr},
	{name: "a request without IssueInstant is missing a required attribute", base: provRefDate,
		mutate: removeAttr(".", "IssueInstant"), path: reqRoot + "/@IssueInstant", reason: ReasonMissingAttr},
	{name: "a request without Id stays valid (it is optional)", base: provRefDate,
		mutate: removeAttr(".", "Id")},
	{name: "a response without Id is missing a required attribute", base: provSuccess,
		mutate: removeAttr(".", "Id"), path: respRoot + "/@Id", reason: ReasonMissingAttr},
	{name: "a response without InResponseTo stays valid (it is optional)", base: provSuccess,
		mutate: removeAttr(".", "InResponseTo")},
	{name: "an Id starting with a digit is not an xs:ID", base: provRefDate,
		mutate: setAttr(".", "Id", "3f2b8c1e"), path: reqRoot + "/@Id", reason: ReasonType},
	{name: "an IssueInstant without seconds is not an xs:dateTime", base: provRefDate,
		mutate: setAttr(".", "IssueInstant", "2026-12-01T09:15Z"), path: reqRoot + "/@IssueInstant", reason: ReasonType},
	{name: "a StatusCode without Value is missing a required attribute", base: provSuccess,
		mutate: removeAttr("Status/StatusCode", "Value"), path: respRoot + "/Status/StatusCode/@Value", reason: ReasonMissingAttr},
	{name: "a StatusCode Value with a bad percent escape is not an xs:anyURI", base: provSuccess,
		mutate: setAttr("Status/StatusCode", "Value", "urn:be:fgov:ehealth:2.0:status:%zz"),
		path:   respRoot + "/Status/StatusCode/@Value", reason: ReasonType},
	{name: "an unknown attribute on the response is refused", base: provSuccess,
		mutate: setAttr(".", "Version", "2"), path: respRoot + "/@Version", reason: ReasonUnexpectedAttr},

	// xs:ID uniqueness within the payload.
	{name: "a nested request reusing the response's Id is a duplicate ID value", base: provBusiness,
		mutate: appendIn("Status/StatusDetail", fmt.Sprintf(nestedRequest, businessID)),
		path:   respRoot + "/Status/StatusDetail/ConsultCarmedInterventionRequest/@Id", reason: ReasonDuplicateID},
	{name: "a nested request with its own Id is valid under the strict wildcard", base: provBusiness,
		mutate: appendIn("Status/StatusDetail", fmt.Sprintf(nestedRequest, "R-nested"))},

	// xml:lang on NameType.
	{name: "a Name without xml:lang is missing a required attribute", base: provSuccess,
		mutate: removeAttr(pswcName, "xml:lang"), path: respRoot + "/" + pswcName + "/@lang", reason: ReasonMissingAttr},
	{name: "a Name with lang but no xml prefix has an unexpected attribute", base: provSuccess,
		mutate: both(removeAttr(pswcName, "xml:lang"), setAttr(pswcName, "lang", "fr")),
		path:   respRoot + "/" + pswcName + "/@lang", reason: ReasonUnexpectedAttr},
	{name: "an xml:lang with an underscore is not an xs:language", base: provSuccess,
		mutate: setAttr(pswcName, "xml:lang", "fr_BE"), path: respRoot + "/" + pswcName + "/@lang", reason: ReasonType},
	{name: "an xml:lang with a region subtag is an xs:language", base: provSuccess,
		mutate: setAttr(pswcName, "xml:lang", "fr-BE")},

	// Choice and occurrences.
	{name: "Period and ReferenceDate together are two members of a choice", base: provPeriod,
		mutate: insertAfter("SelectionCriteria/BySsin/Period", `<ReferenceDate>2026-12-01</ReferenceDate>`),
		path:   reqRoot + "/SelectionCriteria/BySsin/ReferenceDate", reason: ReasonChoice},
	{name: "a BySsin with neither Period nor ReferenceDate misses a required choice", base: provRefDate,
		mutate: remove("SelectionCriteria/BySsin/ReferenceDate"),
		path:   reqRoot + "/SelectionCriteria/BySsin/Period|ReferenceDate", reason: ReasonMissing},
	{name: "one Name where two are required is missing one", base: provSuccess,
		mutate: remove(pswcName + "[2]"), path: respRoot + "/" + pswcName, reason: ReasonMissing},

	// Numbers.
	{name: "a percentage in exponent form (1e2) is not an xs:decimal", base: provSuccess,
		mutate: setText(hospitalPart+"/ZivAmiPart", "1e2"), path: respRoot + "/" + hospitalPart + "/ZivAmiPart", reason: ReasonType},
	{name: "a percentage without integer digits (.5) is an xs:decimal", base: provSuccess,
		mutate: setText(hospitalPart+"/ZivAmiPart", ".5")},
	{name: "a version number with a fraction is not an xs:integer", base: provSuccess,
		mutate: setText("Result/Carmed/CarmedIdentifier/VersionNumber", "2.0"),
		path:   respRoot + "/Result/Carmed/CarmedIdentifier/VersionNumber", reason: ReasonType},
	{name: "a version number beyond 64 bits is an xs:integer", base: provSuccess,
		mutate: setText("Result/Carmed/CarmedIdentifier/VersionNumber", "123456789012345678901234567890"), libxml2: libxml2Digits},
}

func TestMutatedProviderDocuments(t *testing.T) {
	s := provider(t)
	for _, m := range providerMutations {
		t.Run(m.name, func(t *testing.T) {
			e := asError(t, s.Validate(parse(t, m.mutated(t)).Root()))
			switch {
			case m.reason == "" && e != nil:
				t.Fatalf("want valid, got %v", e)
			case m.reason != "" && e == nil:
				t.Fatalf("want %s at %s, got valid", m.reason, m.path)
			case e != nil && (e.Path != m.path || e.Reason != m.reason):
				t.Fatalf("got %q at %s\nwant %q at %s", e.Reason, e.Path, m.reason, m.path)
			}
		})
	}
}

// TestXmllintAgreesOnEveryProviderMutation: libxml2 with the same XSD files reaches the same
// verdict, except the documented libxml2 deviations, where it must reach the opposite one.
func TestXmllintAgreesOnEveryProviderMutation(t *testing.T) {
	bin := xmllintBin(t)
	for _, m := range providerMutations {
		t.Run(m.name, func(t *testing.T) {
			want := m.reason == ""
			if m.libxml2 != "" {
				want = !want
				t.Log("expecting the opposite verdict: " + m.libxml2)
			}
			if got := xmllintValid(t, bin, providerXSD, m.mutated(t)); got != want {
				t.Fatalf("xmllint says valid=%v, want %v", got, want)
			}
		})
	}
}
