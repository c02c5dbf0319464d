package server

import (
	"bytes"
	"crypto/sha256"
	"encoding/xml"
	"errors"
	"io"
	"net/http"
	"time"

	"github.com/beevik/etree"
	"github.com/rs/zerolog"

	"github.com/carmed/carmed/rules"
	"github.com/carmed/carmed/schema"
	"github.com/carmed/carmed/trust"
	"github.com/carmed/carmed/wssec"
)

// operation is one SOAP operation of a face, found by the qualified name of the verified Body's child.
type operation struct {
	name   string // local name of the operation, for logs and metrics
	action string // its SOAPAction, checked for consistency when a client sends one
	kind   trust.Kind
	handle func(c *call) *reply
}

// face is one SOAP service: its operations and how its faults carry detail.
type face struct {
	name   string
	schema *schema.Schema // validates the verified operation element before anything decodes it
	ops    map[xml.Name]*operation
	detail func(c *call, f *Fault) *etree.Element // service fault element for Detail; may return nil
}

// call is one verified request on its way through an operation.
type call struct {
	s        *Server
	in       *incoming
	ver      *wssec.Verified
	party    trust.Party
	op       *operation
	received time.Time
	today    rules.Date
	log      *zerolog.Logger
}

// reply is what an operation answers: a payload to seal, or bytes already signed (a write seals
// its answer inside its transaction, so the audit keeps the signed bytes; a retry of a write gets
// the stored payload, sealed again like any other answer).
type reply struct {
	payload *etree.Element
	signed  []byte
	fault   *Fault
	outcome string // DATA_FOUND | NO_DATA_FOUND | NO_RESULT
	code    string // status code / first reason code
	number  string // decision number touched, for the log
	version int    // version written, kept with an idempotent answer
	// audits are the versions this answer wrote: once() files the verified request and this
	// signed answer as the audit of each, in the write's transaction.
	audits []written
}

// written names one decision version a write made.
type written struct {
	number  string
	version int
}

// serveSOAP runs the pipeline of design §2 for one face: door → verify → headers → replay →
// party → dispatch on the verified QName → operation → signed answer.
func (s *Server) serveSOAP(w http.ResponseWriter, r *http.Request, fc *face) {
	begin := time.Now() // monotonic, for latency only
	id := requestID()
	w.Header().Set("X-Request-Id", id)
	lg := s.cfg.Logger.With().Str("req_id", id).Str("face", fc.name).Logger()
	c := &call{s: s, received: s.cfg.Now(), today: s.today(), log: &lg}

	rp := s.handleSOAP(w, r, fc, c)
	opName := "unknown"
	if c.op != nil {
		opName = c.op.name
	}
	status := http.StatusOK
	var body []byte
	var err error
	switch {
	case rp.fault != nil:
		status = rp.fault.httpStatus
		body, err = s.sealFault(c, fc, rp.fault)
		rp.outcome, rp.code = "FAULT", rp.fault.Code
	case rp.signed != nil:
		body = rp.signed
	default:
		body, err = s.seal(c.in.version, rp.payload)
	}
	if err != nil {
		f := faultServer(c.in.version, err)
		status, rp.outcome, rp.code = f.httpStatus, "FAULT", f.Code
		body = unsignedFault(f)
		lg.Error().Err(err).Msg("signing the answer failed")
	}
	w.Header().Set("Content-Type", c.in.version.contentType())
	w.WriteHeader(status)
	_, _ = w.Write(body)

	lat := time.Since(begin)
	s.metrics.Observe(fc.name+"."+opName, rp.outcome, lat)
	ev := lg.Info()
	if rp.fault != nil {
		ev = lg.Warn()
		if rp.fault.cause != nil {
			ev = ev.AnErr("cause", rp.fault.cause)
		}
	}
	ev = ev.Str("op", opName).Str("outcome", rp.outcome).Str("code", rp.code).Int("http", status).
		Float64("latency_ms", float64(lat.Microseconds())/1000)
	if c.party.ID != "" {
		ev = ev.Str("party", c.party.ID).Str("party_kind", string(c.party.Kind))
	}
	if rp.number != "" {
		ev = ev.Str("decision", rp.number)
	}
	ev.Msg("request")
}

func (s *Server) handleSOAP(w http.ResponseWriter, r *http.Request, fc *face, c *call) *reply {
	in, f := readEnvelope(w, r)
	c.in = in
	if f != nil {
		return &reply{fault: f}
	}
	ver, err := s.verifier.Verify(in.doc)
	if err != nil {
		var se *wssec.Error
		if errors.As(err, &se) {
			return &reply{fault: faultSecurity(in.version, se.Code, err)}
		}
		return &reply{fault: faultSecurity(in.version, wssec.InvalidSecurity, err)}
	}
	c.ver = ver
	if f := checkHeaders(in.version, ver); f != nil {
		return &reply{fault: f}
	}
	sum := sha256.Sum256(ver.SignatureValue)
	replayed, err := s.cfg.Store.SeenSignature(sum[:], ver.Expires.Add(ClockSkew), c.received)
	if err != nil {
		return &reply{fault: faultServer(in.version, err)}
	}
	if replayed {
		f := faultSecurity(in.version, wssec.InvalidSecurity, errors.New("signature value seen before"))
		f.Code = "REPLAYED"
		return &reply{fault: f}
	}
	party, err := s.cfg.Trust.PartyWithPath(ver.Cert, ver.Path, c.received)
	if err != nil {
		return &reply{fault: faultSecurity(in.version, wssec.FailedAuthentication, err)}
	}
	c.party = party
	name := xml.Name{Space: ver.Payload.NamespaceURI(), Local: ver.Payload.Tag}
	op := fc.ops[name]
	if op == nil {
		return &reply{fault: faultClient(in.version, "UNKNOWN_OPERATION", "The Body names no operation of this service.", nil)}
	}
	c.op = op
	if in.hasAction && in.soapAction != "" && in.soapAction != op.action {
		return &reply{fault: faultClient(in.version, "ACTION_MISMATCH", "The SOAPAction does not match the Body's operation.", nil)}
	}
	if party.Kind != op.kind {
		return &reply{fault: faultClient(in.version, "NOT_AUTHORIZED", "The signing certificate may not use this service.", nil)}
	}
	if err := fc.schema.Validate(ver.Payload); err != nil {
		return &reply{fault: faultSchema(in.version, err)}
	}
	return op.handle(c)
}

// checkHeaders refuses headers we must understand but do not (only our wsse:Security is processed)
// and a Body that does not hold exactly one element (document/literal wrapped).
func checkHeaders(v soapVersion, ver *wssec.Verified) *Fault {
	if ver.Header != nil {
		for _, h := range ver.Header.ChildElements() {
			if h == ver.Security {
				continue
			}
			for _, a := range h.Attr {
				if a.Key == "mustUnderstand" && a.NamespaceURI() == v.ns() && (a.Value == "1" || a.Value == "true") {
					return faultMustUnderstand(v)
				}
			}
		}
	}
	if len(ver.Body.ChildElements()) != 1 {
		return faultClient(v, "SCHEMA_INVALID", "The Body must hold exactly one operation element.", nil)
	}
	return nil
}

func faultSchema(v soapVersion, cause error) *Fault {
	return faultClient(v, "SCHEMA_INVALID", "The request does not match the service schema.", cause)
}

// decodePayload decodes the verified Body's operation element from the canonical bytes that were
// digested — never from the tree a wrapping attack could have altered.
func decodePayload(c *call, v any) *Fault {
	d := xml.NewDecoder(bytes.NewReader(c.ver.CanonicalBody))
	depth := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			return faultSchema(c.in.version, errors.New("no operation element"))
		}
		if err != nil {
			return faultSchema(c.in.version, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			depth++
			if depth == 2 {
				if err := d.DecodeElement(v, &t); err != nil {
					return faultSchema(c.in.version, err)
				}
				return nil
			}
		case xml.EndElement:
			depth--
		}
	}
}

// marshalPayload renders a generated type as the operation element of a namespace: the root prefixed,
// the children unqualified (an xmlns default would wrongly qualify them).
func marshalPayload(ns, local string, v any) (*etree.Element, error) {
	var buf bytes.Buffer
	enc := xml.NewEncoder(&buf)
	start := xml.StartElement{Name: xml.Name{Local: "tns:" + local},
		Attr: []xml.Attr{{Name: xml.Name{Local: "xmlns:tns"}, Value: ns}}}
	if err := enc.EncodeElement(v, start); err != nil {
		return nil, err
	}
	if err := enc.Flush(); err != nil {
		return nil, err
	}
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(buf.Bytes()); err != nil {
		return nil, err
	}
	return doc.Root(), nil
}

// seal wraps a payload in an envelope of the request's SOAP version, signs it and serializes it.
func (s *Server) seal(v soapVersion, payload *etree.Element) ([]byte, error) {
	doc, body := newEnvelope(v)
	body.AddChild(payload)
	return s.signDoc(doc)
}

func (s *Server) signDoc(doc *etree.Document) ([]byte, error) {
	if err := s.cfg.Signer.SignEnvelope(doc); err != nil {
		return nil, err
	}
	doc.WriteSettings = etree.WriteSettings{CanonicalEndTags: false}
	return doc.WriteToBytes()
}

// sealFault signs a fault: clients that verify answers (zeep, WSS4J) treat an unsigned fault as an attack.
func (s *Server) sealFault(c *call, fc *face, f *Fault) ([]byte, error) {
	var detail *etree.Element
	if fc.detail != nil {
		detail = fc.detail(c, f)
	}
	return s.signDoc(f.envelope(detail))
}

// unsignedFault is the last resort when signing itself failed.
func unsignedFault(f *Fault) []byte {
	b, _ := f.envelope(nil).WriteToBytes()
	return b
}
