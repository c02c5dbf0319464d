package store

import (
	"context"
	"strings"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// Documents are small named files the gateways of one etcd store share beside the records (the
// tenants' index, registries and trust files): PREFIX/docs/NAME. Every publication also rewrites
// PREFIX/docs-gen, so a publisher can ask that nothing was published since what it read.

func (e *Etcd) docKey(name string) string { return e.prefix + "docs/" + name }
func (e *Etcd) docsGen() string           { return e.prefix + "docs-gen" }

// Docs are every document, by name, and the revision they were read at.
func (e *Etcd) Docs() (docs map[string][]byte, rev int64, err error) {
	ctx, cancel := context.WithTimeout(context.Background(), etcdOpTimeout)
	defer cancel()
	resp, err := e.cli.Get(ctx, e.docKey(""), clientv3.WithPrefix())
	if err != nil {
		return nil, 0, etcdErr(err)
	}
	docs = map[string][]byte{}
	for _, kv := range resp.Kvs {
		docs[strings.TrimPrefix(string(kv.Key), e.docKey(""))] = kv.Value
	}
	return docs, resp.Header.Revision, nil
}

// PublishDocs writes put and deletes del in one transaction, only if nothing was published after
// revision since (ok false then: read again and decide again); rev is the publication's.
func (e *Etcd) PublishDocs(put map[string][]byte, del []string, since int64) (rev int64, ok bool, err error) {
	ops := []clientv3.Op{clientv3.OpPut(e.docsGen(), "")}
	for name, b := range put {
		ops = append(ops, clientv3.OpPut(e.docKey(name), string(b)))
	}
	for _, name := range del {
		ops = append(ops, clientv3.OpDelete(e.docKey(name)))
	}
	ctx, cancel := context.WithTimeout(context.Background(), etcdOpTimeout)
	defer cancel()
	resp, err := e.cli.Txn(ctx).If(clientv3.Compare(clientv3.ModRevision(e.docsGen()), "<", since+1)).Then(ops...).Commit()
	if err != nil {
		return 0, false, etcdErr(err)
	}
	return resp.Header.Revision, resp.Succeeded, nil
}

// WatchDocs calls fn after each publication (another gateway's or this one's), until stop.
func (e *Etcd) WatchDocs(fn func()) (stop func()) {
	ctx, cancel := context.WithCancel(clientv3.WithRequireLeader(context.Background()))
	go func() {
		for ctx.Err() == nil && e.cli.Ctx().Err() == nil {
			for range e.cli.Watch(ctx, e.docsGen()) {
				fn()
			}
			select { // the watch ended (no leader, a compaction): catch up, then watch again
			case <-ctx.Done():
			case <-time.After(200 * time.Millisecond):
				fn()
			}
		}
	}()
	return cancel
}
