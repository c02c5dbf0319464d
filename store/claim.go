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
// request still in flight is seen. Bounded by the requests in flight. Bolt and Etcd share it;
// each gives its own commit of a group of claims.
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

// claimCommit makes a group of claims durable; errs[i] is claim i's outcome.
type claimCommit func(batch []*claimWrite) (errs []error)

// inFlight reports a key claimed here, not yet durable and not expired.
func (c *claims) inFlight(sum [sha256.Size]byte, now time.Time) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	exp, ok := c.pending[sum]
	return ok && exp.After(now)
}

// claim takes sum (found in no durable store by the caller) unless it was claimed here meanwhile
// (replayed), and queues it for the writer, started when idle; durable waits for its commit.
// limit caps a group (0: no cap).
func (c *claims) claim(sum [sha256.Size]byte, expires, now time.Time, limit int, commit claimCommit) (replayed bool, durable func() error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if exp, ok := c.pending[sum]; ok && exp.After(now) {
		return true, nil
	}
	if c.pending == nil {
		c.pending = map[[sha256.Size]byte]time.Time{}
	}
	c.pending[sum] = expires
	cw := &claimWrite{sum: sum, expires: expires, now: now, done: make(chan error, 1)}
	c.queue = append(c.queue, cw)
	if !c.writing {
		c.writing = true
		go c.write(limit, commit)
	}
	return false, func() error { return <-cw.done }
}

// write makes the queued claims durable, all that are waiting in one commit (up to limit), until
// the queue is empty: claims that arrive during a commit (its fsync) join the next one, so a
// busy gateway commits its replay keys as fast as the disk syncs, in ever larger groups, and a
// quiet one commits a lone claim at once, without waiting for company.
func (c *claims) write(limit int, commit claimCommit) {
	for {
		c.mu.Lock()
		n := len(c.queue)
		if limit > 0 {
			n = min(n, limit)
		}
		batch := c.queue[:n:n]
		c.queue = c.queue[n:]
		if n == 0 {
			c.writing = false
			c.mu.Unlock()
			return
		}
		c.mu.Unlock()
		errs := commit(batch)
		c.mu.Lock()
		for _, cw := range batch {
			// Durable now (or failed: the request is refused and the key may be tried again).
			delete(c.pending, cw.sum)
		}
		c.mu.Unlock()
		for i, cw := range batch {
			cw.done <- errs[i]
		}
	}
}

// ClaimSignature: see SignatureClaimer.
func (b *Bolt) ClaimSignature(key []byte, expires, now time.Time) (bool, func() error, error) {
	sum := sha256.Sum256(key)
	if b.claims.inFlight(sum, now) {
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
		return false, nil, err
	}
	if stored != nil && timeFromKey(stored).After(now) {
		return true, nil, nil
	}
	replayed, durable := b.claims.claim(sum, expires, now, 0, b.commitClaims)
	return replayed, durable, nil
}

// commitClaims writes a group of claims in one bbolt commit.
func (b *Bolt) commitClaims(batch []*claimWrite) []error {
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
	errs := make([]error, len(batch))
	for i := range errs {
		errs[i] = err
	}
	return errs
}
