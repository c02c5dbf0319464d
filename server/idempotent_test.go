package server_test

import (
	"bytes"
	"context"
	"os"
	"reflect"
	"regexp"
	"testing"
	"time"

	"github.com/carmed/carmed/client"
	"github.com/carmed/carmed/face/cpas"
	"github.com/carmed/carmed/server"
	"github.com/carmed/carmed/store"
	"github.com/carmed/carmed/wssec"
)

// Idempotent writes (R-IDEMPOTENT, design §4): a retry with the same ticket and body gets the first
// answer's Body sealed again, the same ticket with another body gets TICKET_REUSED.

// bodyContent is what an answer's Body holds, byte for byte as sent (the Body's own start tag
// carries a fresh wsu:Id at every sealing, so it is left out).
var bodyContent = regexp.MustCompile(`(?s)<(?:[A-Za-z0-9_-]+:)?Body\b[^>]*>(.*)</(?:[A-Za-z0-9_-]+:)?Body>`)

func answerBodyOf(t *testing.T, a *client.Answer) string {
	t.Helper()
	m := bodyContent.FindSubmatch(a.Raw)
	if m == nil {
		t.Fatalf("no Body in the answer:\n%s", a.Raw)
	}
	return string(m[1])
}

// timestampOf is the answer's wsu:Timestamp element as sent.
func timestampOf(a *client.Answer) string {
	return string(regexp.MustCompile(`(?s)<(?:[A-Za-z0-9_-]+:)?Timestamp\b.*?</(?:[A-Za-z0-9_-]+:)?Timestamp>`).Find(a.Raw))
}

// later moves the wall clock of the gateway and its clients on by d.
func (c *testClock) later(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// strictClient signs as party for the face at path and verifies answers without any clock skew:
// an answer whose Timestamp has expired is refused.
func (e *env) strictClient(party, path string) *client.Client {
	c := e.clientAt(party, path)
	c.Verifier = &wssec.Verifier{Trust: client.Pinned{Cert: e.gw}, Now: e.clock.Now, Skew: time.Nanosecond}
	return c
}

func (e *env) storedReply(cbe, ticket string) store.Reply {
	e.t.Helper()
	var r store.Reply
	if err := e.st.View(func(rd store.Reader) error {
		var err error
		r, err = rd.Reply(cbe, ticket)
		return err
	}); err != nil {
		e.t.Fatalf("stored reply: %v", err)
	}
	return r
}

func (e *env) audit(number string, version int) store.Audit {
	e.t.Helper()
	var a store.Audit
	if err := e.st.View(func(r store.Reader) error {
		var err error
		a, err = r.Audit(number, version)
		return err
	}); err != nil {
		e.t.Fatalf("audit: %v", err)
	}
	return a
}

// callStrict sends a request file through a strict client; a transport or verification error fails the test.
func callStrict(t *testing.T, c *client.Client, file string, sets map[string]string) *client.Answer {
	t.Helper()
	b, err := client.Set([]byte(readFixture(t, file)), sets)
	if err != nil {
		t.Fatal(err)
	}
	a, err := c.Call(context.Background(), b, "")
	if err != nil {
		t.Fatalf("the answer was refused: %v", err)
	}
	return a
}

func TestIdempotentWrites(t *testing.T) {
	const namur, createTicket = "0212345668", "demo-create-0001"

	t.Run("R-IDEMPOTENT/a retried create with the same ticket and body is answered with the first answer's body and writes nothing", func(t *testing.T) {
		e := newEnv(t)
		first := e.call("cpas-namur", demoFile("create.xml"), nil)
		wantOutcome(t, first, "DATA_FOUND", "OK")
		stored := e.storedReply(namur, createTicket)
		// the client signs again (new Timestamp, new Ids): a real retry, not a replay of the same bytes
		again := e.call("cpas-namur", demoFile("create.xml"), nil)
		wantOutcome(t, again, "DATA_FOUND", "OK")
		if answerBodyOf(t, again) != answerBodyOf(t, first) {
			t.Fatalf("the retry's Body differs from the first answer's:\n%s\n%s", answerBodyOf(t, first), answerBodyOf(t, again))
		}
		if a, b := text(first, "informationCBSS/ticketCBSS"), text(again, "informationCBSS/ticketCBSS"); a == "" || a != b {
			t.Fatalf("ticketCBSS %q then %q: the retry must carry the first answer's", a, b)
		}
		if n := versionsOf(t, e, "000000000001"); n != 1 {
			t.Fatalf("decision has %d versions after a retry, want 1", n)
		}
		if ds := decisionsOf(t, e, "85031412302"); len(ds) != 1 {
			t.Fatalf("a retry created decisions %v, want exactly one", ds)
		}
		if got := e.storedReply(namur, createTicket); !reflect.DeepEqual(got, stored) {
			t.Fatal("the retry rewrote the stored reply")
		}
		if a := e.audit("000000000001", 1); !bytes.Equal(a.Response, first.Raw) {
			t.Fatal("the audit must keep the first answer's signed bytes")
		}
	})

	t.Run("R-IDEMPOTENT/a create retried more than five minutes later is answered sealed again and a strict client accepts it", func(t *testing.T) {
		e := newEnv(t)
		c := e.strictClient("cpas-namur", "/cpas/v1")
		first := callStrict(t, c, demoFile("create.xml"), nil)
		wantOutcome(t, first, "DATA_FOUND", "OK")
		e.clock.later(server.ResponseTTL + 5*time.Minute) // the first answer has expired, skew or not
		again := callStrict(t, c, demoFile("create.xml"), nil)
		if !again.Verified || answerBodyOf(t, again) != answerBodyOf(t, first) {
			t.Fatalf("the late retry: verified %v, same Body %v", again.Verified, answerBodyOf(t, again) == answerBodyOf(t, first))
		}
		if timestampOf(again) == "" || timestampOf(again) == timestampOf(first) {
			t.Fatal("the late retry must carry a fresh Timestamp")
		}
		if a := e.audit("000000000001", 1); !bytes.Equal(a.Response, first.Raw) {
			t.Fatal("the audit must keep the first answer's signed bytes")
		}
	})

	t.Run("R-IDEMPOTENT/a SOAP 1.2 retry of a SOAP 1.1 create is answered in SOAP 1.2 with the first answer's body", func(t *testing.T) {
		e := newEnv(t)
		first := e.call("cpas-namur", demoFile("create.xml"), nil)
		wantOutcome(t, first, "DATA_FOUND", "OK")
		c := e.strictClient("cpas-namur", "/cpas/v1")
		c.SOAP12 = true
		payload, err := os.ReadFile(demoFile("create.xml"))
		if err != nil {
			t.Fatal(err)
		}
		again, err := c.Call(context.Background(), payload, "")
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Contains(again.Raw, []byte(server.NSSoap12)) || answerBodyOf(t, again) != answerBodyOf(t, first) {
			t.Fatalf("SOAP 1.2 retry answered:\n%s", again.Raw)
		}
	})

	t.Run("R-IDEMPOTENT/the same ticket with another body is rejected (TICKET_REUSED) and writes nothing", func(t *testing.T) {
		e := newEnv(t)
		wantOutcome(t, e.call("cpas-namur", demoFile("create.xml"), nil), "DATA_FOUND", "OK")
		stored := e.storedReply(namur, createTicket)
		e.clock.later(server.ResponseTTL + 5*time.Minute)
		a := e.call("cpas-namur", demoFile("create.xml"), map[string]string{"ssin": "90072224663"})
		wantOutcome(t, a, "NO_RESULT", "TICKET_REUSED")
		xmllintPayload(t, a)
		if ds := decisionsOf(t, e, "90072224663"); len(ds) != 0 {
			t.Fatalf("the reused ticket wrote decisions %v", ds)
		}
		if got := e.storedReply(namur, createTicket); !reflect.DeepEqual(got, stored) {
			t.Fatal("a reused ticket rewrote the stored reply")
		}
	})

	t.Run("R-IDEMPOTENT/a harness mutation retried more than five minutes later is answered with the first answer's body and applied once", func(t *testing.T) {
		e := newEnv(t)
		wantOutcome(t, e.call("cpas-namur", demoFile("create.xml"), nil), "DATA_FOUND", "OK")
		c := e.strictClient("admin", "/harness/v1")
		sets := map[string]string{"ticket": "late-mutation", "ssin": "85031412302"}
		first := callStrict(t, c, harnessFile("mutate-name.xml"), sets)
		wantOutcome(t, first, "DATA_FOUND", "OK")
		e.clock.later(server.ResponseTTL + 5*time.Minute)
		again := callStrict(t, c, harnessFile("mutate-name.xml"), sets)
		if answerBodyOf(t, again) != answerBodyOf(t, first) || timestampOf(again) == timestampOf(first) {
			t.Fatalf("the late harness retry is not the first Body sealed again:\n%s", again.Raw)
		}
		if n := versionsOf(t, e, "000000000001"); n != 2 {
			t.Fatalf("%d versions after a mutation sent twice, want 2", n)
		}
		if a := e.audit("000000000001", 2); !bytes.Equal(a.Response, first.Raw) {
			t.Fatal("the audit must keep the first harness answer's signed bytes")
		}
		other := callStrict(t, c, harnessFile("mutate-gender.xml"), sets)
		wantOutcome(t, other, "NO_RESULT", "TICKET_REUSED")
	})
}

// A reply stored by schema 1 of the store holds the signed envelope: its Body's element is what a
// retry gets, sealed again.
func TestAStoredEnvelopeOfSchema1IsSealedAgain(t *testing.T) {
	e := newEnv(t)
	first := e.call("cpas-namur", demoFile("create.xml"), nil)
	wantOutcome(t, first, "DATA_FOUND", "OK")
	strict := &wssec.Verifier{Trust: client.Pinned{Cert: e.gw}, Now: e.clock.Now, Skew: time.Nanosecond}

	// the envelope as the first answer went out, and the same with the payload's namespace declared
	// on the Envelope only: taken out, the element must still mean the same
	moved := regexp.MustCompile(` xmlns:tns="urn:carmed:cpas:v1"`).ReplaceAll(first.Raw, nil)
	moved = regexp.MustCompile(`<([A-Za-z0-9_-]+):Envelope `).ReplaceAll(moved, []byte(`<$1:Envelope xmlns:tns="urn:carmed:cpas:v1" `))
	if bytes.Equal(moved, first.Raw) {
		t.Fatal("the test did not move the namespace declaration")
	}
	for name, env := range map[string][]byte{"as sent": first.Raw, "namespace on the Envelope": moved} {
		payload, err := server.StoredAnswer(store.Reply{Envelope: env})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		sealed, err := e.srv.SealSOAP11(payload)
		if err != nil {
			t.Fatal(err)
		}
		a, err := (&client.Client{Verifier: strict}).Read(200, sealed)
		if err != nil {
			t.Fatalf("%s: the answer sealed again does not verify: %v", name, err)
		}
		if a.Payload.NamespaceURI() != cpas.NS || text(a, "informationCBSS/ticketCBSS") != text(first, "informationCBSS/ticketCBSS") {
			t.Fatalf("%s: sealed again as %s {%s}", name, a.Payload.Tag, a.Payload.NamespaceURI())
		}
		if name == "as sent" && answerBodyOf(t, a) != answerBodyOf(t, first) {
			t.Fatalf("the Body taken from a stored envelope changed:\n%s\n%s", answerBodyOf(t, first), answerBodyOf(t, a))
		}
	}
	if _, err := server.StoredAnswer(store.Reply{Envelope: []byte("<Envelope/>")}); err == nil {
		t.Fatal("an envelope without a Body element gave an answer")
	}
}
