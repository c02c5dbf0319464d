package agreement

import (
	"bytes"
	"testing"

	"github.com/carmed/carmed/rules"
)

// testKey is a fixed key so that tokens in tests are reproducible.
func testKey(fill byte) []byte { return bytes.Repeat([]byte{fill}, MinKeyLen) }

func testRing(t testing.TB) *Keyring {
	t.Helper()
	k, err := NewKeyring("k1", map[string][]byte{"k1": testKey(0x11)})
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// sample is the manual's example: the 1 January–31 March decision consulted on 1 March.
func sample() Claims {
	return Claims{
		Number:      "000000012345",
		Version:     3,
		Provider:    "71000436000",
		PeriodStart: rules.MustDate("2025-03-01"),
		Consulted:   rules.MustDate("2025-03-01"),
	}
}

func mustIssue(t testing.TB, k *Keyring, c Claims) string {
	t.Helper()
	tok, err := k.Issue(c)
	if err != nil {
		t.Fatal(err)
	}
	return tok
}
