package store

import (
	"context"
	"errors"
	"strings"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"

	"github.com/carmed/carmed/rules"
)

// keyClock (bucketMeta): the business clock last set in this world, "YYYY-MM-DD RFC3339-instant":
// the date set and the wall time it was set at (a clock that advances counts from there).
var keyClock = []byte("clock")

// ClockRecord is a world's business clock as set by the harness or the console.
type ClockRecord struct {
	Today rules.Date
	Since time.Time
}

func (c ClockRecord) encode() []byte {
	return []byte(c.Today.String() + " " + c.Since.UTC().Format(time.RFC3339Nano))
}

func decodeClock(raw []byte) (ClockRecord, error) {
	d, s, ok := strings.Cut(string(raw), " ")
	day, err1 := rules.ParseDate(d)
	since, err2 := time.Parse(time.RFC3339Nano, s)
	if !ok || err1 != nil || err2 != nil {
		return ClockRecord{}, errors.New("store: damaged clock record")
	}
	return ClockRecord{Today: day, Since: since}, nil
}

// Clock is the clock last set in this world; ok false when none was.
func (t *txn) Clock() (c ClockRecord, ok bool, err error) {
	raw := t.tx.Bucket(bucketMeta).Get(keyClock)
	if raw == nil {
		return ClockRecord{}, false, nil
	}
	c, err = decodeClock(raw)
	return c, err == nil, err
}

// PutClock records the clock set, in the transaction of the request that set it.
func (t *txn) PutClock(c ClockRecord) error {
	return t.fail(t.tx.Bucket(bucketMeta).Put(keyClock, c.encode()))
}

// ClockWatcher is a store several gateways share (Etcd): each follows the clock another sets.
type ClockWatcher interface {
	// WatchClock calls fn with each clock record written from now on, until stop.
	WatchClock(fn func(ClockRecord)) (stop func())
}

var _ ClockWatcher = (*Etcd)(nil)

// WatchClock follows the world's clock record on etcd; the watch resumes by itself when the
// member it talks to goes away.
func (e *Etcd) WatchClock(fn func(ClockRecord)) (stop func()) {
	ctx, cancel := context.WithCancel(clientv3.WithRequireLeader(context.Background()))
	key := e.key(bucketMeta, keyClock)
	go func() {
		for ctx.Err() == nil && e.cli.Ctx().Err() == nil { // stopped, or the store closed
			for resp := range e.cli.Watch(ctx, key) {
				for _, ev := range resp.Events {
					if c, err := decodeClock(ev.Kv.Value); err == nil && ev.Type == clientv3.EventTypePut {
						fn(c)
					}
				}
			}
			select { // the watch ended (no leader, a compaction): start again after a breath
			case <-ctx.Done():
			case <-time.After(200 * time.Millisecond):
			}
		}
	}()
	return cancel
}
