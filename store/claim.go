package store

import (
	"crypto/sha256"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"
)

// SignatureClaimer is a Store whose replay check takes no commit on the request's path
// (Bolt is one): the pipeline uses it when the store offers it, SeenSignature otherwise.
type SignatureClaimer interface {
	// ClaimSignature reports at once whether key was seen before and not expired (a replay),
	// from the durable cache and the claims still being made durable. A new key is claimed:
	// every later claim of it is a replay, and durable waits until the key is on disk (a group
	// commit of concurrent claims, started now, so its fsync overlaps the request's work). The
	// answer a claim guards must wait for durable, so no answered request can be replayed after
	// a crash.
	ClaimSignature(key []byte, expires, now time.Time) (replayed bool, durable func() error, err error)
}

var _ SignatureClaimer = (*Bolt)(nil)

// claims are the keys claimed and not yet durable: the one place a concurrent replay of a
// request still in flight is seen. Bounded by the requests in flight.
type claims struct {
	mu      sync.Mutex
	pending map[[sha256.Size]byte]time.Time // key sum → expiry
}

// ClaimSignature: see SignatureClaimer.
func (b *Bolt) ClaimSignature(key []byte, expires, now time.Time) (bool, func() error, error) {
	sum := sha256.Sum256(key)
	b.claims.mu.Lock()
	if exp, ok := b.claims.pending[sum]; ok && exp.After(now) {
		b.claims.mu.Unlock()
		return true, nil, nil
	}
	var stored []byte
	err := b.db.View(func(tx *bolt.Tx) error {
		if v := tx.Bucket(bucketReplay).Get(sum[:]); len(v) == 8 {
			stored = append(stored, v...)
		}
		return nil
	})
	if err != nil {
		b.claims.mu.Unlock()
		return false, nil, err
	}
	if stored != nil && timeFromKey(stored).After(now) {
		b.claims.mu.Unlock()
		return true, nil, nil
	}
	if b.claims.pending == nil {
		b.claims.pending = map[[sha256.Size]byte]time.Time{}
	}
	b.claims.pending[sum] = expires
	b.claims.mu.Unlock()

	done := make(chan error, 1)
	go func() {
		err := b.db.Batch(func(tx *bolt.Tx) error {
			// The claim above already decided: a replay found here was claimed by this very key
			// in an earlier run of the batch, so the outcome is ignored.
			_, err := seenSignatureInTx(boltTx{tx}, sum[:], expires, now)
			return err
		})
		b.claims.mu.Lock()
		// Durable now (or failed: the request is refused and the key may be tried again).
		delete(b.claims.pending, sum)
		b.claims.mu.Unlock()
		done <- err
	}()
	return false, func() error { return <-done }, nil
}
