package store

import (
	"sync"
	"testing"
	"time"
)

func seen(t *testing.T, b *Bolt, key string, expires, now time.Time) bool {
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
		b := openTestDB(t)
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
		b := openTestDB(t)
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
