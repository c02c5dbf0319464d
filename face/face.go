// Package face holds what the faces share, so that they never import each other: the facts the
// rules read about a beneficiary, the status block and fault detail of the project faces
// (CPAS, harness), the operation list of a project face, and small wire helpers. Each face lives
// in its own package below this one (face/cpas, face/provider, face/harness) and registers its
// operations with the pipeline (server.Register); package gateway assembles them.
package face

import (
	"crypto/rand"
	"encoding/xml"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/beevik/etree"

	"github.com/carmed/carmed/rules"
	"github.com/carmed/carmed/server"
	"github.com/carmed/carmed/store"
	"github.com/carmed/carmed/trust"
)

// ErrMissing is the cause of a schema fault for a required part the decoded request lacks.
var ErrMissing = errors.New("a required element is missing")

// Op is one operation of a project face: its lowerCamelCase name and what serves it.
type Op struct {
	Name   string
	Handle server.Handler
}

// ProjectOperations lists the operations of a project face (CPAS, harness): every operation is
// for one party kind, its request element is NAME+"Request" in ns and its SOAPAction ns:NAME.
func ProjectOperations(ns string, kind trust.Kind, ops ...Op) []server.Operation {
	out := make([]server.Operation, len(ops))
	for i, o := range ops {
		out[i] = server.Operation{Element: xmlName(ns, o.Name+"Request"), Name: o.Name, Action: ns + ":" + o.Name,
			Kind: kind, Handle: o.Handle}
	}
	return out
}

// CPASLookup resolves a CBE to the CPAS's names from the trust file (for messages and views).
func CPASLookup(ts *trust.Store) func(cbe string) (rules.CPAS, bool) {
	return func(cbe string) (rules.CPAS, bool) {
		p, ok := ts.CPAS(cbe)
		if !ok {
			return rules.CPAS{CBE: cbe}, false
		}
		return rules.CPAS{CBE: p.ID, NameFr: p.NameFr, NameNl: p.NameNl, INS: p.INS}, true
	}
}

// Facts gathers what the rules may read about one beneficiary.
func Facts(r store.Reader, ts *trust.Store, ssin string) (rules.Facts, error) {
	f := rules.Facts{CPAS: CPASLookup(ts)}
	p, err := r.Person(ssin)
	switch {
	case err == nil:
		f.Person = &p
	case !errors.Is(err, store.ErrNotFound):
		return f, err
	}
	if f.Decisions, err = r.DecisionsBySSIN(ssin); err != nil {
		return f, err
	}
	return f, nil
}

// DecisionFacts loads the facts for the beneficiary of an existing decision (empty when unknown:
// the rules answer "not found").
func DecisionFacts(r store.Reader, ts *trust.Store, number string) (rules.Facts, error) {
	d, err := r.Decision(number)
	if errors.Is(err, store.ErrNotFound) {
		return rules.Facts{CPAS: CPASLookup(ts)}, nil
	}
	if err != nil {
		return rules.Facts{}, err
	}
	return Facts(r, ts, d.Latest().Beneficiary.SSIN)
}

// Status values and success codes of the new-style status block.
const (
	StatusFound    = "DATA_FOUND"
	StatusNotFound = "NO_DATA_FOUND"
	StatusRejected = "NO_RESULT"
	CodeOK         = "OK"
	CodeNoData     = "NO_DATA"
)

// FirstError is the message a status block reports: the first error, or nil.
func FirstError(ms []rules.Message) *rules.Message {
	for i := range ms {
		if ms[i].Severity == rules.SevError {
			return &ms[i]
		}
	}
	return nil
}

// StatusOf is the status block of the project faces for a status value: OK, NO_DATA, or the
// first error's reason code with its French text and information pairs.
func StatusOf(value string, ms []rules.Message) (code string, desc *string, info []rules.Info) {
	switch value {
	case StatusNotFound:
		return CodeNoData, nil, nil
	case StatusRejected:
		if m := FirstError(ms); m != nil {
			d := Truncate(m.Fr, 256)
			return m.Code, &d, m.Info
		}
	}
	return CodeOK, nil, nil
}

// ReadValue is the status of a read: NO_RESULT on an error, NO_DATA_FOUND when nothing was found.
func ReadValue(ms []rules.Message, found int) string {
	switch {
	case (rules.Result{Messages: ms}).Rejected():
		return StatusRejected
	case found == 0:
		return StatusNotFound
	}
	return StatusFound
}

// FaultDetail is the fault detail of a project face: the element name in namespace ns, with
// informationCBSS (the gateway's ticket and times) when withCBSS, then the error (FaultError).
func FaultDetail(ns, name string, withCBSS bool) func(*server.Call, *server.Fault) *etree.Element {
	return func(c *server.Call, f *server.Fault) *etree.Element {
		d := etree.NewElement("tns:" + name)
		d.CreateAttr("xmlns:tns", ns)
		if withCBSS {
			cbss := d.CreateElement("informationCBSS")
			cbss.CreateElement("ticketCBSS").SetText(NewTicketCBSS())
			cbss.CreateElement("timestampReceive").SetText(XSDDateTime(c.Received()))
			cbss.CreateElement("timestampReply").SetText(XSDDateTime(c.Now()))
		}
		FaultError(d, f)
		return d
	}
}

// FaultError appends the error element of the project faces' fault detail (carmedFault,
// harnessFault): severity, reason code, diagnostic and information pairs, clipped to the XSD.
func FaultError(d *etree.Element, f *server.Fault) {
	e := d.CreateElement("error")
	e.CreateElement("severity").SetText("FATAL")
	e.CreateElement("reasonCode").SetText(f.Code)
	e.CreateElement("diagnostic").SetText(Truncate(f.Reason, 256))
	for _, in := range f.Info {
		i := e.CreateElement("information")
		i.CreateElement("fieldName").SetText(Truncate(in.Name, 64))
		i.CreateElement("fieldValue").SetText(Truncate(in.Value, 256))
	}
}

// RefundCodes are a refund-code suspension's old and new codes for the wire; NoRefundCode
// (the situation gives none) is left out.
func RefundCodes(s *rules.Suspension) (old, new *int32) {
	if s.OldRefundCode != rules.NoRefundCode {
		o := int32(s.OldRefundCode)
		old = &o
	}
	if s.NewRefundCode != rules.NoRefundCode {
		n := int32(s.NewRefundCode)
		new = &n
	}
	return old, new
}

// XSDDateTime renders an instant as xs:dateTime in UTC with milliseconds.
func XSDDateTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z07:00") }

// NewTicketCBSS is the gateway's own ticket for an answer: a random (version 4) UUID.
func NewTicketCBSS() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// Truncate cuts s to at most n bytes on a rune boundary (wire limits on description, fieldValue…).
func Truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func xmlName(ns, local string) xml.Name { return xml.Name{Space: ns, Local: local} }
