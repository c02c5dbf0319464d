package store

import (
	"crypto/sha256"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/carmed/carmed/rules"
)

func benchmarkCommit(b *testing.B, o Options) {
	db, _ := openTemp(b, o)
	v := version("", 1, ssinA, cbeA)
	resp := make([]byte, 6<<10) // about one signed response envelope
	req := make([]byte, 3<<10)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		err := db.Update(func(w Writer) error {
			n, err := w.NextNumber()
			if err != nil {
				return err
			}
			v.Number = n
			if err := w.PutVersion(v); err != nil {
				return err
			}
			if err := w.PutReply(cbeA, "ticket-"+strconv.Itoa(i), Reply{BodyHash: sha256.Sum256(req), Body: resp, Number: n, Version: 1}); err != nil {
				return err
			}
			return w.PutAudit(n, 1, Audit{Request: req, Response: resp, Signer: cbeA, At: t0})
		})
		if err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkCommit is one create as the gateway commits it: version + reply + audit, fsync on.
func BenchmarkCommit(b *testing.B) { benchmarkCommit(b, Options{}) }

// BenchmarkCommitNoSync is the same without fsync: the cost of bbolt itself.
func BenchmarkCommitNoSync(b *testing.B) { benchmarkCommit(b, Options{NoSync: true}) }

// BenchmarkSeenSignature is the replay-cache write every signed request pays, fsync on; run with
// -cpu 1,8 to see concurrent requests share commits.
func BenchmarkSeenSignature(b *testing.B) {
	db, _ := openTemp(b, Options{})
	var seq atomic.Int64
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			key := strconv.FormatInt(seq.Add(1), 10)
			if _, err := db.SeenSignature([]byte(key), t0.Add(time.Hour), t0); err != nil {
				b.Error(err)
				return
			}
		}
	})
}

// BenchmarkClaimSignature: the replay check on the request's path (claim: memory and a read
// transaction), and the same with the wait for the key's group commit that the answer pays
// (claim+durable), against SeenSignature above, which commits before the request goes on.
func BenchmarkClaimSignature(b *testing.B) {
	for _, wait := range []bool{false, true} {
		name := "claim"
		if wait {
			name = "claim+durable"
		}
		b.Run(name, func(b *testing.B) {
			db, _ := openTemp(b, Options{})
			var seq atomic.Int64
			var pending sync.WaitGroup
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					key := strconv.FormatInt(seq.Add(1), 10)
					_, durable, err := db.ClaimSignature([]byte(key), t0.Add(time.Hour), t0)
					if err != nil {
						b.Error(err)
						return
					}
					if wait {
						if err := durable(); err != nil {
							b.Error(err)
						}
					} else {
						pending.Add(1)
						go func() { defer pending.Done(); _ = durable() }()
					}
				}
			})
			b.StopTimer()
			pending.Wait()
		})
	}
}

func benchmarkPutNotice(b *testing.B, o Options) {
	db, _ := openTemp(b, o)
	putVersions(b, db, version("000000000001", 1, ssinA, cbeA))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		n := notice("000000000001", cbeA)
		if err := db.Update(func(w Writer) error { return w.PutNotice(&n) }); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPutNotice is one notice written and committed, fsync on.
func BenchmarkPutNotice(b *testing.B) { benchmarkPutNotice(b, Options{}) }

// BenchmarkPutNoticeNoSync is the same without fsync.
func BenchmarkPutNoticeNoSync(b *testing.B) { benchmarkPutNotice(b, Options{NoSync: true}) }

// BenchmarkNotices lists one page of 50 among 10,000 notices: the listed CPAS's 50 pending
// notices are the newest, the 9,950 before them are another CPAS's, acknowledged. The pending
// lists (one CPAS, every CPAS) read the pending index; the full listing of one CPAS
// (IncludeAcknowledged) decodes all 10,000.
func BenchmarkNotices(b *testing.B) {
	const total, mine = 10_000, 50
	db, _ := openTemp(b, Options{NoSync: true})
	ns := make([]rules.Notice, 0, total)
	for i := 0; i < total-mine; i++ {
		n := notice("000000000002", cbeB)
		n.Acknowledged = true
		ns = append(ns, n)
	}
	for i := 0; i < mine; i++ {
		ns = append(ns, notice("000000000001", cbeA))
	}
	putNotices(b, db, ns...)
	cases := []struct {
		name string
		q    NoticeQuery
	}{
		{"pending of one CPAS", NoticeQuery{Manager: cbeA, Limit: mine}},
		{"pending of every CPAS", NoticeQuery{Limit: mine}},
		{"all of one CPAS", NoticeQuery{Manager: cbeA, Limit: mine, IncludeAcknowledged: true}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				err := db.View(func(r Reader) error {
					got, _, err := r.Notices(c.q)
					if err == nil && len(got) != mine {
						b.Fatalf("%d notices, want %d", len(got), mine)
					}
					return err
				})
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
