package server_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/beevik/etree"

	"github.com/carmed/carmed/client"
	"github.com/carmed/carmed/store"
)

// The BCSS v2 operations of the CPAS face that read without writing: ConsultCarmedAtAgreementDate
// (R-CONSULT-AT-AGREEMENT) and EvaluateModifiedCarmed, simulateModify (R-SIMULATE-MODIFY).

// versions is how many versions decision number has in the store.
func (e *env) versions(number string) int {
	e.t.Helper()
	var n int
	if err := e.st.View(func(r store.Reader) error {
		d, err := r.Decision(number)
		n = len(d.Versions)
		return err
	}); err != nil {
		e.t.Fatal(err)
	}
	return n
}

// carmedWithout is an answer's carmed element as text, without the elements named (the volatile
// creation time), to compare two answers' decisions.
func carmedWithout(t *testing.T, a *client.Answer, drop ...string) string {
	t.Helper()
	c := a.Payload.FindElement("carmed")
	if c == nil {
		t.Fatalf("no carmed in the answer:\n%s", a.Raw)
	}
	c = c.Copy()
	for _, name := range drop {
		for _, el := range c.FindElements(".//" + name) {
			el.Parent().RemoveChild(el)
		}
	}
	d := etree.NewDocument()
	d.SetRoot(c)
	s, err := d.WriteToString()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func reasonCodes(a *client.Answer) string {
	var out []string
	for _, m := range a.Payload.SelectElements("message") {
		out = append(out, m.FindElement("reasonCode").Text()+"/"+m.FindElement("ruleId").Text())
	}
	return strings.Join(out, ",")
}

func TestConsultCarmedAtAgreementDate(t *testing.T) {
	e := newEnv(t)
	wantOutcome(t, e.call("cpas-namur", demoFile("create.xml"), nil), "DATA_FOUND", "OK")
	pa := e.consultV2("hospital-chr", "85031412302", "2026-12-01")
	tok := text(pa, "Result/Carmed/AgreementNumber")
	if tok == "" {
		t.Fatalf("no agreement number:\n%s", pa.Raw)
	}
	// The CPAS then prolongs the decision and adds a paramedic cover: version 2. The agreement
	// still names version 1.
	wantOutcome(t, e.call("cpas-namur", demoFile("modify.xml"), nil), "DATA_FOUND", "OK")
	ask := func(party, cbe, ticket, number string) *client.Answer {
		t.Helper()
		return e.call(party, demoFile("consult-at-agreement.xml"),
			map[string]string{"cbeNumber": cbe, "ticket": ticket, "agreementNumber": number})
	}

	t.Run("R-CONSULT-AT-AGREEMENT/the managing CPAS's consultation is answered with the version the number names, cut to the guaranteed days", func(t *testing.T) {
		a := ask("cpas-namur", "0212345668", "at-agreement-1", tok)
		wantOutcome(t, a, "DATA_FOUND", "OK")
		xmllintPayload(t, a)
		golden(t, "consult-at-agreement", a)
		if text(a, "agreement/versionNumber") != "1" || text(a, "agreement/provider") != "71012345" ||
			text(a, "agreement/consultationDate") != "2026-12-01" ||
			text(a, "agreement/guaranteedPeriod/startDate") != "2026-12-01" || text(a, "agreement/guaranteedPeriod/endDate") != "2026-12-30" {
			t.Fatalf("agreement claims:\n%s", a.Raw)
		}
		// Version 1 as it was written, whatever changed since: its validity, not version 2's.
		if text(a, "carmed/versionNumber") != "1" || text(a, "carmed/validityPeriod/endDate") != "2027-02-28" {
			t.Fatalf("want version 1 ending 2027-02-28:\n%s", a.Raw)
		}
		if a.Payload.FindElement("carmed/content/medicalCover/paramedic") != nil {
			t.Fatal("version 2's paramedic cover is not what the agreement guarantees")
		}
		covers := a.Payload.FindElements("carmed/content/medicalCover/*")
		if len(covers) == 0 {
			t.Fatalf("no guaranteed cover:\n%s", a.Raw)
		}
		for _, cv := range covers {
			if end := cv.FindElement("validityPeriod/endDate").Text(); end > "2026-12-30" {
				t.Fatalf("cover %s ends %s, after the guaranteed days", cv.Tag, end)
			}
		}
		// The harness reads the same number the same way: the same covers, the same days.
		h := e.harness(harnessFile("verify-agreement.xml"), map[string]string{"ticket": "at-agreement-harness", "agreementNumber": tok})
		wantOutcome(t, h, "DATA_FOUND", "OK")
		var cpas, harness []string
		for _, cv := range covers {
			cpas = append(cpas, cv.Tag+" "+cv.FindElement("validityPeriod/startDate").Text()+" "+cv.FindElement("validityPeriod/endDate").Text())
		}
		for _, cv := range h.Payload.FindElements("agreement/cover") {
			harness = append(harness, cv.FindElement("kind").Text()+" "+cv.FindElement("beginDate").Text()+" "+cv.FindElement("endDate").Text())
		}
		if strings.Join(cpas, ";") != strings.Join(harness, ";") {
			t.Fatalf("the CPAS face guarantees %v, the harness %v", cpas, harness)
		}
	})

	t.Run("R-CONSULT-AT-AGREEMENT/another CPAS's consultation of the same number is refused without content", func(t *testing.T) {
		a := ask("cpas-liege", "0207456769", "at-agreement-2", tok)
		wantOutcome(t, a, "NO_RESULT", "AGREEMENT_PARTY")
		xmllintPayload(t, a)
		golden(t, "consult-at-agreement-other-cpas", a)
		if a.Payload.FindElement("agreement") != nil || a.Payload.FindElement("carmed") != nil {
			t.Fatalf("another CPAS got content:\n%s", a.Raw)
		}
		if got := reasonCodes(a); got != "AGREEMENT_PARTY/R-CONSULT-AT-AGREEMENT" {
			t.Fatalf("messages %s", got)
		}
	})

	t.Run("R-CONSULT-AT-AGREEMENT/a forged number is refused without content", func(t *testing.T) {
		forged := []byte(tok)
		forged[len(forged)-3] ^= 1
		a := ask("cpas-namur", "0212345668", "at-agreement-3", string(forged))
		wantOutcome(t, a, "NO_RESULT", "AGREEMENT_VOID")
		if a.Payload.FindElement("agreement") != nil || a.Payload.FindElement("carmed") != nil ||
			text(a, "message/information/fieldValue") != "tampered" {
			t.Fatalf("a forged number:\n%s", a.Raw)
		}
	})

	t.Run("R-CONSULT-AT-AGREEMENT/a number the store never held is refused without content", func(t *testing.T) {
		c, err := e.ring.Verify(tok)
		if err != nil {
			t.Fatal(err)
		}
		c.Number = "000000000099"
		other, err := e.ring.Issue(c)
		if err != nil {
			t.Fatal(err)
		}
		a := ask("cpas-namur", "0212345668", "at-agreement-4", other)
		wantOutcome(t, a, "NO_RESULT", "AGREEMENT_VOID")
		if text(a, "message/information/fieldValue") != "decisionUnknown" || a.Payload.FindElement("carmed") != nil {
			t.Fatalf("an unknown decision:\n%s", a.Raw)
		}
	})
}

func TestSimulateModify(t *testing.T) {
	e := newEnv(t)
	wantOutcome(t, e.call("cpas-namur", demoFile("create.xml"), nil), "DATA_FOUND", "OK")
	const number = "000000000001"

	t.Run("R-SIMULATE-MODIFY/a simulated modification is accepted with the version it would write, and nothing is stored", func(t *testing.T) {
		sim := e.call("cpas-namur", demoFile("simulate-modify.xml"), map[string]string{"ticket": "sim-then-real"})
		wantOutcome(t, sim, "DATA_FOUND", "OK")
		xmllintPayload(t, sim)
		golden(t, "simulate-modify", sim)
		if v, end := text(sim, "carmed/versionNumber"), text(sim, "carmed/validityPeriod/endDate"); v != "2" || end != "2027-05-31" {
			t.Fatalf("simulated version %s ending %s, want 2 ending 2027-05-31", v, end)
		}
		if n := e.versions(number); n != 1 {
			t.Fatalf("after the simulation the decision has %d versions, want 1", n)
		}
		var err error
		if e.st.View(func(r store.Reader) error { _, err = r.Reply("0212345668", "sim-then-real"); return nil }); !errors.Is(err, store.ErrNotFound) {
			t.Fatalf("the simulation's ticket was recorded: %v", err)
		}
		// The real modify with the same ticket is a new request, and writes the version simulated.
		real := e.call("cpas-namur", demoFile("modify.xml"), map[string]string{"ticket": "sim-then-real"})
		wantOutcome(t, real, "DATA_FOUND", "OK")
		if got, want := carmedWithout(t, sim, "creationTime"), carmedWithout(t, real, "creationTime"); got != want {
			t.Fatalf("the simulation answered\n%s\nthe modify wrote\n%s", got, want)
		}
		if n := e.versions(number); n != 2 {
			t.Fatalf("after the modify the decision has %d versions, want 2", n)
		}
	})

	t.Run("R-SIMULATE-MODIFY/a simulated modification of a version that is no longer the latest is rejected with the modify's messages, and nothing is stored", func(t *testing.T) {
		sets := map[string]string{"ticket": "sim-stale", "versionNumber": "1"}
		sim := e.call("cpas-namur", demoFile("simulate-modify.xml"), sets)
		wantOutcome(t, sim, "NO_RESULT", "VERSION_CONFLICT")
		xmllintPayload(t, sim)
		golden(t, "simulate-modify-refused", sim)
		if sim.Payload.FindElement("carmed") != nil {
			t.Fatal("a refused simulation has no carmed")
		}
		real := e.call("cpas-namur", demoFile("modify.xml"), sets)
		wantOutcome(t, real, "NO_RESULT", "VERSION_CONFLICT")
		if s, r := reasonCodes(sim), reasonCodes(real); s != r {
			t.Fatalf("the simulation answered %s, the modify %s", s, r)
		}
		if n := e.versions(number); n != 2 {
			t.Fatalf("the decision has %d versions, want 2", n)
		}
	})

	t.Run("R-SIMULATE-MODIFY/another CPAS's simulated modification is rejected", func(t *testing.T) {
		sim := e.call("cpas-liege", demoFile("simulate-modify.xml"),
			map[string]string{"ticket": "sim-liege", "cbeNumber": "0207456769", "versionNumber": "2"})
		wantOutcome(t, sim, "NO_RESULT", "NOT_MANAGER")
	})
}
