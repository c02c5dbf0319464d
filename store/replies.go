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
	return decodeReply(raw)
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
	raw, err := encodeReply(r)
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
	if err := b.Put(key, raw); err != nil {
		return err
	}
	return t.linkPending(key)
}

// linkPending names the reply at replyKey in the pending audits this transaction wrote: the
// answer that completes them carries this reply's Body, which is then stored once (records.go).
func (t *txn) linkPending(replyKey []byte) error {
	for _, p := range t.pending {
		b := t.tx.Bucket(p.bucket)
		raw, err := t.linked(b.Get(p.key), replyKey)
		if err != nil {
			return err
		}
		if err := b.Put(p.key, raw); err != nil {
			return err
		}
	}
	t.pending = nil
	return nil
}

// linked is an audit record with the key of its reply. A pending record as putAuditRecord writes
// it (request, signer, time) gets the reply field appended, where encodeAudit writes it (last), so
// its request is neither inflated nor deflated again; any other is decoded and encoded again.
func (t *txn) linked(raw, replyKey []byte) ([]byte, error) {
	plain := len(raw) > 0 && raw[0] == codecRecord1
	if plain {
		err := fields(raw, func(tag byte, _ []byte) error {
			switch tag {
			case tagAuditRequest, tagAuditRequestDeflate, tagAuditSigner, tagAuditAt:
			default:
				plain = false
			}
			return nil
		})
		plain = plain && err == nil // a damaged record: decodeAudit says what is wrong
	}
	if plain {
		w := recordWriter{b: append(make([]byte, 0, len(raw)+2+len(replyKey)), raw...)}
		w.field(tagAuditReply, replyKey)
		return w.b, nil
	}
	a, err := decodeAudit(raw, t.replyBody)
	if err != nil {
		return nil, err
	}
	a.replyKey = bytes.Clone(replyKey)
	return encodeAudit(a, nil)
}

// replyBody is the Body of the reply stored under key: the middle of the audits linked to it.
func (t *txn) replyBody(key []byte) ([]byte, error) {
	raw := t.tx.Bucket(bucketReplies).Get(key)
	if raw == nil {
		return nil, errors.New("the linked reply is missing")
	}
	r, err := decodeReply(raw)
	if err != nil {
		return nil, err
	}
	return r.Body, nil
}

// getAudit reads the audit record under key in bucket (nil when there is none).
func (t *txn) getAudit(bucket, key []byte) (*Audit, error) {
	raw := t.tx.Bucket(bucket).Get(key)
	if raw == nil {
		return nil, nil
	}
	a, err := decodeAudit(raw, t.replyBody)
	if err != nil {
		return nil, err
	}
	return &a.Audit, nil
}

// putAuditRecord writes an audit record once: the same record again is a no-op, a pending one
// (no Response) is completed once by the same record with its Response — stored around the
// linked reply's Body when it carries it — and anything else is refused (false).
func (t *txn) putAuditRecord(bucket, key []byte, a Audit) (bool, error) {
	b := t.tx.Bucket(bucket)
	rec := auditRecord{Audit: a}
	var dict []byte
	if raw := b.Get(key); raw != nil {
		old, err := decodeAudit(raw, t.replyBody)
		if err != nil {
			return false, err
		}
		if sameAudit(old.Audit, a) {
			return true, nil
		}
		if len(old.Response) != 0 || len(a.Response) == 0 || !sameAudit(old.Audit, Audit{Request: a.Request, Signer: a.Signer, At: a.At}) {
			return false, nil
		}
		rec.requestField = old.requestField // the same request (sameAudit above): as stored
		if rec.replyKey = old.replyKey; rec.replyKey != nil {
			if dict, err = t.replyBody(rec.replyKey); err != nil {
				return false, err
			}
		}
	}
	raw, err := encodeAudit(rec, dict)
	if err != nil {
		return false, err
	}
	if err := b.Put(key, raw); err != nil {
		return false, err
	}
	if len(a.Response) == 0 {
		t.pending = append(t.pending, auditKey{bucket, bytes.Clone(key)})
	}
	return true, nil
}

func sameAudit(x, y Audit) bool {
	return bytes.Equal(x.Request, y.Request) && bytes.Equal(x.Response, y.Response) && x.Signer == y.Signer && x.At.Equal(y.At)
}

// Audit returns the evidence kept for one version.
func (t *txn) Audit(number string, version int) (Audit, error) {
	n, ok := parseNumber(number)
	if !ok || version < 1 {
		return Audit{}, fmt.Errorf("audit of decision %q version %d: %w", number, version, ErrNotFound)
	}
	a, err := t.getAudit(bucketAudit, versionKey(n, version))
	switch {
	case err != nil:
		return Audit{}, err
	case a == nil:
		return Audit{}, fmt.Errorf("audit of decision %s version %d: %w", number, version, ErrNotFound)
	}
	return *a, nil
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
	ok, err := t.putAuditRecord(bucketAudit, versionKey(n, version), a)
	if err == nil && !ok {
		err = fmt.Errorf("%w: audit of decision %s version %d", ErrAlreadyWritten, number, version)
	}
	return err
}

// versionExists reports ErrNotFound (wrapped) unless the version is stored.
func (t *txn) versionExists(number string, version int) error {
	n, ok := parseNumber(number)
	if !ok || version < 1 || t.tx.Bucket(bucketVersions).Get(versionKey(n, version)) == nil {
		return fmt.Errorf("decision %q version %d: %w", number, version, ErrNotFound)
	}
	return nil
}
