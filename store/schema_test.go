package store

import (
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/carmed/carmed/rules"
)

func TestAFileFromBeforeTheNoticeBucketsStillOpens(t *testing.T) {
	// Build what the previous version wrote: the same schema byte, no mutation or notice buckets.
	b, path := openTemp(t, Options{NoSync: true})
	putVersions(t, b, version("000000000001", 1, ssinA, cbeA))
	b.rawUpdate(t, func(tx *bolt.Tx) error {
		for _, name := range [][]byte{bucketMutations, bucketMutationsBySSIN, bucketNotices, bucketNoticesPending} {
			if err := tx.DeleteBucket(name); err != nil {
				return err
			}
		}
		return nil
	})
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}

	b2, err := Open(path, Options{NoSync: true})
	if err != nil {
		t.Fatalf("Open of an older file: %v", err)
	}
	defer b2.Close()
	if problems := b2.Check(); len(problems) != 0 {
		t.Errorf("check of the reopened file: %v", problems)
	}
	n := rules.Notice{Manager: cbeA, SSIN: ssinA, Number: "000000000001", Version: 1}
	err = b2.Update(func(w Writer) error {
		if err := w.PutMutation(rules.Mutation{Seq: 1, Kind: rules.MutDeath, SSIN: ssinA}, t0); err != nil {
			return err
		}
		return w.PutNotice(&n)
	})
	if err != nil || n.ID != "000000000001" {
		t.Errorf("writing a mutation and a notice to the older file: %v (id %q)", err, n.ID)
	}
	_ = b2.View(func(r Reader) error {
		if d, err := r.Decision("000000000001"); err != nil || len(d.Versions) != 1 {
			t.Errorf("the older file's decision: %+v, %v", d, err)
		}
		return nil
	})
}
