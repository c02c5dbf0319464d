package statement

import (
	"bufio"
	"encoding/xml"
	"io"
	"strconv"

	"github.com/carmed/carmed/rules"
)

// Namespace is the detailed statement's (xsd/carmed-statement-v1.xsd).
const Namespace = "urn:carmed:statement:v1"

// WriteXML writes the detailed statement: the header, every invoice with its lines and totals,
// the summary last. Memory does not grow with the statement: each line is encoded and let go.
func WriteXML(w io.Writer, h Header, src Source) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	x := &xmlWriter{w: bw}
	x.raw(xml.Header)
	x.raw(`<st:statement xmlns:st="` + Namespace + `">`)
	x.open("header")
	scope := "CPAS"
	if h.SPP() {
		scope = "SPP"
	}
	x.leaf("scope", scope)
	if !h.SPP() {
		x.leaf("cpasCbe", h.CPAS)
	}
	x.leaf("month", h.Month.String())
	x.leaf("closingDate", h.ClosingDate.String())
	x.close("header")
	g := grouper{h: h}
	endInvoice := func(a rules.Amounts) error {
		x.amounts("totals", a)
		x.close("invoice")
		return x.err
	}
	startInvoice := func(l *rules.PaidLine) error {
		x.open("invoice")
		x.leaf("providerId", l.Provider)
		x.leaf("sendId", l.SendID)
		x.leaf("invoiceRef", l.InvoiceRef)
		x.leaf("cpasCbe", l.CPAS)
		x.leaf("ssin", l.SSIN)
		return x.err
	}
	err := src(func(l *rules.PaidLine) error {
		if err := g.line(l, startInvoice, endInvoice); err != nil {
			return err
		}
		x.open("line")
		x.leaf("lineRef", l.LineRef)
		x.leaf("careDate", l.CareDate.String())
		x.leaf("careType", string(l.CareType))
		x.leaf("nomenclatureCode", l.Nomenclature)
		x.leaf("carmedNumber", l.Decision)
		x.num("versionNumber", int64(l.Version))
		x.num("refundCode", int64(l.Amounts.RefundCode))
		x.num("stateAmiPercentage", int64(l.Amounts.Percent.AmiPart))
		x.num("statePatientPercentage", int64(l.Amounts.Percent.PatientPart))
		x.leaf("paymentDate", l.PaidOn.String())
		x.amounts("amounts", l.Amounts)
		x.close("line")
		return x.err
	})
	if err != nil {
		return err
	}
	if err := g.finish(endInvoice); err != nil {
		return err
	}
	x.open("summary")
	x.num("invoices", g.invoices)
	x.num("lines", g.lines)
	x.amounts("totals", g.total)
	x.close("summary")
	x.raw("</st:statement>\n")
	if x.err != nil {
		return x.err
	}
	return bw.Flush()
}

// xmlWriter writes unqualified elements; the first error sticks.
type xmlWriter struct {
	w   *bufio.Writer
	err error
}

func (x *xmlWriter) raw(s string) {
	if x.err == nil {
		_, x.err = x.w.WriteString(s)
	}
}

func (x *xmlWriter) open(name string) {
	x.raw("<")
	x.raw(name)
	x.raw(">")
}

func (x *xmlWriter) close(name string) {
	x.raw("</")
	x.raw(name)
	x.raw(">")
}

// leaf writes <name>text</name>, the text escaped unless it needs no escaping (the common case:
// digits, dates, codes), which spares a copy per element.
func (x *xmlWriter) leaf(name, text string) {
	x.open(name)
	if plain(text) {
		x.raw(text)
	} else if x.err == nil {
		x.err = xml.EscapeText(x.w, []byte(text))
	}
	x.close(name)
}

// plain reports text of printable ASCII without the characters XML escapes.
func plain(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '<' || c == '>' || c == '&' || c == '\'' || c == '"' {
			return false
		}
	}
	return true
}

// num writes <name>n</name>.
func (x *xmlWriter) num(name string, n int64) {
	x.open(name)
	if x.err == nil {
		var b [20]byte
		_, x.err = x.w.Write(strconv.AppendInt(b[:0], n, 10))
	}
	x.close(name)
}

func (x *xmlWriter) amounts(name string, a rules.Amounts) {
	x.open(name)
	for _, f := range []struct {
		n string
		v int64
	}{{"fee", a.Fee}, {"amiPart", a.AmiPart}, {"patientPart", a.PatientPart}, {"supplements", a.Supplements},
		{"stateAmiPart", a.StateAmi}, {"statePatientPart", a.StatePatient}, {"statePart", a.State()},
		{"cpasPart", a.CPAS}, {"patientPays", a.Patient}} {
		x.num(f.n, f.v)
	}
	x.close(name)
}
