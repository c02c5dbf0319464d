package agreement

import (
	"errors"
	"strings"
	"testing"
)

func TestANumberIssuedBeforeARotationStillVerifies(t *testing.T) {
	k := testRing(t)
	old := mustIssue(t, k, sample())
	if err := k.Rotate("k2"); err != nil {
		t.Fatal(err)
	}
	if k.Current() != "k2" {
		t.Fatalf("current key %q after rotation, want k2", k.Current())
	}
	if got, err := k.Verify(old); err != nil || got != sample() {
		t.Fatalf("old number after rotation: %+v, %v", got, err)
	}
	fresh := mustIssue(t, k, sample())
	if fresh == old {
		t.Fatal("the new key issues the same number as the old one")
	}
	if _, err := k.Verify(fresh); err != nil {
		t.Fatalf("new number: %v", err)
	}
	// The old ring does not know k2: the id travels in the number.
	if _, err := testRing(t).Verify(fresh); !errors.Is(err, ErrUnknownKey) {
		t.Fatalf("the ring without k2 says %v, want ErrUnknownKey", err)
	}
}

func TestANumberMadeWithARemovedKeyIsAnUnknownKey(t *testing.T) {
	k := testRing(t)
	old := mustIssue(t, k, sample())
	if err := k.Rotate("k2"); err != nil {
		t.Fatal(err)
	}
	if err := k.Remove("k1"); err != nil {
		t.Fatal(err)
	}
	if _, err := k.Verify(old); !errors.Is(err, ErrUnknownKey) {
		t.Fatalf("Verify = %v, want ErrUnknownKey", err)
	}
}

func TestTheRingRefusesChangesThatWouldLoseAgreements(t *testing.T) {
	cases := []struct {
		name string
		do   func(*Keyring) error
	}{
		{"removing the current key is refused", func(k *Keyring) error { return k.Remove("k1") }},
		{"removing a key the ring lacks is refused", func(k *Keyring) error { return k.Remove("k7") }},
		{"rotating to an id already used is refused", func(k *Keyring) error { return k.Rotate("k1") }},
		{"rotating to an id with capitals is refused", func(k *Keyring) error { return k.Rotate("K2") }},
		{"rotating to an id of 9 characters is refused", func(k *Keyring) error { return k.Rotate("k23456789") }},
		{"adding a 31-byte key is refused", func(k *Keyring) error { return k.AddKey("k2", testKey(1)[:31], false) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			k := testRing(t)
			before := mustIssue(t, k, sample())
			if err := tc.do(k); !errors.Is(err, ErrBadKeyring) {
				t.Fatalf("got %v, want ErrBadKeyring", err)
			}
			if after := mustIssue(t, k, sample()); after != before {
				t.Error("a refused change still changed the issuing key")
			}
		})
	}
}

func TestNewKeyringRefusesAWeakOrInconsistentRing(t *testing.T) {
	cases := []struct {
		name    string
		current string
		keys    map[string][]byte
		say     string
	}{
		{"a 16-byte key is refused", "k1", map[string][]byte{"k1": testKey(1)[:16]}, "at least 32"},
		{"a current id naming no key is refused", "k2", map[string][]byte{"k1": testKey(1)}, "current key id"},
		{"an empty ring is refused", "k1", nil, "current key id"},
		{"a key id with a dash is refused", "k-1", map[string][]byte{"k-1": testKey(1)}, "[a-z0-9]"},
		{"an empty key id is refused", "", map[string][]byte{"": testKey(1)}, "[a-z0-9]"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewKeyring(tc.current, tc.keys)
			if !errors.Is(err, ErrBadKeyring) || !strings.Contains(err.Error(), tc.say) {
				t.Fatalf("got %v, want ErrBadKeyring saying %q", err, tc.say)
			}
		})
	}
}

func TestNewKeyringCopiesTheKeys(t *testing.T) {
	key := testKey(0x11)
	k, err := NewKeyring("k1", map[string][]byte{"k1": key})
	if err != nil {
		t.Fatal(err)
	}
	tok := mustIssue(t, k, sample())
	key[0] ^= 1 // the caller reuses its buffer
	if _, err := k.Verify(tok); err != nil {
		t.Fatalf("the ring follows the caller's buffer: %v", err)
	}
}

func TestNextIDProposesTheFollowingNumber(t *testing.T) {
	k := testRing(t)
	if err := k.AddKey("k9", testKey(9), false); err != nil {
		t.Fatal(err)
	}
	if err := k.AddKey("spare", testKey(8), false); err != nil {
		t.Fatal(err)
	}
	if got := k.NextID(); got != "k10" {
		t.Errorf("NextID = %q, want k10", got)
	}
}

func TestIssueAndVerifyRunDuringARotation(t *testing.T) {
	// Run with -race: a rotation must not tear the current id from its key.
	k := testRing(t)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for i := 2; i < 20; i++ {
			if err := k.Rotate("k" + string(rune('a'+i))); err != nil {
				t.Error(err)
				return
			}
		}
	}()
	for i := 0; i < 200; i++ {
		if _, err := k.Verify(mustIssue(t, k, sample())); err != nil {
			t.Fatal(err)
		}
	}
	<-done
}
