package statement

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"testing"

	"github.com/beevik/etree"
	"github.com/xuri/excelize/v2"

	"github.com/carmed/carmed/internal/needtool"
	"github.com/carmed/carmed/rules"
)

const (
	cpasA = "0212345668"
	cpasB = "0207456769"
	ssin  = "85031412302"
)

var nov = rules.Month(202511)

// paid builds a paid line whose parts add up: the State pays the AMI part and half the patient
// part, the CPAS the rest of it, the patient the supplements.
func paid(cpas, provider, send, invoice, ref, careDay, paidDay string, fee, patient, supplements int64) rules.PaidLine {
	a := rules.Amounts{Fee: fee, AmiPart: fee - patient, PatientPart: patient, Supplements: supplements,
		StateAmi: fee - patient, StatePatient: patient / 2, RefundCode: 7, Percent: rules.Percent{AmiPart: 100, PatientPart: 50}}
	a.CPAS = patient - a.StatePatient
	a.Patient = supplements
	return rules.PaidLine{SendID: send, Provider: provider, InvoiceRef: invoice, LineRef: ref, SSIN: ssin, CPAS: cpas,
		Decision: "000000000001", Version: 2, CareDate: rules.MustDate(careDay), CareType: rules.Hospitalization,
		Nomenclature: "768003", Amounts: a, PaidOn: rules.MustDate(paidDay)}
}

// month are lines of two CPAS, two months, three providers; out of order on purpose.
func month() []rules.PaidLine {
	return []rules.PaidLine{
		paid(cpasA, "71012345", "S2", "F20", "F20/1", "2025-11-14", "2025-11-20", 48000, 1800, 2500),
		paid(cpasA, "71012345", "S1", "F10", "F10/2", "2025-11-03", "2025-11-10", 48000, 1800, 0),
		paid(cpasA, "71012345", "S1", "F10", "F10/1", "2025-11-02", "2025-11-10", 5000, 0, 0),
		paid(cpasA, "19912345004", "G1", "C<&>1", "C1/1", "2025-11-05", "2025-11-06", 3100, 400, 0),
		paid(cpasB, "71012345", "S1", "F11", "F11/1", "2025-11-04", "2025-11-10", 3800, 600, 0),
		paid(cpasA, "71012345", "S3", "F30", "F30/1", "2025-11-29", "2025-12-01", 48000, 1800, 0),
	}
}

// source is the store's view: the statement's lines in statement order.
func source(h Header, ls []rules.PaidLine) Source {
	var sel []rules.PaidLine
	for _, l := range ls {
		if rules.MonthOf(l.PaidOn) == h.Month && (h.SPP() || l.CPAS == h.CPAS) {
			sel = append(sel, l)
		}
	}
	sort.Slice(sel, func(i, j int) bool { return rules.StatementLess(&sel[i], &sel[j]) })
	return Lines(sel)
}

var header = Header{CPAS: cpasA, Month: nov, ClosingDate: rules.MustDate("2025-12-01")}

func TestTheDetailedStatementIsValidAndHasEveryLineOfTheMonth(t *testing.T) {
	for _, h := range []Header{header, {Month: nov, ClosingDate: header.ClosingDate}} {
		t.Run("spp="+strconv.FormatBool(h.SPP()), func(t *testing.T) {
			var buf bytes.Buffer
			if err := WriteXML(&buf, h, source(h, month())); err != nil {
				t.Fatal(err)
			}
			lint := needtool.Path(t, "xmllint")
			f := filepath.Join(t.TempDir(), "statement.xml")
			if err := os.WriteFile(f, buf.Bytes(), 0o600); err != nil {
				t.Fatal(err)
			}
			if out, err := exec.Command(lint, "--noout", "--schema", "../xsd/carmed-statement-v1.xsd", f).CombinedOutput(); err != nil {
				t.Fatalf("xmllint: %v\n%s", err, out)
			}
			want := rules.MonthStatement(h.CPAS, nov, rules.FormatXML, month())
			if h.SPP() {
				want = rules.SPPFile(nov, month())
			}
			doc := etree.NewDocument()
			if err := doc.ReadFromBytes(buf.Bytes()); err != nil {
				t.Fatal(err)
			}
			invs := doc.Root().SelectElements("invoice")
			if len(invs) != len(want.Invoices) {
				t.Fatalf("%d invoices, the rules give %d", len(invs), len(want.Invoices))
			}
			for i, inv := range invs {
				w := want.Invoices[i]
				lines := inv.SelectElements("line")
				if inv.SelectElement("invoiceRef").Text() != w.InvoiceRef || len(lines) != len(w.Lines) ||
					inv.FindElement("totals/statePart").Text() != strconv.FormatInt(w.Totals.State(), 10) {
					t.Fatalf("invoice %d: %s with %d lines, want %s with %d (State %d)", i,
						inv.SelectElement("invoiceRef").Text(), len(lines), w.InvoiceRef, len(w.Lines), w.Totals.State())
				}
				for j, l := range lines {
					if l.SelectElement("lineRef").Text() != w.Lines[j].LineRef {
						t.Fatalf("invoice %s line %d is %s", w.InvoiceRef, j, l.SelectElement("lineRef").Text())
					}
				}
			}
			if got := doc.Root().FindElement("summary/lines").Text(); got != strconv.Itoa(want.Lines) {
				t.Fatalf("summary lines %s, want %d", got, want.Lines)
			}
			if got := doc.Root().FindElement("summary/totals/cpasPart").Text(); got != strconv.FormatInt(want.Totals.CPAS, 10) {
				t.Fatalf("summary CPAS part %s, want %d", got, want.Totals.CPAS)
			}
		})
	}
}

func TestAnEmptyMonthIsAValidStatement(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteXML(&buf, Header{CPAS: cpasB, Month: 202512, ClosingDate: rules.MustDate("2026-01-01")}, Lines(nil)); err != nil {
		t.Fatal(err)
	}
	lint := needtool.Path(t, "xmllint")
	f := filepath.Join(t.TempDir(), "empty.xml")
	_ = os.WriteFile(f, buf.Bytes(), 0o600)
	if out, err := exec.Command(lint, "--noout", "--schema", "../xsd/carmed-statement-v1.xsd", f).CombinedOutput(); err != nil {
		t.Fatalf("xmllint: %v\n%s", err, out)
	}
}

func TestLinesOutOfOrderOrOfAnotherCPASAreRefused(t *testing.T) {
	ls := month()[:3] // S2 before S1: not statement order
	if err := WriteXML(&bytes.Buffer{}, header, Lines(ls)); !errors.Is(err, ErrOrder) {
		t.Fatalf("XML: %v", err)
	}
	if err := WriteXLSX(&bytes.Buffer{}, header, Lines(month()[4:5])); !errors.Is(err, ErrOrder) {
		t.Fatalf("workbook with cpasB's line in cpasA's statement: %v", err)
	}
}

func TestTheWorkbookHasOneRowPerInvoice(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, header, source(header, month())); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatalf("the workbook does not open: %v", err)
	}
	defer f.Close()
	rows, err := f.GetRows(SheetName)
	if err != nil {
		t.Fatal(err)
	}
	want := rules.MonthStatement(cpasA, nov, rules.FormatXLSX, month())
	body := rows[FirstInvoiceRow-1:]
	if len(body) != len(want.Invoices)+1 {
		t.Fatalf("%d rows after the titles, want %d invoices and a total", len(body), len(want.Invoices))
	}
	col := map[string]int{}
	for i, c := range rows[FirstInvoiceRow-2] {
		col[c] = i
	}
	for i, inv := range want.Invoices {
		r := body[i]
		if r[col["Invoice"]] != inv.InvoiceRef || r[col["Provider"]] != inv.Provider ||
			r[col["Lines"]] != strconv.Itoa(len(inv.Lines)) || r[col["State part"]] != strconv.FormatInt(inv.Totals.State(), 10) ||
			r[col["CPAS part"]] != strconv.FormatInt(inv.Totals.CPAS, 10) || r[col["Patient pays"]] != strconv.FormatInt(inv.Totals.Patient, 10) {
			t.Fatalf("row %d = %v, want invoice %+v", i, r, inv)
		}
	}
	total := body[len(body)-1]
	if total[0] != "Total" || total[col["State part"]] != strconv.FormatInt(want.Totals.State(), 10) ||
		total[col["Lines"]] != strconv.Itoa(want.Lines) {
		t.Fatalf("total row %v, want State %d over %d lines", total, want.Totals.State(), want.Lines)
	}
	if rows[1][1] != "2025-11" || rows[0][1] != "CPAS "+cpasA {
		t.Fatalf("identification rows %v %v", rows[0], rows[1])
	}
}

// generated yields n lines of one CPAS's month in statement order without holding them: 20 lines
// per invoice, 500 invoices per send.
func generated(n int) Source {
	return func(fn func(*rules.PaidLine) error) error {
		l := paid(cpasA, "71012345", "", "", "", "2025-11-03", "2025-11-10", 48000, 1800, 500)
		for i := 0; i < n; i++ {
			l.SendID = fmt.Sprintf("S%05d", i/10_000)
			l.InvoiceRef = fmt.Sprintf("F%07d", i/20)
			l.LineRef = fmt.Sprintf("F%07d/%02d", i/20, i%20)
			if err := fn(&l); err != nil {
				return err
			}
		}
		return nil
	}
}
