package agreement

import (
	"errors"
	"testing"

	"github.com/carmed/carmed/rules"
)

// TestRules pins R-AGREEMENT-30: an agreement guarantees the version seen for care from the consulted
// period's start to start + 29 days, and is recomputed from the token alone (nothing stored).
func TestRules(t *testing.T) {
	ring := testRing(t)
	claims := Claims{Number: "000000000001", Version: 1, Provider: "71012345",
		PeriodStart: rules.MustDate("2025-03-01"), Consulted: rules.MustDate("2025-03-01")}
	tok, err := ring.Issue(claims)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("R-AGREEMENT-30/care on 30 March under a 1 March agreement is accepted whatever the CPAS changed since", func(t *testing.T) {
		c, err := ring.Verify(tok)
		if err != nil {
			t.Fatal(err)
		}
		if !c.Guarantee().Contains(rules.MustDate("2025-03-30")) || c.Version != 1 {
			t.Fatalf("guarantee %s, version %d", c.Guarantee(), c.Version)
		}
	})
	t.Run("R-AGREEMENT-30/care on 31 March, day 31, is rejected: outside the 30 guaranteed days", func(t *testing.T) {
		c, _ := ring.Verify(tok)
		if c.Guarantee().Contains(rules.MustDate("2025-03-31")) {
			t.Fatalf("guarantee %s reaches day 31", c.Guarantee())
		}
	})
	t.Run("R-AGREEMENT-30/a token naming another version is rejected as tampered", func(t *testing.T) {
		other, _ := ring.Issue(Claims{Number: claims.Number, Version: 2, Provider: claims.Provider,
			PeriodStart: claims.PeriodStart, Consulted: claims.Consulted})
		forged := tok[:len(tok)-20] + other[len(other)-20:]
		if _, err := ring.Verify(forged); !errors.Is(err, ErrTampered) && !errors.Is(err, ErrMalformed) {
			t.Fatalf("a spliced token verified: %v", err)
		}
	})
}
