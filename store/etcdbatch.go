package store

import (
	"errors"
	"sync"
	"time"
)

// Group commit on etcd, as bbolt's Batch: the writes of concurrent requests of one gateway run
// one after another in one etcd transaction. Without it every create of a gateway draws from the
// same number counter in a transaction of its own, so all but one lose and run again.

// etcdOpsPerCall is the room one request's writes and compares are given in a batch: a batch
// holds at most maxOps/etcdOpsPerCall functions, so a full one still fits etcd's --max-txn-ops.
const etcdOpsPerCall = 24

var _ Batcher = (*Etcd)(nil)

type etcdBatch struct {
	mu    sync.Mutex
	calls []*batchCall
	// run lets one batch at a time run, as bbolt has one writer: two batches of one gateway would
	// only conflict on the counters they both draw from. Calls arriving meanwhile gather.
	run sync.Mutex
}

type batchCall struct {
	fn   func(Writer) error
	done chan error
}

// Batch is Update as a group commit: see Batcher. Concurrent callers within batchDelay share one
// transaction; a caller whose function fails is run again alone (its own error, nothing of it
// written) and the others go on without it.
func (e *Etcd) Batch(fn func(Writer) error) error {
	c := &batchCall{fn: fn, done: make(chan error, 1)}
	b := e.batch
	b.mu.Lock()
	b.calls = append(b.calls, c)
	switch len(b.calls) {
	case 1:
		time.AfterFunc(batchDelay, func() { e.runBatch(b.take()) })
	case max(1, e.maxOps/etcdOpsPerCall):
		calls := b.calls
		b.calls = nil
		go e.runBatch(calls)
	}
	b.mu.Unlock()
	return <-c.done
}

// take empties the waiting list (the timer of a list already taken when it filled finds nothing).
func (b *etcdBatch) take() []*batchCall {
	b.mu.Lock()
	defer b.mu.Unlock()
	calls := b.calls
	b.calls = nil
	return calls
}

func (e *Etcd) runBatch(calls []*batchCall) {
	if len(calls) == 0 {
		return
	}
	e.batch.run.Lock()
	defer e.batch.run.Unlock()
	solo := func(c *batchCall) { go func() { c.done <- e.Update(c.fn) }() }
	for attempt := 0; len(calls) > 0; {
		if len(calls) == 1 {
			solo(calls[0])
			return
		}
		tx := e.begin(true)
		failed := -1
		for i, c := range calls {
			t := &txn{tx: tx, dec: e.dec}
			err := c.fn(t)
			if tx.err != nil {
				for _, c := range calls {
					c.done <- tx.err
				}
				return
			}
			if err != nil || t.failed != nil {
				failed = i
				break
			}
		}
		if failed >= 0 { // the others run again without it, from a fresh transaction
			solo(calls[failed])
			calls = append(calls[:failed:failed], calls[failed+1:]...)
			continue
		}
		ok, err := tx.commit()
		switch {
		case errors.Is(err, ErrTooLarge): // together too large for one etcd transaction
			for _, c := range calls {
				solo(c)
			}
			return
		case err != nil || ok:
			for _, c := range calls {
				c.done <- err
			}
			return
		}
		if attempt++; attempt == etcdMaxAttempts {
			for _, c := range calls {
				c.done <- ErrContention
			}
			return
		}
		backoff(attempt)
	}
}
