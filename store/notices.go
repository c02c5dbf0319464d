package store

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"

	"github.com/carmed/carmed/rules"
)

const (
	// DefaultNoticeLimit is one consultNotices page when the caller names none: enough for a
	// mutation that touched every decision of a person, small enough for one signed answer.
	DefaultNoticeLimit = 50
	// MaxNoticeLimit caps a page: a listing is built in memory and signed whole.
	MaxNoticeLimit = 1000
)

// maxNoticeID: notice ids are 12 zero-padded digits, like decision numbers.
const maxNoticeID = maxNumber

// PutNotice stores n under a fresh id, sets n.ID and files it as pending for n.Manager unless it
// is already acknowledged. The version it is about must be written already (in this transaction
// or before). A notice that already has an id is refused: it was stored once.
func (t *txn) PutNotice(n *rules.Notice) error {
	return t.fail(t.putNotice(n))
}

func (t *txn) putNotice(n *rules.Notice) error {
	if n == nil {
		return errors.New("store: nil notice")
	}
	if n.ID != "" {
		return fmt.Errorf("%w: notice %s", ErrAlreadyWritten, n.ID)
	}
	if !validIndexID(n.Manager) {
		return errors.New("store: notice without a manager")
	}
	if err := t.versionExists(n.Number, n.Version); err != nil {
		return fmt.Errorf("store: notice about %w", err)
	}
	b := t.tx.Bucket(bucketNotices)
	id, err := b.NextSequence()
	if err != nil {
		return fmt.Errorf("store: next notice id: %w", err)
	}
	if id > maxNoticeID {
		return errors.New("store: notice ids exhausted (12 digits)")
	}
	rec := *n
	rec.ID = formatNumber(id)
	raw, err := encode(rec)
	if err != nil {
		return err
	}
	if err := b.Put(numberKey(id), raw); err != nil {
		return err
	}
	if !rec.Acknowledged {
		if err := t.tx.Bucket(bucketNoticesPending).Put(indexKey(rec.Manager, id), nil); err != nil {
			return err
		}
	}
	n.ID = rec.ID // only once everything is written: a refused notice keeps no id
	return nil
}

// AckNotices marks cbe's notices ids as acknowledged and drops them from its pending list.
// Acknowledging one twice is harmless. All or none: when any id is malformed, unknown or another
// CPAS's, those ids come back in unknown (in request order, once each), err is nil and nothing
// is written.
func (t *txn) AckNotices(cbe string, ids []string) ([]string, error) {
	unknown, err := t.ackNotices(cbe, ids)
	return unknown, t.fail(err)
}

func (t *txn) ackNotices(cbe string, ids []string) ([]string, error) {
	b := t.tx.Bucket(bucketNotices)
	type found struct {
		id  uint64
		rec rules.Notice
	}
	var todo []found
	var unknown []string
	seen := map[string]bool{}
	// First pass reads only, so a refusal leaves the transaction untouched.
	for _, s := range ids {
		if seen[s] {
			continue
		}
		seen[s] = true
		id, ok := parseNumber(s)
		var raw []byte
		if ok {
			raw = b.Get(numberKey(id))
		}
		if raw == nil {
			unknown = append(unknown, s)
			continue
		}
		var rec rules.Notice
		if err := decode(raw, &rec); err != nil {
			return nil, fmt.Errorf("notice %s: %w", s, err)
		}
		if rec.Manager != cbe {
			unknown = append(unknown, s) // another CPAS's notice is not known to this one
			continue
		}
		if !rec.Acknowledged {
			todo = append(todo, found{id, rec})
		}
	}
	if len(unknown) > 0 {
		return unknown, nil
	}
	pending := t.tx.Bucket(bucketNoticesPending)
	for _, f := range todo {
		f.rec.Acknowledged = true
		raw, err := encode(f.rec)
		if err != nil {
			return nil, err
		}
		if err := b.Put(numberKey(f.id), raw); err != nil {
			return nil, err
		}
		if err := pending.Delete(indexKey(cbe, f.id)); err != nil {
			return nil, err
		}
	}
	return nil, nil
}

// Notices lists the notices q selects in id order. A manager's pending notices are read through
// its pending index; the other selections scan every notice (harness and rare listings).
func (t *txn) Notices(q NoticeQuery) ([]rules.Notice, bool, error) {
	limit := q.Limit
	if limit <= 0 {
		limit = DefaultNoticeLimit
	}
	limit = min(limit, MaxNoticeLimit)
	if q.Manager != "" && !validIndexID(q.Manager) {
		return nil, false, nil
	}
	var out []rules.Notice
	// add decodes one candidate; full reports a match beyond the page (more = true).
	add := func(key, raw []byte) (full bool, err error) {
		var n rules.Notice
		if err := decode(raw, &n); err != nil {
			return false, fmt.Errorf("notice %s: %w", noticeName(key), err)
		}
		if (q.Manager != "" && n.Manager != q.Manager) || (!q.IncludeAcknowledged && n.Acknowledged) {
			return false, nil
		}
		if len(out) == limit {
			return true, nil
		}
		out = append(out, n)
		return false, nil
	}
	notices := t.tx.Bucket(bucketNotices)
	if !q.IncludeAcknowledged {
		ids, err := pendingIDsInTx(t.tx, q.Manager, limit+1)
		if err != nil {
			return nil, false, err
		}
		for _, id := range ids {
			key := numberKey(id)
			raw := notices.Get(key)
			if raw == nil {
				return nil, false, fmt.Errorf("store: pending notice %s: %w", formatNumber(id), ErrNotFound)
			}
			if full, err := add(key, raw); err != nil || full {
				return out, full, err
			}
		}
		return out, false, nil
	}
	c := notices.Cursor()
	for k, raw := c.First(); k != nil; k, raw = c.Next() {
		if full, err := add(k, raw); err != nil || full {
			return out, full, err
		}
	}
	return out, false, nil
}

// pendingIDsInTx returns the oldest n pending notice ids of cbe ("" = every CPAS) in id order.
// One CPAS's ids are a prefix walk, already in order; every CPAS's pending ids are gathered
// and sorted, which reads only index keys, never the notices acknowledged long ago.
func pendingIDsInTx(tx kvTx, cbe string, n int) ([]uint64, error) {
	var ids []uint64
	if cbe != "" {
		prefix := indexPrefix(cbe)
		c := tx.Bucket(bucketNoticesPending).PrefixCursor(prefix)
		for k, _ := c.First(); k != nil && len(ids) < n; k, _ = c.Next() {
			if len(k) != len(prefix)+numberLen {
				return nil, errors.New("store: damaged pending-notice index key")
			}
			ids = append(ids, binary.BigEndian.Uint64(k[len(prefix):]))
		}
		return ids, nil
	}
	c := tx.Bucket(bucketNoticesPending).Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		_, id, ok := splitIndexKey(k)
		if !ok {
			return nil, errors.New("store: damaged pending-notice index key")
		}
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids[:min(n, len(ids))], nil
}

// noticeName formats a notice key for messages.
func noticeName(key []byte) string {
	if len(key) != numberLen {
		return fmt.Sprintf("<%d-byte key>", len(key))
	}
	return formatNumber(binary.BigEndian.Uint64(key))
}
