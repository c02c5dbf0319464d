package store

import (
	"fmt"
	"sync"
	"testing"
	"time"
)

func seen(t *testing.T, b testStore, key string, expires, now time.Time) bool {
	t.Helper()
	r, err := b.SeenSignature([]byte(key), expires, now)
	if err != nil {
		t.Fatalf("SeenSignature: %v", err)
	}
	return r
}

func TestReplayCache(t *testing.T) {
	t.Run("the second sight of a signature is a replay", func(t *testing.T) {
		b := openTestDB(t)
		if seen(t, b, "sig-1", t0.Add(5*time.Minute), t0) {
			t.Fatal("first sight reported as a replay")
		}
		if !seen(t, b, "sig-1", t0.Add(5*time.Minute), t0.Add(time.Minute)) {
			t.Fatal("second sight not reported as a replay")
		}
		if seen(t, b, "sig-2", t0.Add(5*time.Minute), t0.Add(time.Minute)) {
			t.Fatal("another signature reported as a replay")
		}
	})
	t.Run("expired keys are pruned and no longer count", func(t *testing.T) {
		b, _ := openTemp(t, Options{NoSync: true}) // bbolt prunes by walking; etcd's leases do (etcd_test.go)
		seen(t, b, "old", t0.Add(time.Minute), t0)
		seen(t, b, "young", t0.Add(time.Hour), t0)
		seen(t, b, "new", t0.Add(time.Hour), t0.Add(2*time.Minute)) // "old" expired a minute ago
		if n := b.count(t, bucketReplay); n != 2 {
			t.Errorf("%d keys kept, want 2 (old pruned)", n)
		}
		if n := b.count(t, bucketReplayExp); n != 2 {
			t.Errorf("%d expiry entries kept, want 2", n)
		}
		if seen(t, b, "old", t0.Add(time.Hour), t0.Add(3*time.Minute)) {
			t.Error("an expired key still counts as a replay")
		}
		if !seen(t, b, "young", t0.Add(time.Hour), t0.Add(3*time.Minute)) {
			t.Error("pruning took a key that had not expired")
		}
	})
	t.Run("pruning is bounded per call", func(t *testing.T) {
		b, _ := openTemp(t, Options{NoSync: true})
		for i := range maxPrunePerCall + 10 {
			seen(t, b, string(rune('a'+i)), t0.Add(time.Minute), t0)
		}
		seen(t, b, "late", t0.Add(time.Hour), t0.Add(time.Hour/2))
		if n, want := b.count(t, bucketReplay), 10+1; n != want {
			t.Errorf("%d keys left, want %d", n, want)
		}
	})
	t.Run("the cache survives a restart (fsync on)", func(t *testing.T) {
		b, path := openTemp(t, Options{})
		seen(t, b, "sig-1", t0.Add(5*time.Minute), t0)
		if err := b.Close(); err != nil {
			t.Fatal(err)
		}
		b2, err := Open(path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer b2.Close()
		if !seen(t, b2, "sig-1", t0.Add(5*time.Minute), t0.Add(time.Minute)) {
			t.Error("the replay window reopened after a restart")
		}
	})
	t.Run("of many concurrent sightings exactly one is first", func(t *testing.T) {
		b := openTestDB(t)
		const n = 20
		var wg sync.WaitGroup
		results := make(chan bool, n)
		for range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r, err := b.SeenSignature([]byte("same"), t0.Add(time.Hour), t0)
				if err != nil {
					t.Error(err)
				}
				results <- r
			}()
		}
		wg.Wait()
		close(results)
		firsts := 0
		for r := range results {
			if !r {
				firsts++
			}
		}
		if firsts != 1 {
			t.Errorf("%d callers saw the signature first, want 1", firsts)
		}
	})
}

func claim(t *testing.T, b *Bolt, key string, expires, now time.Time) (bool, func() error) {
	t.Helper()
	r, durable, err := b.ClaimSignature([]byte(key), expires, now)
	if err != nil {
		t.Fatalf("ClaimSignature: %v", err)
	}
	if r != (durable == nil) {
		t.Fatalf("replayed %v but a durable wait %v", r, durable != nil)
	}
	return r, durable
}

// Claims answer without a commit: a key claimed and not yet durable is already a replay, and once
// durable it survives a restart; claims and SeenSignature share one cache.
func TestClaimSignature(t *testing.T) {
	t.Run("a claimed key is a replay at once, durable or not, until it expires", func(t *testing.T) {
		b, _ := openTemp(t, Options{NoSync: true}) // claims are bbolt's (SignatureClaimer)
		r, durable := claim(t, b, "sig-1", t0.Add(5*time.Minute), t0)
		if r {
			t.Fatal("first claim reported as a replay")
		}
		if again, _ := claim(t, b, "sig-1", t0.Add(5*time.Minute), t0); !again {
			t.Fatal("a claim still being made durable was not a replay")
		}
		if err := durable(); err != nil {
			t.Fatal(err)
		}
		if again, _ := claim(t, b, "sig-1", t0.Add(5*time.Minute), t0.Add(time.Minute)); !again {
			t.Fatal("a durable claim was not a replay")
		}
		if !seen(t, b, "sig-1", t0.Add(5*time.Minute), t0.Add(time.Minute)) {
			t.Fatal("SeenSignature does not see a claim")
		}
		if again, d := claim(t, b, "sig-1", t0.Add(time.Hour), t0.Add(6*time.Minute)); again {
			t.Fatal("an expired claim still counts")
		} else if err := d(); err != nil {
			t.Fatal(err)
		}
	})
	t.Run("a durable claim survives a restart (fsync on)", func(t *testing.T) {
		b, path := openTemp(t, Options{})
		_, durable := claim(t, b, "sig-1", t0.Add(5*time.Minute), t0)
		if err := durable(); err != nil {
			t.Fatal(err)
		}
		if err := b.Close(); err != nil {
			t.Fatal(err)
		}
		b2, err := Open(path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer b2.Close()
		if r, _ := claim(t, b2, "sig-1", t0.Add(5*time.Minute), t0.Add(time.Minute)); !r {
			t.Error("the replay window reopened after a restart")
		}
	})
	t.Run("many concurrent claims, committed in groups, are each durable once answered", func(t *testing.T) {
		b, path := openTemp(t, Options{})
		const n = 100
		var wg sync.WaitGroup
		for i := range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r, durable := claim(t, b, fmt.Sprintf("many-%d", i), t0.Add(time.Hour), t0)
				if r {
					t.Errorf("claim %d: a replay", i)
				} else if err := durable(); err != nil {
					t.Errorf("claim %d: %v", i, err)
				}
			}()
		}
		wg.Wait()
		if err := b.Close(); err != nil {
			t.Fatal(err)
		}
		b2, err := Open(path, Options{})
		if err != nil {
			t.Fatal(err)
		}
		defer b2.Close()
		for i := range n {
			if r, _ := claim(t, b2, fmt.Sprintf("many-%d", i), t0.Add(time.Hour), t0.Add(time.Minute)); !r {
				t.Fatalf("claim %d, answered durable, is not on disk", i)
			}
		}
	})
	t.Run("of many concurrent claims exactly one is first", func(t *testing.T) {
		b, _ := openTemp(t, Options{NoSync: true}) // claims are bbolt's (SignatureClaimer)
		const n = 20
		var wg sync.WaitGroup
		firsts := make(chan func() error, n)
		for range n {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if r, d := claim(t, b, "same", t0.Add(time.Hour), t0); !r {
					firsts <- d
				}
			}()
		}
		wg.Wait()
		close(firsts)
		if len(firsts) != 1 {
			t.Fatalf("%d claims were first, want 1", len(firsts))
		}
		if err := (<-firsts)(); err != nil {
			t.Fatal(err)
		}
	})
}
