package rules

import (
	"fmt"
	"sort"
)

// Month is a calendar month as yyyymm (202511 = November 2025): ordered like the calendar.
type Month int32

// MonthOf is the month of d.
func MonthOf(d Date) Month {
	t := d.Time()
	return Month(t.Year()*100 + int(t.Month()))
}

// ParseMonth reads YYYY-MM.
func ParseMonth(s string) (Month, error) {
	if len(s) != 7 || s[4] != '-' || !AllDigits(s[:4], 4) || !AllDigits(s[5:], 2) {
		return 0, fmt.Errorf("bad month %q", s)
	}
	y, m := num(s[:4]), num(s[5:])
	if y < 1 || m < 1 || m > 12 {
		return 0, fmt.Errorf("bad month %q", s)
	}
	return Month(y*100 + m), nil
}

func (m Month) String() string { return fmt.Sprintf("%04d-%02d", int(m)/100, int(m)%100) }

// First is the month's first day.
func (m Month) First() Date { return MustDate(m.String() + "-01") }

// Last is the month's last day.
func (m Month) Last() Date { return m.Next().First().AddDays(-1) }

// Next is the following month.
func (m Month) Next() Month {
	if m%100 == 12 {
		return m - 11 + 100
	}
	return m + 1
}

// PaidLine is an accepted line as paid (R-PAYMENT) and as the monthly statements list it
// (R-DECOMPTE, R-DECOMPTE-SPP): the parts per line, the CPAS it is charged to.
type PaidLine struct {
	SendID       string
	Provider     string
	InvoiceRef   string
	LineRef      string
	SSIN         string
	CPAS         string // CBE of the CPAS charged (R-INVOICE-SPLIT)
	Decision     string
	Version      int
	CareDate     Date
	CareType     CoverKind
	Nomenclature string
	Amounts      Amounts
	PaidOn       Date // the business date of the payment: its month is the statement's
}

// RejectedLine is a line a payment leaves out, with its control's reason code.
type RejectedLine struct {
	InvoiceRef, LineRef, Code string
}

// Payment is what the CAAMI pays a provider for one send (R-PAYMENT).
type Payment struct {
	SendID, Provider   string
	PaidOn             Date
	Amount             int64 // the State part of every accepted line
	Accepted, Rejected int
	RejectedLines      []RejectedLine
}

// Pay is R-PAYMENT: the accepted lines of a controlled send are paid the State part on
// today; the rejected ones are listed with their reason code and paid nothing.
func Pay(cmd SendCmd, res SendResult, today Date) (Payment, []PaidLine) {
	p := Payment{SendID: cmd.SendID, Provider: cmd.Provider.ID, PaidOn: today}
	ssin := make(map[string]string, len(cmd.Invoices))
	lines := make(map[string]*InvoiceLine)
	for i := range cmd.Invoices {
		inv := &cmd.Invoices[i]
		ssin[inv.Ref] = inv.SSIN
		for j := range inv.Lines {
			if _, dup := lines[inv.Lines[j].Ref]; !dup {
				lines[inv.Lines[j].Ref] = &inv.Lines[j]
			}
		}
	}
	var paid []PaidLine
	for _, r := range res.Lines {
		if !r.Accepted {
			code := ""
			for _, m := range r.Messages {
				if m.Severity == SevError {
					code = m.Code
					break
				}
			}
			p.Rejected++
			p.RejectedLines = append(p.RejectedLines, RejectedLine{InvoiceRef: r.InvoiceRef, LineRef: r.Ref, Code: code})
			continue
		}
		l := lines[r.Ref]
		p.Accepted++
		p.Amount += r.Amounts.State()
		paid = append(paid, PaidLine{SendID: cmd.SendID, Provider: cmd.Provider.ID, InvoiceRef: r.InvoiceRef,
			LineRef: r.Ref, SSIN: ssin[r.InvoiceRef], CPAS: r.CPAS, Decision: r.Decision, Version: r.Version,
			CareDate: l.CareDate, CareType: l.CareType, Nomenclature: l.Nomenclature, Amounts: r.Amounts, PaidOn: today})
	}
	return p, paid
}

// StatementFormat is the one format a CPAS receives its statements in (R-DECOMPTE).
type StatementFormat string

const (
	FormatXLSX StatementFormat = "XLSX" // the summary workbook, one row per invoice: the default
	FormatXML  StatementFormat = "XML"  // the detailed statement, every line: on request
)

// DefaultStatementFormat is what a CPAS gets until it asks for XML (000 §5.5 "format par défaut").
const DefaultStatementFormat = FormatXLSX

// StatementInvoice is one invoice of a statement with its paid lines and their totals.
type StatementInvoice struct {
	Provider, SendID, InvoiceRef, SSIN string
	Lines                              []PaidLine
	Totals                             Amounts
}

// Statement is a CPAS's statement of a month (R-DECOMPTE), or, with CPAS "", the SPP IS file
// of every CPAS (R-DECOMPTE-SPP).
type Statement struct {
	CPAS     string
	Month    Month
	Format   StatementFormat
	Invoices []StatementInvoice
	Lines    int
	Totals   Amounts
}

// InStatement is R-DECOMPTE's selection: a line is in the statement of the CPAS it is charged
// to, for the month it was paid in.
func InStatement(l *PaidLine, cpas string, m Month) bool {
	return l.CPAS == cpas && MonthOf(l.PaidOn) == m
}

// StatementLess orders statement lines: provider, send, invoice, then line reference (the
// store's index walks them in this order, so a streamed statement equals a built one).
func StatementLess(a, b *PaidLine) bool {
	if a.CPAS != b.CPAS {
		return a.CPAS < b.CPAS
	}
	if a.Provider != b.Provider {
		return a.Provider < b.Provider
	}
	if a.SendID != b.SendID {
		return a.SendID < b.SendID
	}
	if a.InvoiceRef != b.InvoiceRef {
		return a.InvoiceRef < b.InvoiceRef
	}
	return a.LineRef < b.LineRef
}

// MonthStatement builds the statement of cpas for month m in format f from the paid lines
// (R-DECOMPTE): every line paid that month for its decisions, grouped by invoice.
func MonthStatement(cpas string, m Month, f StatementFormat, lines []PaidLine) Statement {
	return buildStatement(cpas, m, f, lines, func(l *PaidLine) bool { return InStatement(l, cpas, m) })
}

// SPPFile is R-DECOMPTE-SPP: the month's file to the SPP IS, every accepted invoice of every
// CPAS, with the same parts per line (CPAS order, then as in a CPAS statement).
func SPPFile(m Month, lines []PaidLine) Statement {
	return buildStatement("", m, FormatXML, lines, func(l *PaidLine) bool { return MonthOf(l.PaidOn) == m })
}

func buildStatement(cpas string, m Month, f StatementFormat, lines []PaidLine, keep func(*PaidLine) bool) Statement {
	st := Statement{CPAS: cpas, Month: m, Format: f}
	var sel []*PaidLine
	for i := range lines {
		if keep(&lines[i]) {
			sel = append(sel, &lines[i])
		}
	}
	sort.SliceStable(sel, func(i, j int) bool { return StatementLess(sel[i], sel[j]) })
	for _, l := range sel {
		n := len(st.Invoices)
		if n == 0 || !sameInvoice(&st.Invoices[n-1], l) {
			st.Invoices = append(st.Invoices, StatementInvoice{Provider: l.Provider, SendID: l.SendID,
				InvoiceRef: l.InvoiceRef, SSIN: l.SSIN})
			n++
		}
		inv := &st.Invoices[n-1]
		inv.Lines = append(inv.Lines, *l)
		inv.Totals.Add(l.Amounts)
		st.Totals.Add(l.Amounts)
		st.Lines++
	}
	return st
}

// sameInvoice reports whether l belongs to inv, whose first line is already in it.
func sameInvoice(inv *StatementInvoice, l *PaidLine) bool { return SameInvoice(&inv.Lines[0], l) }

// SameInvoice reports whether two paid lines belong to one invoice of a statement: an invoice
// is one provider's, in one send, and charged to one CPAS (R-INVOICE-SPLIT splits an invoice
// whose lines are charged to several CPAS; the SPP file, holding every CPAS, keeps them apart).
func SameInvoice(a, b *PaidLine) bool {
	return a.CPAS == b.CPAS && a.Provider == b.Provider && a.SendID == b.SendID && a.InvoiceRef == b.InvoiceRef
}

// CheckCloseMonth is R-DECOMPTE's clock: a month is closed, and its statements made, only once
// it is over on the business clock (today after its last day).
func CheckCloseMonth(m Month, today Date) []Message {
	if today <= m.Last() {
		return []Message{NewMessage(CodeMonthOpen, Info{"month", m.String()}, infoDate("firstCloseDate", m.Last().AddDays(1)))}
	}
	return nil
}

// MonthsToClose are the months an advancing clock has finished since lastClosed (0 = none
// closed yet: only the month before today's), oldest first: what the gateway closes
// automatically when its business date crosses a month.
func MonthsToClose(lastClosed Month, today Date) []Month {
	current := MonthOf(today)
	from := lastClosed.Next()
	if lastClosed == 0 {
		from = MonthOf(current.First().AddDays(-1))
	}
	var out []Month
	for m := from; m < current; m = m.Next() {
		out = append(out, m)
	}
	return out
}
