package store

import (
	"strings"
	"testing"

	bolt "go.etcd.io/bbolt"

	"github.com/carmed/carmed/rules"
)

// healthyDB holds two decisions of ssinA that do not overlap in force, one of ssinB, a reply and
// an audit record.
func healthyDB(t *testing.T) *Bolt {
	b := openTestDB(t)
	d1 := []rules.Version{version("000000000001", 1, ssinA, cbeA), version("000000000001", 2, ssinA, cbeA),
		version("000000000001", 3, ssinA, cbeA)}
	d1[2].Status = rules.Stopped // stopped: no longer in force, so decision 4 may cover the same days
	d2 := version("000000000002", 1, ssinB, cbeB)
	d4 := version("000000000004", 1, ssinA, cbeB)
	d5 := version("000000000005", 1, ssinA, cbeA) // in force, but in 2026
	d5.Period = rules.Period{Start: rules.MustDate("2026-01-01"), End: rules.MustDate("2026-06-30")}
	putVersions(t, b, append(d1, d2, d4, d5)...)
	err := b.Update(func(w Writer) error {
		if err := w.PutReply(cbeA, "t-1", Reply{Response: []byte("r"), Number: "000000000001", Version: 3}); err != nil {
			return err
		}
		if err := w.PutPerson(rules.Person{SSIN: ssinA, LastName: "Exemple"}); err != nil {
			return err
		}
		return w.PutAudit("000000000001", 3, Audit{Request: []byte("q"), Signer: cbeA, At: t0})
	})
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestCheckOnAHealthyDatabaseFindsNothing(t *testing.T) {
	b := healthyDB(t)
	if problems := b.Check(); len(problems) != 0 {
		t.Errorf("problems on a healthy database: %v", problems)
	}
	t.Run("decisions suspended for an SSIN overlap may overlap", func(t *testing.T) {
		v := version("000000000006", 1, ssinA, cbeA)
		v.Status = rules.Suspended
		v.Suspensions = []rules.Suspension{{Reason: "SSIN_OVERLAP", Date: rules.MustDate("2025-01-01")}}
		putVersions(t, b, v)
		if problems := b.Check(); len(problems) != 0 {
			t.Errorf("problems: %v", problems)
		}
	})
}

func TestCheckFindsAPlantedProblem(t *testing.T) {
	tests := []struct {
		name  string
		plant func(t *testing.T, b *Bolt)
		want  string // part of one problem's message
	}{
		{"an SSIN index entry for a decision that does not exist", func(t *testing.T, b *Bolt) {
			b.rawUpdate(t, func(tx *bolt.Tx) error { return tx.Bucket(bucketBySSIN).Put(indexKey(ssinA, 999), nil) })
		}, "SSIN index: entry for decision 000000000999"},
		{"a decision missing from the SSIN index", func(t *testing.T, b *Bolt) {
			b.rawUpdate(t, func(tx *bolt.Tx) error { return tx.Bucket(bucketBySSIN).Delete(indexKey(ssinB, 2)) })
		}, "SSIN index: decision 000000000002 is missing"},
		{"a decision filed under the wrong SSIN", func(t *testing.T, b *Bolt) {
			b.rawUpdate(t, func(tx *bolt.Tx) error { return tx.Bucket(bucketBySSIN).Put(indexKey(ssinA, 2), nil) })
		}, "SSIN index: decision 000000000002 is filed under the wrong SSIN"},
		{"a CPAS index entry for a decision that does not exist", func(t *testing.T, b *Bolt) {
			b.rawUpdate(t, func(tx *bolt.Tx) error { return tx.Bucket(bucketByCPAS).Put(indexKey(cbeA, 77), nil) })
		}, "CPAS index: entry for decision 000000000077"},
		{"a gap in a decision's versions", func(t *testing.T, b *Bolt) {
			b.rawUpdate(t, func(tx *bolt.Tx) error { return tx.Bucket(bucketVersions).Delete(versionKey(1, 2)) })
		}, "decision 000000000001: version 3 follows version 1"},
		{"a latest pointer behind the newest version", func(t *testing.T, b *Bolt) {
			b.rawUpdate(t, func(tx *bolt.Tx) error {
				return tx.Bucket(bucketLatest).Put(numberKey(1), []byte{0, 0, 0, 2})
			})
		}, "decision 000000000001: latest pointer says version 2, versions go up to 3"},
		{"a decision without a latest pointer", func(t *testing.T, b *Bolt) {
			b.rawUpdate(t, func(tx *bolt.Tx) error { return tx.Bucket(bucketLatest).Delete(numberKey(2)) })
		}, "decision 000000000002: no latest pointer"},
		{"a version whose record names another decision", func(t *testing.T, b *Bolt) {
			b.rawUpdate(t, func(tx *bolt.Tx) error {
				raw, err := encode(version("000000000009", 1, ssinB, cbeB))
				if err != nil {
					return err
				}
				return tx.Bucket(bucketVersions).Put(versionKey(2, 1), raw)
			})
		}, `decision 000000000002 version 1: record says decision "000000000009" version 1`},
		{"two in-force decisions of one person on overlapping days", func(t *testing.T, b *Bolt) {
			putVersions(t, b, version("000000000007", 1, ssinA, cbeA)) // overlaps decision 4 in 2025
		}, "decisions 000000000004 and 000000000007 are both in force"},
		{"a suspended decision overlapping an active one", func(t *testing.T, b *Bolt) {
			v := version("000000000007", 1, ssinA, cbeA)
			v.Status = rules.Suspended
			v.Suspensions = []rules.Suspension{{Reason: "DEATH", Date: rules.MustDate("2025-06-10")}}
			putVersions(t, b, v)
		}, "decisions 000000000004 and 000000000007 are both in force"},
		{"a reply naming a version that does not exist", func(t *testing.T, b *Bolt) {
			b.rawUpdate(t, func(tx *bolt.Tx) error {
				raw, err := encode(Reply{Number: "000000000001", Version: 9})
				if err != nil {
					return err
				}
				k, _ := replyKey(cbeA, "t-2")
				return tx.Bucket(bucketReplies).Put(k, raw)
			})
		}, `names decision "000000000001" version 9, which does not exist`},
		{"an audit record without its version", func(t *testing.T, b *Bolt) {
			b.rawUpdate(t, func(tx *bolt.Tx) error {
				raw, _ := encode(Audit{Signer: cbeA})
				return tx.Bucket(bucketAudit).Put(versionKey(2, 5), raw)
			})
		}, "audit of decision 000000000002 version 5: no such version"},
		{"a record in an unknown encoding", func(t *testing.T, b *Bolt) {
			b.rawUpdate(t, func(tx *bolt.Tx) error { return tx.Bucket(bucketVersions).Put(versionKey(2, 1), []byte{9, '{', '}'}) })
		}, "decision 000000000002 version 1: store: record for rules.Version has unknown encoding 9"},
		{"a person filed under another SSIN", func(t *testing.T, b *Bolt) {
			b.rawUpdate(t, func(tx *bolt.Tx) error {
				raw, _ := encode(rules.Person{SSIN: ssinA})
				return tx.Bucket(bucketPersons).Put([]byte(ssinB), raw)
			})
		}, "is filed under another SSIN than its own"},
		{"a decision number above the counter", func(t *testing.T, b *Bolt) {
			b.rawUpdate(t, func(tx *bolt.Tx) error { return tx.Bucket(bucketMeta).SetSequence(3) })
		}, "decision 000000000005 is above the number counter"},
	}
	for _, tt := range tests {
		t.Run(tt.name+" is reported", func(t *testing.T) {
			b := healthyDB(t)
			tt.plant(t, b)
			problems := b.Check()
			var all []string
			for _, p := range problems {
				all = append(all, p.Error())
			}
			joined := strings.Join(all, "\n")
			if !strings.Contains(joined, tt.want) {
				t.Errorf("no problem says %q; got:\n%s", tt.want, joined)
			}
			for _, secret := range []string{ssinA, ssinB, "Exemple", "Adam"} {
				if strings.Contains(joined, secret) {
					t.Errorf("a problem message shows personal data %q:\n%s", secret, joined)
				}
			}
		})
	}
}
