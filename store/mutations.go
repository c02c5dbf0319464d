package store

import (
	"errors"
	"fmt"
	"time"

	"github.com/carmed/carmed/rules"
)

// mutationRecord is the stored value of one logged mutation.
type mutationRecord struct {
	Mutation rules.Mutation
	At       time.Time // when the gateway applied it (the injected clock, not the effective date)
}

// NextMutationSeq draws the next mutation sequence. Like NextNumber, the counter advances only if
// the transaction commits.
func (t *txn) NextMutationSeq() (uint64, error) {
	seq, err := t.tx.Bucket(bucketMutations).NextSequence()
	if err != nil {
		return 0, t.fail(fmt.Errorf("store: next mutation sequence: %w", err))
	}
	return seq, nil
}

// PutMutation logs m under m.Seq and files it in the history of m.SSIN and, for an SSIN
// mutation, of m.NewSSIN. A sequence is written once: a second record is refused.
func (t *txn) PutMutation(m rules.Mutation, at time.Time) error {
	return t.fail(t.putMutation(m, at))
}

func (t *txn) putMutation(m rules.Mutation, at time.Time) error {
	if m.Seq == 0 {
		return errors.New("store: mutation without a sequence")
	}
	if !validIndexID(m.SSIN) {
		return fmt.Errorf("store: mutation %d has no SSIN", m.Seq)
	}
	if m.NewSSIN != "" && !validIndexID(m.NewSSIN) {
		return fmt.Errorf("store: mutation %d has a new SSIN that cannot be indexed", m.Seq)
	}
	b := t.tx.Bucket(bucketMutations)
	key := numberKey(m.Seq)
	if b.Get(key) != nil {
		return fmt.Errorf("%w: mutation %d", ErrAlreadyWritten, m.Seq)
	}
	raw, err := encode(mutationRecord{Mutation: m, At: at})
	if err != nil {
		return err
	}
	if err := b.Put(key, raw); err != nil {
		return err
	}
	idx := t.tx.Bucket(bucketMutationsBySSIN)
	for _, ssin := range mutationSSINs(&m) {
		if err := idx.Put(indexKey(ssin, m.Seq), nil); err != nil {
			return err
		}
	}
	// A sequence written without NextMutationSeq (an import) must never be drawn again.
	if b.Sequence() < m.Seq {
		return b.SetSequence(m.Seq)
	}
	return nil
}

// mutationSSINs are the SSINs a mutation is filed under.
func mutationSSINs(m *rules.Mutation) []string {
	if m.NewSSIN != "" && m.NewSSIN != m.SSIN {
		return []string{m.SSIN, m.NewSSIN}
	}
	return []string{m.SSIN}
}

// Mutation returns the mutation logged under seq and when it was applied.
func (t *txn) Mutation(seq uint64) (rules.Mutation, time.Time, error) {
	rec, err := t.mutationRecord(seq)
	return rec.Mutation, rec.At, err
}

func (t *txn) mutationRecord(seq uint64) (mutationRecord, error) {
	raw := t.tx.Bucket(bucketMutations).Get(numberKey(seq))
	if raw == nil {
		return mutationRecord{}, fmt.Errorf("mutation %d: %w", seq, ErrNotFound)
	}
	var rec mutationRecord
	if err := decode(raw, &rec); err != nil {
		return mutationRecord{}, fmt.Errorf("mutation %d: %w", seq, err)
	}
	return rec, nil
}

// MutationsBySSIN returns every mutation filed under ssin, oldest first; none is not an error.
func (t *txn) MutationsBySSIN(ssin string) ([]rules.Mutation, error) {
	seqs, err := indexedInTx(t.tx, bucketMutationsBySSIN, ssin)
	if err != nil {
		return nil, err
	}
	out := make([]rules.Mutation, 0, len(seqs))
	for _, seq := range seqs {
		rec, err := t.mutationRecord(seq)
		if err != nil {
			return nil, err // a dangling index entry is damage, not "no history"
		}
		out = append(out, rec.Mutation)
	}
	return out, nil
}
