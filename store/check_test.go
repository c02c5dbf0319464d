package store

import (
	"strings"
	"testing"

	"github.com/carmed/carmed/rules"
)

// healthyDB holds two decisions of ssinA that do not overlap in force, one of ssinB, a reply, an
// audit record, ssinA's person replaced by ssinB's, two logged mutations (one an SSIN mutation),
// a pending notice 1 to cbeA about decision 1 and an acknowledged notice 2 to cbeB about decision 2.
func healthyDB(t *testing.T) testStore {
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
		if err := w.PutReply(cbeA, "t-1", Reply{Body: []byte("<r/>"), Number: "000000000001", Version: 3}); err != nil {
			return err
		}
		if err := w.PutPerson(rules.Person{SSIN: ssinA, LastName: "Exemple"}); err != nil {
			return err
		}
		if err := w.PutPerson(rules.Person{SSIN: ssinB, LastName: "Voorbeeld"}); err != nil {
			return err
		}
		if err := w.PutPerson(rules.Person{SSIN: ssinA, LastName: "Exemple", ReplacedBy: ssinB}); err != nil {
			return err
		}
		if err := w.PutMutation(rules.Mutation{Seq: 1, Kind: rules.MutName, SSIN: ssinA, LastName: "Exemple"}, t0); err != nil {
			return err
		}
		if err := w.PutMutation(rules.Mutation{Seq: 2, Kind: rules.MutSSIN, SSIN: ssinA, NewSSIN: ssinB}, t0); err != nil {
			return err
		}
		n1 := rules.Notice{Manager: cbeA, SSIN: ssinA, Number: "000000000001", Version: 3, Mutation: 1}
		n2 := rules.Notice{Manager: cbeB, SSIN: ssinB, Number: "000000000002", Version: 1, Mutation: 2, Acknowledged: true}
		if err := w.PutNotice(&n1); err != nil {
			return err
		}
		if err := w.PutNotice(&n2); err != nil {
			return err
		}
		return w.PutAudit("000000000001", 3, Audit{Request: []byte("q"), Signer: cbeA, At: t0})
	})
	if err != nil {
		t.Fatal(err)
	}
	sendAndDelete(t, b)
	return b
}

// putNoticeRaw writes a notice record under its id without any index.
func putNoticeRaw(tx kvTx, n rules.Notice) error {
	id, _ := parseNumber(n.ID)
	raw, err := encode(n)
	if err != nil {
		return err
	}
	return tx.Bucket(bucketNotices).Put(numberKey(id), raw)
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
		plant func(t *testing.T, b testStore)
		want  string // part of one problem's message
	}{
		{"an SSIN index entry for a decision that does not exist", func(t *testing.T, b testStore) {
			b.rawUpdate(t, func(tx kvTx) error { return tx.Bucket(bucketBySSIN).Put(indexKey(ssinA, 999), nil) })
		}, "SSIN index: entry for decision 000000000999"},
		{"a decision missing from the SSIN index", func(t *testing.T, b testStore) {
			b.rawUpdate(t, func(tx kvTx) error { return tx.Bucket(bucketBySSIN).Delete(indexKey(ssinB, 2)) })
		}, "SSIN index: decision 000000000002 is missing"},
		{"a decision filed under the wrong SSIN", func(t *testing.T, b testStore) {
			b.rawUpdate(t, func(tx kvTx) error { return tx.Bucket(bucketBySSIN).Put(indexKey(ssinA, 2), nil) })
		}, "SSIN index: decision 000000000002 is filed under the wrong SSIN"},
		{"a CPAS index entry for a decision that does not exist", func(t *testing.T, b testStore) {
			b.rawUpdate(t, func(tx kvTx) error { return tx.Bucket(bucketByCPAS).Put(indexKey(cbeA, 77), nil) })
		}, "CPAS index: entry for decision 000000000077"},
		{"a gap in a decision's versions", func(t *testing.T, b testStore) {
			b.rawUpdate(t, func(tx kvTx) error { return tx.Bucket(bucketVersions).Delete(versionKey(1, 2)) })
		}, "decision 000000000001: version 3 follows version 1"},
		{"a latest pointer behind the newest version", func(t *testing.T, b testStore) {
			b.rawUpdate(t, func(tx kvTx) error {
				return tx.Bucket(bucketLatest).Put(numberKey(1), []byte{0, 0, 0, 2})
			})
		}, "decision 000000000001: latest pointer says version 2, versions go up to 3"},
		{"a decision without a latest pointer", func(t *testing.T, b testStore) {
			b.rawUpdate(t, func(tx kvTx) error { return tx.Bucket(bucketLatest).Delete(numberKey(2)) })
		}, "decision 000000000002: no latest pointer"},
		{"a version whose record names another decision", func(t *testing.T, b testStore) {
			b.rawUpdate(t, func(tx kvTx) error {
				raw, err := encode(version("000000000009", 1, ssinB, cbeB))
				if err != nil {
					return err
				}
				return tx.Bucket(bucketVersions).Put(versionKey(2, 1), raw)
			})
		}, `decision 000000000002 version 1: record says decision "000000000009" version 1`},
		{"two in-force decisions of one person on overlapping days", func(t *testing.T, b testStore) {
			putVersions(t, b, version("000000000007", 1, ssinA, cbeA)) // overlaps decision 4 in 2025
		}, "decisions 000000000004 and 000000000007 are both in force"},
		{"a suspended decision overlapping an active one", func(t *testing.T, b testStore) {
			v := version("000000000007", 1, ssinA, cbeA)
			v.Status = rules.Suspended
			v.Suspensions = []rules.Suspension{{Reason: "DEATH", Date: rules.MustDate("2025-06-10")}}
			putVersions(t, b, v)
		}, "decisions 000000000004 and 000000000007 are both in force"},
		{"a reply naming a version that does not exist", func(t *testing.T, b testStore) {
			b.rawUpdate(t, func(tx kvTx) error {
				raw, err := encode(Reply{Number: "000000000001", Version: 9})
				if err != nil {
					return err
				}
				k, _ := replyKey(cbeA, "t-2")
				return tx.Bucket(bucketReplies).Put(k, raw)
			})
		}, `names decision "000000000001" version 9, which does not exist`},
		{"an audit record without its version", func(t *testing.T, b testStore) {
			b.rawUpdate(t, func(tx kvTx) error {
				raw, _ := encode(Audit{Signer: cbeA})
				return tx.Bucket(bucketAudit).Put(versionKey(2, 5), raw)
			})
		}, "audit of decision 000000000002 version 5: no such version"},
		{"a record in an unknown encoding", func(t *testing.T, b testStore) {
			b.rawUpdate(t, func(tx kvTx) error { return tx.Bucket(bucketVersions).Put(versionKey(2, 1), []byte{9, '{', '}'}) })
		}, "decision 000000000002 version 1: store: record for rules.Version has unknown encoding 9"},
		{"a person filed under another SSIN", func(t *testing.T, b testStore) {
			b.rawUpdate(t, func(tx kvTx) error {
				raw, _ := encode(rules.Person{SSIN: ssinA})
				return tx.Bucket(bucketPersons).Put([]byte(ssinB), raw)
			})
		}, "is filed under another SSIN than its own"},
		{"a dangling pending-notice entry", func(t *testing.T, b testStore) {
			b.rawUpdate(t, func(tx kvTx) error { return tx.Bucket(bucketNoticesPending).Put(indexKey(cbeA, 99), nil) })
		}, "pending notices: entry for notice 000000000099, which does not exist"},
		{"an unacknowledged notice missing from the pending list", func(t *testing.T, b testStore) {
			b.rawUpdate(t, func(tx kvTx) error { return tx.Bucket(bucketNoticesPending).Delete(indexKey(cbeA, 1)) })
		}, "notice 000000000001 is unacknowledged but missing from its manager's pending list"},
		{"an acknowledged notice still on the pending list", func(t *testing.T, b testStore) {
			b.rawUpdate(t, func(tx kvTx) error { return tx.Bucket(bucketNoticesPending).Put(indexKey(cbeB, 2), nil) })
		}, "pending notices: notice 000000000002 is acknowledged but still pending"},
		{"a notice on another CPAS's pending list", func(t *testing.T, b testStore) {
			b.rawUpdate(t, func(tx kvTx) error { return tx.Bucket(bucketNoticesPending).Put(indexKey(cbeB, 1), nil) })
		}, "pending notices: notice 000000000001 is listed for another CPAS than its manager"},
		{"a notice about a version that does not exist", func(t *testing.T, b testStore) {
			b.rawUpdate(t, func(tx kvTx) error {
				return putNoticeRaw(tx, rules.Notice{ID: "000000000002", Manager: cbeB, SSIN: ssinB, Number: "000000000002",
					Version: 4, Acknowledged: true})
			})
		}, `notice 000000000002 is about decision "000000000002" version 4, which does not exist`},
		{"a notice naming a mutation that does not exist", func(t *testing.T, b testStore) {
			b.rawUpdate(t, func(tx kvTx) error {
				return putNoticeRaw(tx, rules.Notice{ID: "000000000002", Manager: cbeB, SSIN: ssinB, Number: "000000000002",
					Version: 1, Mutation: 7, Acknowledged: true})
			})
		}, "notice 000000000002 names mutation 7, which does not exist"},
		{"a notice id above the notice counter", func(t *testing.T, b testStore) {
			b.rawUpdate(t, func(tx kvTx) error {
				return putNoticeRaw(tx, rules.Notice{ID: "000000000009", Manager: cbeB, SSIN: ssinB, Number: "000000000002",
					Version: 1, Acknowledged: true})
			})
		}, "notice 000000000009 is above the notice counter"},
		{"a mutation-history entry for a mutation that does not exist", func(t *testing.T, b testStore) {
			b.rawUpdate(t, func(tx kvTx) error { return tx.Bucket(bucketMutationsBySSIN).Put(indexKey(ssinA, 42), nil) })
		}, "mutation history: entry for mutation 42, which does not exist"},
		{"an SSIN mutation missing from the new SSIN's history", func(t *testing.T, b testStore) {
			b.rawUpdate(t, func(tx kvTx) error { return tx.Bucket(bucketMutationsBySSIN).Delete(indexKey(ssinB, 2)) })
		}, "mutation 2 is missing from the mutation history of one of its SSINs"},
		{"a mutation filed under an SSIN it does not concern", func(t *testing.T, b testStore) {
			b.rawUpdate(t, func(tx kvTx) error { return tx.Bucket(bucketMutationsBySSIN).Put(indexKey(ssinB, 1), nil) })
		}, "mutation history: mutation 1 is filed under an SSIN it does not concern"},
		{"a mutation above the mutation counter", func(t *testing.T, b testStore) {
			b.rawUpdate(t, func(tx kvTx) error { return tx.Bucket(bucketMutations).SetSequence(1) })
		}, "mutation 2 is above the mutation counter"},
		{"a person replaced by an SSIN without a record", func(t *testing.T, b testStore) {
			b.rawUpdate(t, func(tx kvTx) error { return tx.Bucket(bucketPersons).Delete([]byte(ssinB)) })
		}, "is replaced by an SSIN that has no record of its own"},
		{"an attestation SSIN index entry for an attestation that does not exist", func(t *testing.T, b testStore) {
			b.rawUpdate(t, func(tx kvTx) error { return tx.Bucket(bucketAttestationsBySSIN).Put(indexKey(ssinA, 9), nil) })
		}, "attestation SSIN index: entry for attestation UMA000000000009, which does not exist"},
		{"an attestation missing from its SSIN index", func(t *testing.T, b testStore) {
			b.rawUpdate(t, func(tx kvTx) error { return tx.Bucket(bucketAttestationsBySSIN).Delete(indexKey(ssinA, 2)) })
		}, "attestation SSIN index: attestation UMA000000000002 is missing"},
		{"an attestation filed under another SSIN", func(t *testing.T, b testStore) {
			b.rawUpdate(t, func(tx kvTx) error { return tx.Bucket(bucketAttestationsBySSIN).Put(indexKey(ssinB, 1), nil) })
		}, "attestation SSIN index: attestation UMA000000000001 is filed under the wrong SSIN"},
		{"an attestation without its send audit", func(t *testing.T, b testStore) {
			b.rawUpdate(t, func(tx kvTx) error {
				return tx.Bucket(bucketAttestationAudit).Delete(attestationAuditKey(1, EventSend))
			})
		}, "attestation UMA000000000001 has no send audit"},
		{"a deleted attestation without its delete audit", func(t *testing.T, b testStore) {
			b.rawUpdate(t, func(tx kvTx) error {
				return tx.Bucket(bucketAttestationAudit).Delete(attestationAuditKey(2, EventDelete))
			})
		}, "attestation UMA000000000002 is deleted without a delete audit"},
		{"a delete audit of an attestation that is not deleted", func(t *testing.T, b testStore) {
			b.rawUpdate(t, func(tx kvTx) error {
				raw, _ := encode(Audit{Signer: "x"})
				return tx.Bucket(bucketAttestationAudit).Put(attestationAuditKey(1, EventDelete), raw)
			})
		}, "delete audit of attestation UMA000000000001, which is not deleted"},
		{"an audit of an attestation that does not exist", func(t *testing.T, b testStore) {
			b.rawUpdate(t, func(tx kvTx) error {
				raw, _ := encode(Audit{Signer: "x"})
				return tx.Bucket(bucketAttestationAudit).Put(attestationAuditKey(7, EventSend), raw)
			})
		}, "send audit of attestation UMA000000000007: no such attestation"},
		{"an attestation record under another number than its own", func(t *testing.T, b testStore) {
			b.rawUpdate(t, func(tx kvTx) error {
				bk := tx.Bucket(bucketAttestations)
				return bk.Put(numberKey(1), bk.Get(numberKey(2)))
			})
		}, "attestation UMA000000000001: record says \"UMA000000000002\""},
		{"an attestation above the attestation counter", func(t *testing.T, b testStore) {
			b.rawUpdate(t, func(tx kvTx) error { return tx.Bucket(bucketAttestations).SetSequence(1) })
		}, "attestation UMA000000000002 is above the attestation counter"},
		{"a reply naming an attestation that does not exist", func(t *testing.T, b testStore) {
			b.rawUpdate(t, func(tx kvTx) error {
				raw, _ := encode(Reply{Body: []byte("<r/>"), Attestation: "UMA000000000042"})
				return tx.Bucket(bucketReplies).Put([]byte("\x0b19912345004R-9"), raw)
			})
		}, "names attestation \"UMA000000000042\", which does not exist"},
		{"a decision number above the counter", func(t *testing.T, b testStore) {
			b.rawUpdate(t, func(tx kvTx) error { return tx.Bucket(bucketMeta).SetSequence(3) })
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
