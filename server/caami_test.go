package server_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/beevik/etree"

	"github.com/carmed/carmed/agreement"
	"github.com/carmed/carmed/client"
	"github.com/carmed/carmed/pki"
	"github.com/carmed/carmed/rules"
	"github.com/carmed/carmed/store"
)

// The CAAMI face (rules.md §11, §12) through the signed pipeline: a CPAS creates a decision for
// Adam (illegal stay: refund code 1, urgent medical aid), the hospital and the GP tarify and
// invoice care of November 2025, and each control answers its reason code.

const (
	caamiPath   = "/caami/v1"
	adam        = "85031412302" // ILLEGAL in the demo registry: AMU, refund code 1
	nobody      = "80090913676" // known to the registry, no decision
	caamiToday  = "2025-11-28"
	hospital    = pki.PartyHospitalCHR
	gp          = pki.PartyGPDupont
	hospitalID  = pki.DemoNIHIIHospitalCHR
	gpID        = pki.DemoNIHIIGPDupont
	namurCBE    = pki.DemoCBENamur
	liegeCBE    = pki.DemoCBELiege
	createStart = "2025-11-01"
	createEnd   = "2026-01-31"
)

// line is one invoice line of a test send; zero amounts take the tariff's.
type line struct {
	ref, date, careType, code string
	fee, ami, patient         int64
	refund                    int
	agreement                 string
	extra                     string // raw elements after refundCode (statePercentage …)
}

type invoice struct {
	ref, ssin, cpas string
	lines           []line
}

// tariff amounts of the demo table, so a line states what the tariff gives unless a test says otherwise.
func (l line) amounts() (int64, int64, int64) {
	if l.fee != 0 || l.ami != 0 || l.patient != 0 {
		return l.fee, l.ami, l.patient
	}
	tf, ok := rules.DefaultTariffTable().Lookup(l.code)
	if !ok {
		return 1000, 800, 200
	}
	return tf.Fee, tf.AmiPart(), tf.PatientPart
}

func customer(ticket, provider string) string {
	return `<informationCustomer><ticket>` + ticket + `</ticket><timestampSent>2025-11-28T09:00:00Z</timestampSent>` +
		`<customerIdentification><nihiiNumber>` + provider + `</nihiiNumber></customerIdentification></informationCustomer>` +
		`<legalContext>MEDIPRIMA:INVOICE</legalContext>`
}

// sendXML is a sendInvoicesRequest for provider under ticket.
func sendXML(ticket, provider string, invs ...invoice) string {
	var b strings.Builder
	b.WriteString(`<caami:sendInvoicesRequest xmlns:caami="urn:carmed:caami:v1">` + customer(ticket, provider))
	for _, inv := range invs {
		fmt.Fprintf(&b, `<invoice><invoiceRef>%s</invoiceRef><ssin>%s</ssin><cpasCbe>%s</cpasCbe>`, inv.ref, inv.ssin, inv.cpas)
		for _, l := range inv.lines {
			fee, ami, pat := l.amounts()
			fmt.Fprintf(&b, `<line><lineRef>%s</lineRef><careDate>%s</careDate><careType>%s</careType><nomenclatureCode>%s</nomenclatureCode>`+
				`<fee>%d</fee><amiPart>%d</amiPart><patientPart>%d</patientPart><refundCode>%d</refundCode>%s`,
				l.ref, l.date, l.careType, l.code, fee, ami, pat, l.refund, l.extra)
			if l.agreement != "" {
				b.WriteString(`<agreementNumber>` + l.agreement + `</agreementNumber>`)
			}
			b.WriteString(`</line>`)
		}
		b.WriteString(`</invoice>`)
	}
	b.WriteString(`</caami:sendInvoicesRequest>`)
	return b.String()
}

// tarifyXML asks the tariff of lines for ssin; extra is raw elements per line (gpException …).
func tarifyXML(ticket, provider, ssin string, ls ...line) string {
	var b strings.Builder
	b.WriteString(`<caami:tarifyRequest xmlns:caami="urn:carmed:caami:v1">` + customer(ticket, provider) + `<ssin>` + ssin + `</ssin>`)
	for _, l := range ls {
		fmt.Fprintf(&b, `<line><careDate>%s</careDate><careType>%s</careType><nomenclatureCode>%s</nomenclatureCode>%s</line>`,
			l.date, l.careType, l.code, l.extra)
	}
	b.WriteString(`</caami:tarifyRequest>`)
	return b.String()
}

func paymentsXML(ticket, provider, selection string) string {
	return `<caami:consultPaymentsRequest xmlns:caami="urn:carmed:caami:v1">` + customer(ticket, provider) +
		`<selection>` + selection + `</selection></caami:consultPaymentsRequest>`
}

// hospLine is an admission day of Adam's, stated as the tariff and the decision give it.
func hospLine(ref, date string) line {
	return line{ref: ref, date: date, careType: "hospitalization", code: "768003", refund: 1}
}

// caamiEnv is a gateway on 2025-11-28 where CPAS Namur has decided for Adam from 2025-11-01 to
// 2026-01-31 (doctor, hospitalisation, ambulatory care, drugs); attested adds his urgent medical
// aid attestation for November.
func caamiEnv(t testing.TB, attested bool) *env {
	t.Helper()
	e := newEnv(t, func(o *envOpt) { o.today = rules.MustDate(caamiToday) })
	a := e.call("cpas-namur", demoFile("create.xml"), map[string]string{"ticket": "caami-create-1",
		"decisionDate": caamiToday, "startDate": createStart, "endDate": createEnd})
	if a.StatusValue != "DATA_FOUND" {
		t.Fatalf("create: %s/%s", a.StatusValue, a.Code)
	}
	if attested {
		e.attest(adam, "2025-11-01", "2025-11-30")
	}
	return e
}

// attest stores an urgent medical aid attestation as the UMA face would (the GP's).
func (e *env) attest(ssin, from, to string) {
	e.t.Helper()
	err := e.st.Update(func(w store.Writer) error {
		at := rules.Attestation{SSIN: ssin, Period: rules.Period{Start: rules.MustDate(from), End: rules.MustDate(to)},
			Author: gpID, AuthorKind: rules.ProviderDoctor, SentOn: rules.MustDate(caamiToday)}
		return w.PutAttestation(&at)
	})
	if err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) caami(party, payload string) *client.Answer {
	e.t.Helper()
	return e.send(party, caamiPath, payload, nil)
}

// lineAnswers are the answer's line elements by lineRef.
func lineAnswers(t *testing.T, a *client.Answer) map[string]*etree.Element {
	t.Helper()
	out := map[string]*etree.Element{}
	for _, l := range a.Payload.SelectElements("line") {
		out[l.SelectElement("lineRef").Text()] = l
	}
	return out
}

// wantLine checks one line's result and, for a rejection, its reason code.
func wantLine(t *testing.T, a *client.Answer, ref, result, code string) *etree.Element {
	t.Helper()
	l := lineAnswers(t, a)[ref]
	if l == nil {
		t.Fatalf("no answer for line %s in %s", ref, payloadString(a))
	}
	got, gotCode := l.SelectElement("result").Text(), ""
	if m := l.FindElement("message[severity='ERROR']/reasonCode"); m != nil {
		gotCode = m.Text()
	}
	if got != result || gotCode != code {
		t.Fatalf("line %s: %s %s, want %s %s", ref, got, gotCode, result, code)
	}
	return l
}

func payloadString(a *client.Answer) string {
	s, _ := newDoc(a.Payload.Copy()).WriteToString()
	return s
}

func elText(el *etree.Element, path string) string {
	if x := el.FindElement(path); x != nil {
		return x.Text()
	}
	return ""
}

// issue makes the agreement number the provider face would have answered provider for Adam's
// decision 1 version 1, consulted on start.
func (e *env) issue(provider, start string) string {
	e.t.Helper()
	tok, err := e.ring.Issue(agreement.Claims{Number: "000000000001", Version: 1, Provider: provider,
		PeriodStart: rules.MustDate(start), Consulted: rules.MustDate(start)})
	if err != nil {
		e.t.Fatal(err)
	}
	return tok
}

// oneLine sends a single invoice line of Adam's to CPAS Namur as the hospital and answers it.
func (e *env) oneLine(ticket string, l line) *client.Answer {
	e.t.Helper()
	a := e.caami(hospital, sendXML(ticket, hospitalID, invoice{ref: "INV-" + ticket, ssin: adam, cpas: namurCBE, lines: []line{l}}))
	if a.StatusValue != "DATA_FOUND" || a.Code != "OK" {
		e.t.Fatalf("send %s: %s/%s, want DATA_FOUND/OK", ticket, a.StatusValue, a.Code)
	}
	return a
}

// TestCAAMIRules pins each control of §11 through the signed face: one accepting and one
// rejecting case per rule id, each rejection with its stable reason code.
func TestCAAMIRules(t *testing.T) {
	e := caamiEnv(t, true)
	n := 0
	ticket := func() string { n++; return fmt.Sprintf("rules-%d", n) }
	accepted := func(t *testing.T, l line) *etree.Element {
		t.Helper()
		return wantLine(t, e.oneLine(ticket(), l), l.ref, "ACCEPTED", "")
	}
	rejected := func(t *testing.T, l line, code string) {
		t.Helper()
		wantLine(t, e.oneLine(ticket(), l), l.ref, "REJECTED", code)
	}
	cases := []struct {
		name string
		run  func(t *testing.T)
	}{
		{"R-CAAMI-PATIENT/a line for a beneficiary with a decision is accepted", func(t *testing.T) { accepted(t, hospLine("P-1", "2025-11-20")) }},
		{"R-CAAMI-PATIENT/a line for a person without any decision is rejected", func(t *testing.T) {
			a := e.caami(hospital, sendXML(ticket(), hospitalID, invoice{ref: "I-P2", ssin: nobody, cpas: namurCBE,
				lines: []line{hospLine("P-2", "2025-11-20")}}))
			wantLine(t, a, "P-2", "REJECTED", rules.CodeLineNoPatient)
		}},
		{"R-CAAMI-PERIOD/care on the business date is accepted", func(t *testing.T) { accepted(t, hospLine("D-1", caamiToday)) }},
		{"R-CAAMI-PERIOD/care dated after the business date is rejected", func(t *testing.T) {
			rejected(t, hospLine("D-2", "2025-11-29"), rules.CodeCareFuture)
		}},
		{"R-CAAMI-PERIOD/care before the decision's start is rejected", func(t *testing.T) {
			rejected(t, hospLine("D-3", "2025-10-31"), rules.CodeCareUncovered)
		}},
		{"R-TARIFF/a line stated at the tariff's amounts is accepted with its parts", func(t *testing.T) {
			l := accepted(t, hospLine("T-1", "2025-11-21"))
			if elText(l, "tarification/statePart") != "48000" || elText(l, "tarification/patientPays") != "0" {
				t.Fatalf("tarification %s / %s, want the State to pay all 48000", elText(l, "tarification/statePart"), elText(l, "tarification/patientPays"))
			}
		}},
		{"R-TARIFF/a nomenclature code not in the tariff is rejected", func(t *testing.T) {
			rejected(t, line{ref: "T-2", date: "2025-11-21", careType: "hospitalization", code: "123456", refund: 1}, rules.CodeTariffUnknown)
		}},
		{"R-TARIFF/amounts that do not add up to the fee are rejected", func(t *testing.T) {
			rejected(t, line{ref: "T-3", date: "2025-11-21", careType: "hospitalization", code: "768003", fee: 48000, ami: 46000, patient: 1800, refund: 1},
				rules.CodeAmountsDiffer)
		}},
		{"R-CAAMI-CARE-TYPE/a hospital stay billed by a hospital is accepted", func(t *testing.T) { accepted(t, hospLine("C-1", "2025-11-22")) }},
		{"R-CAAMI-CARE-TYPE/paramedic care the decision does not cover is rejected", func(t *testing.T) {
			rejected(t, line{ref: "C-2", date: "2025-11-22", careType: "paramedic", code: "560011", refund: 1}, rules.CodeCareTypeNoCov)
		}},
		{"R-CAAMI-CARE-TYPE/a GP consultation billed by a hospital is rejected", func(t *testing.T) {
			rejected(t, line{ref: "C-3", date: "2025-11-22", careType: "doctor", code: "101010", refund: 1}, rules.CodeProviderKind)
		}},
		{"R-CAAMI-COVER-CODE/the governing version's refund code and percentages are accepted", func(t *testing.T) {
			l := hospLine("R-1", "2025-11-23")
			l.extra = `<statePercentage><zivAmiPart>100</zivAmiPart><patientPart>100</patientPart></statePercentage>`
			accepted(t, l)
		}},
		{"R-CAAMI-COVER-CODE/another refund code than the decision's is rejected", func(t *testing.T) {
			l := hospLine("R-2", "2025-11-23")
			l.refund = 2
			rejected(t, l, rules.CodeRefundMismatch)
		}},
		{"R-CAAMI-AGREEMENT/the hospital's own agreement number is accepted", func(t *testing.T) {
			l := hospLine("A-1", "2025-11-24")
			l.agreement = e.issue(hospitalID, "2025-11-10")
			accepted(t, l)
		}},
		{"R-CAAMI-AGREEMENT/another provider's agreement number is rejected", func(t *testing.T) {
			l := hospLine("A-2", "2025-11-24")
			l.agreement = e.issue(gpID, "2025-11-10")
			rejected(t, l, rules.CodeAgreementOther)
		}},
		{"R-CAAMI-AGREEMENT/a tampered agreement number is rejected", func(t *testing.T) {
			l := hospLine("A-3", "2025-11-24")
			tok := e.issue(hospitalID, "2025-11-10")
			l.agreement = tok[:len(tok)-1] + map[bool]string{true: "0", false: "1"}[tok[len(tok)-1] != '0']
			rejected(t, l, rules.CodeAgreementForged)
		}},
		{"R-INVOICE-SPLIT/an invoice to the deciding CPAS is accepted", func(t *testing.T) { accepted(t, hospLine("S-1", "2025-11-25")) }},
		{"R-INVOICE-SPLIT/an invoice to another CPAS is rejected", func(t *testing.T) {
			a := e.caami(hospital, sendXML(ticket(), hospitalID, invoice{ref: "I-S2", ssin: adam, cpas: liegeCBE,
				lines: []line{hospLine("S-2", "2025-11-25")}}))
			wantLine(t, a, "S-2", "REJECTED", rules.CodeCPASSplit)
		}},
		{"R-INVOICE-ONCE/a reference twice in one send is rejected the second time", func(t *testing.T) {
			a := e.caami(hospital, sendXML(ticket(), hospitalID, invoice{ref: "I-O1", ssin: adam, cpas: namurCBE,
				lines: []line{hospLine("O-1", "2025-11-26"), hospLine("O-1", "2025-11-27")}}))
			ls := a.Payload.SelectElements("line")
			if len(ls) != 2 || elText(ls[0], "result") != "ACCEPTED" || elText(ls[1], "result") != "REJECTED" ||
				elText(ls[1], "message/reasonCode") != rules.CodeLineTwice {
				t.Fatalf("want the first accepted and the second LINE_TWICE: %s", payloadString(a))
			}
		}},
		{"R-INVOICE-ONCE/a line already accepted and sent again in a new send is rejected", func(t *testing.T) {
			rejected(t, hospLine("O-1", "2025-11-26"), rules.CodeLinePaid)
		}},
		{"R-INVOICE-2Y/care within two years is accepted", func(t *testing.T) { accepted(t, hospLine("Y-1", "2025-11-03")) }},
		{"R-INVOICE-2Y/care more than two years before the send is rejected", func(t *testing.T) {
			rejected(t, hospLine("Y-2", "2023-11-27"), rules.CodeCareTooOld)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, tc.run)
	}
}

// TestCAAMIUrgentMedicalAid: R-CAAMI-UMA needs an attestation valid on the care date.
func TestCAAMIUrgentMedicalAid(t *testing.T) {
	e := caamiEnv(t, false)
	t.Run("R-CAAMI-UMA/care without an attestation is rejected", func(t *testing.T) {
		wantLine(t, e.oneLine("uma-1", hospLine("U-1", "2025-11-20")), "U-1", "REJECTED", rules.CodeUMAMissing)
	})
	e.attest(adam, "2025-11-15", "2025-11-25")
	t.Run("R-CAAMI-UMA/the same line corrected after the attestation and sent again is accepted", func(t *testing.T) {
		wantLine(t, e.oneLine("uma-2", hospLine("U-1", "2025-11-20")), "U-1", "ACCEPTED", "")
	})
	t.Run("R-CAAMI-UMA/care outside the attestation's period is rejected", func(t *testing.T) {
		wantLine(t, e.oneLine("uma-3", hospLine("U-2", "2025-11-26")), "U-2", "REJECTED", rules.CodeUMAMissing)
	})
}
