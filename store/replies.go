package store

import (
	"bytes"
	"errors"
	"fmt"
)

// ErrAlreadyWritten: a reply or audit record exists under that key with other content. The first
// answer to a ticket and the evidence of a version are never replaced.
var ErrAlreadyWritten = errors.New("store: already written")

// Reply returns the answer stored for (cbe, ticket).
func (t *txn) Reply(cbe, ticket string) (Reply, error) {
	key, err := replyKey(cbe, ticket)
	if err != nil {
		return Reply{}, ErrNotFound
	}
	raw := t.tx.Bucket(bucketReplies).Get(key)
	if raw == nil {
		return Reply{}, ErrNotFound
	}
	var r Reply
	if err := decode(raw, &r); err != nil {
		return Reply{}, err
	}
	return r, nil
}

// PutReply stores the answer to (cbe, ticket). Storing the same reply again is a no-op; a different
// one is refused with ErrAlreadyWritten. r.Number, when set, must name a version written already.
// r must hold a Body and no Envelope (the schema 1 shape is read, never written).
func (t *txn) PutReply(cbe, ticket string, r Reply) error {
	return t.fail(t.putReply(cbe, ticket, r))
}

func (t *txn) putReply(cbe, ticket string, r Reply) error {
	key, err := replyKey(cbe, ticket)
	if err != nil {
		return err
	}
	if len(r.Body) == 0 || r.Envelope != nil {
		return errors.New("store: a reply holds the answer's Body, and no signed envelope")
	}
	if r.Number != "" {
		if err := t.versionExists(r.Number, r.Version); err != nil {
			return fmt.Errorf("store: reply names %w", err)
		}
	}
	if r.Attestation != "" {
		if _, err := t.Attestation(r.Attestation); err != nil {
			return fmt.Errorf("store: reply names %w", err)
		}
	}
	raw, err := encode(r)
	if err != nil {
		return err
	}
	b := t.tx.Bucket(bucketReplies)
	if old := b.Get(key); old != nil {
		if bytes.Equal(old, raw) {
			return nil
		}
		return fmt.Errorf("%w: a different reply to this ticket", ErrAlreadyWritten)
	}
	return b.Put(key, raw)
}

// Audit returns the evidence kept for one version.
func (t *txn) Audit(number string, version int) (Audit, error) {
	n, ok := parseNumber(number)
	if !ok || version < 1 {
		return Audit{}, fmt.Errorf("audit of decision %q version %d: %w", number, version, ErrNotFound)
	}
	raw := t.tx.Bucket(bucketAudit).Get(versionKey(n, version))
	if raw == nil {
		return Audit{}, fmt.Errorf("audit of decision %s version %d: %w", number, version, ErrNotFound)
	}
	var a Audit
	if err := decode(raw, &a); err != nil {
		return Audit{}, err
	}
	return a, nil
}

// PutAudit keeps the evidence of a version written earlier in this or a past transaction.
// Written once: a different record for the same version is refused with ErrAlreadyWritten —
// except that a pending record (no Response: the version is durable, its answer not yet signed)
// is completed once by the same record with its Response.
func (t *txn) PutAudit(number string, version int, a Audit) error {
	return t.fail(t.putAudit(number, version, a))
}

func (t *txn) putAudit(number string, version int, a Audit) error {
	if err := t.versionExists(number, version); err != nil {
		return fmt.Errorf("store: audit of %w", err)
	}
	n, _ := parseNumber(number)
	raw, err := encode(a)
	if err != nil {
		return err
	}
	b := t.tx.Bucket(bucketAudit)
	key := versionKey(n, version)
	if old := b.Get(key); old != nil {
		if bytes.Equal(old, raw) {
			return nil
		}
		if !completes(old, a) {
			return fmt.Errorf("%w: audit of decision %s version %d", ErrAlreadyWritten, number, version)
		}
	}
	return b.Put(key, raw)
}

// completes reports whether a is the pending record old with its signed answer added.
func completes(old []byte, a Audit) bool {
	var prev Audit
	if len(a.Response) == 0 || decode(old, &prev) != nil || len(prev.Response) != 0 {
		return false
	}
	return bytes.Equal(prev.Request, a.Request) && prev.Signer == a.Signer && prev.At.Equal(a.At)
}

// versionExists reports ErrNotFound (wrapped) unless the version is stored.
func (t *txn) versionExists(number string, version int) error {
	n, ok := parseNumber(number)
	if !ok || version < 1 || t.tx.Bucket(bucketVersions).Get(versionKey(n, version)) == nil {
		return fmt.Errorf("decision %q version %d: %w", number, version, ErrNotFound)
	}
	return nil
}
