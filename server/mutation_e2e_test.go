package server_test

import (
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/carmed/carmed/client"
)

// The harness-driven mutation scenarios of issue #4 through the signed faces: the admin changes
// the registry, the CPAS learns it from its notices and acts. Answers are compared with golden
// files in testdata/golden/mutations (go test ./server -update rewrites them).

const mutationGolden = "../testdata/golden/mutations"

func harnessFile(name string) string {
	return filepath.Join("..", "testdata", "requests", "harness", name)
}

func noticesFile() string {
	return filepath.Join("..", "testdata", "requests", "notices", "consult-notices.xml")
}

// xmllintHarness validates a harness answer against the harness XSD.
func xmllintHarness(t testing.TB, a *client.Answer) {
	t.Helper()
	lint := needTool(t, "xmllint")
	f := filepath.Join(t.TempDir(), "payload.xml")
	if err := newDoc(a.Payload.Copy()).WriteToFile(f); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(lint, "--noout", "--schema", "../xsd/carmed-harness-v1.xsd", f).CombinedOutput(); err != nil {
		t.Fatalf("harness answer does not validate against its XSD: %s", out)
	}
}

// pollNotices is consultNotices without acknowledging anything.
func (e *env) pollNotices(party, cbe, ticket string) *client.Answer {
	e.t.Helper()
	s := readFixture(e.t, noticesFile())
	for next := dropElement(s, "acknowledge"); next != s; next = dropElement(s, "acknowledge") {
		s = next
	}
	return e.send(party, "/cpas/v1", s, map[string]string{"ticket": ticket, "cbeNumber": cbe})
}

// ack acknowledges one notice id and gets what is still pending.
func (e *env) ack(party, cbe, ticket, id string) *client.Answer {
	e.t.Helper()
	one := dropElement(readFixture(e.t, noticesFile()), "acknowledge") // the fixture has two
	return e.send(party, "/cpas/v1", one, map[string]string{"ticket": ticket, "cbeNumber": cbe, "acknowledge": id})
}

// A refund-code mutation: create → mutation → notice → modify refused → reactivation refused
// (R-MUT-ORDER) → stop outside the window refused → stop at suspension − 1 → acknowledge → consult.
func TestHarnessScenarioRefundCodeMutationThroughTheSignedFaces(t *testing.T) {
	e := newEnv(t)
	golden := func(name string, a *client.Answer) { t.Helper(); goldenIn(t, mutationGolden, name, a) }

	a := e.call("cpas-namur", demoFile("create.xml"), nil)
	wantOutcome(t, a, "DATA_FOUND", "OK")

	a = e.harness(harnessFile("set-clock.xml"), map[string]string{"ticket": "scn-refund-clock", "today": "2026-12-20"})
	wantOutcome(t, a, "DATA_FOUND", "OK")
	xmllintHarness(t, a)
	golden("refund-01-set-clock", a)
	if got := e.biz.Today().String(); got != "2026-12-20" {
		t.Fatalf("business date after setClock = %s", got)
	}

	// The person becomes regularised from 15 December: refund code 1 → 3.
	a = e.harness(harnessFile("mutate-situation.xml"), map[string]string{"ticket": "scn-refund-mutation"})
	wantOutcome(t, a, "DATA_FOUND", "OK")
	xmllintHarness(t, a)
	golden("refund-02-mutation", a)
	if st, id := text(a, "mutation/affected/status"), text(a, "mutation/affected/noticeId"); st != "SUSPENDED" || id == "" {
		t.Fatalf("affected decision status %q notice %q", st, id)
	}
	noticeID := text(a, "mutation/affected/noticeId")

	a = e.pollNotices("cpas-namur", "0212345668", "scn-refund-poll-1")
	wantOutcome(t, a, "DATA_FOUND", "OK")
	xmllintPayload(t, a)
	golden("refund-03-notice", a)
	if text(a, "notice/suspension/oldRefundCode") != "1" || text(a, "notice/suspension/newRefundCode") != "3" ||
		text(a, "notice/nextAction/action") != "STOP" || text(a, "notice/nextAction/minStopDate") != "2026-12-14" {
		t.Fatal("the notice does not carry the codes and the allowed stop")
	}
	// Delivered until acknowledged: a second poll gets it again.
	if again := e.pollNotices("cpas-namur", "0212345668", "scn-refund-poll-2"); text(again, "notice/noticeId") != noticeID {
		t.Fatal("an unacknowledged notice was not delivered again")
	}
	// Another CPAS sees none of it.
	wantOutcome(t, e.pollNotices("cpas-liege", "0207456769", "scn-refund-poll-liege"), "NO_DATA_FOUND", "NO_DATA")

	a = e.call("cpas-namur", demoFile("modify.xml"), map[string]string{"ticket": "scn-refund-modify", "versionNumber": "2"})
	wantOutcome(t, a, "NO_RESULT", "SUSP_REFUND") // the stop is the only action (R-MUT-ORDER)
	golden("refund-04-modify-refused", a)

	a = e.callWithout("cpas-namur", demoFile("modify.xml"), "decision",
		map[string]string{"ticket": "scn-refund-activate", "versionNumber": "2", "action": "ACTIVATE"})
	wantOutcome(t, a, "NO_RESULT", "SUSP_REFUND") // no overlap pending: no ACTIVATE_ORDER
	golden("refund-05-activate-refused", a)

	a = e.call("cpas-namur", demoFile("stop.xml"), map[string]string{"ticket": "scn-refund-stop-today", "endDate": "2026-12-20"})
	wantOutcome(t, a, "NO_RESULT", "STOP_SUSP_DATE")

	a = e.call("cpas-namur", demoFile("stop.xml"), map[string]string{"ticket": "scn-refund-stop", "endDate": "2026-12-14"})
	wantOutcome(t, a, "DATA_FOUND", "OK")
	xmllintPayload(t, a)
	golden("refund-06-stop", a)
	if text(a, "carmed/status") != "STOPPED" || text(a, "carmed/versionNumber") != "3" {
		t.Fatal("the retroactive stop did not make version 3 STOPPED")
	}

	a = e.ack("cpas-namur", "0212345668", "scn-refund-ack", noticeID)
	wantOutcome(t, a, "NO_DATA_FOUND", "NO_DATA")
	golden("refund-07-acknowledged", a)

	a = e.call("cpas-namur", demoFile("history.xml"), map[string]string{"ticket": "scn-refund-history"})
	wantOutcome(t, a, "DATA_FOUND", "OK")
	golden("refund-08-history", a)
	if n := len(a.Payload.SelectElements("carmed")); n != 3 {
		t.Fatalf("history has %d versions, want 3 (create, mutation, stop)", n)
	}
	storeStaysConsistent(t, e, "85031412302")
}

// storeStaysConsistent runs the store's invariants (carmed store check) after a scenario and
// checks that no log line carried a beneficiary's SSIN.
func storeStaysConsistent(t *testing.T, e *env, ssins ...string) {
	t.Helper()
	if errs := e.st.Check(); len(errs) > 0 {
		t.Fatalf("store check after the scenario: %v", errs)
	}
	logs := e.logs.String()
	if !strings.Contains(logs, `"face":"harness"`) {
		t.Fatal("the harness calls were not logged")
	}
	for _, ssin := range ssins {
		if strings.Contains(logs, ssin) {
			t.Fatal("a log line carries an SSIN")
		}
	}
}

// An SSIN merge makes two CPAS's decisions overlap: both are suspended and told; the first
// reactivation keeps its period, the later one must shorten its own to end the overlap.
func TestHarnessScenarioSSINMergeAndReactivationThroughTheSignedFaces(t *testing.T) {
	e := newEnv(t)
	golden := func(name string, a *client.Answer) { t.Helper(); goldenIn(t, mutationGolden, name, a) }
	const bis, national = "91500114252", "90072224663"

	wantOutcome(t, e.call("cpas-namur", demoFile("create.xml"), map[string]string{"ticket": "scn-merge-namur", "ssin": bis}),
		"DATA_FOUND", "OK")
	liege := map[string]string{"ticket": "scn-merge-liege", "ssin": national, "cbeNumber": "0207456769",
		"startDate": "2027-01-01", "endDate": "2027-03-31"}
	wantOutcome(t, e.call("cpas-liege", demoFile("create.xml"), liege), "DATA_FOUND", "OK")

	a := e.harness(harnessFile("mutate-ssin.xml"), map[string]string{"ticket": "scn-merge-mutation", "ssin": bis, "newSsin": national})
	wantOutcome(t, a, "DATA_FOUND", "OK")
	xmllintHarness(t, a)
	golden("merge-01-mutation", a)
	if text(a, "mutation/ssinChange") != "MERGE" || len(a.Payload.FindElements("mutation/affected")) != 2 {
		t.Fatal("a merge must move and suspend both decisions")
	}

	a = e.pollNotices("cpas-liege", "0207456769", "scn-merge-poll-liege")
	wantOutcome(t, a, "DATA_FOUND", "OK")
	xmllintPayload(t, a)
	golden("merge-02-notice-liege", a)
	if text(a, "notice/suspension/reason") != "SSIN_OVERLAP" || text(a, "notice/nextAction/action") != "ACTIVATE" {
		t.Fatal("the other CPAS's notice does not ask for a reactivation")
	}

	// Liège is first: its decision keeps its period, which still overlaps Namur's suspended one.
	a = e.callWithout("cpas-liege", demoFile("modify.xml"), "decision", map[string]string{"ticket": "scn-merge-act-liege",
		"cbeNumber": "0207456769", "carmedNumber": "000000000002", "versionNumber": "2", "action": "ACTIVATE"})
	wantOutcome(t, a, "DATA_FOUND", "OK")
	golden("merge-03-first-reactivated", a)

	// Namur is later: keeping its period would overlap the active decision.
	act := map[string]string{"ticket": "scn-merge-act-namur-1", "carmedNumber": "000000000001", "versionNumber": "2", "action": "ACTIVATE"}
	a = e.callWithout("cpas-namur", demoFile("modify.xml"), "decision", act)
	wantOutcome(t, a, "NO_RESULT", "OVERLAP_OTHER")
	// Shortened to end the day before Liège's start: accepted, no day lost.
	act["ticket"], act["startDate"], act["endDate"] = "scn-merge-act-namur-2", "2026-12-01", "2026-12-31"
	a = e.call("cpas-namur", demoFile("modify.xml"), act)
	wantOutcome(t, a, "DATA_FOUND", "OK")
	golden("merge-04-later-reactivated", a)
	if text(a, "carmed/validityPeriod/endDate") != "2026-12-31" || text(a, "carmed/beneficiary/ssin") != national {
		t.Fatal("the later reactivation did not shorten the decision under the new SSIN")
	}

	// The old BIS number takes no new decision.
	a = e.call("cpas-namur", demoFile("create.xml"), map[string]string{"ticket": "scn-merge-old-ssin", "ssin": bis})
	wantOutcome(t, a, "NO_RESULT", "PERSON_REPLACED")

	a = e.harness(harnessFile("consult-person.xml"), map[string]string{"ticket": "scn-merge-person", "ssin": bis})
	wantOutcome(t, a, "DATA_FOUND", "OK")
	golden("merge-05-old-person", a)
	if text(a, "person/replacedBy") != national {
		t.Fatal("the old record does not name its replacement")
	}
	storeStaysConsistent(t, e, bis, national)
}
