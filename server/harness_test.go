package server_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/carmed/carmed/client"
	"github.com/carmed/carmed/face"
	"github.com/carmed/carmed/rules"
	"github.com/carmed/carmed/server"
	"github.com/carmed/carmed/store"
)

func TestTheHarnessFaceIsOffUnlessEnabled(t *testing.T) {
	e := newEnv(t, func(o *envOpt) { o.noHarness = true })
	resp, err := http.Get(e.url + "/harness/v1?wsdl")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("GET /harness/v1?wsdl on a gateway without --harness: HTTP %d, want 404", resp.StatusCode)
	}
	payload, _ := os.ReadFile(harnessFile("set-clock.xml"))
	a, _ := e.clientAt("admin", "/harness/v1").Call(context.Background(), payload, "")
	if a == nil || a.HTTPStatus != http.StatusNotFound {
		t.Fatalf("a signed harness call without --harness must get 404, got %+v", a)
	}
	if e.biz.Today() != demoToday {
		t.Fatal("the clock moved though the harness is off")
	}
}

func TestOnlyAnAdminCertificateMayUseTheHarness(t *testing.T) {
	e := newEnv(t)
	payload, _ := os.ReadFile(harnessFile("set-clock.xml"))
	for _, party := range []string{"cpas-namur", "hospital-chr"} {
		a, err := e.clientAt(party, "/harness/v1").Call(context.Background(), payload, "")
		if err != nil {
			t.Fatal(err)
		}
		if a.Outcome != client.Faulted {
			t.Fatalf("%s could call the harness: %v", party, a.Outcome)
		}
		d := a.Payload.FindElement(".//harnessFault")
		if d == nil {
			t.Fatalf("the fault carries no harnessFault detail:\n%s", a.Raw)
		}
		xmllintHarness(t, &client.Answer{Payload: d})
	}
	if e.biz.Today() != demoToday {
		t.Fatal("a non-admin moved the clock")
	}
}

func TestARetriedClockAdvanceMovesTheDateOnce(t *testing.T) {
	e := newEnv(t)
	sets := map[string]string{"ticket": "advance-once"}
	first := e.harness(harnessFile("set-clock-advance.xml"), sets)
	wantOutcome(t, first, "DATA_FOUND", "OK")
	after := e.biz.Today()
	if after == demoToday {
		t.Fatal("advance did not move the date")
	}
	// Recorded in the store with the request, for the other gateways of a shared store.
	if err := e.st.View(func(r store.Reader) error {
		c, ok, err := r.Clock()
		if !ok || c.Today != after {
			t.Errorf("the store records the clock %v (%v, %v), want %s", c.Today, ok, err, after)
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
	again := e.harness(harnessFile("set-clock-advance.xml"), sets)
	if e.biz.Today() != after || text(again, "today") != text(first, "today") {
		t.Fatalf("the retry moved the date again: %s then %s", after, e.biz.Today())
	}
	// No change asked: the clock is reported, not moved.
	a := e.callHarnessWithout("set-clock.xml", "today", map[string]string{"ticket": "read-clock"})
	if text(a, "today") != after.String() || text(a, "frozen") != "true" {
		t.Fatalf("clock read: %s frozen=%s", text(a, "today"), text(a, "frozen"))
	}
}

// callHarnessWithout sends a harness fixture without one of its elements.
func (e *env) callHarnessWithout(file, element string, sets map[string]string) *client.Answer {
	e.t.Helper()
	return e.send("admin", "/harness/v1", dropElement(readFixture(e.t, harnessFile(file)), element), sets)
}

func TestARetriedMutationReturnsTheFirstAnswerAndAppliesOnce(t *testing.T) {
	e := newEnv(t)
	wantOutcome(t, e.call("cpas-namur", demoFile("create.xml"), nil), "DATA_FOUND", "OK")
	sets := map[string]string{"ticket": "mutation-once", "ssin": "85031412302"}
	first := e.harness(harnessFile("mutate-name.xml"), sets)
	wantOutcome(t, first, "DATA_FOUND", "OK")
	again := e.harness(harnessFile("mutate-name.xml"), sets)
	if again.Code != "REPLAYED_TICKET" && !strings.Contains(string(again.Raw), "<mutationId>1</mutationId>") {
		t.Fatalf("retry answered %s", again.Raw)
	}
	if a, b := text(first, "mutation/mutationId"), text(again, "mutation/mutationId"); a != b || a == "" {
		t.Fatalf("mutation ids %q then %q: the retry was applied again", a, b)
	}
	if n := versionsOf(t, e, "000000000001"); n != 2 {
		t.Fatalf("%d versions after a name mutation sent twice, want 2", n)
	}
	// The same ticket with another change is refused.
	other := e.harness(harnessFile("mutate-gender.xml"), sets)
	wantOutcome(t, other, "NO_RESULT", "TICKET_REUSED")
}

// newcomers is a load of two persons the demo registry does not know.
const newcomers = `<h:loadRegistryRequest xmlns:h="urn:carmed:harness:v1">
  <ticket>load</ticket>
  <person><ssin>83061500173</ssin><lastName>Nouveau</lastName><gender>F</gender><birthDate>1983-06-15</birthDate>
    <situation><from>2020-01-01</from><kind>ILLEGAL</kind></situation>
    <situation><from>2027-01-01</from><kind>REGULARISED</kind></situation></person>
  <person><ssin>01010100126</ssin><lastName>Arrivant</lastName><birthDate>2001-01-01</birthDate></person>
</h:loadRegistryRequest>`

func TestLoadRegistryAddsNewPersonsAndNeverOverwrites(t *testing.T) {
	e := newEnv(t)
	t.Run("R-PERSON-KNOWN/a load of new persons is accepted and they become known", func(t *testing.T) {
		a := e.send("admin", "/harness/v1", newcomers, map[string]string{"ticket": "load-1"})
		wantOutcome(t, a, "DATA_FOUND", "OK")
		xmllintHarness(t, a)
		if text(a, "loaded") != "2" || text(a, "unchanged") != "0" {
			t.Fatalf("loaded %s unchanged %s", text(a, "loaded"), text(a, "unchanged"))
		}
		p := person(t, e, "83061500173")
		if sit, _ := p.SituationOn(rules.MustDate("2027-01-01")); p.LastName != "Nouveau" || sit.Kind != rules.SitRegularised {
			t.Fatalf("stored %+v", p)
		}
		a = e.send("admin", "/harness/v1", newcomers, map[string]string{"ticket": "load-2"})
		if text(a, "loaded") != "0" || text(a, "unchanged") != "2" {
			t.Fatalf("a second identical load: loaded %s unchanged %s", text(a, "loaded"), text(a, "unchanged"))
		}
	})
	t.Run("R-PERSON-KNOWN/a load that would overwrite a stored person is rejected and changes nothing", func(t *testing.T) {
		before := person(t, e, "83061500173")
		a := e.send("admin", "/harness/v1", newcomers, map[string]string{"ticket": "load-3", "lastName": "Overwritten"})
		wantOutcome(t, a, "NO_RESULT", "PERSON_EXISTS")
		xmllintHarness(t, a)
		if text(a, "status/information/fieldName") != "person" {
			t.Fatal("the status does not say which person of the load is refused")
		}
		if after := person(t, e, "83061500173"); !reflect.DeepEqual(before, after) {
			t.Fatal("a refused load changed a stored person")
		}
	})
}

func between(s, a, b string) string {
	i := strings.Index(s, a)
	j := strings.Index(s[i+len(a):], b)
	return s[i+len(a) : i+len(a)+j]
}

func person(t *testing.T, e *env, ssin string) rules.Person {
	t.Helper()
	var p rules.Person
	if err := e.st.View(func(r store.Reader) error {
		var err error
		p, err = r.Person(ssin)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestNoticesAreAcknowledgedAllOrNoneAndOnlyByTheirCPAS(t *testing.T) {
	e := newEnv(t)
	wantOutcome(t, e.call("cpas-namur", demoFile("create.xml"), nil), "DATA_FOUND", "OK")
	wantOutcome(t, e.harness(harnessFile("mutate-name.xml"), map[string]string{"ticket": "ack-name", "ssin": "85031412302"}), "DATA_FOUND", "OK")
	id := text(e.pollNotices("cpas-namur", "0212345668", "ack-poll"), "notice/noticeId")
	if id == "" {
		t.Fatal("no notice after a name change on a current decision")
	}
	t.Run("R-NOTICE/acknowledging another CPAS's notice is rejected and it stays pending", func(t *testing.T) {
		a := e.ack("cpas-liege", "0207456769", "ack-foreign", id)
		wantOutcome(t, a, "NO_RESULT", "NOTICE_UNKNOWN")
		if text(e.pollNotices("cpas-namur", "0212345668", "ack-poll-2"), "notice/noticeId") != id {
			t.Fatal("a foreign acknowledgement removed the notice")
		}
	})
	t.Run("R-NOTICE/acknowledging an unknown id is rejected", func(t *testing.T) {
		wantOutcome(t, e.ack("cpas-namur", "0212345668", "ack-unknown", "999999999999"), "NO_RESULT", "NOTICE_UNKNOWN")
	})
	t.Run("R-NOTICE/the managing CPAS's acknowledgement is accepted and the notice is no longer delivered", func(t *testing.T) {
		wantOutcome(t, e.ack("cpas-namur", "0212345668", "ack-own", id), "NO_DATA_FOUND", "NO_DATA")
		wantOutcome(t, e.pollNotices("cpas-namur", "0212345668", "ack-poll-3"), "NO_DATA_FOUND", "NO_DATA")
		// The harness still lists it, acknowledged.
		a := e.harness(harnessFile("list-notices.xml"), map[string]string{"ticket": "ack-list"})
		if text(a, "notice/noticeId") != id || text(a, "notice/acknowledged") != "true" {
			t.Fatalf("harness listing:\n%s", a.Raw)
		}
	})
}

// The mutation and its decision updates are one transaction: a store write failing at any point
// leaves neither the registry change nor a version, notice or log entry behind.
func TestAMutationFailingMidwayLeavesNothingHalfApplied(t *testing.T) {
	e := newEnv(t)
	wantOutcome(t, e.call("cpas-namur", demoFile("create.xml"), nil), "DATA_FOUND", "OK")
	liege := map[string]string{"ticket": "liege-1", "ssin": "90072224663", "cbeNumber": "0207456769",
		"startDate": "2027-01-01", "endDate": "2027-02-28"}
	wantOutcome(t, e.call("cpas-liege", demoFile("create.xml"), liege), "DATA_FOUND", "OK")
	type state struct {
		persons  [2]rules.Person
		versions [2]int
		notices  int
		log      int
	}
	read := func() state {
		var s state
		err := e.st.View(func(r store.Reader) error {
			for i, ssin := range []string{"85031412302", "90072224663"} {
				p, err := r.Person(ssin)
				if err != nil {
					return err
				}
				s.persons[i] = p
			}
			for i, n := range []string{"000000000001", "000000000002"} {
				d, err := r.Decision(n)
				if err != nil {
					return err
				}
				s.versions[i] = len(d.Versions)
			}
			ns, _, err := r.Notices(store.NoticeQuery{IncludeAcknowledged: true})
			s.notices = len(ns)
			ms, err2 := r.MutationsBySSIN("85031412302")
			s.log = len(ms)
			return errors.Join(err, err2)
		})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	before := read()
	m := rules.Mutation{Kind: rules.MutSSIN, SSIN: "85031412302", Effective: demoToday, NewSSIN: "90072224663"}
	boom := errors.New("disk full")
	eng := rules.New(nil)
	applied := false
	for n := 0; n < 50 && !applied; n++ {
		err := e.st.Update(func(w store.Writer) error {
			_, err := face.MutateInTx(store.FailAfter(w, n, boom), eng, &m, face.CPASLookup(e.srv.Trust()), demoToday, time.Now())
			return err
		})
		switch {
		case errors.Is(err, boom):
			if got := read(); !reflect.DeepEqual(got, before) {
				t.Fatalf("a failure after %d writes left a half-applied mutation:\nbefore %+v\nafter  %+v", n, before, got)
			}
		case err == nil:
			applied = true
			after := read()
			if after.versions != [2]int{2, 2} || after.notices != 2 || after.log != 1 || after.persons[0].ReplacedBy != "90072224663" {
				t.Fatalf("the mutation, once it commits, is whole: %+v", after)
			}
			if n < 6 {
				t.Fatalf("the mutation committed after only %d writes: the cut points were not all tried", n)
			}
		default:
			t.Fatal(err)
		}
	}
	if !applied {
		t.Fatal("the mutation never committed")
	}
}

// Through the signed face too: a store that fails inside the mutation answers a server fault and
// the registry is unchanged.
func TestAMutationWhoseStoreWriteFailsAnswersAFaultAndChangesNothing(t *testing.T) {
	var fail bool
	e := newEnv(t, func(o *envOpt) {
		o.wrap = func(s store.Store) store.Store { return failingStore{Store: s, on: &fail} }
	})
	wantOutcome(t, e.call("cpas-namur", demoFile("create.xml"), nil), "DATA_FOUND", "OK")
	before := person(t, e, "85031412302")
	fail = true
	a := e.harness(harnessFile("mutate-situation.xml"), map[string]string{"ticket": "fails"})
	if a.Outcome != client.Faulted {
		t.Fatalf("a failed store write answered %v", a.Outcome)
	}
	if after := person(t, e, "85031412302"); !reflect.DeepEqual(before, after) || versionsOf(t, e, "000000000001") != 1 {
		t.Fatal("the failed mutation left a trace")
	}
	fail = false
	wantOutcome(t, e.harness(harnessFile("mutate-situation.xml"), map[string]string{"ticket": "fails"}), "DATA_FOUND", "OK")
	if versionsOf(t, e, "000000000001") != 2 {
		t.Fatal("the same ticket after the failure was not applied")
	}
}

// failingStore fails the third write of every transaction while on is set.
type failingStore struct {
	store.Store
	on *bool
}

func (f failingStore) Update(fn func(store.Writer) error) error {
	if *f.on {
		return store.FailUpdates(f.Store, 2, errors.New("injected write failure")).Update(fn)
	}
	return f.Store.Update(fn)
}

// Every written version keeps its audit record — the verified request and the signed answer —
// whether a CPAS wrote it or a mutation did.
func TestEveryWrittenVersionIsAuditedWithItsSignedAnswer(t *testing.T) {
	e := newEnv(t)
	created := e.call("cpas-namur", demoFile("create.xml"), nil)
	wantOutcome(t, created, "DATA_FOUND", "OK")
	mutated := e.harness(harnessFile("mutate-situation.xml"), map[string]string{"ticket": "audited"})
	wantOutcome(t, mutated, "DATA_FOUND", "OK")
	for _, c := range []struct {
		version      int
		answer       *client.Answer
		signer, body string
	}{
		{1, created, "0212345668", "demo-create-0001"},
		{2, mutated, "admin", "audited"},
	} {
		var a store.Audit
		if err := e.st.View(func(r store.Reader) error {
			var err error
			a, err = r.Audit("000000000001", c.version)
			return err
		}); err != nil {
			t.Fatalf("version %d: %v", c.version, err)
		}
		if string(a.Response) != string(c.answer.Raw) || a.Signer != c.signer || !strings.Contains(string(a.Request), c.body) {
			t.Fatalf("audit of version %d: signer %q, response equal to the answer sent: %v", c.version, a.Signer,
				string(a.Response) == string(c.answer.Raw))
		}
	}
}

// refusingStore fails every write transaction with err.
type refusingStore struct {
	store.Store
	err error
}

func (f refusingStore) Update(func(store.Writer) error) error { return f.err }

// A store that lost to other writers too often, or whose cluster did not answer, answers
// STORE_BUSY (HTTP 503: retry later); one whose transaction limit a request exceeds answers
// STORE_LIMIT; anything else stays SERVER_ERROR. Nothing is written in any case.
func TestAStoreRefusalAnswersItsOwnFaultCode(t *testing.T) {
	for _, c := range []struct {
		err    error
		code   string
		status int
	}{
		{store.ErrContention, server.FaultStoreBusy, http.StatusServiceUnavailable},
		{fmt.Errorf("%w: context deadline exceeded", store.ErrUnavailable), server.FaultStoreBusy, http.StatusServiceUnavailable},
		{fmt.Errorf("%w: 300 writes", store.ErrTooLarge), server.FaultStoreLimit, http.StatusInternalServerError},
		{errors.New("disk on fire"), server.FaultServerError, http.StatusInternalServerError},
	} {
		t.Run(c.code+" for "+c.err.Error(), func(t *testing.T) {
			e := newEnv(t, func(o *envOpt) {
				o.wrap = func(s store.Store) store.Store { return refusingStore{Store: s, err: c.err} }
			})
			a := e.call("cpas-namur", demoFile("create.xml"), nil)
			if a.Outcome != client.Faulted || !strings.Contains(a.Code, c.code) || a.HTTPStatus != c.status {
				t.Fatalf("answered %v %q HTTP %d, want a fault %s HTTP %d", a.Outcome, a.Code, a.HTTPStatus, c.code, c.status)
			}
			if strings.Contains(string(a.Raw), c.err.Error()) {
				t.Error("the store's cause reached the client")
			}
		})
	}
}
