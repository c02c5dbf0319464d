package server

import (
	"errors"
	"fmt"

	"github.com/beevik/etree"

	"github.com/carmed/carmed/store"
)

// errRollback ends a write transaction that must leave no trace (a rejection, an idempotent replay).
var errRollback = errors.New("rollback")

// once runs a write in one store transaction under the idempotency key (party, ticket) of
// design §4 (R-IDEMPOTENT): a retry with the same verified body gets the first answer's Body,
// sealed again in the retry's SOAP version with a fresh Timestamp and signature, and writes
// nothing — a retry after the first answer's Timestamp expired still gets an answer a strict
// client accepts. The same ticket with another body gets reused(). fn computes the answer from
// the current state and writes; when it answers keep=false (a rejection) everything rolls back.
// When keep is true the answer is signed and stored with fn's writes: its Body content in the
// reply (to seal again), its signed bytes in the audit record of every version it names
// (rp.audits), so it is acknowledged only once durable. then, when not nil, runs after a
// successful commit (side effects outside the store, e.g. the harness clock).
func (c *call) once(ticket string, reused func() *reply,
	fn func(w store.Writer) (rp *reply, keep bool, then func(), err error)) *reply {
	key := c.party.ID
	hash := payloadHash(c.ver.CanonicalBody)
	var out *reply
	var after func()
	err := c.s.cfg.Store.Update(func(tx store.Writer) error {
		prev, err := tx.Reply(key, ticket)
		switch {
		case err == nil:
			if prev.BodyHash != hash {
				out = reused()
				return errRollback
			}
			// Sealed by serveSOAP after the rollback: nothing is written, not even the new signature.
			payload, err := storedAnswer(prev)
			if err != nil {
				return err
			}
			out = &reply{payload: payload, outcome: statusFound, code: "REPLAYED_TICKET", number: prev.Number}
			return errRollback
		case !errors.Is(err, store.ErrNotFound):
			return err
		}
		rp, keep, then, err := fn(tx)
		if err != nil {
			return err
		}
		out = rp
		if !keep || rp.fault != nil {
			return errRollback
		}
		body, err := answerBody(rp.payload) // before seal moves the payload into the envelope
		if err != nil {
			return err
		}
		if rp.signed, err = c.s.seal(c.in.version, rp.payload); err != nil {
			return err
		}
		rp.payload = nil
		for _, a := range rp.audits {
			if err := tx.PutAudit(a.number, a.version, store.Audit{Request: c.ver.CanonicalBody, Response: rp.signed,
				Signer: c.party.ID, At: c.received}); err != nil {
				return err
			}
		}
		after = then
		return tx.PutReply(key, ticket, store.Reply{BodyHash: hash, Body: body, Number: rp.number, Version: rp.version})
	})
	switch {
	case errors.Is(err, errRollback):
		return out
	case err != nil:
		var ff *Fault
		if errors.As(err, &ff) {
			return &reply{fault: ff}
		}
		return &reply{fault: faultServer(c.in.version, err)}
	}
	if after != nil {
		after()
	}
	return out
}

// answerBody serializes an answer's operation element on its own: what the reply keeps to seal
// again. The element declares every namespace it uses (marshalPayload), so it stands alone.
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
