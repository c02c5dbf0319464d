package server_test

import (
	"strings"
	"testing"

	"github.com/beevik/etree"

	"github.com/carmed/carmed/client"
	"github.com/carmed/carmed/store"
)

func newDoc(root *etree.Element) *etree.Document {
	d := etree.NewDocument()
	d.SetRoot(root)
	return d
}

func text(a *client.Answer, path string) string {
	if el := a.Payload.FindElement(path); el != nil {
		return el.Text()
	}
	return ""
}

func wantOutcome(t *testing.T, a *client.Answer, value, code string) {
	t.Helper()
	if a.StatusValue != value || (code != "" && a.Code != code) {
		t.Fatalf("got status %s/%s, want %s/%s", a.StatusValue, a.Code, value, code)
	}
}

// TestEndToEndAllSixOperations drives the demo round trip of the README over loopback with requests
// signed by the project's signer, and checks every signed answer and its schema.
func TestEndToEndAllSixOperations(t *testing.T) {
	e := newEnv(t)

	a := e.call("cpas-namur", demoFile("create.xml"), nil)
	wantOutcome(t, a, "DATA_FOUND", "OK")
	if !a.Verified {
		t.Fatal("the answer's signature was not verified")
	}
	xmllintPayload(t, a)
	golden(t, "create", a)
	if n := text(a, "carmed/carmedNumber"); n != "000000000001" {
		t.Fatalf("first decision number = %q, want 000000000001", n)
	}
	if v, st := text(a, "carmed/versionNumber"), text(a, "carmed/status"); v != "1" || st != "ACTIVE" {
		t.Fatalf("created version %s status %s, want 1 ACTIVE", v, st)
	}
	if rc := text(a, "carmed/content/refundPodmiSppis/refundCode"); rc != "1" {
		t.Fatalf("refund code for an illegal stay = %s, want 1", rc)
	}

	a = e.call("cpas-namur", demoFile("consult.xml"), nil)
	wantOutcome(t, a, "DATA_FOUND", "OK")
	xmllintPayload(t, a)
	golden(t, "consult", a)
	if a.Payload.FindElement("carmed/content/medicalCover/hospitalization") == nil {
		t.Fatal("the managing CPAS should see the covers")
	}

	a = e.call("cpas-liege", demoFile("consult-as-liege.xml"), nil)
	wantOutcome(t, a, "DATA_FOUND", "OK")
	xmllintPayload(t, a)
	golden(t, "consult-as-liege", a)
	if a.Payload.FindElement("carmed/content") != nil || a.Payload.FindElement("carmed/beneficiary") != nil {
		t.Fatal("another CPAS must see the identification only (R-VIEW-OTHER-CPAS)")
	}
	if cbe := text(a, "carmed/pswc/cbeNumber"); cbe != "0212345668" {
		t.Fatalf("summary names manager %s, want Namur's CBE", cbe)
	}

	a = e.call("cpas-namur", demoFile("modify.xml"), nil)
	wantOutcome(t, a, "DATA_FOUND", "OK")
	xmllintPayload(t, a)
	golden(t, "modify", a)
	if v, end := text(a, "carmed/versionNumber"), text(a, "carmed/validityPeriod/endDate"); v != "2" || end != "2027-05-31" {
		t.Fatalf("modify gave version %s ending %s, want 2 ending 2027-05-31", v, end)
	}

	a = e.call("cpas-namur", demoFile("history.xml"), nil)
	wantOutcome(t, a, "DATA_FOUND", "OK")
	xmllintPayload(t, a)
	golden(t, "history", a)
	var versions []string
	for _, c := range a.Payload.SelectElements("carmed") {
		versions = append(versions, c.FindElement("versionNumber").Text())
	}
	if strings.Join(versions, ",") != "2,1" {
		t.Fatalf("history versions %v, want newest first 2,1", versions)
	}

	a = e.call("cpas-namur", demoFile("stop.xml"), nil)
	wantOutcome(t, a, "DATA_FOUND", "OK")
	xmllintPayload(t, a)
	golden(t, "stop", a)
	if v, st, end := text(a, "carmed/versionNumber"), text(a, "carmed/status"), text(a, "carmed/validityPeriod/endDate"); v != "3" || st != "STOPPED" || end != "2027-01-31" {
		t.Fatalf("stop gave version %s %s ending %s, want 3 STOPPED ending 2027-01-31", v, st, end)
	}
	if end := text(a, "carmed/content/medicalCover/doctor/validityPeriod/endDate"); end != "2027-01-31" {
		t.Fatalf("a cover beyond the stop date must end at it, got %s", end)
	}

	a = e.call("cpas-namur", demoFile("simulate.xml"), nil)
	wantOutcome(t, a, "DATA_FOUND", "OK")
	xmllintPayload(t, a)
	golden(t, "simulate", a)
	if rc := text(a, "refundPodmiSppis/refundCode"); rc != "5" {
		t.Fatalf("9ter with income above RI simulates refund code %s, want 5", rc)
	}

	// close: a decision wholly in the future, for another person
	a = e.call("cpas-namur", demoFile("create.xml"), map[string]string{"ticket": "e2e-future-1", "ssin": "90072224663",
		"decisionDate": "2026-12-01", "startDate": "2027-01-10", "endDate": "2027-03-10"})
	wantOutcome(t, a, "DATA_FOUND", "OK")
	num := text(a, "carmed/carmedNumber")
	a = e.call("cpas-namur", demoFile("close.xml"), map[string]string{"carmedNumber": num})
	wantOutcome(t, a, "DATA_FOUND", "OK")
	xmllintPayload(t, a)
	golden(t, "close", a)
	if st, v := text(a, "carmed/status"), text(a, "carmed/versionNumber"); st != "CLOSED" || v != "2" {
		t.Fatalf("close gave %s version %s, want CLOSED version 2", st, v)
	}

	if errs := e.st.Check(); len(errs) != 0 {
		t.Fatalf("store check after the round trip: %v", errs)
	}
	var count int
	_ = e.st.View(func(r store.Reader) error {
		d, err := r.Decision("000000000001")
		count = len(d.Versions)
		return err
	})
	if count != 3 {
		t.Fatalf("decision 1 has %d versions, want 3", count)
	}
}
