package face

import (
	"bytes"
	"fmt"

	"github.com/carmed/carmed/rules"
	"github.com/carmed/carmed/statement"
	"github.com/carmed/carmed/store"
)

// MediaTypeXML is the detailed statement's media type.
const MediaTypeXML = "application/xml"

// File is a statement file as the CPAS and harness faces return it.
type File struct {
	Name, MediaType string
	Content         []byte
}

// StatementFile writes a CPAS's statement of a closed month in the format it had at closing
// (R-DECOMPTE): the detailed XML or the summary workbook, never both. The file is made from the
// month's paid lines in r, which never change once the month is closed, so it is the file of the
// closing whenever it is fetched.
func StatementFile(r store.Reader, rec store.StatementRecord) (File, error) {
	h := statement.Header{CPAS: rec.CPAS, Month: rec.Month, ClosingDate: rec.ClosedOn}
	src := func(fn func(*rules.PaidLine) error) error { return r.PaidLines(rec.Month, rec.CPAS, fn) }
	var b bytes.Buffer
	name := fmt.Sprintf("statement-%s-%s", rec.CPAS, rec.Month)
	if rec.Format == rules.FormatXML {
		if err := statement.WriteXML(&b, h, src); err != nil {
			return File{}, err
		}
		return File{Name: name + ".xml", MediaType: MediaTypeXML, Content: b.Bytes()}, nil
	}
	if err := statement.WriteXLSX(&b, h, src); err != nil {
		return File{}, err
	}
	return File{Name: name + ".xlsx", MediaType: statement.MediaTypeXLSX, Content: b.Bytes()}, nil
}

// SPPFile writes the SPP IS file of a closed month (R-DECOMPTE-SPP): every line paid that month,
// every CPAS, as a detailed statement.
func SPPFile(r store.Reader, mc store.MonthClosing) (File, error) {
	var b bytes.Buffer
	h := statement.Header{Month: mc.Month, ClosingDate: mc.ClosedOn}
	src := func(fn func(*rules.PaidLine) error) error { return r.PaidLines(mc.Month, "", fn) }
	if err := statement.WriteXML(&b, h, src); err != nil {
		return File{}, err
	}
	return File{Name: fmt.Sprintf("spp-%s.xml", mc.Month), MediaType: MediaTypeXML, Content: b.Bytes()}, nil
}
