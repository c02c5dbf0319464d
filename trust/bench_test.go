package trust

import "testing"

// Party runs once per request: a pinned lookup is a hash; a CA match is a chain verification.
func BenchmarkPartyPinned(b *testing.B) {
	f := newFixture(b)
	for b.Loop() {
		if _, err := f.store.Party(f.cpas.cert, testNow); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPartyCASubject(b *testing.B) {
	f := newFixture(b)
	for b.Loop() {
		if _, err := f.store.Party(f.provider.cert, testNow); err != nil {
			b.Fatal(err)
		}
	}
}
