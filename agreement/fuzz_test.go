package agreement

import (
	"strings"
	"testing"
)

// FuzzVerify: Verify never panics, and whatever it accepts is exactly, up to spelling, the
// number Issue gives for the claims it returned (no second spelling of a commitment).
func FuzzVerify(f *testing.F) {
	k := testRing(f)
	tok := mustIssue(f, k, sample())
	for _, seed := range []string{tok, strings.ToLower(tok), strings.ReplaceAll(tok, "-", ""), "", "-", "0", "ZZZZZ-ZZZZZ", tok + "0", tok[:20], "\xff\x00"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := k.Verify(s)
		if err != nil {
			return
		}
		again, err := k.Issue(c)
		if err != nil {
			t.Fatalf("accepted claims %+v cannot be issued: %v", c, err)
		}
		norm := strings.NewReplacer("-", "", "O", "0", "I", "1", "L", "1").Replace(strings.ToUpper(strings.TrimSpace(s)))
		if norm != strings.ReplaceAll(again, "-", "") {
			t.Fatalf("accepted %q, but the claims issue %q", s, again)
		}
	})
}
