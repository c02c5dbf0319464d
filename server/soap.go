package server

import (
	"crypto/sha256"
	"encoding/xml"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/beevik/etree"

	"github.com/carmed/carmed/store"
	"github.com/carmed/carmed/wssec"
)

// serveSOAP runs the pipeline of design §2 for one face: door → verify → headers → replay →
// party → dispatch on the verified QName → operation → signed answer.
func (s *Server) serveSOAP(w http.ResponseWriter, r *http.Request, fc *face) {
	begin := time.Now() // monotonic, for latency only
	id := requestID()
	w.Header().Set("X-Request-Id", id)
	lg := s.cfg.Logger.With().Str("req_id", id).Str("face", fc.Name).Logger()
	c := &Call{s: s, received: s.cfg.Now(), today: s.today(), log: &lg}

	ans, f := result(s.handleSOAP(w, r, fc, c))
	opName := "unknown"
	if c.op != nil {
		opName = c.op.Name
	}
	status := http.StatusOK
	var body []byte
	var err error
	var outcome, code, number string
	switch {
	case f != nil:
		status = f.status(c.in.version)
		body, err = s.sealFault(c, fc, f)
		outcome, code = "FAULT", f.Code
	case ans.signed != nil:
		body = ans.signed
	default:
		body, err = s.seal(c.in.version, ans)
	}
	if ans != nil && f == nil {
		outcome, code, number = ans.Outcome, ans.Code, ans.Number
	}
	if err != nil {
		sf := faultServer(err)
		status, outcome, code = sf.status(c.in.version), "FAULT", sf.Code
		body = unsignedFault(c.in.version, sf)
		lg.Error().Err(err).Msg("signing the answer failed")
	}
	if c.durable != nil && err == nil {
		// Nothing is sent before the request's replay key is on disk: an answered request
		// stays refused as a replay after a crash.
		if derr := c.durable(); derr != nil {
			sf := faultServer(derr)
			status, outcome, code = sf.status(c.in.version), "FAULT", sf.Code
			if body, err = s.sealFault(c, fc, sf); err != nil {
				body = unsignedFault(c.in.version, sf)
			}
			lg.Error().Err(derr).Msg("recording the replay key failed")
		}
	}
	w.Header().Set("Content-Type", c.in.version.contentType())
	// A known length: one write, no chunked encoding for answers over net/http's 4 KB buffer.
	w.Header().Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(status)
	_, _ = w.Write(body)

	lat := time.Since(begin)
	s.metrics.Observe(fc.Name+"."+opName, outcome, lat)
	ev := lg.Info()
	if f != nil {
		ev = lg.Warn()
		if f.cause != nil {
			ev = ev.AnErr("cause", f.cause)
		}
	}
	ev = ev.Str("op", opName).Str("outcome", outcome).Str("code", code).Int("http", status).
		Float64("latency_ms", float64(lat.Microseconds())/1000)
	if c.party.ID != "" {
		ev = ev.Str("party", c.party.ID).Str("party_kind", string(c.party.Kind))
	}
	if number != "" {
		ev = ev.Str("decision", number)
	}
	ev.Msg("request")
}

// result reads a Handler's result: the answer to send, or the fault to seal. A Rejection is an
// answer; an error that is not a Fault is a server fault (its cause logged, never sent).
func result(a *Answer, err error) (*Answer, *Fault) {
	if err == nil {
		if a == nil {
			return nil, faultServer(errors.New("an operation answered nothing"))
		}
		return a, nil
	}
	var rej *Rejection
	if errors.As(err, &rej) && rej.Answer != nil {
		return rej.Answer, nil
	}
	var f *Fault
	if errors.As(err, &f) {
		return nil, f
	}
	return nil, faultServer(err)
}

func (s *Server) handleSOAP(w http.ResponseWriter, r *http.Request, fc *face, c *Call) (*Answer, error) {
	in, f := readEnvelope(w, r, fc.door)
	c.in = in
	if f != nil {
		return nil, f
	}
	ver, err := fc.verify(in.doc)
	if err != nil {
		return nil, securityFault(err)
	}
	c.ver = ver
	if f := checkHeaders(in.version, ver); f != nil {
		return nil, f
	}
	replayed, err := s.claimSignature(c, ver)
	if err != nil {
		return nil, err
	}
	if replayed {
		return nil, newFault(FaultReplayed, errors.New("signature value seen before"))
	}
	party, f := s.partyOf(ver, c.received)
	if f != nil {
		return nil, f
	}
	c.party = party
	name := xml.Name{Space: ver.Payload.NamespaceURI(), Local: ver.Payload.Tag}
	op := fc.ops[name]
	if op == nil {
		return nil, faultClient(FaultUnknownOp, nil)
	}
	c.op = op
	if in.hasAction && in.soapAction != "" && in.soapAction != op.Action {
		return nil, faultClient(FaultActionMismatch, nil)
	}
	if party.Kind != op.Kind {
		return nil, faultClient(FaultNotAuthorized, nil)
	}
	if fc.schema != nil {
		if err := fc.schema.Validate(ver.Payload); err != nil {
			if op.SchemaRefusal != nil {
				if a, rerr := op.SchemaRefusal(c, err); a != nil || rerr != nil {
					return a, rerr
				}
			}
			return nil, SchemaFault(err)
		}
	}
	return op.Handle(c)
}

// claimSignature is the replay check of a verified request's signature, kept until its
// Timestamp expires (+ skew). A store that claims (store.SignatureClaimer) answers from memory
// and its durable cache at once and makes the key durable while the request runs: c.durable
// waits for it before the answer goes out. Otherwise the check commits first (SeenSignature).
func (s *Server) claimSignature(c *Call, ver *wssec.Verified) (bool, error) {
	sum := sha256.Sum256(ver.SignatureValue)
	exp := ver.Expires.Add(ClockSkew)
	if cl, ok := s.cfg.Store.(store.SignatureClaimer); ok {
		replayed, durable, err := cl.ClaimSignature(sum[:], exp, c.received)
		c.durable = durable
		return replayed, err
	}
	return s.cfg.Store.SeenSignature(sum[:], exp, c.received)
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
					return faultMustUnderstand()
				}
			}
		}
	}
	if len(ver.Body.ChildElements()) != 1 {
		f := faultClient(FaultSchemaInvalid, nil)
		f.Reason = "The Body must hold exactly one operation element." // more helpful than the code's text
		return f
	}
	return nil
}

// seal wraps an answer's element in an envelope of the request's SOAP version, signs it and
// serializes it: the bytes of Answer.Body straight into their signed envelope, or the tree of
// Answer.Payload through SignEnvelope.
func (s *Server) seal(v soapVersion, a *Answer) ([]byte, error) {
	if a.Body != nil {
		return s.cfg.Signer.SealBody(wssec.SOAPVersion(v), a.Body)
	}
	doc, body := newEnvelope(v)
	body.AddChild(a.Payload)
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
func (s *Server) sealFault(c *Call, fc *face, f *Fault) ([]byte, error) {
	var detail *etree.Element
	if fc.Detail != nil {
		detail = fc.Detail(c, f)
	}
	return s.signDoc(f.envelope(c.in.version, detail))
}

// unsignedFault is the last resort when signing itself failed.
func unsignedFault(v soapVersion, f *Fault) []byte {
	b, _ := f.envelope(v, nil).WriteToBytes()
	return b
}
