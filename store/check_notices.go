package store

import (
	"encoding/binary"

	"github.com/carmed/carmed/rules"
)

// checkMutationsInTx: every logged mutation is well keyed and filed under each of its SSINs,
// every history entry points at a mutation of that SSIN, and the counter is past every sequence.
func checkMutationsInTx(tx kvTx, add func(string, ...any)) {
	log := tx.Bucket(bucketMutations)
	idx := tx.Bucket(bucketMutationsBySSIN)
	var highest uint64
	c := log.Cursor()
	for k, raw := c.First(); k != nil; k, raw = c.Next() {
		if len(k) != numberLen {
			add("a mutation key has %d bytes, want %d", len(k), numberLen)
			continue
		}
		seq := binary.BigEndian.Uint64(k)
		highest = max(highest, seq)
		var rec mutationRecord
		if err := decode(raw, &rec); err != nil {
			add("mutation %d: %v", seq, err)
			continue
		}
		if rec.Mutation.Seq != seq {
			add("mutation %d: record says sequence %d", seq, rec.Mutation.Seq)
		}
		for _, ssin := range mutationSSINs(&rec.Mutation) {
			if !validIndexID(ssin) || idx.Get(indexKey(ssin, seq)) == nil {
				add("mutation %d is missing from the mutation history of one of its SSINs", seq)
			}
		}
	}
	if highest > log.Sequence() {
		add("mutation %d is above the mutation counter (%d): NextMutationSeq would draw it again", highest, log.Sequence())
	}
	ic := idx.Cursor()
	for k, _ := ic.First(); k != nil; k, _ = ic.Next() {
		ssin, seq, ok := splitIndexKey(k)
		if !ok {
			add("mutation history: a key of %d bytes is damaged", len(k))
			continue
		}
		raw := log.Get(numberKey(seq))
		if raw == nil {
			add("mutation history: entry for mutation %d, which does not exist", seq)
			continue
		}
		var rec mutationRecord
		if decode(raw, &rec) != nil {
			continue // reported by the walk above
		}
		if ssin != rec.Mutation.SSIN && ssin != rec.Mutation.NewSSIN {
			add("mutation history: mutation %d is filed under an SSIN it does not concern", seq)
		}
	}
}

// checkNoticesInTx: every notice is well keyed, about an existing version (and mutation), and on
// its manager's pending list exactly when unacknowledged; the counter is past every id.
func checkNoticesInTx(tx kvTx, add func(string, ...any)) {
	notices := tx.Bucket(bucketNotices)
	pending := tx.Bucket(bucketNoticesPending)
	versions := tx.Bucket(bucketVersions)
	mutations := tx.Bucket(bucketMutations)
	var highest uint64
	c := notices.Cursor()
	for k, raw := c.First(); k != nil; k, raw = c.Next() {
		if len(k) != numberLen {
			add("a notice key has %d bytes, want %d", len(k), numberLen)
			continue
		}
		id := binary.BigEndian.Uint64(k)
		highest = max(highest, id)
		name := formatNumber(id)
		var n rules.Notice
		if err := decode(raw, &n); err != nil {
			add("notice %s: %v", name, err)
			continue
		}
		if n.ID != name {
			add("notice %s: record says id %q", name, n.ID)
		}
		if num, ok := parseNumber(n.Number); !ok || n.Version < 1 || versions.Get(versionKey(num, n.Version)) == nil {
			add("notice %s is about decision %q version %d, which does not exist", name, n.Number, n.Version)
		}
		if n.Mutation != 0 && mutations.Get(numberKey(n.Mutation)) == nil {
			add("notice %s names mutation %d, which does not exist", name, n.Mutation)
		}
		switch {
		case !validIndexID(n.Manager):
			add("notice %s has no manager", name)
		case !n.Acknowledged && pending.Get(indexKey(n.Manager, id)) == nil:
			add("notice %s is unacknowledged but missing from its manager's pending list", name)
		}
	}
	if highest > notices.Sequence() {
		add("notice %s is above the notice counter (%d): PutNotice would draw its id again", formatNumber(highest), notices.Sequence())
	}
	pc := pending.Cursor()
	for k, _ := pc.First(); k != nil; k, _ = pc.Next() {
		cbe, id, ok := splitIndexKey(k)
		if !ok {
			add("pending notices: a key of %d bytes is damaged", len(k))
			continue
		}
		name := formatNumber(id)
		raw := notices.Get(numberKey(id))
		if raw == nil {
			add("pending notices: entry for notice %s, which does not exist", name)
			continue
		}
		var n rules.Notice
		if decode(raw, &n) != nil {
			continue // reported by the walk above
		}
		switch {
		case n.Manager != cbe:
			add("pending notices: notice %s is listed for another CPAS than its manager", name)
		case n.Acknowledged:
			add("pending notices: notice %s is acknowledged but still pending", name)
		}
	}
}
