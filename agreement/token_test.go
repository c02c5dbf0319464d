package agreement

import (
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/carmed/carmed/rules"
)

func TestAnAgreementGivesBackTheClaimsItWasIssuedFor(t *testing.T) {
	start := rules.MustDate("2025-03-01")
	cases := []struct {
		name   string
		change func(*Claims)
	}{
		{"the manual's example round-trips", func(*Claims) {}},
		{"a CBE provider round-trips", func(c *Claims) { c.Provider = "0123456749" }},
		{"an 8-digit NIHII round-trips", func(c *Claims) { c.Provider = "71000436" }},
		{"a consultation on the 30th day round-trips", func(c *Claims) { c.Consulted = start.AddDays(29) }},
		{"the largest decision number and version round-trip", func(c *Claims) { c.Number, c.Version = "999999999999", 65535 }},
		{"decision number zero round-trips", func(c *Claims) { c.Number = "000000000000" }},
		{"a period starting on 1 January 2000 round-trips", func(c *Claims) {
			c.PeriodStart = rules.MustDate("2000-01-01")
			c.Consulted = c.PeriodStart.AddDays(5)
		}},
		{"the latest period start round-trips", func(c *Claims) {
			c.PeriodStart = rules.MustDate("2179-06-06")
			c.Consulted = c.PeriodStart
		}},
	}
	k := testRing(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			want := sample()
			want.PeriodStart, want.Consulted = start, start
			tc.change(&want)
			tok := mustIssue(t, k, want)
			got, err := k.Verify(tok)
			if err != nil {
				t.Fatalf("Verify(%s): %v", tok, err)
			}
			if got != want {
				t.Errorf("Verify gave %+v, want %+v", got, want)
			}
		})
	}
}

func TestTheSameConsultationAlwaysGivesTheSameNumber(t *testing.T) {
	a := mustIssue(t, testRing(t), sample())
	b := mustIssue(t, testRing(t), sample())
	if a != b {
		t.Fatalf("two issues of the same claims differ: %s vs %s", a, b)
	}
	// Every claim is in the number: changing any one gives another number.
	changes := map[string]func(*Claims){
		"number":    func(c *Claims) { c.Number = "000000012346" },
		"version":   func(c *Claims) { c.Version++ },
		"provider":  func(c *Claims) { c.Provider = "71000436001" },
		"start":     func(c *Claims) { c.PeriodStart--; c.Consulted-- },
		"consulted": func(c *Claims) { c.Consulted++ },
	}
	for name, change := range changes {
		c := sample()
		change(&c)
		if mustIssue(t, testRing(t), c) == a {
			t.Errorf("changing the %s leaves the number unchanged", name)
		}
	}
}

func TestTheNumberFormatIsStable(t *testing.T) {
	// Invoices keep numbers for years: a change to this string is a new format byte, not
	// an edit of version 1.
	const golden = "0416P-C8000-030E8-00DR8-FX5D4-0HYE0-2JDFE-ZQFK2-3421M-PC8CR"
	if got := mustIssue(t, testRing(t), sample()); got != golden {
		t.Errorf("issued %s, want %s", got, golden)
	}
}

func TestTheNumberIsShortAndSafeToCopyOntoAnInvoice(t *testing.T) {
	tok := mustIssue(t, testRing(t), sample())
	if !regexp.MustCompile(`^[0-9A-HJKMNP-TV-Z]{5}(-[0-9A-HJKMNP-TV-Z]{5})*(-[0-9A-HJKMNP-TV-Z]{1,4})?$`).MatchString(tok) {
		t.Errorf("%s is not dash-grouped Crockford base32", tok)
	}
	if n := len(strings.ReplaceAll(tok, "-", "")); n > 52 {
		t.Errorf("%d characters without dashes, want at most 52", n)
	}
}

func TestVerifyForgivesHowAHumanCopiesTheNumber(t *testing.T) {
	k := testRing(t)
	tok := mustIssue(t, k, sample())
	aliased := strings.NewReplacer("0", "o", "1", "l").Replace(tok)
	cases := []struct{ name, input string }{
		{"lower case is accepted", strings.ToLower(tok)},
		{"missing dashes are accepted", strings.ReplaceAll(tok, "-", "")},
		{"surrounding spaces are accepted", "  " + tok + "\n"},
		{"O for 0 and l for 1 are accepted", aliased},
		{"I for 1 is accepted", strings.ReplaceAll(tok, "1", "I")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got, err := k.Verify(tc.input); err != nil || got != sample() {
				t.Errorf("Verify(%q) = %+v, %v", tc.input, got, err)
			}
		})
	}
}

// aliasOf reports whether typing c where the token has orig means the same character
// (Crockford: case, O for 0, I and L for 1).
func aliasOf(orig, c byte) bool {
	up := strings.ToUpper(string(c))[0]
	return up == orig || orig == '0' && up == 'O' || orig == '1' && (up == 'I' || up == 'L')
}

func TestEverySingleCharacterChangeIsRefused(t *testing.T) {
	k := testRing(t)
	tok := mustIssue(t, k, sample())
	const typed = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz- .*"
	tried := 0
	for i := 0; i < len(tok); i++ {
		for j := 0; j < len(typed); j++ {
			if aliasOf(tok[i], typed[j]) {
				continue
			}
			bad := tok[:i] + string(typed[j]) + tok[i+1:]
			tried++
			if _, err := k.Verify(bad); err == nil {
				t.Errorf("position %d changed to %q verifies: %s", i, typed[j], bad)
			}
		}
		// Dropping or doubling the character is refused too.
		for _, bad := range []string{tok[:i] + tok[i+1:], tok[:i+1] + tok[i:]} {
			if tok[i] == '-' {
				continue // dashes are optional by design
			}
			tried++
			if _, err := k.Verify(bad); err == nil {
				t.Errorf("dropping or doubling position %d verifies: %s", i, bad)
			}
		}
	}
	if tried < len(tok)*50 {
		t.Fatalf("only %d changes tried", tried)
	}
}

func TestVerifyTellsWhyANumberIsRefused(t *testing.T) {
	k := testRing(t)
	tok := mustIssue(t, k, sample())
	other, _ := NewKeyring("k1", map[string][]byte{"k1": testKey(0x22)})
	k9, _ := NewKeyring("k9", map[string][]byte{"k9": testKey(0x11)})
	raw, _ := decode(tok)
	future := append([]byte{0x02}, raw[1:]...)
	cases := []struct {
		name  string
		input string
		want  error
	}{
		{"an empty string is malformed", "", ErrMalformed},
		{"an invoice reference of another kind is malformed", "FACT-2025-000123", ErrMalformed},
		{"a character outside the alphabet is malformed", strings.Replace(tok, "-", "_", 1), ErrMalformed},
		{"the letter U is malformed", "U" + tok[1:], ErrMalformed},
		{"a truncated number is malformed", tok[:len(tok)-6], ErrMalformed},
		{"a very long string is malformed", strings.Repeat(tok, 10), ErrMalformed},
		{"a future format byte is malformed", encode(future), ErrMalformed},
		{"a number made by another gateway's key of the same id is tampered", mustIssue(t, other, sample()), ErrTampered},
		{"a number made with a key id this ring never had is an unknown key", mustIssue(t, k9, sample()), ErrUnknownKey},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := k.Verify(tc.input)
			if !errors.Is(err, tc.want) {
				t.Fatalf("Verify = %v, want %v", err, tc.want)
			}
			if len(tc.input) > 3 && strings.Contains(err.Error(), strings.TrimSpace(tc.input)[:4]) {
				t.Errorf("error %q echoes the input", err)
			}
		})
	}
}

func TestKeyIDNamesTheKeyANumberWasMadeWithAndNothingForGarbage(t *testing.T) {
	k := testRing(t)
	tok := mustIssue(t, k, sample())
	if got := KeyID(tok); got != k.Current() {
		t.Fatalf("KeyID = %q, want the current key %q", got, k.Current())
	}
	if err := k.Rotate(k.NextID()); err != nil {
		t.Fatal(err)
	}
	if got := KeyID(mustIssue(t, k, sample())); got != k.Current() || got == KeyID(tok) {
		t.Fatalf("after rotation KeyID = %q, want %q", got, k.Current())
	}
	for _, bad := range []string{"", "not-a-number", strings.Repeat("Z", 40)} {
		if got := KeyID(bad); got != "" {
			t.Errorf("KeyID(%q) = %q, want empty", bad, got)
		}
	}
}
