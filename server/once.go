package server

import (
	"errors"

	"github.com/carmed/carmed/store"
)

// errRollback ends a write transaction that must leave no trace (a rejection, an idempotent replay).
var errRollback = errors.New("rollback")

// once runs a write in one store transaction under the idempotency key (party, ticket) of
// design §4: a retry with the same verified body gets the first answer byte for byte and writes
// nothing; the same ticket with another body gets reused(). fn computes the answer from the
// current state and writes; when it answers keep=false (a rejection) everything rolls back.
// When keep is true the answer is signed and stored with fn's writes, with the audit record of
// every version it names (rp.audits), so it is acknowledged only once durable. then, when not nil, runs after a successful commit (side effects outside
// the store, e.g. the harness clock).
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
			if prev.BodyHash == hash {
				out = &reply{signed: prev.Response, outcome: statusFound, code: "REPLAYED_TICKET", number: prev.Number}
			} else {
				out = reused()
			}
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
		return tx.PutReply(key, ticket, store.Reply{BodyHash: hash, Response: rp.signed, Number: rp.number, Version: rp.version})
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
