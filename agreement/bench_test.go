package agreement

import "testing"

func BenchmarkIssue(b *testing.B) {
	k := testRing(b)
	c := sample()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := k.Issue(c); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkVerify(b *testing.B) {
	k := testRing(b)
	tok := mustIssue(b, k, sample())
	b.ReportAllocs()
	for b.Loop() {
		if _, err := k.Verify(tok); err != nil {
			b.Fatal(err)
		}
	}
}
