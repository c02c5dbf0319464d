package carmed_test

import (
	"bytes"
	"encoding/xml"
	"strings"
	"testing"

	"github.com/beevik/etree"
	"github.com/carmed/carmed/gen"
	"github.com/carmed/carmed/gen/harness"
	"github.com/carmed/carmed/internal/needtool"
)

// answers are one full answer per new operation: they show the server side what to build and prove
// that the answer shapes are valid for both validators.
var answers = []struct{ name, xsd, xml string }{
	{"consultNoticesResponse", cpasXSD, `<tns:consultNoticesResponse xmlns:tns="urn:carmed:cpas:v1">
  <informationCustomer><ticket>demo-notices-0001</ticket><timestampSent>2026-12-01T09:00:00Z</timestampSent>
    <customerIdentification><cbeNumber>0212345668</cbeNumber></customerIdentification></informationCustomer>
  <informationCBSS><ticketCBSS>00000000-0000-4000-8000-000000000000</ticketCBSS>
    <timestampReceive>2026-12-01T09:00:00Z</timestampReceive><timestampReply>2026-12-01T09:00:00Z</timestampReply></informationCBSS>
  <status><value>DATA_FOUND</value><code>OK</code></status>
  <notice><noticeId>000000000003</noticeId><creationTime>2026-12-01T09:00:00Z</creationTime>
    <ssin>85031412302</ssin><carmedNumber>000000000001</carmedNumber><versionNumber>3</versionNumber>
    <status>SUSPENDED</status><cause>SITUATION</cause><mutationId>7</mutationId><effectiveDate>2026-12-15</effectiveDate>
    <suspension><reason>REFUND_CODE</reason><date>2026-12-15</date><oldRefundCode>1</oldRefundCode><newRefundCode>2</newRefundCode></suspension>
    <nextAction><action>ACTIVATE</action></nextAction>
    <nextAction><action>STOP</action><minStopDate>2026-12-14</minStopDate><maxStopDate>2026-12-14</maxStopDate></nextAction></notice>
  <notice><noticeId>000000000004</noticeId><creationTime>2026-12-01T09:00:00Z</creationTime>
    <ssin>83061500173</ssin><oldSsin>83261500119</oldSsin><carmedNumber>000000000002</carmedNumber><versionNumber>2</versionNumber>
    <status>ACTIVE</status><cause>SSIN</cause><mutationId>8</mutationId><effectiveDate>2026-12-01</effectiveDate></notice>
  <moreNotices>false</moreNotices>
</tns:consultNoticesResponse>`},
	{"loadRegistryResponse", harnessXSD, `<tns:loadRegistryResponse xmlns:tns="urn:carmed:harness:v1">
  <ticket>harness-load-0001</ticket><status><value>DATA_FOUND</value><code>OK</code></status>
  <loaded>2</loaded><unchanged>1</unchanged>
</tns:loadRegistryResponse>`},
	{"applyMutationResponse", harnessXSD, `<tns:applyMutationResponse xmlns:tns="urn:carmed:harness:v1">
  <ticket>harness-mut-sit-0001</ticket>
  <status><value>DATA_FOUND</value><code>OK</code><description>one decision suspended</description></status>
  <message><severity>WARNING</severity><reasonCode>MUT_SUSPENDED</reasonCode><ruleId>R-MUT-REFUND</ruleId>
    <communication lang="fr">Décision suspendue</communication><communication lang="nl">Beslissing geschorst</communication>
    <information><fieldName>carmedNumber</fieldName><fieldValue>000000000001</fieldValue></information></message>
  <mutation><mutationId>7</mutationId><kind>SITUATION</kind>
    <affected><carmedNumber>000000000001</carmedNumber><versionNumber>3</versionNumber><status>SUSPENDED</status>
      <managerCbe>0212345668</managerCbe><noticeId>000000000003</noticeId></affected></mutation>
</tns:applyMutationResponse>`},
	{"applyMutationResponse refused", harnessXSD, `<tns:applyMutationResponse xmlns:tns="urn:carmed:harness:v1">
  <ticket>harness-mut-ssin-0001</ticket><status><value>NO_RESULT</value><code>SSIN_UNKNOWN</code></status>
  <message><severity>ERROR</severity><reasonCode>SSIN_UNKNOWN</reasonCode><ruleId>R-MUT-SSIN</ruleId>
    <communication lang="fr">NISS inconnu</communication><communication lang="nl">INSZ onbekend</communication>
    <communication lang="en">Unknown SSIN</communication></message>
</tns:applyMutationResponse>`},
	{"setClockResponse", harnessXSD, `<tns:setClockResponse xmlns:tns="urn:carmed:harness:v1">
  <ticket>harness-clock-0001</ticket><status><value>DATA_FOUND</value><code>OK</code></status>
  <today>2026-12-01</today><frozen>true</frozen>
</tns:setClockResponse>`},
	{"listNoticesResponse", harnessXSD, `<tns:listNoticesResponse xmlns:tns="urn:carmed:harness:v1">
  <ticket>harness-notices-0001</ticket><status><value>DATA_FOUND</value><code>OK</code></status>
  <notice><noticeId>000000000005</noticeId><managerCbe>0212345668</managerCbe><creationTime>2026-11-20T10:00:00+01:00</creationTime>
    <ssin>65022827570</ssin><carmedNumber>000000000004</carmedNumber><versionNumber>2</versionNumber>
    <status>SUSPENDED</status><cause>DEATH</cause><mutationId>9</mutationId><effectiveDate>2026-11-20</effectiveDate>
    <suspension><reason>DEATH</reason><date>2026-11-21</date></suspension>
    <nextAction><action>STOP</action><minStopDate>2026-11-20</minStopDate><maxStopDate>2026-11-20</maxStopDate></nextAction>
    <nextAction><action>CLOSE</action></nextAction>
    <acknowledged>false</acknowledged></notice>
  <moreNotices>true</moreNotices>
</tns:listNoticesResponse>`},
	{"consultPersonResponse", harnessXSD, `<tns:consultPersonResponse xmlns:tns="urn:carmed:harness:v1">
  <ticket>harness-person-0001</ticket><status><value>DATA_FOUND</value><code>OK</code></status>
  <person><ssin>83261500119</ssin><lastName>Inconnu</lastName><firstName>Kim</firstName><birthDate>1983-06-15</birthDate>
    <situation><from>2020-01-01</from><kind>ILLEGAL</kind></situation>
    <situation><from>2026-12-01</from><kind>9TER</kind><residenceIns>92094</residenceIns></situation>
    <replacedBy>83061500173</replacedBy></person>
</tns:consultPersonResponse>`},
	{"verifyAgreementResponse", harnessXSD, `<tns:verifyAgreementResponse xmlns:tns="urn:carmed:harness:v1">
  <ticket>harness-agreement-0001</ticket><status><value>DATA_FOUND</value><code>OK</code></status>
  <agreement><carmedNumber>000000000001</carmedNumber><versionNumber>2</versionNumber><providerId>71000436</providerId>
    <periodStart>2026-12-01</periodStart><consultationDate>2026-12-01</consultationDate>
    <guaranteedFrom>2026-12-01</guaranteedFrom><guaranteedTo>2026-12-31</guaranteedTo><keyId>k1</keyId>
    <managerCbe>0212345668</managerCbe><ssin>85031412302</ssin><status>ACTIVE</status>
    <validityPeriod><beginDate>2026-12-01</beginDate><endDate>2027-02-28</endDate></validityPeriod>
    <refundCode>1</refundCode>
    <cover><kind>doctor</kind><beginDate>2026-12-01</beginDate><endDate>2027-02-28</endDate>
      <amiPart>FULL</amiPart><patientPart>PARTIAL</patientPart><supplement>NOTHING</supplement>
      <maxPatientPart>5000</maxPatientPart><provider>71000436</provider><provider>71000436001</provider></cover>
    <cover><kind>pharmaceuticalDrug</kind><beginDate>2026-12-01</beginDate><endDate>2027-02-28</endDate>
      <amiPart>FULL</amiPart><patientPart>FULL</patientPart><supplement>FULL</supplement><maxSupplement>1000</maxSupplement></cover>
    <statePart><hospitalization><amiPart>100</amiPart><patientPart>100</patientPart></hospitalization>
      <ambulatory><amiPart>100</amiPart><patientPart>100</patientPart></ambulatory>
      <other><amiPart>100</amiPart><patientPart>0</patientPart></other></statePart></agreement>
</tns:verifyAgreementResponse>`},
	{"harnessFault", harnessXSD, `<tns:harnessFault xmlns:tns="urn:carmed:harness:v1">
  <ticket>harness-load-0001</ticket>
  <error><severity>FATAL</severity><reasonCode>SCHEMA</reasonCode><diagnostic>the request does not match the schema</diagnostic></error>
</tns:harnessFault>`},
}

// withSuspensions is a golden decision answer whose content gets the given suspension elements, to
// show that a decision now carries every pending suspension.
func withSuspensions(t *testing.T, suspensions ...string) *etree.Document {
	t.Helper()
	doc := readDoc(t, "testdata/golden/cpas/close.xml")
	content := child(t, doc.Root(), "carmed/content")
	for _, s := range suspensions {
		content.AddChild(parseDoc(t, []byte(s)).Root())
	}
	return doc
}

const (
	refundSuspension = `<suspension><reason>REFUND_CODE</reason><date>2026-12-15</date><oldRefundCode>1</oldRefundCode><newRefundCode>2</newRefundCode></suspension>`
	overlap          = `<suspension><reason>SSIN_OVERLAP</reason><date>2027-01-10</date><oldSsin>83261500119</oldSsin></suspension>`
)

func TestEveryAnswerShapeIsValidForBothValidators(t *testing.T) {
	lint, haveLint := needtool.Optional(t, "xmllint")
	type sample struct {
		name, xsd string
		doc       *etree.Document
	}
	var samples []sample
	for _, a := range answers {
		samples = append(samples, sample{a.name, a.xsd, parseDoc(t, []byte(a.xml))})
	}
	samples = append(samples, sample{"a decision with a refund-code suspension then an SSIN overlap", cpasXSD,
		withSuspensions(t, refundSuspension, overlap)})
	for _, s := range samples {
		t.Run(s.name, func(t *testing.T) {
			if err := runtimeSchema(t, s.xsd).Validate(s.doc.Root()); err != nil {
				t.Errorf("runtime validator: %v", err)
			}
			if haveLint && !xmllintValid(t, lint, s.xsd, docBytes(t, s.doc)) {
				t.Error("xmllint refuses it")
			}
		})
	}
}

func TestASuspensionListsItsRefundCodesBeforeTheOldSsin(t *testing.T) {
	bad := `<suspension><reason>REFUND_CODE</reason><date>2026-12-15</date><newRefundCode>2</newRefundCode><oldRefundCode>1</oldRefundCode></suspension>`
	doc := withSuspensions(t, refundSuspension, bad)
	e := schemaError(t, runtimeSchema(t, cpasXSD).Validate(doc.Root()))
	if e == nil || e.Path != "/closeCarmedResponse/carmed/content/suspension/oldRefundCode" {
		t.Fatalf("got %v, want oldRefundCode after newRefundCode refused", e)
	}
}

// payloadTypes maps an operation element to its generated Go type.
var payloadTypes = map[string]func() any{
	"consultNoticesRequest":   func() any { return new(gen.ConsultNoticesRequest) },
	"consultNoticesResponse":  func() any { return new(gen.ConsultNoticesResponse) },
	"closeCarmedResponse":     func() any { return new(gen.CloseCarmedResponse) },
	"loadRegistryRequest":     func() any { return new(harness.LoadRegistryRequest) },
	"loadRegistryResponse":    func() any { return new(harness.LoadRegistryResponse) },
	"applyMutationRequest":    func() any { return new(harness.ApplyMutationRequest) },
	"applyMutationResponse":   func() any { return new(harness.ApplyMutationResponse) },
	"setClockRequest":         func() any { return new(harness.SetClockRequest) },
	"setClockResponse":        func() any { return new(harness.SetClockResponse) },
	"listNoticesRequest":      func() any { return new(harness.ListNoticesRequest) },
	"listNoticesResponse":     func() any { return new(harness.ListNoticesResponse) },
	"consultPersonRequest":    func() any { return new(harness.ConsultPersonRequest) },
	"consultPersonResponse":   func() any { return new(harness.ConsultPersonResponse) },
	"verifyAgreementRequest":  func() any { return new(harness.VerifyAgreementRequest) },
	"verifyAgreementResponse": func() any { return new(harness.VerifyAgreementResponse) },
	"harnessFault":            func() any { return new(harness.HarnessFault) },
	"createTenantRequest":     func() any { return new(harness.CreateTenantRequest) },
	"listTenantsRequest":      func() any { return new(harness.ListTenantsRequest) },
	"resetTenantRequest":      func() any { return new(harness.ResetTenantRequest) },
	"deleteTenantRequest":     func() any { return new(harness.DeleteTenantRequest) },
	// The CAAMI back office's months and statements.
	"closeMonthRequest":         func() any { return new(harness.CloseMonthRequest) },
	"setStatementFormatRequest": func() any { return new(harness.SetStatementFormatRequest) },
	"getSppFileRequest":         func() any { return new(harness.GetSppFileRequest) },
}

// sameTree compares two elements by local name, attributes, trimmed text and children in order;
// it returns the path of the first difference, or "".
func sameTree(a, b *etree.Element, at string) string {
	at += "/" + a.Tag
	if a.Tag != b.Tag || strings.TrimSpace(a.Text()) != strings.TrimSpace(b.Text()) {
		return at
	}
	attrs := func(e *etree.Element) string {
		var s []string
		for _, x := range e.Attr {
			if x.Space != "xmlns" && x.Key != "xmlns" {
				s = append(s, x.Key+"="+x.Value)
			}
		}
		return strings.Join(s, " ")
	}
	if attrs(a) != attrs(b) {
		return at + "/@"
	}
	ac, bc := a.ChildElements(), b.ChildElements()
	if len(ac) != len(bc) {
		return at + "/*"
	}
	for i := range ac {
		if d := sameTree(ac[i], bc[i], at); d != "" {
			return d
		}
	}
	return ""
}

// TestEveryNewPayloadSurvivesATripThroughGen decodes each fixture and answer into its gen/ type and
// encodes it again as the server does (prefixed root, unqualified children): nothing may be lost,
// reordered or added, so gen/ matches the schema element for element.
func TestEveryNewPayloadSurvivesATripThroughGen(t *testing.T) {
	docs := map[string]*etree.Document{}
	for f := range fixtures(t) {
		docs[f] = readDoc(t, f)
	}
	for _, a := range answers {
		docs[a.name] = parseDoc(t, []byte(a.xml))
	}
	docs["decision with suspensions"] = withSuspensions(t, refundSuspension, overlap)
	for name, doc := range docs {
		t.Run(name, func(t *testing.T) {
			root := doc.Root()
			mk, ok := payloadTypes[root.Tag]
			if !ok {
				t.Fatalf("no gen type for %s", root.Tag)
			}
			v := mk()
			if err := xml.Unmarshal(docBytes(t, doc), v); err != nil {
				t.Fatalf("decode: %v", err)
			}
			var buf bytes.Buffer
			enc := xml.NewEncoder(&buf)
			start := xml.StartElement{Name: xml.Name{Local: "tns:" + root.Tag},
				Attr: []xml.Attr{{Name: xml.Name{Local: "xmlns:tns"}, Value: root.NamespaceURI()}}}
			if err := enc.EncodeElement(v, start); err != nil {
				t.Fatalf("encode: %v", err)
			}
			again := parseDoc(t, buf.Bytes())
			if d := sameTree(root, again.Root(), ""); d != "" {
				t.Fatalf("differs at %s after the trip:\n%s", d, buf.Bytes())
			}
		})
	}
}
