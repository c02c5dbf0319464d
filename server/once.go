package server

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"

	"github.com/beevik/etree"

	"github.com/carmed/carmed/store"
)

// errRollback ends a write transaction that must leave no trace (a rejection, an idempotent replay).
var errRollback = errors.New("rollback")

// Once runs a write in one store transaction under the idempotency key (party, ticket) of
// design §4 (R-IDEMPOTENT): a retry with the same verified body gets the first answer's Body,
// sealed again in the retry's SOAP version with a fresh Timestamp and signature, and writes
// nothing — a retry after the first answer's Timestamp expired still gets an answer a strict
// client accepts. The same ticket with another body gets reused's answer.
//
// write computes the answer from the current state and writes. Its result has the shape of a
// Handler's. The answer's Body (in the reply, to seal again) and a pending audit record of every
// version it names (Answer.Audits: the verified request) commit with the writes; the answer is
// then signed outside the transaction — writers never wait for each other's signature — and
// its signed bytes complete those audit records in a second commit before it is sent. So an
// answer is sent only once its writes and its signed bytes are durable. A crash between the two
// commits leaves the audit pending and the client without an answer: its retry gets the Body
// sealed again, and that signed answer, the one sent, completes the audit. Both commits are
// group commits when the store offers them (store.Batcher): write and reused may then run more
// than once, and must act only through the Writer. Answer.Then runs after the commits. A
// Rejection (a refusal by the rules), a Fault or any other error rolls everything back. An
// attestation's send or delete (Answer.Attestation) is audited the same way.
//
// An empty ticket (an eHealth request without its optional Id) has no idempotency key: the write
// is done and audited, and no reply is kept, so a retry writes again.
func (c *Call) Once(ticket string, reused func() (*Answer, error), write func(w store.Writer) (*Answer, error)) (*Answer, error) {
	key := c.party.ID
	hash := payloadHash(c.ver.CanonicalBody)
	var out *Answer
	var outErr error
	var pending []pendingAudit // the audit records to complete with the signed answer
	err := c.s.commit(func(tx store.Writer) error {
		out, outErr, pending = nil, nil, nil // a group commit may run this more than once
		prev, err := store.Reply{}, store.ErrNotFound
		if ticket != "" {
			prev, err = tx.Reply(key, ticket)
		}
		switch {
		case err == nil:
			if prev.BodyHash != hash {
				out, outErr = reused()
				return errRollback
			}
			body, err := storedAnswer(prev)
			if err != nil {
				return err
			}
			out = &Answer{Body: body, Outcome: "DATA_FOUND", Code: "REPLAYED_TICKET", Number: prev.Number}
			// The first answer was lost to a crash before its audit was completed: this one completes it.
			if prev.Number != "" {
				if a, err := tx.Audit(prev.Number, prev.Version); err == nil && len(a.Response) == 0 {
					pending = append(pending, versionAudit(prev.Number, prev.Version, a))
				}
			}
			if prev.Attestation != "" {
				for _, e := range []store.AttestationEvent{store.EventSend, store.EventDelete} {
					if a, err := tx.AttestationAudit(prev.Attestation, e); err == nil && len(a.Response) == 0 {
						pending = append(pending, attestationAudit(prev.Attestation, e, a))
					}
				}
			}
			return errRollback // nothing written; sealed below or by serveSOAP
		case !errors.Is(err, store.ErrNotFound):
			return err
		}
		a, err := write(tx)
		if err != nil {
			return err // a Rejection or a Fault too: the caller gets it back below
		}
		body, err := answerBody(a)
		if err != nil {
			return err
		}
		rec := store.Audit{Request: c.ver.CanonicalBody, Signer: c.party.ID, At: c.received}
		for _, w := range a.Audits {
			if err := tx.PutAudit(w.Number, w.Version, rec); err != nil {
				return err
			}
			pending = append(pending, versionAudit(w.Number, w.Version, rec))
		}
		reply := store.Reply{BodyHash: hash, Body: body, Number: a.Number, Version: a.Version}
		if w := a.Attestation; w != nil {
			if err := tx.PutAttestationAudit(w.Number, w.Event, rec); err != nil {
				return err
			}
			pending = append(pending, attestationAudit(w.Number, w.Event, rec))
			reply.Attestation = w.Number
		}
		out = a
		if ticket == "" {
			return nil
		}
		return tx.PutReply(key, ticket, reply)
	})
	switch {
	case errors.Is(err, errRollback):
		if outErr != nil || len(pending) == 0 {
			return out, outErr
		}
	case err != nil:
		return nil, err
	}
	if len(pending) > 0 {
		if out.signed, err = c.s.seal(c.in.version, out); err != nil {
			return nil, err
		}
		out.Body, out.Payload = nil, nil
		if err := c.s.commit(func(tx store.Writer) error {
			for _, p := range pending {
				rec := p.rec
				rec.Response = out.signed
				if err := p.complete(tx, rec); err != nil {
					return err
				}
			}
			return nil
		}); err != nil {
			return nil, err
		}
	}
	if out.Then != nil {
		out.Then()
	}
	return out, nil
}

// pendingAudit is an audit record written without the signed answer, and how to complete it.
type pendingAudit struct {
	rec      store.Audit
	complete func(tx store.Writer, rec store.Audit) error
}

func versionAudit(number string, version int, rec store.Audit) pendingAudit {
	return pendingAudit{rec, func(tx store.Writer, rec store.Audit) error { return tx.PutAudit(number, version, rec) }}
}

func attestationAudit(number string, e store.AttestationEvent, rec store.Audit) pendingAudit {
	return pendingAudit{rec, func(tx store.Writer, rec store.Audit) error { return tx.PutAttestationAudit(number, e, rec) }}
}

// commit runs fn in one write transaction, a group commit when the store offers one.
func (s *Server) commit(fn func(store.Writer) error) error {
	if b, ok := s.cfg.Store.(store.Batcher); ok {
		return b.Batch(fn)
	}
	return s.cfg.Store.Update(fn)
}

// payloadHash identifies a request body for idempotency: the verified canonical bytes inside the
// Body element, so a re-signed retry (new Timestamp, new Ids on the Body) still matches.
func payloadHash(canonicalBody []byte) [32]byte {
	inner := canonicalBody
	if i := bytes.IndexByte(inner, '>'); i >= 0 {
		inner = inner[i+1:]
	}
	if j := bytes.LastIndex(inner, []byte("</")); j >= 0 {
		inner = inner[:j]
	}
	return sha256.Sum256(inner)
}

// answerBody is an answer's operation element on its own: what the reply keeps to seal again.
// The element declares every namespace it uses (MarshalBytes, Marshal), so it stands alone.
func answerBody(a *Answer) ([]byte, error) {
	if a.Body != nil {
		return a.Body, nil
	}
	doc := etree.NewDocument()
	doc.SetRoot(a.Payload.Copy())
	return doc.WriteToBytes()
}

// storedAnswer is the first answer's operation element, to seal again. A reply of store schema 1
// kept the signed envelope instead: its Body's one element is taken out of it.
func storedAnswer(r store.Reply) ([]byte, error) {
	if r.Body != nil {
		return r.Body, nil
	}
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(r.Envelope); err != nil {
		return nil, fmt.Errorf("stored envelope: %w", err)
	}
	var body *etree.Element
	if env := doc.Root(); env != nil && env.Tag == "Envelope" {
		for _, el := range env.ChildElements() {
			if el.Tag == "Body" && (el.NamespaceURI() == NSSoap11 || el.NamespaceURI() == NSSoap12) {
				body = el
			}
		}
	}
	if body == nil || len(body.ChildElements()) != 1 {
		return nil, errors.New("stored envelope has no Body with one element")
	}
	out := etree.NewDocument()
	out.SetRoot(detach(body.ChildElements()[0]))
	return out.WriteToBytes()
}

// detach copies el out of its document, declaring on the copy the namespaces its subtree uses
// that only an ancestor declares (the envelope's, say), so the copy means what el meant.
func detach(el *etree.Element) *etree.Element {
	out := el.Copy()
	used := map[string]bool{}
	var walk func(e *etree.Element)
	walk = func(e *etree.Element) {
		used[e.Space] = true
		for _, a := range e.Attr {
			if a.Space != "" && a.Space != "xmlns" && a.Space != "xml" {
				used[a.Space] = true
			}
		}
		for _, ch := range e.ChildElements() {
			walk(ch)
		}
	}
	walk(el)
	for prefix := range used {
		if declares(el, prefix) {
			continue
		}
		for up := el.Parent(); up != nil; up = up.Parent() {
			if declares(up, prefix) {
				a := up.SelectAttr(xmlnsKey(prefix))
				out.CreateAttr(a.FullKey(), a.Value)
				break
			}
		}
	}
	return out
}

// declares reports whether e itself declares prefix ("" is the default namespace).
func declares(e *etree.Element, prefix string) bool { return e.SelectAttr(xmlnsKey(prefix)) != nil }

func xmlnsKey(prefix string) string {
	if prefix == "" {
		return "xmlns"
	}
	return "xmlns:" + prefix
}
