package agreement

import (
	"errors"
	"fmt"

	"github.com/carmed/carmed/rules"
)

// GuaranteeDays is how many days, period start included, an agreement covers care
// (R-AGREEMENT-30: start up to start + 29).
const GuaranteeDays = 30

// decisionDigits is the length of a decision number (zero-padded, rules.Version.Number).
const decisionDigits = 12

// maxVersion is the largest version the two-byte field holds; far above any real history.
const maxVersion = 1<<16 - 1

// epoch is day 0 of the two-byte period-start field; MediPrima started in 2014, so
// 2000-01-01 .. 2179-06-06 covers every real consultation.
var epoch = rules.MustDate("2000-01-01")

// lastStart is the latest period start the two-byte field holds.
var lastStart = epoch.AddDays(1<<16 - 1)

// ErrInvalidClaims is returned by Issue for claims that cannot be a real agreement; the
// wrapped message names the field, never its value.
var ErrInvalidClaims = errors.New("agreement: invalid claims")

// Claims is what an agreement number guarantees and what Verify gives back.
type Claims struct {
	Number      string     // 12-digit decision number
	Version     int        // decision version the provider saw
	Provider    string     // provider id: NIHII (8 or 11 digits) or CBE (10 digits)
	PeriodStart rules.Date // start of the consulted period (or the reference date)
	Consulted   rules.Date // business date of the consultation, in [PeriodStart, PeriodStart+29]
}

// Guarantee is the care period the agreement covers with the conditions of the version
// seen, whatever the CPAS changes later (R-AGREEMENT-30). Care must still fall within a
// cover of that version; the caller intersects.
func (c Claims) Guarantee() rules.Period {
	return rules.Period{Start: c.PeriodStart, End: c.PeriodStart.AddDays(GuaranteeDays - 1)}
}

// ProviderKind names the provider id's shape: "NIHII" or "CBE" ("" when malformed).
func (c Claims) ProviderKind() string {
	switch providerShape(c.Provider) {
	case shapeNIHII8, shapeNIHII11:
		return "NIHII"
	case shapeCBE10:
		return "CBE"
	}
	return ""
}

// check refuses claims that could not come from a valid provider consultation.
func (c Claims) check() error {
	switch {
	case !rules.AllDigits(c.Number, decisionDigits):
		return fmt.Errorf("%w: decision number must be %d digits", ErrInvalidClaims, decisionDigits)
	case c.Version < 1 || c.Version > maxVersion:
		return fmt.Errorf("%w: version must be 1..%d", ErrInvalidClaims, maxVersion)
	case providerShape(c.Provider) == shapeNone:
		return fmt.Errorf("%w: provider must be a NIHII (8 or 11 digits) or a CBE (10 digits)", ErrInvalidClaims)
	case !c.PeriodStart.Valid() || c.PeriodStart < epoch || c.PeriodStart > lastStart:
		return fmt.Errorf("%w: period start must lie in %s..%s", ErrInvalidClaims, epoch, lastStart)
	case !c.Consulted.Valid() || !c.Guarantee().Contains(c.Consulted):
		// R-AGREEMENT: no agreement unless the consultation date lies in the consulted
		// period, which is at most 30 days long.
		return fmt.Errorf("%w: consultation date must lie within %d days from the period start", ErrInvalidClaims, GuaranteeDays)
	}
	return nil
}

// Provider id shapes, stored in the top 3 bits of the provider field.
const (
	shapeNone    = 0
	shapeNIHII8  = 1
	shapeCBE10   = 2
	shapeNIHII11 = 3
)

// shapeLen is the digit count of each shape.
var shapeLen = [...]int{shapeNIHII8: 8, shapeCBE10: 10, shapeNIHII11: 11}

func providerShape(id string) int {
	for shape := shapeNIHII8; shape <= shapeNIHII11; shape++ {
		if rules.AllDigits(id, shapeLen[shape]) {
			return shape
		}
	}
	return shapeNone
}

// parseDigits reads an ASCII digit string already checked by digits.
func parseDigits(s string) uint64 {
	var v uint64
	for i := 0; i < len(s); i++ {
		v = v*10 + uint64(s[i]-'0')
	}
	return v
}

// formatDigits writes v as exactly n digits, zero-padded.
func formatDigits(v uint64, n int) string {
	b := make([]byte, n)
	for i := n - 1; i >= 0; i-- {
		b[i] = byte('0' + v%10)
		v /= 10
	}
	return string(b)
}
