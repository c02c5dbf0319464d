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
	queue   []*claimWrite                   // claimed, waiting for the writer
	writing bool                            // the writer goroutine is running
}

// claimWrite is one claim waiting to be made durable.
type claimWrite struct {
	sum          [sha256.Size]byte
	expires, now time.Time
	done         chan error
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
	cw := &claimWrite{sum: sum, expires: expires, now: now, done: make(chan error, 1)}
	b.claims.queue = append(b.claims.queue, cw)
	if !b.claims.writing {
		b.claims.writing = true
		go b.writeClaims()
	}
	b.claims.mu.Unlock()
	return false, func() error { return <-cw.done }, nil
}

// writeClaims makes the queued claims durable, all that are waiting in one commit, until the
// queue is empty: claims that arrive during a commit (its fsync) join the next one, so a busy
// gateway commits its replay keys as fast as the disk syncs, in ever larger groups, and a quiet
// one commits a lone claim at once, without waiting for company.
func (b *Bolt) writeClaims() {
	for {
		b.claims.mu.Lock()
		batch := b.claims.queue
		b.claims.queue = nil
		if len(batch) == 0 {
			b.claims.writing = false
			b.claims.mu.Unlock()
			return
		}
		b.claims.mu.Unlock()
		err := b.db.Update(func(tx *bolt.Tx) error {
			for _, cw := range batch {
				// The claim already decided: a replay found here was claimed by this very key
				// before its expiry passed, so the outcome is ignored.
				if _, err := seenSignatureInTx(boltTx{tx}, cw.sum[:], cw.expires, cw.now); err != nil {
					return err
				}
			}
			return nil
		})
		b.claims.mu.Lock()
		for _, cw := range batch {
			// Durable now (or failed: the request is refused and the key may be tried again).
			delete(b.claims.pending, cw.sum)
		}
		b.claims.mu.Unlock()
		for _, cw := range batch {
			cw.done <- err
		}
	}
}
