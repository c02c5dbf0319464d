package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"go.etcd.io/etcd/api/v3/mvccpb"
	"go.etcd.io/etcd/api/v3/v3rpc/rpctypes"
	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"
)

// etcdTx is one transaction on the etcd store: kvTx over etcd, optimistic.
//
// Reads: every read is at one revision (the first read's), so a transaction sees one state.
// Writes: buffered, read back by the transaction itself, sent in one etcd Txn at commit.
// Validation: the commit compares what the transaction read — each key read keeps the revision
// it had (a deleted key fails its compare), no key in a range a cursor walked changed after the
// read revision (new and rewritten keys fail it), and no key of that bucket was deleted (the
// bucket's delete marker, rewritten by every delete in it, kept its revision). Any failed
// compare means another writer came first: nothing is written and Update runs again.
type etcdTx struct {
	e        *Etcd
	writable bool
	rev      int64             // the revision every read is at; 0 before the first read
	reads    map[string]int64  // key → its mod revision when read (0: absent)
	cache    map[string][]byte // key → its value at the read revision (nil: absent): read once
	ranges   []*etcdRange      // intervals cursors walked
	writes   map[string]*etcdWrite
	deletes  map[string]bool // buckets with a delete in this transaction
	err      error           // the first etcd failure: the transaction is void
}

type etcdWrite struct {
	value   []byte
	deleted bool
}

// etcdRange is [lo, hi) of full keys in bucket, walked at the read revision.
type etcdRange struct {
	bucket string
	lo, hi string
}

func (e *Etcd) begin(writable bool) *etcdTx {
	return &etcdTx{e: e, writable: writable, reads: map[string]int64{}, cache: map[string][]byte{}, writes: map[string]*etcdWrite{},
		deletes: map[string]bool{}}
}

// key is the full etcd key of k in bucket.
func (e *Etcd) key(bucket, k []byte) string {
	return e.prefix + string(bucket) + "\x00" + string(k)
}

// bucketStart and bucketEnd bound a bucket's keys; the sequence and delete marker sit after them.
func (e *Etcd) bucketStart(b string) string { return e.prefix + b + "\x00" }
func (e *Etcd) bucketEnd(b string) string   { return e.prefix + b + "\x01" }
func (e *Etcd) seqKey(b string) string      { return e.prefix + b + "\x01" }
func (e *Etcd) delKey(b string) string      { return e.prefix + b + "\x02" }

func (t *etcdTx) fail(err error) {
	if t.err == nil {
		t.err = etcdErr(err)
	}
}

// get reads opts at the transaction's revision, fixing it on the first read. The first read is
// linearizable (it sees every commit acknowledged before it); the later ones are served by the
// member the client talks to, at that revision, without a round through the leader — asked again
// linearizably when that member has not applied the revision yet (the client balances members).
func (t *etcdTx) get(key string, opts ...clientv3.OpOption) (*clientv3.GetResponse, bool) {
	if t.err != nil {
		return nil, false
	}
	ctx, cancel := context.WithTimeout(context.Background(), etcdOpTimeout)
	defer cancel()
	var resp *clientv3.GetResponse
	var err error
	if t.rev > 0 {
		at := append(opts, clientv3.WithRev(t.rev))
		resp, err = t.e.cli.Get(ctx, key, append(at, clientv3.WithSerializable())...)
		if errors.Is(err, rpctypes.ErrFutureRev) {
			resp, err = t.e.cli.Get(ctx, key, at...)
		}
	} else {
		resp, err = t.e.cli.Get(ctx, key, opts...)
	}
	if err != nil {
		t.fail(err)
		return nil, false
	}
	if t.rev == 0 {
		t.rev = resp.Header.Revision
	}
	return resp, true
}

// getOne reads one key (a buffered write first), remembering its revision for the commit.
func (t *etcdTx) getOne(key string) []byte {
	if w, ok := t.writes[key]; ok {
		if w.deleted {
			return nil
		}
		return w.value
	}
	if v, ok := t.cache[key]; ok {
		return v
	}
	resp, ok := t.get(key)
	if !ok {
		return nil
	}
	var mod int64
	var v []byte
	if len(resp.Kvs) == 1 {
		mod, v = resp.Kvs[0].ModRevision, nonNil(resp.Kvs[0].Value)
	}
	if _, seen := t.reads[key]; !seen && t.writable {
		t.reads[key] = mod
	}
	t.cache[key] = v
	return v
}

func (t *etcdTx) put(key string, v []byte) error {
	if !t.writable {
		return fmt.Errorf("store: write in a read-only transaction")
	}
	if t.err != nil {
		return t.err
	}
	t.writes[key] = &etcdWrite{value: bytes.Clone(v)}
	return nil
}

func (t *etcdTx) Bucket(name []byte) kvBucket { return &etcdBucket{t: t, name: string(name)} }

// commit sends the buffered writes with the compares of what was read; ok false: a compare
// failed (another writer came first) and nothing was written.
func (t *etcdTx) commit() (ok bool, err error) {
	if len(t.writes) == 0 {
		return true, nil
	}
	var ops []clientv3.Op
	for k, w := range t.writes {
		if w.deleted {
			ops = append(ops, clientv3.OpDelete(k))
		} else {
			ops = append(ops, clientv3.OpPut(k, string(w.value)))
		}
	}
	for b := range t.deletes {
		ops = append(ops, clientv3.OpPut(t.e.delKey(b), strconv.FormatInt(t.rev, 10)))
	}
	if len(ops) > t.e.maxOps {
		return false, fmt.Errorf("%w: %d writes (at most %d)", ErrTooLarge, len(ops), t.e.maxOps)
	}
	cmps := t.compares(false)
	if len(cmps) > t.e.maxOps {
		cmps = t.compares(true)
	}
	if t.err != nil {
		return false, t.err
	}
	if len(cmps) > t.e.maxOps {
		return false, fmt.Errorf("%w: %d compares (at most %d)", ErrTooLarge, len(cmps), t.e.maxOps)
	}
	ctx, cancel := context.WithTimeout(context.Background(), etcdOpTimeout)
	defer cancel()
	resp, err := t.e.cli.Txn(ctx).If(cmps...).Then(ops...).Commit()
	if err != nil {
		return false, etcdErr(err)
	}
	return resp.Succeeded, nil
}

// compares are the commit's conditions. coarse: one range compare per bucket read instead of one
// compare per key, for a transaction that read more keys than etcd takes compares (it then fails
// on any write to those buckets, not only to what it read: correct, and rarely needed).
func (t *etcdTx) compares(coarse bool) []clientv3.Cmp {
	var cmps []clientv3.Cmp
	walked := map[string]bool{}
	for _, r := range t.ranges {
		walked[r.bucket] = true
	}
	if coarse {
		for k := range t.reads {
			if b, ok := t.bucketOf(k); ok && !t.isMarker(k) {
				walked[b] = true
			}
		}
	}
	for k, mod := range t.reads {
		if b, ok := t.bucketOf(k); coarse && ok && walked[b] && !t.isMarker(k) {
			continue
		}
		cmps = append(cmps, clientv3.Compare(clientv3.ModRevision(k), "=", mod))
	}
	if coarse {
		for b := range walked {
			cmps = append(cmps, clientv3.Compare(clientv3.ModRevision(t.e.bucketStart(b)), "<", t.rev+1).
				WithRange(t.e.bucketEnd(b)))
		}
	} else {
		for _, r := range t.ranges {
			cmps = append(cmps, clientv3.Compare(clientv3.ModRevision(r.lo), "<", t.rev+1).WithRange(r.hi))
		}
	}
	for b := range walked {
		del := t.e.delKey(b)
		if _, ok := t.reads[del]; !ok {
			resp, ok := t.get(del)
			if !ok {
				return nil
			}
			var mod int64
			if len(resp.Kvs) == 1 {
				mod = resp.Kvs[0].ModRevision
			}
			t.reads[del] = mod
			cmps = append(cmps, clientv3.Compare(clientv3.ModRevision(del), "=", mod))
		}
	}
	return cmps
}

// bucketOf is the bucket a full key of this store belongs to.
func (t *etcdTx) bucketOf(k string) (string, bool) {
	rest, ok := strings.CutPrefix(k, t.e.prefix)
	if !ok {
		return "", false
	}
	i := bytes.IndexAny([]byte(rest), "\x00\x01\x02")
	if i < 0 {
		return "", false
	}
	return rest[:i], true
}

// isMarker: a bucket's sequence or delete marker, compared one by one in any mode.
func (t *etcdTx) isMarker(k string) bool {
	b, ok := t.bucketOf(k)
	return ok && (k == t.e.seqKey(b) || k == t.e.delKey(b))
}

// etcdBucket is one bucket of an etcdTx.
type etcdBucket struct {
	t    *etcdTx
	name string
}

func (b *etcdBucket) Get(k []byte) []byte { return b.t.getOne(b.t.e.key([]byte(b.name), k)) }

func (b *etcdBucket) Put(k, v []byte) error {
	if v == nil {
		v = []byte{} // a stored empty value, as bbolt keeps it (index keys carry no value)
	}
	return b.t.put(b.t.e.key([]byte(b.name), k), v)
}

func (b *etcdBucket) Delete(k []byte) error {
	if !b.t.writable {
		return fmt.Errorf("store: write in a read-only transaction")
	}
	b.t.writes[b.t.e.key([]byte(b.name), k)] = &etcdWrite{deleted: true}
	b.t.deletes[b.name] = true
	return nil
}

func (b *etcdBucket) Sequence() uint64 {
	v := b.t.getOne(b.t.e.seqKey(b.name))
	n, err := strconv.ParseUint(string(v), 10, 64)
	if v != nil && err != nil {
		b.t.fail(fmt.Errorf("bucket %s: damaged sequence", b.name))
	}
	return n
}

func (b *etcdBucket) SetSequence(n uint64) error {
	return b.t.put(b.t.e.seqKey(b.name), []byte(strconv.FormatUint(n, 10)))
}

// NextSequence is in the transaction like any read and write, so a counter stays gapless as on
// bbolt; concurrent writers that draw from one counter (every create draws a decision number)
// therefore conflict, and all but one run again.
func (b *etcdBucket) NextSequence() (uint64, error) {
	n := b.Sequence() + 1
	if b.t.err != nil {
		return 0, b.t.err
	}
	return n, b.SetSequence(n)
}

func (b *etcdBucket) ForEach(fn func(k, v []byte) error) error {
	c := b.Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if err := fn(k, v); err != nil {
			return err
		}
	}
	return b.t.err
}

func (b *etcdBucket) Cursor() kvCursor { return &etcdCursor{b: b} }

func (b *etcdBucket) PrefixCursor(prefix []byte) kvCursor {
	full := b.t.e.key([]byte(b.name), prefix)
	return &etcdCursor{b: b, start: full, end: clientv3.GetPrefixRangeEnd(full)}
}

// etcdCursor merges the bucket at the read revision, fetched etcdPage keys at a time, with the
// transaction's own buffered writes.
type etcdCursor struct {
	b          *etcdBucket
	start, end string // full keys bounding a PrefixCursor; "" = the bucket's
	page       []*mvccpb.KeyValue
	more       bool   // etcd has keys after page
	from       string // where the next page starts
	ov         []string
	rng        *etcdRange
}

// overlay is the bucket's buffered writes at or after lo, in key order.
func (c *etcdCursor) overlay(lo string) []string {
	end := c.limit()
	var ks []string
	for k := range c.b.t.writes {
		if k >= lo && k < end {
			ks = append(ks, k)
		}
	}
	sort.Strings(ks)
	return ks
}

func (c *etcdCursor) fetch(from string) {
	c.page, c.more, c.from = nil, false, ""
	resp, ok := c.b.t.get(from, clientv3.WithRange(c.limit()), clientv3.WithLimit(etcdPage))
	if !ok {
		return
	}
	c.page, c.more = resp.Kvs, resp.More
	if len(c.page) > 0 {
		c.from = string(c.page[len(c.page)-1].Key) + "\x00"
	}
}

func (c *etcdCursor) Seek(seek []byte) ([]byte, []byte) {
	lo := c.b.t.e.key([]byte(c.b.name), seek)
	if lo < c.start {
		lo = c.start
	}
	c.fetch(lo)
	c.ov = c.overlay(lo)
	c.rng = &etcdRange{bucket: c.b.name, lo: lo, hi: lo}
	if c.b.t.writable {
		c.b.t.ranges = append(c.b.t.ranges, c.rng)
	}
	return c.Next()
}

func (c *etcdCursor) First() ([]byte, []byte) { return c.Seek(nil) }

// limit is where the cursor's keys end (exclusive).
func (c *etcdCursor) limit() string {
	if c.end != "" {
		return c.end
	}
	return c.b.t.e.bucketEnd(c.b.name)
}

func (c *etcdCursor) Next() ([]byte, []byte) {
	if c.rng == nil {
		return nil, nil
	}
	start := len(c.b.t.e.bucketStart(c.b.name))
	for {
		if len(c.page) == 0 && c.more {
			c.fetch(c.from)
		}
		var k string
		var v []byte
		switch {
		case len(c.page) == 0 && len(c.ov) == 0:
			c.rng.hi = c.limit()
			return nil, nil
		case len(c.ov) > 0 && (len(c.page) == 0 || c.ov[0] <= string(c.page[0].Key)):
			k = c.ov[0]
			if len(c.page) > 0 && k == string(c.page[0].Key) {
				c.page = c.page[1:]
			}
			c.ov = c.ov[1:]
			w := c.b.t.writes[k]
			c.rng.hi = k + "\x00"
			if w.deleted {
				continue
			}
			v = w.value
		default:
			k, v = string(c.page[0].Key), nonNil(c.page[0].Value)
			c.page = c.page[1:]
			c.rng.hi = k + "\x00"
			if _, ok := c.b.t.cache[k]; !ok {
				c.b.t.cache[k] = v // a later Get of it is covered by this walk's range
			}
		}
		return []byte(k[start:]), v
	}
}

// Last is the bucket's last key; the cursor then stands there (only Last is used on it).
func (c *etcdCursor) Last() ([]byte, []byte) {
	if c.end != "" {
		panic("store: Last on a prefix cursor")
	}
	t := c.b.t
	start, end := t.e.bucketStart(c.b.name), t.e.bucketEnd(c.b.name)
	resp, ok := t.get(start, clientv3.WithRange(end), clientv3.WithLimit(1),
		clientv3.WithSort(clientv3.SortByKey, clientv3.SortDescend))
	if !ok {
		return nil, nil
	}
	lo, k := start, ""
	var v []byte
	if len(resp.Kvs) == 1 {
		k, v, lo = string(resp.Kvs[0].Key), nonNil(resp.Kvs[0].Value), string(resp.Kvs[0].Key)
		if w := t.writes[k]; w != nil {
			if w.deleted {
				return c.walkToLast() // deleted here: the last is before it
			}
			v = w.value
		}
	}
	// Every key from the stored last one to the bucket's end counts as read: a key added after
	// it, or its change, fails the commit.
	if t.writable {
		t.ranges = append(t.ranges, &etcdRange{bucket: c.b.name, lo: lo, hi: end})
	}
	if ov := c.overlay(lo); len(ov) > 0 && ov[len(ov)-1] > k && !t.writes[ov[len(ov)-1]].deleted {
		k, v = ov[len(ov)-1], t.writes[ov[len(ov)-1]].value
	}
	if k == "" {
		return nil, nil
	}
	return []byte(k[len(start):]), v
}

// walkToLast finds the last key by walking the whole bucket: only when this transaction deleted
// the stored last key.
func (c *etcdCursor) walkToLast() (lk, lv []byte) {
	for k, v := c.First(); k != nil; k, v = c.Next() {
		lk, lv = k, v
	}
	return lk, lv
}

// nonNil: a stored empty value is there (index keys carry none), as bbolt's Get tells it.
func nonNil(v []byte) []byte {
	if v == nil {
		return []byte{}
	}
	return v
}

// quietEtcdLogger keeps the etcd client's own logging (retries, balancer) off the gateway's log.
func quietEtcdLogger() *zap.Logger { return zap.NewNop() }
