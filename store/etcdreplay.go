package store

import (
	"context"
	"crypto/sha256"
	"errors"
	"sync"
	"time"

	"go.etcd.io/etcd/api/v3/v3rpc/rpctypes"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// leaseSlot groups replay keys by expiry: the keys whose message expires in the same slot share
// one etcd lease, so a busy gateway grants a lease per slot, not per request.
const leaseSlot = 30 * time.Second

// leaseCache holds the lease of each live slot, shared by a store and its tenants' stores.
type leaseCache struct {
	slot  time.Duration // 0 = leaseSlot (tests shorten it)
	mu    sync.Mutex
	slots map[int64]clientv3.LeaseID // slot end (Unix seconds, the caller's clock) → lease
}

// SeenSignature records key under a lease that ends with the message's lifetime (rounded up to
// leaseSlot) and reports whether it was already there and not expired (a replay). etcd answers
// once a majority has the key on disk, so a restart of any gateway does not reopen the window;
// the expiry stored with the key closes it when the caller's clock says so, the lease then
// removes it.
func (e *Etcd) SeenSignature(key []byte, expires, now time.Time) (bool, error) {
	return e.seenSum(sha256.Sum256(key), expires, now)
}

// seenSum is SeenSignature of a key's SHA-256.
func (e *Etcd) seenSum(sum [sha256.Size]byte, expires, now time.Time) (bool, error) {
	k := e.key(bucketReplay, sum[:])
	val := string(timeKey(expires))
	for attempt := 0; attempt < 3; attempt++ {
		lease, err := e.leases.lease(e.cli, expires, now)
		if err != nil {
			return false, etcdErr(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), etcdOpTimeout)
		resp, err := e.cli.Txn(ctx).If(clientv3.Compare(clientv3.CreateRevision(k), "=", 0)).
			Then(clientv3.OpPut(k, val, clientv3.WithLease(lease))).Else(clientv3.OpGet(k)).Commit()
		cancel()
		if errors.Is(err, rpctypes.ErrLeaseNotFound) {
			e.leases.drop(lease) // revoked or expired under us (a long pause): take a new one
			continue
		}
		if err != nil {
			return false, etcdErr(err)
		}
		if resp.Succeeded {
			return false, nil
		}
		kvs := resp.Responses[0].GetResponseRange().Kvs
		if len(kvs) == 0 {
			continue // its lease ended between the compare and the read: try again
		}
		if v := kvs[0].Value; len(v) == 8 && timeFromKey(v).After(now) {
			return true, nil
		}
		// Expired by the caller's clock but its lease still running: the window is closed, so
		// the key is new again. Take it over unless someone else just did.
		ctx, cancel = context.WithTimeout(context.Background(), etcdOpTimeout)
		resp, err = e.cli.Txn(ctx).If(clientv3.Compare(clientv3.ModRevision(k), "=", kvs[0].ModRevision)).
			Then(clientv3.OpPut(k, val, clientv3.WithLease(lease))).Commit()
		cancel()
		if errors.Is(err, rpctypes.ErrLeaseNotFound) {
			e.leases.drop(lease)
			continue
		}
		if err != nil {
			return false, etcdErr(err)
		}
		if resp.Succeeded {
			return false, nil
		}
	}
	return false, errors.New("store: etcd: replay key kept changing")
}

// lease is the lease of expires' slot, granted on first use with a time to live that reaches
// the slot's end (at least etcd's minimum).
func (c *leaseCache) lease(cli *clientv3.Client, expires, now time.Time) (clientv3.LeaseID, error) {
	slot := c.slot
	if slot == 0 {
		slot = leaseSlot
	}
	end := expires.Truncate(slot).Add(slot).Unix()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.slots == nil {
		c.slots = map[int64]clientv3.LeaseID{}
	}
	for s := range c.slots {
		if s < now.Unix() { // its keys have expired: the cluster drops the lease on its own
			delete(c.slots, s)
		}
	}
	if id, ok := c.slots[end]; ok {
		return id, nil
	}
	ttl := max(end-now.Unix(), 1) + 1
	ctx, cancel := context.WithTimeout(context.Background(), etcdOpTimeout)
	defer cancel()
	g, err := cli.Grant(ctx, ttl)
	if err != nil {
		return 0, err
	}
	c.slots[end] = g.ID
	return g.ID, nil
}

func (c *leaseCache) drop(id clientv3.LeaseID) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for s, l := range c.slots {
		if l == id {
			delete(c.slots, s)
		}
	}
}
