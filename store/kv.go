package store

import (
	"bytes"

	bolt "go.etcd.io/bbolt"
)

// The records are written against kvTx, a flat key-value transaction of named buckets, so that
// the same record code runs on bbolt (one file) and on etcd (a cluster): bbolt.go and etcd.go
// each give it one. A bucket is a sorted key space with its own sequence; nothing nests.

// kvTx is one transaction: read-only in View, read-write in Update.
type kvTx interface {
	// Bucket is one of allBuckets; every store has them all (created on open).
	Bucket(name []byte) kvBucket
}

// kvBucket is bbolt's bucket API as far as the records use it. Slices returned by Get and by a
// cursor are valid for the transaction only and must not be changed.
type kvBucket interface {
	Get(key []byte) []byte
	Put(key, value []byte) error
	Delete(key []byte) error
	Cursor() kvCursor
	// PrefixCursor walks only the keys that start with prefix. Say so where a walk is bounded:
	// etcd then validates only that range at commit, not the keys after it.
	PrefixCursor(prefix []byte) kvCursor
	ForEach(fn func(k, v []byte) error) error
	Sequence() uint64
	SetSequence(v uint64) error
	NextSequence() (uint64, error)
}

// kvCursor walks a bucket in key order; a nil key means past the end. The bucket must not be
// written while a cursor walks it.
type kvCursor interface {
	First() (key, value []byte)
	Last() (key, value []byte)
	Seek(seek []byte) (key, value []byte)
	Next() (key, value []byte)
}

// boltTx adapts a bbolt transaction.
type boltTx struct{ tx *bolt.Tx }

func (b boltTx) Bucket(name []byte) kvBucket {
	bk := b.tx.Bucket(name)
	if bk == nil {
		return nil
	}
	return boltBucket{bk}
}

type boltBucket struct{ *bolt.Bucket }

func (b boltBucket) Cursor() kvCursor { return b.Bucket.Cursor() }

func (b boltBucket) PrefixCursor(prefix []byte) kvCursor {
	return &prefixCursor{c: b.Bucket.Cursor(), prefix: prefix}
}

// prefixCursor bounds a bbolt cursor to a prefix; Last is not offered.
type prefixCursor struct {
	c      *bolt.Cursor
	prefix []byte
}

func (p *prefixCursor) in(k, v []byte) ([]byte, []byte) {
	if k == nil || !bytes.HasPrefix(k, p.prefix) {
		return nil, nil
	}
	return k, v
}

func (p *prefixCursor) First() ([]byte, []byte) { return p.in(p.c.Seek(p.prefix)) }
func (p *prefixCursor) Next() ([]byte, []byte)  { return p.in(p.c.Next()) }
func (p *prefixCursor) Last() ([]byte, []byte)  { panic("store: Last on a prefix cursor") }

func (p *prefixCursor) Seek(k []byte) ([]byte, []byte) {
	if bytes.Compare(k, p.prefix) < 0 {
		k = p.prefix
	}
	return p.in(p.c.Seek(k))
}
