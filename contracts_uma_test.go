package carmed_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/beevik/etree"
	"github.com/carmed/carmed/internal/needtool"
	"github.com/carmed/carmed/schema"
)

// The UMA v1 contract (shared/reference/mediprima-wire.md §3) and the published eHealth schema it
// must match: a test oracle read from ../shared, never copied into the repository.
const (
	umaWSDL      = "wsdl/ehealth-mediprima-uma-v1.wsdl"
	umaXSD       = "xsd/ehealth-mediprima-uma-protocol-v1.xsd"
	umaNS        = "urn:be:fgov:ehealth:mediprima:uma:protocol:v1"
	umaOracleXSD = "../shared/reference/ehealth-xsd/ehealth-mediprima-uma/XSD/ehealth-mediprima-uma-protocol-1_0.xsd"
)

// umaSchemas are the files xmllint checks UMA documents against: ours, and the eHealth one when
// the reference folder is there.
func umaSchemas(t *testing.T) []string {
	t.Helper()
	out := []string{umaXSD}
	if _, err := os.Stat(umaOracleXSD); err != nil {
		t.Logf("skipping the eHealth oracle: %s is absent", umaOracleXSD)
		return out
	}
	return append(out, umaOracleXSD)
}

func umaFixtures(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("testdata/uma/*.xml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no UMA fixture (%v)", err)
	}
	return files
}

func TestEveryUMAFixtureIsValidForTheRuntimeValidator(t *testing.T) {
	s := runtimeSchema(t, umaXSD)
	for _, f := range umaFixtures(t) {
		t.Run(f, func(t *testing.T) {
			if err := s.Validate(readDoc(t, f).Root()); err != nil {
				t.Fatalf("want valid, got %v", err)
			}
		})
	}
}

func TestEveryUMAFixtureIsValidForXmllintAgainstOurXSDAndTheEHealthXSD(t *testing.T) {
	lint := needTool(t, "xmllint")
	files := umaFixtures(t)
	for _, xsd := range umaSchemas(t) {
		args := append([]string{"--noout", "--schema", xsd}, files...)
		if out, err := exec.Command(lint, args...).CombinedOutput(); err != nil {
			t.Errorf("fixtures that do not validate against %s:\n%s", xsd, out)
		}
	}
}

// TestEveryUMAOperationHasARequestAndAnAnswerFixture keeps the fixture set complete.
func TestEveryUMAOperationHasARequestAndAnAnswerFixture(t *testing.T) {
	have := map[string]bool{}
	for _, f := range umaFixtures(t) {
		root := readDoc(t, f).Root()
		if root.NamespaceURI() != umaNS {
			t.Errorf("%s: root in %q, want %s", f, root.NamespaceURI(), umaNS)
		}
		have[root.Tag] = true
	}
	for _, op := range []string{"SendUrgentMedicalAidAttestation", "SearchUrgentMedicalAidAttestation", "DeleteUrgentMedicalAidAttestation"} {
		for _, suffix := range []string{"Request", "Response"} {
			if !have[op+suffix] {
				t.Errorf("no fixture for %s%s", op, suffix)
			}
		}
	}
}

func TestEveryValidatorRefusesABrokenCopyOfEachUMAFixture(t *testing.T) {
	const d = "testdata/uma/"
	cases := []mutation{
		{"a send without its author is refused", d + "send-request.xml",
			removeElement("Author"), "/SendUrgentMedicalAidAttestationRequest/Author", schema.ReasonMissing},
		{"a send whose author is in the core namespace rather than the protocol one is refused", d + "send-request.xml",
			func(t *testing.T, root *etree.Element) { child(t, root, "Author").Space = "core" },
			"/SendUrgentMedicalAidAttestationRequest/Author", schema.ReasonNamespace},
		{"a validity without a start is refused", d + "send-request.xml",
			removeElement("ValidityPeriod/StartDate"), "/SendUrgentMedicalAidAttestationRequest/ValidityPeriod/StartDate", schema.ReasonMissing},
		{"an end date that is not a day of the calendar is refused", d + "send-request.xml",
			setText("ValidityPeriod/EndDate", "2026-02-30"), "/SendUrgentMedicalAidAttestationRequest/ValidityPeriod/EndDate", schema.ReasonType},
		{"a send without a medical cover is refused", d + "send-request-one-day.xml",
			removeElement("MedicalCover"), "/SendUrgentMedicalAidAttestationRequest/MedicalCover", schema.ReasonMissing},
		{"a search by number and period at once is refused", d + "search-request-number.xml",
			func(_ *testing.T, root *etree.Element) {
				root.SelectElement("Criteria").CreateElement("Period").CreateElement("StartDate").SetText("2026-12-01")
			}, "/SearchUrgentMedicalAidAttestationRequest/Criteria/Period", schema.ReasonChoice},
		{"a search without criteria is refused", d + "search-request-period.xml",
			func(_ *testing.T, root *etree.Element) {
				c := root.SelectElement("Criteria")
				c.RemoveChild(c.SelectElement("Period"))
				c.RemoveChild(c.SelectElement("MedicalCover"))
			}, "/SearchUrgentMedicalAidAttestationRequest/Criteria/AttestationNumber|Period", schema.ReasonMissing},
		{"a medical cover before the period is refused", d + "search-request-period.xml",
			func(_ *testing.T, root *etree.Element) {
				c := root.SelectElement("Criteria")
				m := c.SelectElement("MedicalCover")
				c.RemoveChild(m)
				c.InsertChildAt(c.SelectElement("Period").Index(), m)
			}, "/SearchUrgentMedicalAidAttestationRequest/Criteria/MedicalCover", schema.ReasonOutOfOrder},
		{"a delete without the attestation number is refused", d + "delete-request.xml",
			removeElement("AttestationNumber"), "/DeleteUrgentMedicalAidAttestationRequest/AttestationNumber", schema.ReasonMissing},
		{"an answer that spells Attestion correctly is refused", d + "send-response.xml",
			func(t *testing.T, root *etree.Element) { child(t, root, "Attestion").Tag = "Attestation" },
			"/SendUrgentMedicalAidAttestationResponse/Attestation", schema.ReasonUnexpected},
		{"a delete answer that spells AttestionNumber correctly is refused", d + "delete-response.xml",
			func(t *testing.T, root *etree.Element) { child(t, root, "AttestionNumber").Tag = "AttestationNumber" },
			"/DeleteUrgentMedicalAidAttestationResponse/AttestationNumber", schema.ReasonUnexpected},
		{"an error detail without its code is refused", d + "send-response-refused.xml",
			removeElement("Status/StatusDetail/RegistryStatus/ErrorDetail/Code"),
			"/SendUrgentMedicalAidAttestationResponse/Status/StatusDetail/RegistryStatus/ErrorDetail/Code", schema.ReasonMissing},
		{"an error message without its language is refused", d + "send-response-refused.xml",
			func(t *testing.T, root *etree.Element) {
				m := child(t, root, "Status/StatusDetail/RegistryStatus/ErrorDetail/Message")
				m.RemoveAttr("xml:lang")
			}, "/SendUrgentMedicalAidAttestationResponse/Status/StatusDetail/RegistryStatus/ErrorDetail/Message/@lang", schema.ReasonMissingAttr},
		{"an attestation in a search answer without its number is refused", d + "search-response.xml",
			removeElement("Attestation/AttestationNumber"), "/SearchUrgentMedicalAidAttestationResponse/Attestation/AttestationNumber", schema.ReasonMissing},
	}
	lint, haveLint := needtool.Optional(t, "xmllint")
	s := runtimeSchema(t, umaXSD)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			doc := readDoc(t, c.file)
			c.breakIt(t, doc.Root())
			e := schemaError(t, s.Validate(doc.Root()))
			if e == nil || e.Path != c.wantPath || e.Reason != c.wantReason {
				t.Errorf("runtime validator: got %v, want %s: %s", e, c.wantPath, c.wantReason)
			}
			if !haveLint {
				return
			}
			for _, xsd := range umaSchemas(t) {
				if xmllintValid(t, lint, xsd, docBytes(t, doc)) {
					t.Errorf("xmllint with %s accepts the broken copy", xsd)
				}
			}
		})
	}
}

// umaActions are the service's own SOAPActions, misspelling included
// (shared/reference/mediprima-wire.md §1.1; the eHealth connector's MediprimaUmaServiceImpl).
var umaActions = map[string]string{
	"sendUrgentMedicalAidAttestation":   "urn:be:fgov:ehealth:mediprima:uma:protocol:v1:sendMedicalEmergencyAttestion",
	"searchUrgentMedicalAidAttestation": "urn:be:fgov:ehealth:mediprima:uma:protocol:v1:searchMedicalEmergencyAttestion",
	"deleteUrgentMedicalAidAttestation": "urn:be:fgov:ehealth:mediprima:uma:protocol:v1:deleteMedicalEmergencyAttestion",
}

func TestTheUMAContractBindsItsThreeOperationsWithTheServicesOwnSOAPActions(t *testing.T) {
	root := embeddedDoc(t, umaWSDL).Root()
	globals := map[string]bool{}
	for _, e := range children(embeddedDoc(t, umaXSD).Root(), xsNS, "element") {
		globals[e.SelectAttrValue("name", "")] = true
	}
	messages := map[string]string{}
	for _, m := range children(root, wsdlNS, "message") {
		for _, p := range children(m, wsdlNS, "part") {
			el := strings.TrimPrefix(p.SelectAttrValue("element", ""), "tns:")
			if !globals[el] {
				t.Errorf("message %s names %s, not a global element of %s", m.SelectAttrValue("name", ""), el, umaXSD)
			}
			messages[m.SelectAttrValue("name", "")] = el
		}
	}
	ops := wsdlOperations(t, umaWSDL)
	if len(ops) != len(umaActions) {
		t.Fatalf("operations %v, want the three of UMA v1", ops)
	}
	for _, pt := range children(root, wsdlNS, "portType") {
		for _, op := range children(pt, wsdlNS, "operation") {
			name := op.SelectAttrValue("name", "")
			root := strings.ToUpper(name[:1]) + name[1:]
			for dir, suffix := range map[string]string{"input": "Request", "output": "Response"} {
				io := children(op, wsdlNS, dir)
				if len(io) != 1 || messages[strings.TrimPrefix(io[0].SelectAttrValue("message", ""), "tns:")] != root+suffix {
					t.Errorf("%s: %s is not the element %s%s", name, dir, root, suffix)
				}
			}
		}
	}
	bindings := children(root, wsdlNS, "binding")
	if len(bindings) != 1 || len(children(bindings[0], soap11NS, "binding")) != 1 {
		t.Fatalf("want one SOAP 1.1 binding, as eHealth publishes it; got %d bindings", len(bindings))
	}
	b := bindings[0]
	if refs := children(b, "http://www.w3.org/ns/ws-policy", "PolicyReference"); len(refs) != 1 || refs[0].SelectAttrValue("URI", "") != "#X509Signed" {
		t.Error("the binding does not reference the X.509 signature policy")
	}
	bound := map[string]string{}
	for _, op := range children(b, wsdlNS, "operation") {
		name := op.SelectAttrValue("name", "")
		for _, so := range children(op, soap11NS, "operation") {
			bound[name] = so.SelectAttrValue("soapAction", "")
		}
		for _, dir := range []string{"input", "output"} {
			io := children(op, wsdlNS, dir)
			if len(io) != 1 || len(children(io[0], "http://www.w3.org/ns/ws-policy", "PolicyReference")) != 1 {
				t.Errorf("%s %s: no signed-body policy", name, dir)
			}
		}
	}
	for op, want := range umaActions {
		if bound[op] != want {
			t.Errorf("operation %s has SOAPAction %q, want %q", op, bound[op], want)
		}
	}
	for _, svc := range children(root, wsdlNS, "service") {
		for _, port := range children(svc, wsdlNS, "port") {
			for _, a := range port.ChildElements() {
				if a.Tag == "address" && !strings.HasSuffix(a.SelectAttrValue("location", ""), "/MediPrima/UMA/v1") {
					t.Errorf("port %s is at %s, want /MediPrima/UMA/v1", port.SelectAttrValue("name", ""), a.SelectAttrValue("location", ""))
				}
			}
		}
	}
}
