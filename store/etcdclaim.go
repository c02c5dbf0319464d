package store

import (
	"context"
	"crypto/sha256"
	"errors"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// Replay claims on etcd, as on bbolt (claim.go): a claim answers after one read, and the keys
// claimed meanwhile are made durable together, one etcd transaction for all that wait, by one
// writer per store — instead of one raft commit per request. Between gateways the commit is the
// arbiter: a key another gateway wrote first makes this claim's durable wait fail with
// ErrReplayed, so the request is refused and never answered twice.

// ErrReplayed: a signature claimed here was made durable first by another gateway of the store.
var ErrReplayed = errors.New("store: the signature was seen by another gateway at the same time")

var _ SignatureClaimer = (*Etcd)(nil)

// ClaimSignature: see SignatureClaimer.
func (e *Etcd) ClaimSignature(key []byte, expires, now time.Time) (bool, func() error, error) {
	sum := sha256.Sum256(key)
	if e.claims.inFlight(sum, now) {
		return true, nil, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), etcdOpTimeout)
	resp, err := e.cli.Get(ctx, e.key(bucketReplay, sum[:]))
	cancel()
	if err != nil {
		return false, nil, etcdErr(err)
	}
	if len(resp.Kvs) == 1 && len(resp.Kvs[0].Value) == 8 && timeFromKey(resp.Kvs[0].Value).After(now) {
		return true, nil, nil
	}
	// A group is one etcd transaction: as many puts as the cluster takes.
	replayed, durable := e.claims.claim(sum, expires, now, max(1, e.maxOps-1), e.commitClaims)
	return replayed, durable, nil
}

// commitClaims writes every key if none is stored; otherwise (another gateway's key, or a stored
// one expired by the caller's clock) each is decided on its own by SeenSignature.
func (e *Etcd) commitClaims(batch []*claimWrite) []error {
	errs := make([]error, len(batch))
	var cmps []clientv3.Cmp
	var ops []clientv3.Op
	for _, cw := range batch {
		lease, err := e.leases.lease(e.cli, cw.expires, cw.now)
		if err != nil {
			for i := range errs {
				errs[i] = etcdErr(err)
			}
			return errs
		}
		k := e.key(bucketReplay, cw.sum[:])
		cmps = append(cmps, clientv3.Compare(clientv3.CreateRevision(k), "=", 0))
		ops = append(ops, clientv3.OpPut(k, string(timeKey(cw.expires)), clientv3.WithLease(lease)))
	}
	ctx, cancel := context.WithTimeout(context.Background(), etcdOpTimeout)
	resp, err := e.cli.Txn(ctx).If(cmps...).Then(ops...).Commit()
	cancel()
	if err == nil && resp.Succeeded {
		return errs
	}
	for i, cw := range batch {
		replayed, err := e.seenSum(cw.sum, cw.expires, cw.now)
		switch {
		case err != nil:
			errs[i] = err
		case replayed:
			errs[i] = ErrReplayed
		}
	}
	return errs
}
