package server_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/carmed/carmed/client"
	"github.com/carmed/carmed/face/provider"
	"github.com/carmed/carmed/rules"
)

// oracleXSD is the published eHealth schema, used only as a test oracle (../shared beside the repo).
const oracleXSD = "../../shared/reference/ehealth-xsd/ehealth-mediprima/XSD/ehealth-mediprima-protocol-2_0.xsd"

// consultV2 sends a ConsultCarmedIntervention as a provider, by reference date or by period ("from/to").
func (e *env) consultV2(party, ssin, when string) *client.Answer {
	e.t.Helper()
	crit := "<ReferenceDate>" + when + "</ReferenceDate>"
	if from, to, ok := strings.Cut(when, "/"); ok {
		crit = "<Period><StartDate>" + from + "</StartDate><EndDate>" + to + "</EndDate></Period>"
	}
	payload := `<mp:ConsultCarmedInterventionRequest xmlns:mp="urn:be:fgov:ehealth:mediprima:protocol:v2" Id="R-test-1" IssueInstant="2026-12-01T09:15:00Z">` +
		`<SelectionCriteria><BySsin><Ssin>` + ssin + `</Ssin>` + crit + `</BySsin></SelectionCriteria></mp:ConsultCarmedInterventionRequest>`
	c := e.client(party)
	c.URL = e.url + "/MediPrima/Consult/v2"
	a, err := c.Call(context.Background(), []byte(payload), provider.ActionConsultV2)
	if err != nil {
		e.t.Fatal(err)
	}
	return a
}

// ehealthValid validates a provider answer against our XSD and the eHealth oracle.
func ehealthValid(t *testing.T, a *client.Answer) {
	t.Helper()
	lint := needTool(t, "xmllint")
	f := filepath.Join(t.TempDir(), "answer.xml")
	if err := newDoc(a.Payload.Copy()).WriteToFile(f); err != nil {
		t.Fatal(err)
	}
	schemas := []string{"../xsd/ehealth-mediprima-protocol-v2.xsd"}
	if _, err := os.Stat(oracleXSD); err == nil {
		schemas = append(schemas, oracleXSD)
	} else {
		t.Logf("eHealth oracle XSD absent (%s): our XSD only", oracleXSD)
	}
	for _, x := range schemas {
		if out, err := exec.Command(lint, "--noout", "--schema", x, f).CombinedOutput(); err != nil {
			t.Fatalf("answer does not validate against %s:\n%s", x, out)
		}
	}
}

func statusURI(a *client.Answer) (string, string) {
	top, sub := "", ""
	if sc := a.Payload.FindElement("Status/StatusCode"); sc != nil {
		top = sc.SelectAttrValue("Value", "")
		if n := sc.FindElement("StatusCode"); n != nil {
			sub = n.SelectAttrValue("Value", "")
		}
	}
	return top, sub
}

func carmeds(a *client.Answer) int { return len(a.Payload.FindElements("Result/Carmed")) }

func TestProviderConsultReturnsTheDecisionWithAnAgreement(t *testing.T) {
	e := newEnv(t)
	wantOutcome(t, e.call("cpas-namur", demoFile("create.xml"), nil), "DATA_FOUND", "OK")
	a := e.consultV2("hospital-chr", "85031412302", "2026-12-01")
	ehealthValid(t, a)
	goldenIn(t, "../testdata/golden/provider", "consult-reference-date", a)
	if top, _ := statusURI(a); top != provider.StatusSuccess || carmeds(a) != 1 {
		t.Fatalf("status %s with %d Carmed", top, carmeds(a))
	}
	if a.Payload.FindElement("Result/Carmed/CarmedContent/MedicalCover/Hospitalization") == nil ||
		text(a, "Result/Carmed/CarmedContent/RefundPodmiSppis/RefundCode") != "1" ||
		text(a, "Result/Carmed/CarmedContent/RefundPodmiSppis/MedicalUrgencyInd") != "true" ||
		text(a, "Result/Carmed/CarmedContent/RefundPodmiSppis/PodmiSppisPart/HospitalizationPart/ZivAmiPart") != "100.0" {
		t.Fatalf("content, refund block or AMU flag missing:\n%s", a.Raw)
	}
	tok := text(a, "Result/Carmed/AgreementNumber")
	c, err := e.ring.Verify(tok)
	if err != nil {
		t.Fatalf("agreement %q: %v", tok, err)
	}
	if c.Number != "000000000001" || c.Version != 1 || c.Provider != "71012345" || c.PeriodStart.String() != "2026-12-01" {
		t.Fatalf("agreement claims %+v", c)
	}
	if got := text(a, "SelectionCriteria/BySsin/ReferenceDate"); got != "2026-12-01" {
		t.Fatalf("selection criteria not echoed: %q", got)
	}
	if a.Payload.SelectAttrValue("InResponseTo", "") != "R-test-1" {
		t.Fatal("InResponseTo must echo the request Id")
	}
}

func TestProviderConsultPeriods(t *testing.T) {
	e := newEnv(t)
	wantOutcome(t, e.call("cpas-namur", demoFile("create.xml"), nil), "DATA_FOUND", "OK")
	t.Run("a period wholly in the future gives the decision but no agreement", func(t *testing.T) {
		a := e.consultV2("gp-dupont", "85031412302", "2026-12-10/2026-12-20")
		ehealthValid(t, a)
		if carmeds(a) != 1 || a.Payload.FindElement("Result/Carmed/AgreementNumber") != nil {
			t.Fatalf("%d Carmed, agreement present: %v", carmeds(a), a.Payload.FindElement("Result/Carmed/AgreementNumber") != nil)
		}
	})
	t.Run("a period from the past containing today gives an agreement", func(t *testing.T) {
		a := e.consultV2("gp-dupont", "85031412302", "2026-11-20/2026-12-10")
		if a.Payload.FindElement("Result/Carmed/AgreementNumber") == nil {
			t.Fatal("no agreement")
		}
	})
	t.Run("a period over 30 days is a business error in the eHealth status", func(t *testing.T) {
		a := e.consultV2("gp-dupont", "85031412302", "2026-12-01/2026-12-31")
		ehealthValid(t, a)
		goldenIn(t, "../testdata/golden/provider", "period-over-30-days", a)
		top, sub := statusURI(a)
		if top != provider.StatusRequester || sub != provider.StatusInvalid || a.Outcome != client.Rejected {
			t.Fatalf("status %s / %s", top, sub)
		}
		m := a.Payload.FindElement("Status/StatusDetail/MedicalCardRegistryStatus/MedicalCardRegistryMessage")
		if m == nil || m.SelectAttrValue("Severity", "") != "ERROR" || m.FindElement("ReasonCode").Text() != "PERIOD_OVER_30" ||
			m.FindElement("Source").Text() != "ECARMED" || len(m.SelectElements("Communication")) != 2 {
			t.Fatalf("registry message:\n%s", a.Raw)
		}
	})
	t.Run("a person without decision gets the no-data status", func(t *testing.T) {
		a := e.consultV2("gp-dupont", "90072224663", "2026-12-01")
		ehealthValid(t, a)
		goldenIn(t, "../testdata/golden/provider", "no-data", a)
		if top, sub := statusURI(a); top != provider.StatusSuccess || sub != provider.StatusNoData || carmeds(a) != 0 {
			t.Fatalf("status %s / %s, %d Carmed", top, sub, carmeds(a))
		}
	})
	t.Run("a CPAS certificate cannot use the provider face", func(t *testing.T) {
		a := e.consultV2("cpas-namur", "85031412302", "2026-12-01")
		if a.Outcome != client.Faulted {
			t.Fatalf("got %v", a.Outcome)
		}
	})
}

// The manual's example: a decision of 1 January–31 March consulted on 1 March and cancelled on
// 7 March; the agreement of 1 March still guarantees the conditions of the version seen until 30 March.
func TestAnAgreementOutlivesALaterCancellation(t *testing.T) {
	e := newEnv(t, func(o *envOpt) { o.today = rules.MustDate("2025-03-01") })
	sets := map[string]string{"ticket": "manual-1-march", "decisionDate": "2025-01-01", "startDate": "2025-01-01", "endDate": "2025-03-31"}
	wantOutcome(t, e.call("cpas-namur", demoFile("create.xml"), sets), "DATA_FOUND", "")
	a := e.consultV2("hospital-chr", "85031412302", "2025-03-01/2025-03-30")
	tok := text(a, "Result/Carmed/AgreementNumber")
	if tok == "" {
		t.Fatalf("no agreement on 1 March:\n%s", a.Raw)
	}
	e.setToday("2025-03-07")
	a = e.call("cpas-namur", demoFile("stop.xml"), map[string]string{"versionNumber": "1", "endDate": "2025-03-07"})
	wantOutcome(t, a, "DATA_FOUND", "OK")
	e.setToday("2025-03-08")
	now := e.consultV2("hospital-chr", "85031412302", "2025-03-01/2025-03-08")
	if v, end := text(now, "Result/Carmed/CarmedIdentifier/VersionNumber"), text(now, "Result/Carmed/CarmedIdentifier/ValidityPeriod/EndDate"); v != "2" || end != "2025-03-07" {
		t.Fatalf("after the stop the provider sees version %s ending %s, want 2 ending 2025-03-07", v, end)
	}
	c, err := e.ring.Verify(tok)
	if err != nil {
		t.Fatal(err)
	}
	if g := c.Guarantee(); c.Version != 1 || g.End.String() != "2025-03-30" {
		t.Fatalf("the 1 March agreement guarantees version %d until %s, want version 1 until 2025-03-30", c.Version, g.End)
	}
	// The harness answers the conditions guaranteed: version 1's covers, up to 30 March, though
	// the decision now ends on 7 March.
	v := e.harness(harnessFile("verify-agreement.xml"), map[string]string{"ticket": "manual-verify", "agreementNumber": tok})
	wantOutcome(t, v, "DATA_FOUND", "OK")
	xmllintHarness(t, v)
	goldenIn(t, "../testdata/golden/harness", "verify-agreement-after-stop", v)
	if text(v, "agreement/versionNumber") != "1" || text(v, "agreement/status") != "ACTIVE" ||
		text(v, "agreement/guaranteedTo") != "2025-03-30" || text(v, "agreement/validityPeriod/endDate") != "2025-03-31" {
		t.Fatalf("verifyAgreement:\n%s", v.Raw)
	}
	covers := v.Payload.FindElements("agreement/cover")
	if len(covers) != 4 || covers[0].FindElement("endDate").Text() != "2025-03-30" || text(v, "agreement/refundCode") != "1" {
		t.Fatalf("guaranteed covers: %d, first ends %s", len(covers), covers[0].FindElement("endDate").Text())
	}
	// A forged number guarantees nothing.
	forged := []byte(tok)
	forged[len(forged)-3] ^= 1
	v = e.harness(harnessFile("verify-agreement.xml"), map[string]string{"ticket": "manual-verify-2", "agreementNumber": string(forged)})
	wantOutcome(t, v, "NO_RESULT", "AGREEMENT_VOID")
}

func TestDesignatedProvidersSeeTheCoverOthersTheIdentification(t *testing.T) {
	e := newEnv(t)
	payload, _ := os.ReadFile(demoFile("create.xml"))
	p := strings.Replace(string(payload), "<supplementTypeList><supplementType>ROOM</supplementType></supplementTypeList></allowedSupplements>",
		"<supplementTypeList><supplementType>ROOM</supplementType></supplementTypeList></allowedSupplements>\n          <hospitalList><nihiiNumber>71012345</nihiiNumber></hospitalList>", 1)
	a, err := e.client("cpas-namur").Call(context.Background(), []byte(dropElement(p, "doctor")), "")
	if err != nil {
		t.Fatal(err)
	}
	wantOutcome(t, a, "DATA_FOUND", "OK")
	chr := e.consultV2("hospital-chr", "85031412302", "2026-12-01")
	if chr.Payload.FindElement("Result/Carmed/CarmedContent/MedicalCover/Hospitalization") == nil {
		t.Fatalf("the designated hospital must see its cover:\n%s", chr.Raw)
	}
	other := e.consultV2("gp-dupont", "85031412302", "2026-12-01")
	ehealthValid(t, other)
	if other.Payload.FindElement("Result/Carmed/CarmedContent/MedicalCover/Hospitalization") != nil {
		t.Fatal("a provider not on the list must not see the designated cover")
	}
}

// dropElement removes <name>…</name> from a fixture string.
func dropElement(s, name string) string {
	i := strings.Index(s, "<"+name+">")
	j := strings.Index(s, "</"+name+">")
	if i < 0 || j < 0 {
		return s
	}
	return s[:i] + s[j+len(name)+3:]
}

func TestProvidersSeeARestrictionOnlyTheNextDay(t *testing.T) {
	e := newEnv(t)
	wantOutcome(t, e.call("cpas-namur", demoFile("create.xml"), nil), "DATA_FOUND", "OK")
	e.setToday("2026-12-05")
	a := e.call("cpas-namur", demoFile("stop.xml"), map[string]string{"versionNumber": "1", "endDate": "2026-12-20"})
	wantOutcome(t, a, "DATA_FOUND", "OK")
	if v := text(e.consultV2("gp-dupont", "85031412302", "2026-12-05"), "Result/Carmed/CarmedIdentifier/VersionNumber"); v != "1" {
		t.Fatalf("on the day of the restriction a provider sees version %s, want 1", v)
	}
	e.setToday("2026-12-06")
	if v := text(e.consultV2("gp-dupont", "85031412302", "2026-12-06"), "Result/Carmed/CarmedIdentifier/VersionNumber"); v != "2" {
		t.Fatalf("the next day a provider sees version %s, want 2", v)
	}
}

func TestAProviderGetsAtMost24Decisions(t *testing.T) {
	e := newEnv(t)
	for i := 0; i < 25; i++ {
		d := rules.MustDate("2026-12-01").AddDays(i).String()
		a := e.call("cpas-namur", demoFile("create.xml"), map[string]string{"ticket": fmt.Sprintf("one-day-%d", i),
			"startDate": d, "endDate": d})
		wantOutcome(t, a, "DATA_FOUND", "")
	}
	a := e.consultV2("gp-dupont", "85031412302", "2026-12-01/2026-12-30")
	ehealthValid(t, a)
	if n := carmeds(a); n != 24 {
		t.Fatalf("%d Carmed returned, want 24", n)
	}
}

// TestProviderOutcomesReachMetrics: the outcome the provider face records for its answer (the
// requests counter an operator watches) follows the eHealth status: found, refused, nothing found.
func TestProviderOutcomesReachMetrics(t *testing.T) {
	e := newEnv(t)
	wantOutcome(t, e.call("cpas-namur", demoFile("create.xml"), nil), "DATA_FOUND", "OK")
	e.consultV2("hospital-chr", "85031412302", "2026-12-01")
	e.consultV2("gp-dupont", "85031412302", "2026-12-01/2026-12-31")
	e.consultV2("gp-dupont", "90072224663", "2026-12-01")
	fams := scrapeMetrics(t, e.url)
	for _, outcome := range []string{"DATA_FOUND", "NO_RESULT", "NO_DATA_FOUND"} {
		m := metricWith(fams, "carmed_requests_total", map[string]string{"operation": "provider.consultCarmedIntervention", "outcome": outcome})
		if m == nil || m.GetCounter().GetValue() != 1 {
			t.Errorf("carmed_requests_total{outcome=%q} = %v, want a counter at 1", outcome, m)
		}
	}
}
