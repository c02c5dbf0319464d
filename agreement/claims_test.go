package agreement

import (
	"errors"
	"strings"
	"testing"

	"github.com/carmed/carmed/rules"
)

func TestGuaranteeRunsFromThePeriodStartForThirtyDays(t *testing.T) {
	cases := []struct {
		name       string
		start, end string
	}{
		// Manual: a 1 January–31 March decision consulted on 1 March and cancelled by the
		// CPAS on 7 March still guarantees care up to 30 March.
		{"a period consulted on 1 March is guaranteed to 30 March", "2025-03-01", "2025-03-30"},
		{"a period starting 15 February 2024 runs over the leap day to 15 March", "2024-02-15", "2024-03-15"},
		{"a period starting 20 December runs into the next year", "2025-12-20", "2026-01-18"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			g := Claims{PeriodStart: rules.MustDate(tc.start)}.Guarantee()
			if g.Start.String() != tc.start || g.End.String() != tc.end || g.Days() != 30 {
				t.Errorf("guarantee %s, want %s/%s", g, tc.start, tc.end)
			}
		})
	}
}

func TestAVerifiedAgreementStillGuaranteesAfterTheDecisionIsCancelled(t *testing.T) {
	// The token carries everything: nothing the CPAS does later (cancel on 7 March) is read.
	k := testRing(t)
	got, err := k.Verify(mustIssue(t, k, sample()))
	if err != nil {
		t.Fatal(err)
	}
	if end := got.Guarantee().End; end != rules.MustDate("2025-03-30") {
		t.Errorf("guarantee ends %s, want 2025-03-30", end)
	}
	if !got.Guarantee().Contains(rules.MustDate("2025-03-10")) {
		t.Error("care on 10 March, after the cancellation of 7 March, is not guaranteed")
	}
}

func TestIssueRefusesClaimsThatCannotBeAnAgreement(t *testing.T) {
	start := rules.MustDate("2025-03-01")
	cases := []struct {
		name   string
		change func(*Claims)
		field  string
	}{
		{"a provider id of 9 digits is refused", func(c *Claims) { c.Provider = "710004360" }, "provider"},
		{"a provider id of 12 digits is refused", func(c *Claims) { c.Provider = "710004360001" }, "provider"},
		{"a provider id with a letter is refused", func(c *Claims) { c.Provider = "7100043600A" }, "provider"},
		{"a provider id with dots is refused", func(c *Claims) { c.Provider = "0123.456.789" }, "provider"},
		{"an empty provider id is refused", func(c *Claims) { c.Provider = "" }, "provider"},
		{"a decision number of 11 digits is refused", func(c *Claims) { c.Number = "00000012345" }, "decision number"},
		{"a decision number with a sign is refused", func(c *Claims) { c.Number = "+00000012345" }, "decision number"},
		{"version 0 is refused", func(c *Claims) { c.Version = 0 }, "version"},
		{"a version beyond 65535 is refused", func(c *Claims) { c.Version = 65536 }, "version"},
		{"a consultation before the period start is refused", func(c *Claims) { c.Consulted = start.AddDays(-1) }, "consultation date"},
		{"a consultation 30 days after the period start is refused", func(c *Claims) { c.Consulted = start.AddDays(30) }, "consultation date"},
		{"a missing consultation date is refused", func(c *Claims) { c.Consulted = rules.NoDate }, "consultation date"},
		{"a missing period start is refused", func(c *Claims) { c.PeriodStart = rules.NoDate }, "period start"},
		{"a period start before 2000 is refused", func(c *Claims) {
			c.PeriodStart = rules.MustDate("1999-12-31")
			c.Consulted = c.PeriodStart
		}, "period start"},
	}
	k := testRing(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := sample()
			tc.change(&c)
			tok, err := k.Issue(c)
			if !errors.Is(err, ErrInvalidClaims) {
				t.Fatalf("Issue = %q, %v; want ErrInvalidClaims", tok, err)
			}
			if !strings.Contains(err.Error(), tc.field) {
				t.Errorf("error %q does not name the field %q", err, tc.field)
			}
			if c.Provider != "" && strings.Contains(err.Error(), c.Provider) {
				t.Errorf("error %q echoes the provider id", err)
			}
		})
	}
}

func TestIssueAcceptsEveryProviderShape(t *testing.T) {
	cases := []struct {
		name, provider, kind string
	}{
		{"an 8-digit NIHII (institution) is accepted", "71000436", "NIHII"},
		{"an 11-digit NIHII (practitioner) is accepted", "10002345001", "NIHII"},
		{"a 10-digit CBE is accepted", "0123456749", "CBE"},
		{"a NIHII of zeros keeps its leading zeros", "00000000", "NIHII"},
		{"the largest 11-digit id survives", "99999999999", "NIHII"},
	}
	k := testRing(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := sample()
			c.Provider = tc.provider
			got, err := k.Verify(mustIssue(t, k, c))
			if err != nil {
				t.Fatal(err)
			}
			if got.Provider != tc.provider || got.ProviderKind() != tc.kind {
				t.Errorf("provider %q (%s), want %q (%s)", got.Provider, got.ProviderKind(), tc.provider, tc.kind)
			}
		})
	}
}
