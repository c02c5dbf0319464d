package server_test

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/beevik/etree"

	"github.com/carmed/carmed/client"
	"github.com/carmed/carmed/face"
	"github.com/carmed/carmed/face/uma"
	"github.com/carmed/carmed/pki"
	"github.com/carmed/carmed/rules"
	"github.com/carmed/carmed/store"
	"github.com/carmed/carmed/trust"
)

// The UMA face's fixtures, golden answers and the published eHealth schema (a test oracle read
// from ../shared beside the repository, never copied into it).
const (
	umaFixtures  = "../testdata/uma"
	umaGolden    = "../testdata/golden/uma"
	umaOurXSD    = "../xsd/ehealth-mediprima-uma-protocol-v1.xsd"
	umaOracleXSD = "../../shared/reference/ehealth-xsd/ehealth-mediprima-uma/XSD/ehealth-mediprima-uma-protocol-1_0.xsd"

	ssinAdam    = "85031412302" // demo registry, illegal stay
	ssinBea     = "90072224663" // demo registry
	ssinUnknown = "85010100115" // a valid SSIN the demo registry does not know
)

// uma signs a UMA fixture as party, after replacing each old text of edits (pairs) by the new
// one, and sends it with the SOAPAction carmed call derives.
func (e *env) uma(party, file string, edits ...string) *client.Answer {
	e.t.Helper()
	payload := strings.NewReplacer(edits...).Replace(readFixture(e.t, filepath.Join(umaFixtures, file)))
	a, err := e.clientAt(party, uma.Path).Call(context.Background(), []byte(payload), "")
	if err != nil {
		e.t.Fatalf("%s: %v", file, err)
	}
	return a
}

// umaValid validates a UMA answer with xmllint against our XSD and the eHealth one.
func umaValid(t *testing.T, a *client.Answer) {
	t.Helper()
	lint := needTool(t, "xmllint")
	f := filepath.Join(t.TempDir(), "answer.xml")
	if err := newDoc(a.Payload.Copy()).WriteToFile(f); err != nil {
		t.Fatal(err)
	}
	schemas := []string{umaOurXSD}
	if _, err := os.Stat(umaOracleXSD); err == nil {
		schemas = append(schemas, umaOracleXSD)
	} else {
		t.Logf("eHealth UMA oracle XSD absent (%s): our XSD only", umaOracleXSD)
	}
	for _, x := range schemas {
		if out, err := exec.Command(lint, "--noout", "--schema", x, f).CombinedOutput(); err != nil {
			t.Fatalf("answer does not validate against %s:\n%s\n%s", x, out, a.Raw)
		}
	}
}

// umaRefused checks a refusal: Requester/InvalidInput, the first message's French text as
// StatusMessage, and UMA's RegistryStatus naming the reason codes, from ECARMED, in fr and nl.
func umaRefused(t *testing.T, a *client.Answer, codes ...string) {
	t.Helper()
	umaValid(t, a)
	top, sub := statusURI(a)
	if top != face.EHealthRequester || sub != face.EHealthInvalid || a.Outcome != client.Rejected {
		t.Fatalf("status %s / %s, outcome %v, want Requester / InvalidInput:\n%s", top, sub, a.Outcome, a.Raw)
	}
	details := a.Payload.FindElements("Status/StatusDetail/RegistryStatus/ErrorDetail")
	if len(details) != len(codes) {
		t.Fatalf("%d ErrorDetail, want %d (%v):\n%s", len(details), len(codes), codes, a.Raw)
	}
	for i, d := range details {
		msgs := d.SelectElements("Message")
		if d.FindElement("Code").Text() != codes[i] || d.FindElement("Origin").Text() != "ECARMED" || len(msgs) != 2 ||
			msgs[0].SelectAttrValue("xml:lang", "") != "fr" || msgs[1].SelectAttrValue("xml:lang", "") != "nl" {
			t.Fatalf("ErrorDetail %d is not %s from ECARMED in fr and nl:\n%s", i, codes[i], a.Raw)
		}
	}
	// The client reads the first reason code into Answer.Code: what `carmed call` shows.
	if len(codes) > 0 && a.Code != codes[0] {
		t.Fatalf("client Answer.Code %q, want the first ErrorDetail code %s", a.Code, codes[0])
	}
	if want := rules.NewMessage(codes[0]).Fr; text(a, "Status/StatusMessage") != want[:min(len(want), 256)] {
		t.Fatalf("StatusMessage %q, want the first error's French text", text(a, "Status/StatusMessage"))
	}
	if a.Payload.FindElement("Attestion") != nil || a.Payload.FindElement("Attestation") != nil ||
		a.Payload.FindElement("AttestionNumber") != nil {
		t.Fatal("a refusal carries no attestation")
	}
}

// attestations reads a beneficiary's stored attestations, deleted ones included.
func (e *env) attestations(ssin string) []rules.Attestation {
	e.t.Helper()
	var out []rules.Attestation
	if err := e.st.View(func(r store.Reader) error {
		var err error
		out, err = r.AttestationsBySSIN(ssin)
		return err
	}); err != nil {
		e.t.Fatal(err)
	}
	return out
}

// attestationAudit reads the evidence of an attestation's send or delete.
func (e *env) attestationAudit(number string, ev store.AttestationEvent) store.Audit {
	e.t.Helper()
	var a store.Audit
	if err := e.st.View(func(r store.Reader) error {
		var err error
		a, err = r.AttestationAudit(number, ev)
		return err
	}); err != nil {
		e.t.Fatalf("%s audit of %s: %v", ev, number, err)
	}
	return a
}

// asDentist turns the GP's fixture author into the demo dentist.
var asDentist = []string{pki.DemoNIHIIGPDupont, pki.DemoNIHIIDentistMartin, "<core:FirstName>Jean</core:FirstName>", "",
	"<core:Name>Dupont</core:Name>", "<core:Name>Martin</core:Name>"}

func TestUMASend(t *testing.T) {
	e := newEnv(t)
	t.Run("R-UMA-SEND/a doctor's attestation is accepted", func(t *testing.T) {
		a := e.uma(pki.PartyGPDupont, "send-request.xml")
		umaValid(t, a)
		goldenIn(t, umaGolden, "send", a)
		if top, _ := statusURI(a); top != face.EHealthSuccess || a.Outcome != client.Success {
			t.Fatalf("status %s:\n%s", top, a.Raw)
		}
		if text(a, "Attestion/AttestationNumber") != "UMA000000000001" || text(a, "Attestion/ValidityPeriod/EndDate") != "2026-12-15" ||
			text(a, "Attestion/Author/HcParty/Id") != pki.DemoNIHIIGPDupont || text(a, "Attestion/BeneficiarySsin") != ssinAdam {
			t.Fatalf("the attestation is not shown back with its number:\n%s", a.Raw)
		}
		if a.Payload.SelectAttrValue("InResponseTo", "") != "R5b8e2f14-7c3a-4d1e-9f60-2a4b6c8d0e12" {
			t.Fatal("InResponseTo must echo the request Id")
		}
		atts := e.attestations(ssinAdam)
		if len(atts) != 1 || atts[0].Author != pki.DemoNIHIIGPDupont || atts[0].AuthorKind != rules.ProviderDoctor ||
			atts[0].Period.End.String() != "2026-12-15" || atts[0].Deleted {
			t.Fatalf("stored %+v", atts)
		}
		audit := e.attestationAudit("UMA000000000001", store.EventSend)
		if audit.Signer != pki.DemoNIHIIGPDupont || !bytes.Equal(audit.Response, a.Raw) ||
			!bytes.Contains(audit.Request, []byte("SendUrgentMedicalAidAttestationRequest")) {
			t.Fatalf("send audit: signer %s, response is the signed answer: %v", audit.Signer, bytes.Equal(audit.Response, a.Raw))
		}
	})
	t.Run("R-UMA-SEND/a dentist's attestation without an end is accepted for its start day", func(t *testing.T) {
		a := e.uma(pki.PartyDentistMartin, "send-request-one-day.xml", asDentist...)
		umaValid(t, a)
		goldenIn(t, umaGolden, "send-dentist-one-day", a)
		if text(a, "Attestion/AttestationNumber") != "UMA000000000002" || text(a, "Attestion/ValidityPeriod/StartDate") != "2026-12-01" ||
			text(a, "Attestion/ValidityPeriod/EndDate") != "2026-12-01" || a.Payload.FindElement("@InResponseTo") != nil {
			t.Fatalf("want the start day written as the end, and no InResponseTo:\n%s", a.Raw)
		}
		if atts := e.attestations(ssinBea); len(atts) != 1 || atts[0].AuthorKind != rules.ProviderDentist {
			t.Fatalf("stored %+v", atts)
		}
	})
	refusals := []struct {
		name, party, file string
		edits             []string
		code              string
		golden            string
	}{
		{"R-UMA-SEND/a pharmacist's attestation is refused", pki.PartyPharmacy, "send-request.xml",
			[]string{pki.DemoNIHIIGPDupont, pki.DemoNIHIIPharmacyCentrale}, rules.CodeUMANotDoctor, "send-refused-pharmacist"},
		{"R-UMA-SEND/a hospital's attestation is refused", pki.PartyHospitalCHR, "send-request.xml",
			[]string{pki.DemoNIHIIGPDupont, pki.DemoNIHIIHospitalCHR}, rules.CodeUMANotDoctor, ""},
		{"R-UMA-SEND/an author who is not the signer is refused", pki.PartyDentistMartin, "send-request.xml",
			nil, rules.CodeUMAAuthor, ""},
		{"R-UMA-SEND/an SSIN the registry does not know is refused", pki.PartyGPDupont, "send-request.xml",
			[]string{ssinAdam, ssinUnknown, "R5b8e2f14", "R1unknown"}, rules.CodePersonUnknown, "send-refused-unknown-ssin"},
		{"R-UMA-SEND/an end before the start is refused", pki.PartyGPDupont, "send-request.xml",
			[]string{"2026-12-15+01:00", "2026-11-30+01:00", "R5b8e2f14", "R1inverted"}, rules.CodePeriodInverted, "send-refused-end-before-start"},
	}
	for _, r := range refusals {
		t.Run(r.name, func(t *testing.T) {
			a := e.uma(r.party, r.file, r.edits...)
			umaRefused(t, a, r.code)
			if r.golden != "" {
				goldenIn(t, umaGolden, r.golden, a)
			}
		})
	}
	t.Run("nothing refused was written", func(t *testing.T) {
		if n := len(e.attestations(ssinAdam)) + len(e.attestations(ssinUnknown)); n != 1 {
			t.Fatalf("%d attestations stored for the refused SSINs, want the one accepted", n)
		}
		a := e.uma(pki.PartyGPDupont, "send-request-one-day.xml")
		if got := text(a, "Attestion/AttestationNumber"); got != "UMA000000000003" {
			t.Fatalf("the next send got %s: a refusal used a number", got)
		}
	})
}

func TestUMAWritesAreIdempotentOnTheRequestId(t *testing.T) {
	e := newEnv(t)
	first := e.uma(pki.PartyGPDupont, "send-request.xml")
	t.Run("the same request again gets the first answer and writes nothing", func(t *testing.T) {
		again := e.uma(pki.PartyGPDupont, "send-request.xml")
		umaValid(t, again)
		if text(again, "Attestion/AttestationNumber") != text(first, "Attestion/AttestationNumber") ||
			again.Payload.SelectAttrValue("Id", "") != first.Payload.SelectAttrValue("Id", "") {
			t.Fatalf("a retry got another answer:\n%s", again.Raw)
		}
		if n := len(e.attestations(ssinAdam)); n != 1 {
			t.Fatalf("%d attestations after a retry, want 1", n)
		}
	})
	t.Run("the same Id with another body is refused", func(t *testing.T) {
		a := e.uma(pki.PartyGPDupont, "send-request.xml", "2026-12-15+01:00", "2026-12-20+01:00")
		umaRefused(t, a, rules.CodeTicketReused)
		if n := len(e.attestations(ssinAdam)); n != 1 {
			t.Fatalf("%d attestations, want 1", n)
		}
	})
	t.Run("another provider may use the same Id", func(t *testing.T) {
		a := e.uma(pki.PartyDentistMartin, "send-request.xml", asDentist...)
		if text(a, "Attestion/AttestationNumber") != "UMA000000000002" {
			t.Fatalf("the Id is keyed by the provider:\n%s", a.Raw)
		}
	})
	t.Run("a request without Id writes each time, each audited", func(t *testing.T) {
		one := e.uma(pki.PartyGPDupont, "send-request-one-day.xml")
		two := e.uma(pki.PartyGPDupont, "send-request-one-day.xml")
		n1, n2 := text(one, "Attestion/AttestationNumber"), text(two, "Attestion/AttestationNumber")
		if n1 == n2 || len(e.attestations(ssinBea)) != 2 {
			t.Fatalf("two sends without Id gave %s and %s", n1, n2)
		}
		for _, n := range []string{n1, n2} {
			if a := e.attestationAudit(n, store.EventSend); a.Signer != pki.DemoNIHIIGPDupont {
				t.Fatalf("audit of %s signed by %s", n, a.Signer)
			}
		}
	})
}

func TestUMASearch(t *testing.T) {
	e := newEnv(t)
	e.uma(pki.PartyGPDupont, "send-request.xml")
	e.uma(pki.PartyDentistMartin, "send-request.xml", append(asDentist, "R5b8e2f14", "R1dentist",
		"2026-12-01+01:00", "2026-12-10+01:00", "2026-12-15+01:00", "2026-12-10+01:00")...)
	t.Run("R-UMA-SEARCH/a search by number is accepted", func(t *testing.T) {
		a := e.uma(pki.PartyDentistMartin, "search-request-number.xml")
		umaValid(t, a)
		goldenIn(t, umaGolden, "search-number", a)
		if n := a.Payload.FindElements("Attestation"); len(n) != 1 || text(a, "Attestation/AttestationNumber") != "UMA000000000001" {
			t.Fatalf("by number:\n%s", a.Raw)
		}
	})
	t.Run("R-UMA-SEARCH/a search by period and cover is accepted", func(t *testing.T) {
		a := e.uma(pki.PartyGPDupont, "search-request-period.xml")
		umaValid(t, a)
		goldenIn(t, umaGolden, "search-period", a)
		got := a.Payload.FindElements("Attestation/AttestationNumber")
		if len(got) != 2 || got[0].Text() != "UMA000000000001" || got[1].Text() != "UMA000000000002" {
			t.Fatalf("want both attestations, earliest start first:\n%s", a.Raw)
		}
	})
	t.Run("R-UMA-SEARCH/a period that meets no attestation finds nothing", func(t *testing.T) {
		a := e.uma(pki.PartyGPDupont, "search-request-period.xml", "2026-11-01", "2027-01-01", "2026-12-31", "2027-01-31")
		umaValid(t, a)
		goldenIn(t, umaGolden, "search-none", a)
		if top, sub := statusURI(a); top != face.EHealthSuccess || sub != face.EHealthNoData || a.Payload.FindElement("Attestation") != nil {
			t.Fatalf("status %s / %s:\n%s", top, sub, a.Raw)
		}
	})
	t.Run("R-UMA-SEARCH/another cover finds nothing", func(t *testing.T) {
		a := e.uma(pki.PartyGPDupont, "search-request-period.xml", "Consultations et médicaments pour une pneumonie", "Soins dentaires")
		if _, sub := statusURI(a); sub != face.EHealthNoData {
			t.Fatalf("a cover filter was ignored:\n%s", a.Raw)
		}
	})
	t.Run("R-UMA-SEARCH/a search without criteria is refused", func(t *testing.T) {
		a := e.uma(pki.PartyGPDupont, "search-request-number.xml", "<AttestationNumber>UMA000000000001</AttestationNumber>", "")
		umaRefused(t, a, rules.CodeUMACriteria)
		goldenIn(t, umaGolden, "search-refused-no-criteria", a)
	})
	t.Run("R-UMA-SEARCH/a search by number and period is refused", func(t *testing.T) {
		a := e.uma(pki.PartyGPDupont, "search-request-number.xml", "</AttestationNumber>",
			"</AttestationNumber><Period><StartDate>2026-12-01</StartDate></Period>")
		umaRefused(t, a, rules.CodeUMACriteria)
	})
	t.Run("a search with another schema error is a schema fault", func(t *testing.T) {
		a := e.uma(pki.PartyGPDupont, "search-request-number.xml", "<BeneficiarySsin>85031412302</BeneficiarySsin>", "")
		if a.Outcome != client.Faulted {
			t.Fatalf("got %v:\n%s", a.Outcome, a.Raw)
		}
	})
}

func TestUMADelete(t *testing.T) {
	e := newEnv(t)
	e.uma(pki.PartyGPDupont, "send-request.xml")
	t.Run("R-UMA-DELETE/a delete by another author is refused", func(t *testing.T) {
		a := e.uma(pki.PartyDentistMartin, "delete-request.xml", asDentist...)
		umaRefused(t, a, rules.CodeUMANotAuthor)
		goldenIn(t, umaGolden, "delete-refused-other-author", a)
		if atts := e.attestations(ssinAdam); atts[0].Deleted {
			t.Fatal("refused, yet deleted")
		}
	})
	t.Run("R-UMA-DELETE/a delete of an unknown number is refused", func(t *testing.T) {
		a := e.uma(pki.PartyGPDupont, "delete-request.xml", "UMA000000000001", "UMA000000000009", "R4d6f8b0a", "R1unknown")
		umaRefused(t, a, rules.CodeUMAUnknown)
	})
	t.Run("R-UMA-DELETE/a delete by the author is accepted", func(t *testing.T) {
		a := e.uma(pki.PartyGPDupont, "delete-request.xml")
		umaValid(t, a)
		goldenIn(t, umaGolden, "delete", a)
		if top, _ := statusURI(a); top != face.EHealthSuccess || text(a, "AttestionNumber") != "UMA000000000001" {
			t.Fatalf("delete:\n%s", a.Raw)
		}
		atts := e.attestations(ssinAdam)
		if len(atts) != 1 || !atts[0].Deleted {
			t.Fatalf("a deleted attestation stays, marked deleted: %+v", atts)
		}
		audit := e.attestationAudit("UMA000000000001", store.EventDelete)
		if audit.Signer != pki.DemoNIHIIGPDupont || !bytes.Equal(audit.Response, a.Raw) {
			t.Fatal("the delete audit is not the signed answer")
		}
		e.attestationAudit("UMA000000000001", store.EventSend) // kept
	})
	t.Run("R-UMA-DELETE/the same delete again gets the first answer", func(t *testing.T) {
		a := e.uma(pki.PartyGPDupont, "delete-request.xml")
		if top, _ := statusURI(a); top != face.EHealthSuccess {
			t.Fatalf("a retried delete:\n%s", a.Raw)
		}
	})
	t.Run("R-UMA-DELETE/a deleted attestation is not found", func(t *testing.T) {
		if _, sub := statusURI(e.uma(pki.PartyGPDupont, "search-request-number.xml")); sub != face.EHealthNoData {
			t.Fatal("a deleted attestation was found")
		}
		a := e.uma(pki.PartyGPDupont, "delete-request.xml", "R4d6f8b0a", "R2again")
		umaRefused(t, a, rules.CodeUMAUnknown)
	})
	if err := e.st.Check(); err != nil {
		t.Fatalf("store check: %v", err)
	}
}

// R-UMA-NUMBER through the provider face: a consultation of an AMU-flagged decision shows the
// number of an attestation covering the consulted date.
func TestConsultV2ShowsTheAttestationNumber(t *testing.T) {
	e := newEnv(t)
	wantOutcome(t, e.call("cpas-namur", demoFile("create.xml"), nil), "DATA_FOUND", "OK")
	number := func(a *client.Answer) string { return text(a, "Result/Carmed/UrgentMedicalAidAttestationNumber") }
	t.Run("R-UMA-NUMBER/without attestation there is no number", func(t *testing.T) {
		if n := number(e.consultV2("hospital-chr", ssinAdam, "2026-12-01")); n != "" {
			t.Fatalf("number %s before any attestation", n)
		}
	})
	e.uma(pki.PartyGPDupont, "send-request.xml")
	t.Run("R-UMA-NUMBER/a consultation on a covered date shows the number", func(t *testing.T) {
		a := e.consultV2("hospital-chr", ssinAdam, "2026-12-01")
		ehealthValid(t, a)
		goldenIn(t, umaGolden, "consult-v2-with-number", a)
		if n := number(a); n != "UMA000000000001" {
			t.Fatalf("number %q:\n%s", n, a.Raw)
		}
	})
	t.Run("R-UMA-NUMBER/a period starting after the attestation shows none", func(t *testing.T) {
		if n := number(e.consultV2("gp-dupont", ssinAdam, "2026-12-16/2026-12-20")); n != "" {
			t.Fatalf("number %s outside the attestation", n)
		}
	})
	t.Run("R-UMA-NUMBER/a deleted attestation shows none", func(t *testing.T) {
		e.uma(pki.PartyGPDupont, "delete-request.xml")
		if n := number(e.consultV2("hospital-chr", ssinAdam, "2026-12-01")); n != "" {
			t.Fatalf("number %s after the delete", n)
		}
	})
}

func TestUMASOAPActionsAreTheServicesOwn(t *testing.T) {
	e := newEnv(t)
	for file, want := range map[string]string{"send-request.xml": uma.ActionSend, "search-request-number.xml": uma.ActionSearch,
		"delete-request.xml": uma.ActionDelete} {
		doc := etree.NewDocument()
		if err := doc.ReadFromFile(filepath.Join(umaFixtures, file)); err != nil {
			t.Fatal(err)
		}
		if got := client.SOAPAction(doc.Root()); got != want {
			t.Errorf("carmed call derives %s for %s, want %s", got, file, want)
		}
		if !bytes.Contains(readWSDL(t, "ehealth-mediprima-uma-v1.wsdl"), []byte(`soapAction="`+want+`"`)) {
			t.Errorf("%s is not the WSDL's", want)
		}
	}
	// The naming rule's action is not the service's: the gateway refuses it.
	payload := readFixture(t, filepath.Join(umaFixtures, "search-request-number.xml"))
	a, err := e.clientAt(pki.PartyGPDupont, uma.Path).Call(context.Background(), []byte(payload),
		uma.NSProtocol+":searchUrgentMedicalAidAttestation")
	if err != nil {
		t.Fatal(err)
	}
	if a.Outcome != client.Faulted {
		t.Fatalf("a wrong SOAPAction was accepted:\n%s", a.Raw)
	}
}

func readWSDL(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "wsdl", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// The trust file names the kinds R-UMA-SEND reads: a renamed kind would refuse every attestation.
func TestTheTrustFileNamesTheProviderKindsTheUMARulesRead(t *testing.T) {
	if trust.ProviderDoctor != rules.ProviderDoctor || trust.ProviderDentist != rules.ProviderDentist {
		t.Fatalf("trust kinds %q, %q; the rules read %q, %q", trust.ProviderDoctor, trust.ProviderDentist,
			rules.ProviderDoctor, rules.ProviderDentist)
	}
}
