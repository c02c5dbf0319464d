package store

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/carmed/carmed/rules"
)

// Urgent-medical-aid attestations (rules.md §10). An attestation is written once by a send and
// rewritten once, by its delete, only to mark it deleted: it is kept for the audit and for the
// CAAMI, the rules leave it out of searches and numbers.

// AttestationEvent names the write an attestation audit record is the evidence of.
type AttestationEvent byte

const (
	EventSend   AttestationEvent = 1
	EventDelete AttestationEvent = 2
)

func (e AttestationEvent) String() string {
	switch e {
	case EventSend:
		return "send"
	case EventDelete:
		return "delete"
	}
	return fmt.Sprintf("event %d", byte(e))
}

// Attestation numbers: "UMA" and 12 zero-padded digits drawn from a counter, so they never
// look like a 12-digit decision number. The service's real format is not public.
const (
	attestationPrefix = "UMA"
	attestationDigits = 12
	maxAttestation    = 999_999_999_999
)

// ErrAttestationChange: PutAttestation was asked to change a stored attestation in any way other
// than marking it deleted.
var ErrAttestationChange = errors.New("store: an attestation changes only by being deleted")

func formatAttestation(n uint64) string {
	return fmt.Sprintf("%s%0*d", attestationPrefix, attestationDigits, n)
}

// parseAttestation turns an attestation number into its counter value; ok is false for anything else.
func parseAttestation(s string) (uint64, bool) {
	if len(s) != len(attestationPrefix)+attestationDigits || s[:len(attestationPrefix)] != attestationPrefix {
		return 0, false
	}
	n, ok := parseNumber(s[len(attestationPrefix):])
	return n, ok && n >= 1
}

func attestationAuditKey(n uint64, e AttestationEvent) []byte {
	return append(numberKey(n), byte(e))
}

// Attestation returns one attestation, deleted or not.
func (t *txn) Attestation(number string) (rules.Attestation, error) {
	n, ok := parseAttestation(number)
	if !ok {
		return rules.Attestation{}, fmt.Errorf("attestation %q: %w", number, ErrNotFound)
	}
	return attestationInTx(t.tx, n)
}

func attestationInTx(tx kvTx, n uint64) (rules.Attestation, error) {
	raw := tx.Bucket(bucketAttestations).Get(numberKey(n))
	if raw == nil {
		return rules.Attestation{}, fmt.Errorf("attestation %s: %w", formatAttestation(n), ErrNotFound)
	}
	var a rules.Attestation
	if err := decode(raw, &a); err != nil {
		return rules.Attestation{}, fmt.Errorf("attestation %s: %w", formatAttestation(n), err)
	}
	return a, nil
}

// AttestationsBySSIN returns the beneficiary's attestations, deleted ones included, oldest number first.
func (t *txn) AttestationsBySSIN(ssin string) ([]rules.Attestation, error) {
	numbers, err := indexedInTx(t.tx, bucketAttestationsBySSIN, ssin)
	if err != nil {
		return nil, err
	}
	out := make([]rules.Attestation, 0, len(numbers))
	for _, n := range numbers {
		a, err := attestationInTx(t.tx, n)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, nil
}

// PutAttestation writes a new attestation when a.Number is empty: it draws the next number from
// the persisted counter (rolled back with the transaction, so a refused send leaves no hole), sets
// a.Number and files it under its SSIN. With a number, a is a delete: a must be marked deleted and
// name the stored attestation's SSIN and author, and the stored record is rewritten with only its
// deletion (Deleted, DeletedAt, DeletedOn) taken from a; everything the send wrote stays as written.
// A second delete, or any other change, is refused with ErrAttestationChange.
func (t *txn) PutAttestation(a *rules.Attestation) error {
	return t.fail(t.putAttestation(a))
}

func (t *txn) putAttestation(a *rules.Attestation) error {
	if !validIndexID(a.SSIN) || a.Author == "" {
		return errors.New("store: an attestation needs its beneficiary SSIN and its author")
	}
	b := t.tx.Bucket(bucketAttestations)
	if a.Number == "" {
		if a.Deleted {
			return errors.New("store: a new attestation cannot be deleted already")
		}
		n, err := b.NextSequence()
		if err != nil {
			return fmt.Errorf("store: next attestation number: %w", err)
		}
		if n > maxAttestation {
			return errors.New("store: attestation numbers exhausted (12 digits)")
		}
		a.Number = formatAttestation(n)
		raw, err := encode(a)
		if err != nil {
			return err
		}
		if err := b.Put(numberKey(n), raw); err != nil {
			return err
		}
		return t.tx.Bucket(bucketAttestationsBySSIN).Put(indexKey(a.SSIN, n), nil)
	}
	n, ok := parseAttestation(a.Number)
	if !ok {
		return fmt.Errorf("store: attestation number %q is not %s and %d digits", a.Number, attestationPrefix, attestationDigits)
	}
	old, err := attestationInTx(t.tx, n)
	if err != nil {
		return err
	}
	if old.Deleted || !a.Deleted || a.SSIN != old.SSIN || a.Author != old.Author {
		return fmt.Errorf("%w: attestation %s", ErrAttestationChange, a.Number)
	}
	old.Deleted, old.DeletedAt, old.DeletedOn = true, a.DeletedAt, a.DeletedOn
	raw, err := encode(old)
	if err != nil {
		return err
	}
	return b.Put(numberKey(n), raw)
}

// AttestationAudit returns the evidence of one send or delete of an attestation.
func (t *txn) AttestationAudit(number string, e AttestationEvent) (Audit, error) {
	n, ok := parseAttestation(number)
	if !ok {
		return Audit{}, fmt.Errorf("%s audit of attestation %q: %w", e, number, ErrNotFound)
	}
	a, err := t.getAudit(bucketAttestationAudit, attestationAuditKey(n, e))
	switch {
	case err != nil:
		return Audit{}, err
	case a == nil:
		return Audit{}, fmt.Errorf("%s audit of attestation %s: %w", e, number, ErrNotFound)
	}
	return *a, nil
}

// PutAttestationAudit keeps the evidence of a send (the attestation exists) or a delete (it is
// deleted), written earlier in this or a past transaction. Written once: a different record for
// the same event is refused with ErrAlreadyWritten.
func (t *txn) PutAttestationAudit(number string, e AttestationEvent, a Audit) error {
	return t.fail(t.putAttestationAudit(number, e, a))
}

func (t *txn) putAttestationAudit(number string, e AttestationEvent, a Audit) error {
	if e != EventSend && e != EventDelete {
		return fmt.Errorf("store: unknown attestation event %d", byte(e))
	}
	n, ok := parseAttestation(number)
	if !ok {
		return fmt.Errorf("store: %s audit of attestation %q: %w", e, number, ErrNotFound)
	}
	att, err := attestationInTx(t.tx, n)
	if err != nil {
		return fmt.Errorf("store: %s audit of %w", e, err)
	}
	if e == EventDelete && !att.Deleted {
		return fmt.Errorf("store: delete audit of attestation %s, which is not deleted", number)
	}
	ok, err = t.putAuditRecord(bucketAttestationAudit, attestationAuditKey(n, e), a)
	if err == nil && !ok {
		err = fmt.Errorf("%w: %s audit of attestation %s", ErrAlreadyWritten, e, number)
	}
	return err
}

// checkAttestationsInTx: every record decodes and is filed under its own number and SSIN, the
// counter is above every number, the SSIN index points at existing attestations of that SSIN,
// every attestation has its send audit and a deleted one its delete audit, and every audit
// record belongs to an attestation in the state its event leaves.
func checkAttestationsInTx(tx kvTx, add func(string, ...any)) {
	atts := map[uint64]*rules.Attestation{}
	b := tx.Bucket(bucketAttestations)
	var highest uint64
	c := b.Cursor()
	for k, raw := c.First(); k != nil; k, raw = c.Next() {
		if len(k) != numberLen {
			add("an attestation key has %d bytes, want %d", len(k), numberLen)
			continue
		}
		n := binary.BigEndian.Uint64(k)
		highest = max(highest, n)
		var a rules.Attestation
		if err := decode(raw, &a); err != nil {
			add("attestation %s: %v", formatAttestation(n), err)
			continue
		}
		if a.Number != formatAttestation(n) {
			add("attestation %s: record says %q", formatAttestation(n), a.Number)
		}
		atts[n] = &a
	}
	if highest > b.Sequence() {
		add("attestation %s is above the attestation counter (%d): it would be drawn again", formatAttestation(highest), b.Sequence())
	}
	filed := map[uint64]int{}
	c = tx.Bucket(bucketAttestationsBySSIN).Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		ssin, n, ok := splitIndexKey(k)
		if !ok {
			add("attestation SSIN index: a key of %d bytes is damaged", len(k))
			continue
		}
		a := atts[n]
		switch {
		case a == nil:
			add("attestation SSIN index: entry for attestation %s, which does not exist", formatAttestation(n))
		case a.SSIN != ssin:
			add("attestation SSIN index: attestation %s is filed under the wrong SSIN", formatAttestation(n))
		default:
			filed[n]++
		}
	}
	audit := tx.Bucket(bucketAttestationAudit)
	for n, a := range atts {
		if filed[n] == 0 {
			add("attestation SSIN index: attestation %s is missing", formatAttestation(n))
		}
		if audit.Get(attestationAuditKey(n, EventSend)) == nil {
			add("attestation %s has no send audit", formatAttestation(n))
		}
		if a.Deleted && audit.Get(attestationAuditKey(n, EventDelete)) == nil {
			add("attestation %s is deleted without a delete audit", formatAttestation(n))
		}
	}
	c = audit.Cursor()
	for k, raw := c.First(); k != nil; k, raw = c.Next() {
		if len(k) != numberLen+1 || (AttestationEvent(k[numberLen]) != EventSend && AttestationEvent(k[numberLen]) != EventDelete) {
			add("an attestation audit key is damaged (%d bytes)", len(k))
			continue
		}
		n, e := binary.BigEndian.Uint64(k), AttestationEvent(k[numberLen])
		if _, err := decodeAudit(raw, (&txn{tx: tx}).replyBody); err != nil {
			add("%s audit of attestation %s: %v", e, formatAttestation(n), err)
		}
		switch a := atts[n]; {
		case a == nil:
			add("%s audit of attestation %s: no such attestation", e, formatAttestation(n))
		case e == EventDelete && !a.Deleted:
			add("delete audit of attestation %s, which is not deleted", formatAttestation(n))
		}
	}
}
