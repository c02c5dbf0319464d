// Package statement writes the monthly statements of rules.md R-DECOMPTE and R-DECOMPTE-SPP:
// the detailed XML statement (every line, xsd/carmed-statement-v1.xsd) and the summary workbook
// (one row per invoice, .xlsx). Both are streamed from a Source, one paid line at a time, so a
// statement of any size is written with bounded memory: the store's month index
// (store.Reader.PaidLines) gives the lines in statement order.
package statement

import (
	"errors"

	"github.com/carmed/carmed/rules"
)

// Source yields a statement's paid lines in rules.StatementLess order, one at a time; the line
// passed to fn is only valid during the call.
type Source func(fn func(*rules.PaidLine) error) error

// Lines is a Source over lines held in memory (sorted by the caller), for tests and small files.
func Lines(ls []rules.PaidLine) Source {
	return func(fn func(*rules.PaidLine) error) error {
		for i := range ls {
			if err := fn(&ls[i]); err != nil {
				return err
			}
		}
		return nil
	}
}

// Header says whose statement it is.
type Header struct {
	CPAS        string // CBE of the CPAS; "" for the SPP IS file (every CPAS)
	Month       rules.Month
	ClosingDate rules.Date
}

// SPP reports the SPP IS file.
func (h Header) SPP() bool { return h.CPAS == "" }

// ErrOrder: the Source gave a line out of statement order, or a line of another CPAS or month;
// the file would group invoices wrongly, so writing stops.
var ErrOrder = errors.New("statement: lines out of statement order or outside the statement")

// grouper turns the ordered lines into invoices: it calls start on an invoice's first line and
// end with the invoice's totals after its last.
type grouper struct {
	h        Header
	prev     rules.PaidLine
	have     bool
	invoice  rules.Amounts
	total    rules.Amounts
	invoices int64
	lines    int64
}

func (g *grouper) line(l *rules.PaidLine, start func(*rules.PaidLine) error, end func(rules.Amounts) error) error {
	if rules.MonthOf(l.PaidOn) != g.h.Month || (!g.h.SPP() && l.CPAS != g.h.CPAS) || (g.have && rules.StatementLess(l, &g.prev)) {
		return ErrOrder
	}
	if !g.have || !rules.SameInvoice(&g.prev, l) {
		if g.have {
			if err := end(g.invoice); err != nil {
				return err
			}
		}
		g.invoice = rules.Amounts{}
		g.invoices++
		if err := start(l); err != nil {
			return err
		}
	}
	g.invoice.Add(l.Amounts)
	g.total.Add(l.Amounts)
	g.lines++
	g.prev = *l
	g.have = true
	return nil
}

// finish closes the last invoice.
func (g *grouper) finish(end func(rules.Amounts) error) error {
	if !g.have {
		return nil
	}
	return end(g.invoice)
}
