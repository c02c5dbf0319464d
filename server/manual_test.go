package server_test

import (
	"testing"

	"github.com/carmed/carmed/client"
	"github.com/carmed/carmed/rules"
	"github.com/carmed/carmed/store"
)

// The manual's worked examples through the signed CPAS face (golden answers in testdata/golden/cpas).

// 000 §3.5: a decision valid from 01/11/2013 to 31/01/2014. In January 2014 the CPAS may not move its
// start to 01/02/2014 (that would take away past rights) but may prolong it to 30/04/2014.
func TestManualPrologationOf2013ThroughTheSignedFace(t *testing.T) {
	e := newEnv(t, func(o *envOpt) { o.today = rules.MustDate("2013-11-04") })
	legal := rules.Person{SSIN: "78110205746", LastName: "Muster", FirstName: "Carl", Gender: "M",
		BirthDate: rules.MustDate("1978-11-02"), DeathDate: rules.NoDate,
		Situations: []rules.Situation{{From: rules.MustDate("2010-01-01"), Kind: rules.SitRegularised}}}
	// The demo registry knows this SSIN with another situation; the test replaces the record
	// directly (loads never overwrite: only mutations change a person).
	if err := e.st.Update(func(w store.Writer) error { return w.PutPerson(legal) }); err != nil {
		t.Fatal(err)
	}
	principle := func(ticket, start, end, decided string) map[string]string {
		return map[string]string{"ticket": ticket, "decisionDate": decided, "startDate": start, "endDate": end}
	}
	first := principle("manual-2013-create", "2013-11-01", "2014-01-31", "2013-11-04")
	first["ssin"] = legal.SSIN
	create := e.callWithout("cpas-namur", demoFile("create.xml"), "medicalCover", first)
	wantOutcome(t, create, "DATA_FOUND", "OK")
	golden(t, "manual-2013-create", create)

	e.setToday("2014-01-20")
	later := e.callWithout("cpas-namur", demoFile("modify.xml"), "medicalCover", principle("manual-2013-later", "2014-02-01", "2014-04-30", "2014-01-20"))
	wantOutcome(t, later, "NO_RESULT", "START_LATER")
	xmllintPayload(t, later)
	golden(t, "manual-2013-start-later-refused", later)
	if n := versionsOf(t, e, "000000000001"); n != 1 {
		t.Fatalf("a refused modify wrote: %d versions", n)
	}

	prolong := e.callWithout("cpas-namur", demoFile("modify.xml"), "medicalCover", principle("manual-2013-prolong", "2013-11-01", "2014-04-30", "2014-01-20"))
	wantOutcome(t, prolong, "DATA_FOUND", "OK")
	golden(t, "manual-2013-prolonged", prolong)
	if v, end := text(prolong, "carmed/versionNumber"), text(prolong, "carmed/validityPeriod/endDate"); v != "2" || end != "2014-04-30" {
		t.Fatalf("prolongation gave version %s ending %s", v, end)
	}

	// another CPAS asks who manages the person: Namur's identification only
	q := e.call("cpas-liege", demoFile("query-manager.xml"), map[string]string{"ssin": legal.SSIN, "referenceDate": "2014-01-20"})
	wantOutcome(t, q, "DATA_FOUND", "OK")
	xmllintPayload(t, q)
	golden(t, "manual-2013-query-manager", q)
	if cbe := text(q, "carmed/pswc/cbeNumber"); cbe != "0212345668" || q.Payload.FindElement("carmed/content") != nil {
		t.Fatalf("queryCarmedManager named %q (content shown: %v)", cbe, q.Payload.FindElement("carmed/content") != nil)
	}
	none := e.call("cpas-liege", demoFile("query-manager.xml"), map[string]string{"ssin": legal.SSIN, "referenceDate": "2015-01-20"})
	wantOutcome(t, none, "NO_DATA_FOUND", "NO_DATA")
}

// callWithout sends a request file with one element (and its content) removed, after --set replacements.
func (e *env) callWithout(party, file, element string, sets map[string]string) *client.Answer {
	e.t.Helper()
	return e.send(party, "/cpas/v1", dropElement(readFixture(e.t, file), element), sets)
}
