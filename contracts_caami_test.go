package carmed_test

import (
	"bytes"
	"encoding/xml"
	"io/fs"
	"path/filepath"
	"testing"

	"github.com/beevik/etree"
	"github.com/carmed/carmed"
	"github.com/carmed/carmed/gen/caami"
	"github.com/carmed/carmed/internal/needtool"
)

// The CAAMI contract (rules.md §11, §12) and the CPAS statements operations (now in the CPAS
// schema): these tests hold them to the conventions of the other contracts.
const (
	caamiXSD      = "xsd/carmed-caami-v1.xsd"
	caamiNS       = "urn:carmed:caami:v1"
	statementsXSD = "xsd/carmed-cpas-v1.xsd"
)

var caamiFixtureSets = []struct{ glob, xsd string }{
	{"testdata/caami/requests/*.xml", caamiXSD},
	{"testdata/caami/statements/*.xml", statementsXSD},
}

// caamiAnswers show the face what to build: one answer per shape, valid for both validators.
var caamiAnswers = []struct{ name, xsd, xml string }{
	{"sendInvoicesResponse", caamiXSD, `<tns:sendInvoicesResponse xmlns:tns="urn:carmed:caami:v1">
  <informationCustomer><ticket>CHR-2025-11-0001</ticket><timestampSent>2025-11-28T16:00:00Z</timestampSent>
    <customerIdentification><nihiiNumber>71012345</nihiiNumber></customerIdentification></informationCustomer>
  <informationCBSS><ticketCBSS>00000000-0000-4000-8000-000000000000</ticketCBSS>
    <timestampReceive>2025-11-28T16:00:01Z</timestampReceive><timestampReply>2025-11-28T16:00:01Z</timestampReply></informationCBSS>
  <status><value>DATA_FOUND</value><code>OK</code><description>2 lines accepted, 1 rejected</description></status>
  <send><sendId>CHR-2025-11-0001</sendId><acceptedLines>2</acceptedLines><rejectedLines>1</rejectedLines>
    <amountPaid>53000</amountPaid><paymentDate>2025-11-28</paymentDate></send>
  <line><invoiceRef>ADM-25-0042</invoiceRef><lineRef>ADM-25-0042/1</lineRef><result>ACCEPTED</result>
    <decision><carmedNumber>000000000001</carmedNumber><versionNumber>1</versionNumber><cpasCbe>0212345668</cpasCbe></decision>
    <tarification><fee>5000</fee><amiPart>5000</amiPart><patientPart>0</patientPart><supplements>0</supplements>
      <refundCode>1</refundCode><statePercentage><zivAmiPart>100</zivAmiPart><patientPart>100</patientPart></statePercentage>
      <stateAmiPart>5000</stateAmiPart><statePatientPart>0</statePatientPart><statePart>5000</statePart>
      <cpasPart>0</cpasPart><patientPays>0</patientPays><cpasConditional>false</cpasConditional></tarification></line>
  <line><invoiceRef>ADM-25-0042</invoiceRef><lineRef>ADM-25-0042/2</lineRef><result>ACCEPTED</result>
    <decision><carmedNumber>000000000001</carmedNumber><versionNumber>1</versionNumber><cpasCbe>0212345668</cpasCbe></decision>
    <tarification><fee>48000</fee><amiPart>46200</amiPart><patientPart>1800</patientPart><supplements>2500</supplements>
      <refundCode>1</refundCode><statePercentage><zivAmiPart>100</zivAmiPart><patientPart>100</patientPart></statePercentage>
      <stateAmiPart>46200</stateAmiPart><statePatientPart>1800</statePatientPart><statePart>48000</statePart>
      <cpasPart>0</cpasPart><patientPays>2500</patientPays><cpasConditional>false</cpasConditional></tarification></line>
  <line><invoiceRef>AMB-25-0107</invoiceRef><lineRef>AMB-25-0107/1</lineRef><result>REJECTED</result>
    <message><severity>ERROR</severity><reasonCode>UMA_MISSING</reasonCode><ruleId>R-CAAMI-UMA</ruleId>
      <communication lang="fr">Attestation d'aide médicale urgente manquante</communication>
      <communication lang="nl">Attest dringende medische hulp ontbreekt</communication>
      <information><fieldName>careDate</fieldName><fieldValue>2025-11-24</fieldValue></information></message></line>
</tns:sendInvoicesResponse>`},
	{"tarifyResponse", caamiXSD, `<tns:tarifyResponse xmlns:tns="urn:carmed:caami:v1">
  <informationCustomer><ticket>demo-tarify-0001</ticket><timestampSent>2025-11-20T09:00:00Z</timestampSent>
    <customerIdentification><nihiiNumber>19912345004</nihiiNumber></customerIdentification></informationCustomer>
  <informationCBSS><ticketCBSS>00000000-0000-4000-8000-000000000001</ticketCBSS>
    <timestampReceive>2025-11-20T09:00:00Z</timestampReceive><timestampReply>2025-11-20T09:00:00Z</timestampReply></informationCBSS>
  <status><value>DATA_FOUND</value><code>OK</code></status>
  <line><lineRef>C-0001</lineRef><result>ACCEPTED</result>
    <decision><carmedNumber>000000000002</carmedNumber><versionNumber>1</versionNumber><cpasCbe>0212345668</cpasCbe></decision>
    <tarification><fee>3100</fee><amiPart>2700</amiPart><patientPart>400</patientPart><supplements>0</supplements>
      <refundCode>2</refundCode><statePercentage><zivAmiPart>100</zivAmiPart><patientPart>0</patientPart></statePercentage>
      <stateAmiPart>2700</stateAmiPart><statePatientPart>0</statePatientPart><statePart>2700</statePart>
      <cpasPart>0</cpasPart><patientPays>400</patientPays><cpasConditional>false</cpasConditional></tarification>
    <gpRoute><route>MEDIPRIMA</route><reason>MANDATORY</reason></gpRoute></line>
  <line><result>REJECTED</result>
    <message><severity>ERROR</severity><reasonCode>GP_EXCEPTION</reasonCode><ruleId>R-GP-ROUTE</ruleId>
      <communication lang="fr">Exception non applicable</communication><communication lang="nl">Uitzondering niet van toepassing</communication>
      <information><fieldName>exception</fieldName><fieldValue>AGE_67</fieldValue></information></message></line>
</tns:tarifyResponse>`},
	{"consultPaymentsResponse", caamiXSD, `<tns:consultPaymentsResponse xmlns:tns="urn:carmed:caami:v1">
  <informationCustomer><ticket>CHR-pay-0001</ticket><timestampSent>2025-12-02T09:00:00Z</timestampSent>
    <customerIdentification><nihiiNumber>71012345</nihiiNumber></customerIdentification></informationCustomer>
  <informationCBSS><ticketCBSS>00000000-0000-4000-8000-000000000002</ticketCBSS>
    <timestampReceive>2025-12-02T09:00:00Z</timestampReceive><timestampReply>2025-12-02T09:00:00Z</timestampReply></informationCBSS>
  <status><value>DATA_FOUND</value><code>OK</code></status>
  <payment><sendId>CHR-2025-11-0001</sendId><paymentDate>2025-11-28</paymentDate><amountPaid>53000</amountPaid>
    <acceptedLines>2</acceptedLines><rejectedLines>1</rejectedLines>
    <rejectedLine><invoiceRef>AMB-25-0107</invoiceRef><lineRef>AMB-25-0107/1</lineRef><reasonCode>UMA_MISSING</reasonCode></rejectedLine></payment>
  <totalPaid>53000</totalPaid>
</tns:consultPaymentsResponse>`},
	{"caamiFault", caamiXSD, `<tns:caamiFault xmlns:tns="urn:carmed:caami:v1">
  <informationCBSS><ticketCBSS>00000000-0000-4000-8000-000000000003</ticketCBSS>
    <timestampReceive>2025-12-02T09:00:00Z</timestampReceive><timestampReply>2025-12-02T09:00:00Z</timestampReply></informationCBSS>
  <error><severity>FATAL</severity><reasonCode>SCHEMA</reasonCode><diagnostic>the request does not match the schema</diagnostic></error>
</tns:caamiFault>`},
	{"getStatementResponse", statementsXSD, `<tns:getStatementResponse xmlns:tns="urn:carmed:cpas:v1">
  <informationCustomer><ticket>namur-statement-2025-11</ticket><timestampSent>2025-12-02T09:00:00Z</timestampSent>
    <customerIdentification><cbeNumber>0212345668</cbeNumber></customerIdentification></informationCustomer>
  <informationCBSS><ticketCBSS>00000000-0000-4000-8000-000000000004</ticketCBSS>
    <timestampReceive>2025-12-02T09:00:00Z</timestampReceive><timestampReply>2025-12-02T09:00:00Z</timestampReply></informationCBSS>
  <status><value>DATA_FOUND</value><code>OK</code></status>
  <statement><month>2025-11</month><format>XLSX</format><closingDate>2025-12-01</closingDate>
    <invoices>2</invoices><lines>3</lines><statePart>56200</statePart><cpasPart>0</cpasPart></statement>
  <file><fileName>carmed-statement-0212345668-2025-11.xlsx</fileName>
    <mediaType>application/vnd.openxmlformats-officedocument.spreadsheetml.sheet</mediaType><content>UEsDBA==</content></file>
</tns:getStatementResponse>`},
	{"listStatementsResponse refused", statementsXSD, `<tns:listStatementsResponse xmlns:tns="urn:carmed:cpas:v1">
  <informationCustomer><ticket>namur-statements-0001</ticket><timestampSent>2025-12-02T09:00:00Z</timestampSent>
    <customerIdentification><cbeNumber>0212345668</cbeNumber></customerIdentification></informationCustomer>
  <informationCBSS><ticketCBSS>00000000-0000-4000-8000-000000000005</ticketCBSS>
    <timestampReceive>2025-12-02T09:00:00Z</timestampReceive><timestampReply>2025-12-02T09:00:00Z</timestampReply></informationCBSS>
  <status><value>NO_RESULT</value><code>MONTH_OPEN</code></status>
  <message><severity>ERROR</severity><reasonCode>MONTH_OPEN</reasonCode><ruleId>R-DECOMPTE</ruleId>
    <communication lang="fr">Mois non clôturé</communication><communication lang="nl">Maand niet afgesloten</communication></message>
</tns:listStatementsResponse>`},
}

func caamiFixtures(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, s := range caamiFixtureSets {
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

func TestEveryCaamiFixtureAndAnswerIsValidForBothValidators(t *testing.T) {
	lint := needTool(t, "xmllint")
	docs := map[string][2]string{} // name → xsd, xml
	for f, xsd := range caamiFixtures(t) {
		b := docBytes(t, readDoc(t, f))
		docs[f] = [2]string{xsd, string(b)}
	}
	for _, a := range caamiAnswers {
		docs[a.name] = [2]string{a.xsd, a.xml}
	}
	for name, d := range docs {
		t.Run(name, func(t *testing.T) {
			doc := parseDoc(t, []byte(d[1]))
			if err := runtimeSchema(t, d[0]).Validate(doc.Root()); err != nil {
				t.Errorf("runtime validator: %v", err)
			}
			if !xmllintValid(t, lint, d[0], []byte(d[1])) {
				t.Error("xmllint refuses it")
			}
		})
	}
}

func TestBothValidatorsRefuseABrokenCopyOfEachCaamiFixture(t *testing.T) {
	const c, s = "testdata/caami/requests/", "testdata/caami/statements/"
	cases := []struct {
		name, file string
		breakIt    func(t *testing.T, root *etree.Element)
	}{
		{"an invoice line without the provider's line reference is refused", c + "send-invoices.xml",
			removeElement("invoice/line/lineRef")},
		{"a care type outside the eight covers is refused", c + "send-invoices.xml", setText("invoice/line/careType", "dentist")},
		{"a nomenclature code of five digits is refused", c + "tarify.xml", setText("line/nomenclatureCode", "10101")},
		{"a negative fee is refused", c + "send-invoices.xml", setText("invoice/line/fee", "-1")},
		{"an unknown GP exception is refused", c + "tarify.xml",
			func(_ *testing.T, root *etree.Element) { root.FindElement("//gpException").SetText("TIRED") }},
		{"an invoice without its debtor CPAS is refused", c + "send-invoices.xml", removeElement("invoice/cpasCbe")},
		{"a payment selection by send and by period at once is refused", c + "consult-payments-by-send.xml",
			func(t *testing.T, root *etree.Element) {
				p := child(t, root, "selection").CreateElement("period")
				p.CreateElement("startDate").SetText("2025-11-01")
				p.CreateElement("endDate").SetText("2025-11-30")
			}},
		{"a provider identified by both a NIHII and a CBE number is refused", c + "tarify.xml",
			func(t *testing.T, root *etree.Element) {
				child(t, root, "informationCustomer/customerIdentification").CreateElement("cbeNumber").SetText("0212345668")
			}},
		{"a thirteenth month is refused", s + "get-statement.xml", setText("month", "2025-13")},
	}
	lint, haveLint := needtool.Optional(t, "xmllint")
	all := caamiFixtures(t)
	for _, k := range cases {
		t.Run(k.name, func(t *testing.T) {
			xsd, ok := all[k.file]
			if !ok {
				t.Fatalf("%s is not a known fixture", k.file)
			}
			doc := readDoc(t, k.file)
			k.breakIt(t, doc.Root())
			if err := runtimeSchema(t, xsd).Validate(doc.Root()); err == nil {
				t.Error("the runtime validator accepts the broken copy")
			}
			if haveLint && xmllintValid(t, lint, xsd, docBytes(t, doc)) {
				t.Error("xmllint accepts the broken copy")
			}
		})
	}
}

var caamiPayloadTypes = map[string]func() any{
	"tarifyRequest":           func() any { return new(caami.TarifyRequest) },
	"tarifyResponse":          func() any { return new(caami.TarifyResponse) },
	"sendInvoicesRequest":     func() any { return new(caami.SendInvoicesRequest) },
	"sendInvoicesResponse":    func() any { return new(caami.SendInvoicesResponse) },
	"consultPaymentsRequest":  func() any { return new(caami.ConsultPaymentsRequest) },
	"consultPaymentsResponse": func() any { return new(caami.ConsultPaymentsResponse) },
	"caamiFault":              func() any { return new(caami.CaamiFault) },
}

// TestEveryCaamiPayloadSurvivesATripThroughGen: gen/caami matches the schema element for element.
func TestEveryCaamiPayloadSurvivesATripThroughGen(t *testing.T) {
	docs := map[string]*etree.Document{}
	for f, xsd := range caamiFixtures(t) {
		if xsd == caamiXSD {
			docs[f] = readDoc(t, f)
		}
	}
	for _, a := range caamiAnswers {
		if a.xsd == caamiXSD {
			docs[a.name] = parseDoc(t, []byte(a.xml))
		}
	}
	for name, doc := range docs {
		t.Run(name, func(t *testing.T) {
			root := doc.Root()
			mk, ok := caamiPayloadTypes[root.Tag]
			if !ok {
				t.Fatalf("no gen type for %s", root.Tag)
			}
			v := mk()
			if err := xml.Unmarshal(docBytes(t, doc), v); err != nil {
				t.Fatalf("decode: %v", err)
			}
			var buf bytes.Buffer
			start := xml.StartElement{Name: xml.Name{Local: "tns:" + root.Tag},
				Attr: []xml.Attr{{Name: xml.Name{Local: "xmlns:tns"}, Value: root.NamespaceURI()}}}
			if err := xml.NewEncoder(&buf).EncodeElement(v, start); err != nil {
				t.Fatalf("encode: %v", err)
			}
			if d := sameTree(root, parseDoc(t, buf.Bytes()).Root(), ""); d != "" {
				t.Fatalf("differs at %s after the trip:\n%s", d, buf.Bytes())
			}
		})
	}
}

func TestEveryCaamiOperationHasARequestFixture(t *testing.T) {
	have := map[string]bool{}
	for f := range caamiFixtures(t) {
		have[readDoc(t, f).Root().Tag] = true
	}
	for _, op := range wsdlOperations(t, "wsdl/carmed-caami-v1.wsdl") {
		if !have[op+"Request"] {
			t.Errorf("no request fixture for the CAAMI operation %s", op)
		}
	}
	for _, op := range []string{"listStatements", "getStatement"} {
		if !have[op+"Request"] {
			t.Errorf("no request fixture for the CPAS statements operation %s", op)
		}
	}
}

// TestTheCaamiContractRequiresTheSameSignaturesAsTheOthers: its WS-SecurityPolicy is the harness
// contract's, word for word (a provider stack configures itself from it the same way).
func TestTheCaamiContractRequiresTheSameSignaturesAsTheOthers(t *testing.T) {
	policies := func(file string) string {
		root := embeddedDoc(t, file).Root()
		var out bytes.Buffer
		for _, e := range root.ChildElements() {
			if e.Tag == "Policy" {
				d := etree.NewDocument()
				d.SetRoot(e.Copy())
				b, _ := d.WriteToBytes()
				out.Write(b)
			}
		}
		if out.Len() == 0 {
			t.Fatalf("%s has no wsp:Policy", file)
		}
		return out.String()
	}
	if policies("wsdl/carmed-caami-v1.wsdl") != policies("wsdl/carmed-harness-v1.wsdl") {
		t.Fatal("the CAAMI WSDL's policies differ from the harness WSDL's")
	}
	b, err := fs.ReadFile(carmed.Contracts, "wsdl/carmed-caami-v1.wsdl")
	if err != nil || !bytes.Contains(b, []byte(`<wsp:PolicyReference URI="#X509Signed"/>`)) {
		t.Fatal("the CAAMI bindings do not reference the X509Signed policy")
	}
}
