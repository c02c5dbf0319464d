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
// Handler's: an answer is signed and stored with the writes — its Body content in the reply (to
// seal again), its signed bytes in the audit record of every version it names (Answer.Audits) —
// so it is acknowledged only once durable, and Answer.Then runs after the commit. A Rejection
// (a refusal by the rules), a Fault or any other error rolls everything back.
//
// An empty ticket (an eHealth request without its optional Id) has no idempotency key: the write
// is done and audited, and no reply is kept, so a retry writes again.
func (c *Call) Once(ticket string, reused func() (*Answer, error), write func(w store.Writer) (*Answer, error)) (*Answer, error) {
	key := c.party.ID
	hash := payloadHash(c.ver.CanonicalBody)
	var out *Answer
	var outErr error
	err := c.s.cfg.Store.Update(func(tx store.Writer) error {
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
			// Sealed by serveSOAP after the rollback: nothing is written, not even the new signature.
			payload, err := storedAnswer(prev)
			if err != nil {
				return err
			}
			out = &Answer{Payload: payload, Outcome: "DATA_FOUND", Code: "REPLAYED_TICKET", Number: prev.Number}
			return errRollback
		case !errors.Is(err, store.ErrNotFound):
			return err
		}
		a, err := write(tx)
		if err != nil {
			return err // a Rejection or a Fault too: the caller gets it back below
		}
		body, err := answerBody(a.Payload) // before seal moves the payload into the envelope
		if err != nil {
			return err
		}
		if a.signed, err = c.s.seal(c.in.version, a.Payload); err != nil {
			return err
		}
		a.Payload = nil
		audit := store.Audit{Request: c.ver.CanonicalBody, Response: a.signed, Signer: c.party.ID, At: c.received}
		for _, w := range a.Audits {
			if err := tx.PutAudit(w.Number, w.Version, audit); err != nil {
				return err
			}
		}
		reply := store.Reply{BodyHash: hash, Body: body, Number: a.Number, Version: a.Version}
		if w := a.Attestation; w != nil {
			if err := tx.PutAttestationAudit(w.Number, w.Event, audit); err != nil {
				return err
			}
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
		return out, outErr
	case err != nil:
		return nil, err
	}
	if out.Then != nil {
		out.Then()
	}
	return out, nil
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

// answerBody serializes an answer's operation element on its own: what the reply keeps to seal
// again. The element declares every namespace it uses (Marshal), so it stands alone.
func answerBody(payload *etree.Element) ([]byte, error) {
	doc := etree.NewDocument()
	doc.SetRoot(payload.Copy())
	return doc.WriteToBytes()
}

// storedAnswer is the first answer's operation element, to seal again. A reply of store schema 1
// kept the signed envelope instead: its Body's one element is taken out of it.
func storedAnswer(r store.Reply) (*etree.Element, error) {
	doc := etree.NewDocument()
	if r.Body != nil {
		if err := doc.ReadFromBytes(r.Body); err != nil || doc.Root() == nil {
			return nil, fmt.Errorf("stored answer is not an element: %v", err)
		}
		return doc.Root(), nil
	}
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
	return detach(body.ChildElements()[0]), nil
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
