package store

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"time"

	bolt "go.etcd.io/bbolt"
)

// maxPrunePerCall bounds the expired replay keys one SeenSignature deletes: the request waiting
// on the commit pays for it. Each call adds at most one key, so pruning still outpaces growth.
const maxPrunePerCall = 64

// SeenSignature records key until expires and reports whether it is already recorded and not
// expired (a replay). Concurrent callers share one commit and one fsync through bbolt's Batch.
func (b *Bolt) SeenSignature(key []byte, expires, now time.Time) (bool, error) {
	sum := sha256.Sum256(key)
	var replayed bool
	err := b.db.Batch(func(tx *bolt.Tx) error {
		// Batch may run this more than once: every run starts from the stored state and sets
		// replayed afresh, so the outcome is that of the run that committed.
		r, err := seenSignatureInTx(boltTx{tx}, sum[:], expires, now)
		replayed = r
		return err
	})
	if err != nil {
		return false, err
	}
	return replayed, nil
}

func seenSignatureInTx(tx kvTx, sum []byte, expires, now time.Time) (bool, error) {
	replay, byExp := tx.Bucket(bucketReplay), tx.Bucket(bucketReplayExp)
	if old := replay.Get(sum); len(old) == 8 {
		if timeFromKey(old).After(now) {
			return true, nil
		}
		// Expired but not yet pruned: the window is closed, so the key counts as new.
		if err := byExp.Delete(expKey(old, sum)); err != nil {
			return false, err
		}
	}
	if err := pruneReplayInTx(tx, now, maxPrunePerCall); err != nil {
		return false, err
	}
	exp := timeKey(expires)
	if err := replay.Put(sum, exp); err != nil {
		return false, err
	}
	return false, byExp.Put(expKey(exp, sum), nil)
}

// pruneReplayInTx deletes up to limit keys whose expiry is not after now, oldest first.
func pruneReplayInTx(tx kvTx, now time.Time, limit int) error {
	replay, byExp := tx.Bucket(bucketReplay), tx.Bucket(bucketReplayExp)
	cutoff := timeKey(now)
	var doomed [][]byte
	c := byExp.Cursor()
	for k, _ := c.First(); k != nil && len(doomed) < limit; k, _ = c.Next() {
		if len(k) != 8+sha256.Size || bytes.Compare(k[:8], cutoff) > 0 {
			break
		}
		doomed = append(doomed, bytes.Clone(k))
	}
	// Deleting after the walk: a cursor must not step over keys deleted under it.
	for _, k := range doomed {
		sum := k[8:]
		// Only drop the entry if it still belongs to this expiry (the key may have been renewed).
		if cur := replay.Get(sum); cur != nil && bytes.Equal(cur, k[:8]) {
			if err := replay.Delete(sum); err != nil {
				return err
			}
		}
		if err := byExp.Delete(k); err != nil {
			return err
		}
	}
	return nil
}

// timeKey orders instants bytewise: Unix nanoseconds with the sign bit flipped, big-endian.
func timeKey(t time.Time) []byte {
	return binary.BigEndian.AppendUint64(nil, uint64(t.UnixNano())^(1<<63))
}

func timeFromKey(k []byte) time.Time {
	return time.Unix(0, int64(binary.BigEndian.Uint64(k)^(1<<63)))
}

func expKey(exp, sum []byte) []byte {
	k := make([]byte, 0, len(exp)+len(sum))
	return append(append(k, exp...), sum...)
}
