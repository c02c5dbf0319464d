package server

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"time"

	"github.com/beevik/etree"
	"github.com/rs/zerolog"

	"github.com/carmed/carmed/rules"
	"github.com/carmed/carmed/store"
	"github.com/carmed/carmed/trust"
	"github.com/carmed/carmed/wssec"
)

// Call is one verified request on its way through an operation: what a Handler may know of it.
type Call struct {
	s        *Server
	in       *incoming
	ver      *wssec.Verified
	party    trust.Party
	op       *Operation
	received time.Time
	today    rules.Date
	log      *zerolog.Logger
	// durable waits until the request's replay key is on disk (nil: nothing to wait for).
	durable func() error
}

// Party is the signer, from its certificate through the trust file.
func (c *Call) Party() trust.Party { return c.party }

// Today is the business date of the request (the rules' "today").
func (c *Call) Today() rules.Date { return c.today }

// Received is when the request came in (the injected wall clock).
func (c *Call) Received() time.Time { return c.received }

// BodyHash identifies the verified request body as Once does (payloadHash), for a face that keeps
// its own idempotency record in its write (the CAAMI send, whose record is the send itself).
func (c *Call) BodyHash() [32]byte { return payloadHash(c.ver.CanonicalBody) }

// Now is the wall clock now, for an answer's reply time.
func (c *Call) Now() time.Time { return c.s.cfg.Now() }

// Answer is what an operation answers: its response element and what the log line and the
// metrics say about it.
type Answer struct {
	// Body is the operation's response element as bytes, standing alone (MarshalBytes): sealed
	// as written, nothing parsed back (wssec.Signer.SealBody). Payload is the same as a tree,
	// for an answer built as one (the token service's SAML); Body wins when both are set.
	Body    []byte
	Payload *etree.Element
	Outcome string // DATA_FOUND | NO_DATA_FOUND | NO_RESULT
	Code    string // status code / first reason code
	Number  string // decision number touched, for the log
	Version int    // version written, kept with an idempotent answer
	// Audits are the versions this answer wrote: Once files the verified request and this
	// signed answer as the audit of each, in the write's transaction.
	Audits []Written
	// Attestation is the urgent-medical-aid attestation this answer sent or deleted (UMA): Once
	// files the verified request and this signed answer as the audit of that event, and the
	// reply names it.
	Attestation *AttestationWritten
	// Then runs after Once committed the answer (side effects outside the store, e.g. the
	// harness clock); never for a rejection or a replayed ticket.
	Then func()

	// signed is the answer already sealed: Once seals it between its two commits so the audit
	// keeps the signed bytes that are sent.
	signed []byte
}

// Written names one decision version a write made.
type Written struct {
	Number  string
	Version int
}

// AttestationWritten names one attestation write: its number and the event (send or delete).
type AttestationWritten struct {
	Number string
	Event  store.AttestationEvent
}

// Rejection is an error carrying a business answer (a refusal by the rules): the answer is sent as
// any other, and inside Once the transaction rolls back, so nothing is written.
type Rejection struct{ Answer *Answer }

func (r *Rejection) Error() string { return "rejected: " + r.Answer.Code }

// Reject answers a, writing nothing: a Handler or a Once write returns it for a refusal.
func Reject(a *Answer) error { return &Rejection{Answer: a} }

// Decode decodes the verified Body's operation element into v from the canonical bytes that were
// digested — never from the tree a wrapping attack could have altered. Its error is a schema
// fault.
func (c *Call) Decode(v any) error {
	d := xml.NewDecoder(bytes.NewReader(c.ver.CanonicalBody))
	depth := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return SchemaFault(errors.New("no operation element"))
		}
		if err != nil {
			return SchemaFault(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth == 2 {
				if err := d.DecodeElement(v, &t); err != nil {
					return SchemaFault(err)
				}
				return nil
			}
		case xml.EndElement:
			depth--
		}
	}
}

// MarshalBytes renders a generated type as the operation element of a namespace, standing alone
// (it declares its namespace), for Answer.Body: the root prefixed, the children unqualified (an
// xmlns default would wrongly qualify them). The bytes are sealed as written.
func MarshalBytes(ns, local string, v any) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(answerBufferSize) // no regrowth for a common answer
	enc := xml.NewEncoder(&buf)
	start := xml.StartElement{Name: xml.Name{Local: "tns:" + local},
		Attr: []xml.Attr{{Name: xml.Name{Local: "xmlns:tns"}, Value: ns}}}
	if err := enc.EncodeElement(v, start); err != nil {
		return nil, err
	}
	if err := enc.Flush(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// answerBufferSize is where MarshalBytes starts: a consult's answer with one decision is about
// 1.5 KB, a full decision's twice that; growing a buffer from 64 bytes copied it six times.
const answerBufferSize = 4096
