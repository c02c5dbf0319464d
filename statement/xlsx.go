package statement

import (
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"

	"github.com/carmed/carmed/rules"
)

// SheetName is the workbook's one sheet.
const SheetName = "Décompte"

// MediaTypeXLSX is the workbook's media type.
const MediaTypeXLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

// Columns of the summary workbook: one row per invoice (000 §5.5 "une ligne par facture").
var Columns = []string{"CPAS", "Provider", "Send", "Invoice", "SSIN", "First care date", "Last care date", "Lines",
	"Fee", "Supplements", "State AMI part", "State patient part", "State part", "CPAS part", "Patient pays"}

// headerRows precede the column titles: the statement's identification.
const headerRows = 3

// WriteXLSX writes the summary workbook: the statement's identification, then one row per
// invoice (its care dates, line count and the parts summed over its lines), then a totals row.
// excelize's StreamWriter keeps rows out of memory (it spills to a temporary file past its
// buffer), so memory stays bounded whatever the number of invoices.
func WriteXLSX(w io.Writer, h Header, src Source) (err error) {
	f := excelize.NewFile()
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	if err := f.SetSheetName("Sheet1", SheetName); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(SheetName)
	if err != nil {
		return err
	}
	who := "SPP IS (all CPAS)"
	if !h.SPP() {
		who = "CPAS " + h.CPAS
	}
	row := 1
	put := func(values ...any) error {
		cell, err := excelize.CoordinatesToCellName(1, row)
		if err != nil {
			return err
		}
		row++
		return sw.SetRow(cell, values)
	}
	for _, r := range [][]any{
		{"MediPrima statement (carmed)", who},
		{"Month", h.Month.String(), "Closing date", h.ClosingDate.String()},
		{"Amounts in euro cents"},
	} {
		if err := put(r...); err != nil {
			return err
		}
	}
	titles := make([]any, len(Columns))
	for i, c := range Columns {
		titles[i] = c
	}
	if err := put(titles...); err != nil {
		return err
	}
	var first, last rules.Date
	var lines int64
	var cur rules.PaidLine
	g := grouper{h: h}
	start := func(l *rules.PaidLine) error {
		cur, first, last, lines = *l, l.CareDate, l.CareDate, 0
		return nil
	}
	end := func(a rules.Amounts) error {
		return put(cur.CPAS, cur.Provider, cur.SendID, cur.InvoiceRef, cur.SSIN, first.String(), last.String(), lines,
			a.Fee, a.Supplements, a.StateAmi, a.StatePatient, a.State(), a.CPAS, a.Patient)
	}
	err = src(func(l *rules.PaidLine) error {
		if err := g.line(l, start, end); err != nil {
			return err
		}
		first, last = min(first, l.CareDate), max(last, l.CareDate)
		lines++
		return nil
	})
	if err != nil {
		return err
	}
	if err := g.finish(end); err != nil {
		return err
	}
	t := g.total
	if err := put("Total", fmt.Sprintf("%d invoices", g.invoices), "", "", "", "", "", g.lines,
		t.Fee, t.Supplements, t.StateAmi, t.StatePatient, t.State(), t.CPAS, t.Patient); err != nil {
		return err
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}

// FirstInvoiceRow is the 1-based row of the first invoice (after the identification and titles).
const FirstInvoiceRow = headerRows + 2
