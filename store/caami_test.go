package store

import (
	"errors"
	"strings"
	"testing"

	"github.com/carmed/carmed/rules"
)

const (
	hospitalID = "71012345"
	gpID       = "19912345004"
)

// paidLine is a line of send id paid on day, charged to cpas, with a State part of state cents.
func paidLine(provider, send, invoice, ref, cpas, day string, state int64) rules.PaidLine {
	return rules.PaidLine{SendID: send, Provider: provider, InvoiceRef: invoice, LineRef: ref, SSIN: ssinA, CPAS: cpas,
		Decision: "000000000001", Version: 1, CareDate: rules.MustDate(day), CareType: rules.Hospitalization,
		Nomenclature: "768003", PaidOn: rules.MustDate(day),
		Amounts: rules.Amounts{Fee: state, AmiPart: state, StateAmi: state, RefundCode: 3}}
}

func sendRecord(send, day string, lines []rules.PaidLine) SendRecord {
	p := rules.Payment{SendID: send, Provider: lines[0].Provider, PaidOn: rules.MustDate(day), Accepted: len(lines)}
	for _, l := range lines {
		p.Amount += l.Amounts.State()
	}
	return SendRecord{Body: []byte("<answer " + send + "/>"), Payment: p, At: t0}
}

func putSend(t *testing.T, b testStore, send, day string, lines ...rules.PaidLine) error {
	t.Helper()
	return b.Update(func(w Writer) error { return w.PutSend(lines[0].Provider, send, sendRecord(send, day, lines), lines) })
}

// november fills the store: two sends of the hospital to cbeA and cbeB, one of the GP to cbeA.
func november(t *testing.T, b testStore) {
	t.Helper()
	for _, err := range []error{
		putSend(t, b, "S1", "2025-11-10",
			paidLine(hospitalID, "S1", "F2", "L3", cbeA, "2025-11-10", 300),
			paidLine(hospitalID, "S1", "F1", "L1", cbeA, "2025-11-10", 100),
			paidLine(hospitalID, "S1", "F1", "L2", cbeB, "2025-11-10", 200)),
		putSend(t, b, "S2", "2025-11-20", paidLine(gpID, "S2", "G1", "G1/1", cbeA, "2025-11-20", 50)),
		putSend(t, b, "S3", "2025-12-01", paidLine(hospitalID, "S3", "F9", "L9", cbeA, "2025-12-01", 900)),
	} {
		if err != nil {
			t.Fatal(err)
		}
	}
}

func TestASendIsOneIdempotentWrite(t *testing.T) {
	b := openTestDB(t)
	november(t, b)
	err := b.View(func(r Reader) error {
		rec, err := r.Send(hospitalID, "S1")
		if err != nil || rec.Payment.Amount != 600 || string(rec.Body) != "<answer S1/>" {
			t.Fatalf("send S1: %+v %v", rec, err)
		}
		for _, ref := range []string{"L1", "L2", "L3"} {
			if ok, _ := r.LineAccepted(hospitalID, ref); !ok {
				t.Errorf("%s not accepted", ref)
			}
		}
		if ok, _ := r.LineAccepted(gpID, "L1"); ok {
			t.Error("another provider's reference counts")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := putSend(t, b, "S1", "2025-11-10",
		paidLine(hospitalID, "S1", "F2", "L3", cbeA, "2025-11-10", 300),
		paidLine(hospitalID, "S1", "F1", "L1", cbeA, "2025-11-10", 100),
		paidLine(hospitalID, "S1", "F1", "L2", cbeB, "2025-11-10", 200)); err != nil {
		t.Fatalf("the same send again: %v", err)
	}
	if err := putSend(t, b, "S1", "2025-11-11", paidLine(hospitalID, "S1", "F7", "L7", cbeA, "2025-11-11", 1)); !errors.Is(err, ErrAlreadyWritten) {
		t.Fatalf("another send under the id S1: %v", err)
	}
}

func TestALineAcceptedOnceIsRefusedInAnotherSendAndNothingOfThatSendIsWritten(t *testing.T) {
	b := openTestDB(t)
	november(t, b)
	err := putSend(t, b, "S4", "2025-11-21",
		paidLine(hospitalID, "S4", "F4", "L4", cbeA, "2025-11-21", 1),
		paidLine(hospitalID, "S4", "F4", "L1", cbeA, "2025-11-21", 1))
	if !errors.Is(err, ErrLineAccepted) {
		t.Fatalf("want ErrLineAccepted, got %v", err)
	}
	_ = b.View(func(r Reader) error {
		if ok, _ := r.LineAccepted(hospitalID, "L4"); ok {
			t.Error("L4 of the refused send was written")
		}
		if _, err := r.Send(hospitalID, "S4"); !errors.Is(err, ErrNotFound) {
			t.Errorf("the refused send was written: %v", err)
		}
		return nil
	})
}

func TestPaymentsAreListedByPeriod(t *testing.T) {
	b := openTestDB(t)
	november(t, b)
	_ = b.View(func(r Reader) error {
		ps, err := r.Payments(hospitalID, rules.Period{Start: rules.MustDate("2025-11-01"), End: rules.MustDate("2025-11-30")})
		if err != nil || len(ps) != 1 || ps[0].SendID != "S1" {
			t.Fatalf("November: %+v %v", ps, err)
		}
		ps, _ = r.Payments(hospitalID, rules.Period{Start: rules.MustDate("2025-11-10"), End: rules.MustDate("2025-12-01")})
		if len(ps) != 2 || ps[1].SendID != "S3" {
			t.Fatalf("10 Nov–1 Dec: %+v", ps)
		}
		if ps, _ := r.Payments(gpID, rules.Period{Start: rules.MustDate("2025-12-01"), End: rules.MustDate("2025-12-31")}); len(ps) != 0 {
			t.Fatalf("GP in December: %+v", ps)
		}
		return nil
	})
}

func TestPaidLinesWalkAMonthInStatementOrder(t *testing.T) {
	b := openTestDB(t)
	november(t, b)
	var a, all []rules.PaidLine
	_ = b.View(func(r Reader) error {
		_ = r.PaidLines(202511, cbeA, func(l *rules.PaidLine) error { a = append(a, *l); return nil })
		_ = r.PaidLines(202511, "", func(l *rules.PaidLine) error { all = append(all, *l); return nil })
		return nil
	})
	var refs []string
	for _, l := range a {
		refs = append(refs, l.LineRef)
	}
	// the rules' own statement of the same lines gives the order the cursor must walk
	want := rules.MonthStatement(cbeA, 202511, rules.FormatXML, all)
	var wantRefs []string
	for _, inv := range want.Invoices {
		for _, l := range inv.Lines {
			wantRefs = append(wantRefs, l.LineRef)
		}
	}
	if strings.Join(refs, ",") != strings.Join(wantRefs, ",") || len(refs) != 3 {
		t.Fatalf("walked %v, the statement lists %v", refs, wantRefs)
	}
	if len(all) != 4 {
		t.Fatalf("every CPAS in November: %d lines, want 4", len(all))
	}
}

func TestClosingAMonthMakesOneStatementPerCPASInItsFormat(t *testing.T) {
	b := openTestDB(t)
	november(t, b)
	closedOn := rules.MustDate("2025-12-01")
	err := b.Update(func(w Writer) error {
		if err := w.SetStatementFormat(cbeB, rules.FormatXML); err != nil {
			return err
		}
		_, err := w.CloseMonth(202511, closedOn, t0)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	_ = b.View(func(r Reader) error {
		sa, _ := r.Statements(cbeA, 0, 0)
		sb, _ := r.Statements(cbeB, 202511, 202511)
		if len(sa) != 1 || sa[0].Format != rules.FormatXLSX || sa[0].Lines != 3 || sa[0].Invoices != 3 || sa[0].Totals.State() != 450 {
			t.Fatalf("cbeA: %+v", sa)
		}
		if len(sb) != 1 || sb[0].Format != rules.FormatXML || sb[0].Lines != 1 || sb[0].Totals.State() != 200 {
			t.Fatalf("cbeB: %+v", sb)
		}
		if m, _ := r.LastClosedMonth(); m != 202511 {
			t.Fatalf("last closed %v", m)
		}
		return nil
	})
	var again MonthClosing
	_ = b.Update(func(w Writer) (err error) {
		again, err = w.CloseMonth(202511, rules.MustDate("2025-12-05"), t0)
		return err
	})
	if again.ClosedOn != closedOn {
		t.Fatalf("closing again changed the closing: %+v", again)
	}
	if err := putSend(t, b, "S5", "2025-11-30", paidLine(hospitalID, "S5", "F5", "L5", cbeA, "2025-11-30", 1)); !errors.Is(err, ErrMonthClosed) {
		t.Fatalf("a payment in a closed month: %v", err)
	}
	if problems := b.Check(); len(problems) != 0 {
		t.Fatalf("check: %v", problems)
	}
}

func TestStoreCheckFindsBrokenCaamiRecords(t *testing.T) {
	for _, c := range []struct {
		name    string
		breakIt func(t *testing.T, b testStore)
		want    string
	}{
		{"an accepted reference without its paid line", func(t *testing.T, b testStore) {
			rawPut(t, b, bucketCaamiRefs, []byte(hospitalID+"\x00L42"), []byte("S1"))
		}, "has no paid line"},
		{"a reference naming a send that is not stored", func(t *testing.T, b testStore) {
			rawPut(t, b, bucketCaamiRefs, []byte(hospitalID+"\x00L1"), []byte("S99"))
		}, "which is not stored"},
		{"a statement that is not the sum of its lines", func(t *testing.T, b testStore) {
			_ = b.Update(func(w Writer) error { _, err := w.CloseMonth(202511, rules.MustDate("2025-12-01"), t0); return err })
			r := StatementRecord{CPAS: cbeA, Month: 202511, Format: rules.FormatXLSX, Lines: 99}
			v, _ := encode(r)
			k, _ := compositeKey(monthKey(202511), cbeA)
			rawPut(t, b, bucketCaamiStatements, k, v)
		}, "not the sum of its paid lines"},
	} {
		t.Run(c.name, func(t *testing.T) {
			b := openTestDB(t)
			november(t, b)
			c.breakIt(t, b)
			problems := b.Check()
			found := false
			for _, p := range problems {
				found = found || strings.Contains(p.Error(), c.want)
			}
			if !found {
				t.Fatalf("check found %v, want %q", problems, c.want)
			}
		})
	}
}

func rawPut(t *testing.T, b testStore, bucket, k, v []byte) {
	t.Helper()
	b.rawUpdate(t, func(tx kvTx) error { return tx.Bucket(bucket).Put(k, v) })
}

// An invoice with several lines charged to one CPAS is one invoice of that CPAS's statement;
// the November fixture has one line per invoice and CPAS, so it cannot tell lines from invoices.
func TestClosingAMonthCountsAnInvoiceOnceForItsLines(t *testing.T) {
	b := openTestDB(t)
	if err := putSend(t, b, "S1", "2025-11-10",
		paidLine(hospitalID, "S1", "F1", "L1", cbeA, "2025-11-10", 100),
		paidLine(hospitalID, "S1", "F1", "L2", cbeA, "2025-11-10", 200),
		paidLine(hospitalID, "S1", "F2", "L3", cbeA, "2025-11-10", 300)); err != nil {
		t.Fatal(err)
	}
	if err := b.Update(func(w Writer) error {
		_, err := w.CloseMonth(202511, rules.MustDate("2025-12-01"), t0)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	_ = b.View(func(r Reader) error {
		sa, _ := r.Statements(cbeA, 202511, 202511)
		if len(sa) != 1 || sa[0].Lines != 3 || sa[0].Invoices != 2 || sa[0].Totals.State() != 600 {
			t.Fatalf("cbeA: %+v, want 3 lines in 2 invoices", sa)
		}
		return nil
	})
}
