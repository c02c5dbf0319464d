package store

import (
	"crypto/sha256"
	"strconv"
	"sync/atomic"
	"testing"
	"time"
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
			if err := w.PutReply(cbeA, "ticket-"+strconv.Itoa(i), Reply{BodyHash: sha256.Sum256(req), Response: resp, Number: n, Version: 1}); err != nil {
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
