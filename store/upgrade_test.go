package store

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
)

// An older file with more records than one upgrade transaction moves (upgradeBatch) is upgraded
// whole: every batch goes on after the last, and every record reads as it did.
func TestAnUpgradeMovesEveryBatch(t *testing.T) {
	b, path := openTemp(t, Options{NoSync: true})
	const n = 2*upgradeBatch + 7
	want := map[string]Reply{}
	b.rawUpdate(t, func(tx kvTx) error {
		if err := tx.Bucket(bucketMeta).Put(keySchema, []byte{2}); err != nil {
			return err
		}
		for i := range n {
			r := Reply{BodyHash: replyHash, Body: []byte(fmt.Sprintf("<Answer n=\"%d\"/>", i))}
			k, err := replyKey(cbeA, fmt.Sprintf("t-%d", i))
			if err != nil {
				return err
			}
			raw, err := encode(r) // schema 2's JSON record
			if err != nil {
				return err
			}
			want[string(k)] = r
			if err := tx.Bucket(bucketReplies).Put(k, raw); err != nil {
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
		t.Fatal(err)
	}
	defer b2.Close()
	got := 0
	b2.rawUpdate(t, func(tx kvTx) error {
		return tx.Bucket(bucketReplies).ForEach(func(k, v []byte) error {
			got++
			if len(v) == 0 || v[0] != codecRecord1 {
				t.Errorf("reply %q left in encoding %v", k, v[:1])
				return nil
			}
			r, err := decodeReply(v)
			if err != nil || !reflect.DeepEqual(r, want[string(k)]) {
				t.Errorf("reply %q reads %+v, %v; want %+v", k, r, err, want[string(k)])
			}
			return nil
		})
	})
	if got != n {
		t.Errorf("%d replies after the upgrade, want %d", got, n)
	}
	if f := b2.Format(); !strings.HasPrefix(f, "schema 3:") {
		t.Errorf("format after the upgrade: %s", f)
	}
}
