package server_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/beevik/etree"

	"github.com/carmed/carmed/client"
	"github.com/carmed/carmed/rules"
	"github.com/carmed/carmed/store"
)

// The send as a whole: one durable, idempotent write; a malformed send refused whole with
// nothing written; payments; tarification and the GP routes on the business clock.

// stored reports whether the send is stored and which of refs the provider had accepted.
func (e *env) stored(provider, sendID string, refs ...string) (bool, []string) {
	e.t.Helper()
	var found bool
	var accepted []string
	err := e.st.View(func(r store.Reader) error {
		_, err := r.Send(provider, sendID)
		switch {
		case err == nil:
			found = true
		case !errors.Is(err, store.ErrNotFound):
			return err
		}
		for _, ref := range refs {
			ok, err := r.LineAccepted(provider, ref)
			if err != nil {
				return err
			}
			if ok {
				accepted = append(accepted, ref)
			}
		}
		return nil
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return found, accepted
}

func elString(el interface{ Copy() *etree.Element }) string {
	s, _ := newDoc(el.Copy()).WriteToString()
	return s
}

func wantReasonFault(t *testing.T, a *client.Answer, code string) {
	t.Helper()
	if a.Outcome != client.Faulted || !strings.HasSuffix(a.Code, " "+code) {
		t.Fatalf("got %v %q, want a fault with reason %s", a.Outcome, a.Code, code)
	}
}

func TestCAAMISendIsOneIdempotentWrite(t *testing.T) {
	e := caamiEnv(t, true)
	body := sendXML("idem-1", hospitalID, invoice{ref: "I-1", ssin: adam, cpas: namurCBE,
		lines: []line{hospLine("L-1", "2025-11-20"), hospLine("L-2", "2025-11-29")}})
	first := e.caami(hospital, body)
	wantOutcome(t, first, "DATA_FOUND", "OK")
	if text(first, "send/acceptedLines") != "1" || text(first, "send/rejectedLines") != "1" || text(first, "send/amountPaid") != "48000" {
		t.Fatalf("send summary: %s", payloadString(first))
	}
	t.Run("R-IDEMPOTENT/the same send again is answered with the first answer and pays nothing more", func(t *testing.T) {
		again := e.caami(hospital, body)
		if a, b := elString(first.Payload.FindElement("send")), elString(again.Payload.FindElement("send")); a != b ||
			text(again, "informationCBSS/ticketCBSS") != text(first, "informationCBSS/ticketCBSS") {
			t.Fatalf("the retry got another answer:\n%s\n%s", payloadString(first), payloadString(again))
		}
		if !strings.Contains(e.logs.String(), `"code":"REPLAYED_TICKET"`) {
			t.Fatal("the retry was not logged as a replayed ticket")
		}
		a := e.caami(hospital, paymentsXML("pay-period", hospitalID, "<period><startDate>2025-11-01</startDate><endDate>2025-11-30</endDate></period>"))
		if n := len(a.Payload.SelectElements("payment")); n != 1 || text(a, "totalPaid") != "48000" {
			t.Fatalf("%d payments, total %s, want one of 48000", n, text(a, "totalPaid"))
		}
	})
	t.Run("R-IDEMPOTENT/another send under the same ticket is rejected", func(t *testing.T) {
		other := sendXML("idem-1", hospitalID, invoice{ref: "I-9", ssin: adam, cpas: namurCBE, lines: []line{hospLine("L-9", "2025-11-21")}})
		a := e.caami(hospital, other)
		wantOutcome(t, a, "NO_RESULT", rules.CodeTicketReused)
		if _, acc := e.stored(hospitalID, "idem-1", "L-9"); len(acc) != 0 {
			t.Fatal("the refused send's line was recorded")
		}
	})
	t.Run("R-PAYMENT/the payment of a send is answered with its rejected lines and reason codes", func(t *testing.T) {
		a := e.caami(hospital, paymentsXML("pay-send", hospitalID, "<sendId>idem-1</sendId>"))
		wantOutcome(t, a, "DATA_FOUND", "OK")
		if text(a, "payment/amountPaid") != "48000" || text(a, "payment/rejectedLine/lineRef") != "L-2" ||
			text(a, "payment/rejectedLine/reasonCode") != rules.CodeCareFuture || text(a, "payment/paymentDate") != caamiToday {
			t.Fatalf("payment: %s", payloadString(a))
		}
		a = e.caami(hospital, paymentsXML("pay-none", hospitalID, "<sendId>never-sent</sendId>"))
		wantOutcome(t, a, "NO_DATA_FOUND", "NO_DATA")
		a = e.caami(gp, paymentsXML("pay-gp", gpID, "<sendId>idem-1</sendId>"))
		wantOutcome(t, a, "NO_DATA_FOUND", "NO_DATA") // another provider's send is not the GP's
	})
}

func TestCAAMIMalformedSendIsRefusedWhole(t *testing.T) {
	e := caamiEnv(t, true)
	good := invoice{ref: "I-1", ssin: adam, cpas: namurCBE, lines: []line{hospLine("M-1", "2025-11-20")}}
	for _, tc := range []struct {
		name, code string
		bad        invoice
	}{
		{"R-SSIN/a send with one invalid SSIN is refused whole", rules.CodeSSINInvalid,
			invoice{ref: "I-2", ssin: "85031412303", cpas: namurCBE, lines: []line{hospLine("M-2", "2025-11-20")}}},
		{"R-CBE/a send with one invalid CPAS number is refused whole", rules.CodeCBEInvalid,
			invoice{ref: "I-2", ssin: adam, cpas: "0212345669", lines: []line{hospLine("M-2", "2025-11-20")}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ticket := "bad-" + tc.code
			wantReasonFault(t, e.caami(hospital, sendXML(ticket, hospitalID, good, tc.bad)), tc.code)
			if found, acc := e.stored(hospitalID, ticket, "M-1", "M-2"); found || len(acc) > 0 {
				t.Fatalf("something of the refused send was written: send %v, lines %v", found, acc)
			}
		})
	}
	t.Run("R-CBE/a provider naming another provider is rejected", func(t *testing.T) {
		a := e.caami(hospital, sendXML("other-nihii", gpID, good))
		wantOutcome(t, a, "NO_RESULT", rules.CodeNIHIIMismatch)
		if found, _ := e.stored(hospitalID, "other-nihii"); found {
			t.Fatal("the refused send was written")
		}
	})
	t.Run("a CPAS certificate on the CAAMI face is refused", func(t *testing.T) {
		a := e.caami("cpas-namur", sendXML("cpas-sends", hospitalID, good))
		wantReasonFault(t, a, "NOT_AUTHORIZED")
	})
}

// TestCAAMIBigSendFits: a send over the default door's element budget is served by the CAAMI
// face's own (server.BulkDoor).
func TestCAAMIBigSendFits(t *testing.T) {
	e := caamiEnv(t, true)
	const n = 2500 // ~32,000 elements: over server.MaxElements
	ls := make([]line, n)
	for i := range ls {
		ls[i] = hospLine(fmt.Sprintf("B-%05d", i), "2025-11-20")
	}
	a := e.caami(hospital, sendXML("big-1", hospitalID, invoice{ref: "BIG", ssin: adam, cpas: namurCBE, lines: ls}))
	wantOutcome(t, a, "DATA_FOUND", "OK")
	if text(a, "send/acceptedLines") != fmt.Sprint(n) {
		t.Fatalf("accepted %s of %d lines", text(a, "send/acceptedLines"), n)
	}
	// The same payload on a face with the default door is too large.
	a = e.send("cpas-namur", "/cpas/v1", strings.Replace(sendXML("big-2", hospitalID, invoice{ref: "BIG", ssin: adam, cpas: namurCBE, lines: ls}),
		"urn:carmed:caami:v1", "urn:carmed:cpas:v1", 1), nil)
	if a.Outcome != client.Faulted || !strings.Contains(a.Code, "TOO_LARGE") {
		t.Fatalf("got %v %s on the CPAS face, want TOO_LARGE", a.Outcome, a.Code)
	}
}

func TestCAAMITarify(t *testing.T) {
	e := caamiEnv(t, true)
	consult := line{date: "2025-11-20", careType: "doctor", code: "101010"}
	t.Run("R-TARIFF/a GP consultation is answered with its parts and nothing is stored", func(t *testing.T) {
		a := e.caami(gp, tarifyXML("tar-1", gpID, adam, consult))
		wantOutcome(t, a, "DATA_FOUND", "OK")
		if text(a, "line/result") != "ACCEPTED" || text(a, "line/tarification/fee") != "3100" ||
			text(a, "line/tarification/statePart") != "3100" || text(a, "line/decision/cpasCbe") != namurCBE {
			t.Fatalf("tarification: %s", payloadString(a))
		}
		if found, _ := e.stored(gpID, "tar-1"); found {
			t.Fatal("a tarification was stored as a send")
		}
	})
	t.Run("R-GP-ROUTE/a GP under 67 billing in November 2025 is answered MediPrima only", func(t *testing.T) {
		a := e.caami(gp, tarifyXML("tar-2", gpID, adam, consult))
		if text(a, "line/gpRoute/route") != "MEDIPRIMA" || text(a, "line/gpRoute/reason") != "MANDATORY" {
			t.Fatalf("route: %s", payloadString(a))
		}
	})
	t.Run("R-GP-ROUTE/the age exception claimed by the demo GP, under 67, is rejected", func(t *testing.T) {
		l := consult
		l.extra = "<gpException>AGE_67</gpException>"
		a := e.caami(gp, tarifyXML("tar-3", gpID, adam, l))
		if text(a, "line/result") != "REJECTED" || text(a, "line/message/reasonCode") != rules.CodeGPException {
			t.Fatalf("want GP_EXCEPTION: %s", payloadString(a))
		}
	})
	t.Run("R-GP-ROUTE/an exception outside the practice in November 2025 is answered the CPAS with a justification", func(t *testing.T) {
		l := consult
		l.extra = "<gpException>OUTSIDE_PRACTICE</gpException>"
		a := e.caami(gp, tarifyXML("tar-4", gpID, adam, l))
		if text(a, "line/gpRoute/route") != "CPAS_JUSTIFIED" || text(a, "line/gpRoute/exception") != "OUTSIDE_PRACTICE" {
			t.Fatalf("route: %s", payloadString(a))
		}
	})
	t.Run("R-TARIFF/a nomenclature code of another care type is rejected", func(t *testing.T) {
		l := consult
		l.code = "768003"
		a := e.caami(gp, tarifyXML("tar-5", gpID, adam, l))
		if text(a, "line/message/reasonCode") != rules.CodeTariffUnknown {
			t.Fatalf("want TARIFF_UNKNOWN: %s", payloadString(a))
		}
	})
}

// TestCAAMIGPRoutesFollowTheBusinessClock replays the same October care on three business
// dates: the transition until 2025-10-31, then MediPrima only.
func TestCAAMIGPRoutesFollowTheBusinessClock(t *testing.T) {
	e := newEnv(t, func(o *envOpt) { o.today = rules.MustDate("2025-10-10") })
	a := e.call("cpas-namur", demoFile("create.xml"), map[string]string{"ticket": "route-create",
		"decisionDate": "2025-10-10", "startDate": "2025-10-01", "endDate": "2025-12-31"})
	wantOutcome(t, a, "DATA_FOUND", "OK")
	e.attest(adam, "2025-10-01", "2025-10-31")
	care := line{date: "2025-10-06", careType: "doctor", code: "101010"}
	for i, tc := range []struct{ today, route, reason string }{
		{"2025-10-10", "EITHER", "TRANSITION"},
		{"2025-10-31", "EITHER", "TRANSITION"},
		{"2025-11-03", "MEDIPRIMA", "MANDATORY"},
	} {
		e.setToday(tc.today)
		a := e.caami(gp, tarifyXML(fmt.Sprintf("route-%d", i), gpID, adam, care))
		if got := text(a, "line/gpRoute/route") + "/" + text(a, "line/gpRoute/reason"); got != tc.route+"/"+tc.reason {
			t.Fatalf("on %s: route %s, want %s/%s", tc.today, got, tc.route, tc.reason)
		}
	}
}
