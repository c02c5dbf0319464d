package server_test

import (
	"bytes"
	"context"
	"os"
	"testing"

	"github.com/carmed/carmed/client"
	"github.com/carmed/carmed/server"
	"github.com/carmed/carmed/store"
)

func versionsOf(t *testing.T, e *env, number string) int {
	t.Helper()
	n := 0
	err := e.st.View(func(r store.Reader) error {
		d, err := r.Decision(number)
		n = len(d.Versions)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func TestModifyingAStaleVersionIsAConflictAndWritesNothing(t *testing.T) {
	e := newEnv(t)
	wantOutcome(t, e.call("cpas-namur", demoFile("create.xml"), nil), "DATA_FOUND", "OK")
	wantOutcome(t, e.call("cpas-namur", demoFile("modify.xml"), nil), "DATA_FOUND", "OK")
	// the same modification of version 1, as a new request: version 2 exists now
	a := e.call("cpas-namur", demoFile("modify.xml"), map[string]string{"ticket": "stale-modify-1"})
	wantOutcome(t, a, "NO_RESULT", "VERSION_CONFLICT")
	xmllintPayload(t, a)
	info := map[string]string{}
	for _, in := range a.Payload.FindElements("status/information") {
		info[in.FindElement("fieldName").Text()] = in.FindElement("fieldValue").Text()
	}
	if info["currentVersion"] != "2" {
		t.Fatalf("the conflict should carry the current version 2, got %v", info)
	}
	if n := versionsOf(t, e, "000000000001"); n != 2 {
		t.Fatalf("a stale modify wrote: %d versions, want 2", n)
	}
	// nothing stored under the refused ticket either: the corrected request may reuse it
	a = e.call("cpas-namur", demoFile("modify.xml"), map[string]string{"ticket": "stale-modify-1", "versionNumber": "2"})
	wantOutcome(t, a, "DATA_FOUND", "OK")
}

func TestARequestForAnotherCPASThanTheSignerIsRejected(t *testing.T) {
	e := newEnv(t)
	// cpas-liege signs a request that names Namur's CBE (R-CBE)
	a := e.call("cpas-liege", demoFile("create.xml"), nil)
	wantOutcome(t, a, "NO_RESULT", "CBE_MISMATCH")
	a = e.call("cpas-liege", demoFile("consult.xml"), nil)
	wantOutcome(t, a, "NO_RESULT", "CBE_MISMATCH")
}

func TestAnInvalidSSINIsATechnicalFault(t *testing.T) {
	e := newEnv(t)
	a := e.call("cpas-namur", demoFile("consult.xml"), map[string]string{"ssin": "85031412303"})
	if a.Outcome != client.Faulted || a.HTTPStatus != 500 {
		t.Fatalf("got %v HTTP %d, want a SOAP fault (R-SSIN)", a.Outcome, a.HTTPStatus)
	}
	if got := text(a, "detail/carmedFault/error/reasonCode"); got != "SSIN_INVALID" {
		t.Fatalf("fault reason code %q, want SSIN_INVALID", got)
	}
}

func TestAProviderCertificateCannotUseTheCPASService(t *testing.T) {
	e := newEnv(t)
	a := e.call("hospital-chr", demoFile("consult.xml"), nil)
	if a.Outcome != client.Faulted || !bytes.Contains(a.Raw, []byte("NOT_AUTHORIZED")) {
		t.Fatalf("got %v %s, want a NOT_AUTHORIZED fault", a.Outcome, a.Code)
	}
}

func TestSOAP12RequestsGetSOAP12Answers(t *testing.T) {
	e := newEnv(t)
	c := e.client("cpas-namur")
	c.SOAP12 = true
	payload, _ := os.ReadFile(demoFile("create.xml"))
	a, err := c.Call(context.Background(), payload, "")
	if err != nil {
		t.Fatal(err)
	}
	wantOutcome(t, a, "DATA_FOUND", "OK")
	if !bytes.Contains(a.Raw, []byte(server.NSSoap12)) {
		t.Fatal("answer is not a SOAP 1.2 envelope")
	}
	// and a SOAP 1.2 fault: a 400 for a sender error
	bad, _ := client.Set(payload, map[string]string{"ssin": "12345678901", "ticket": "soap12-bad-ssin"})
	a, err = c.Call(context.Background(), bad, "")
	if err != nil {
		t.Fatal(err)
	}
	if a.Outcome != client.Faulted || a.HTTPStatus != 400 {
		t.Fatalf("SOAP 1.2 sender fault: got %v %s HTTP %d, want fault 400", a.Outcome, a.Code, a.HTTPStatus)
	}
}

func TestTheSameSignedBytesSentTwiceAreAReplay(t *testing.T) {
	e := newEnv(t)
	c := e.client("cpas-namur")
	payload, _ := os.ReadFile(demoFile("consult.xml"))
	doc, _ := client.Envelope(payload, false)
	if err := c.Signer.SignEnvelope(doc); err != nil {
		t.Fatal(err)
	}
	raw, _ := doc.WriteToBytes()
	a, err := c.Post(context.Background(), raw, "urn:carmed:cpas:v1:consultCarmed")
	if err != nil {
		t.Fatal(err)
	}
	wantOutcome(t, a, "NO_DATA_FOUND", "NO_DATA")
	a, err = c.Post(context.Background(), raw, "urn:carmed:cpas:v1:consultCarmed")
	if err != nil {
		t.Fatal(err)
	}
	if a.Outcome != client.Faulted || a.Code != "wsse:InvalidSecurity REPLAYED" {
		t.Fatalf("a replayed message got %v %q, want wsse:InvalidSecurity", a.Outcome, a.Code)
	}
}

func decisionsOf(t *testing.T, e *env, ssin string) []string {
	t.Helper()
	var numbers []string
	err := e.st.View(func(r store.Reader) error {
		ds, err := r.DecisionsBySSIN(ssin)
		for _, d := range ds {
			numbers = append(numbers, d.Number())
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return numbers
}

// R-DEADLINE-8 on the wire: a late registration is a warning riding along with the successful
// create answer, never a rejection.
func TestALateRegistrationIsWarnedNeverRejected(t *testing.T) {
	// demoToday is 2026-12-01; the demo create starts that day
	t.Run("R-DEADLINE-8/a create decided 9 days before today is accepted and is warned in the answer", func(t *testing.T) {
		e := newEnv(t)
		a := e.call("cpas-namur", demoFile("create.xml"), map[string]string{"decisionDate": "2026-11-22"})
		wantOutcome(t, a, "DATA_FOUND", "OK")
		xmllintPayload(t, a)
		ms := a.Payload.FindElements("message")
		if len(ms) != 1 {
			t.Fatalf("%d messages, want the one warning:\n%s", len(ms), a.Raw)
		}
		m := ms[0]
		info := map[string]string{}
		for _, in := range m.FindElements("information") {
			info[in.FindElement("fieldName").Text()] = in.FindElement("fieldValue").Text()
		}
		if m.FindElement("severity").Text() != "WARNING" || m.FindElement("reasonCode").Text() != "LATE_REGISTER" ||
			m.FindElement("ruleId").Text() != "R-DEADLINE-8" || info["daysAfterDecision"] != "9" {
			t.Fatalf("warning: severity %s code %s rule %s info %v", m.FindElement("severity").Text(),
				m.FindElement("reasonCode").Text(), m.FindElement("ruleId").Text(), info)
		}
		langs := map[string]bool{}
		for _, c := range m.FindElements("communication") {
			if c.Text() != "" {
				langs[c.SelectAttrValue("lang", "")] = true
			}
		}
		if !langs["fr"] || !langs["nl"] {
			t.Fatalf("the warning must be told in French and Dutch: %v", langs)
		}
		if n := versionsOf(t, e, text(a, "carmed/carmedNumber")); n != 1 {
			t.Fatalf("the late create wrote %d versions, want 1", n)
		}
	})
	t.Run("R-DEADLINE-8/a create decided 8 days before today is accepted and is not warned", func(t *testing.T) {
		e := newEnv(t)
		a := e.call("cpas-namur", demoFile("create.xml"), map[string]string{"decisionDate": "2026-11-23"})
		wantOutcome(t, a, "DATA_FOUND", "OK")
		if ms := a.Payload.FindElements("message"); len(ms) != 0 {
			t.Fatalf("%d messages on a create within the deadline:\n%s", len(ms), a.Raw)
		}
	})
}
