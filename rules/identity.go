package rules

// ssinLen and cbeLen are the fixed lengths of the two Belgian identifiers (R-SSIN, R-CBE).
const (
	ssinLen = 11
	cbeLen  = 10
)

// ValidSSIN reports whether s is a well-formed SSIN (R-SSIN): 11 digits whose last two are
// 97 − (first nine mod 97), or the same computed on "2" + the first nine for people born
// in 2000 or later. The birth month may be 0 (unknown) to 12, or shifted by +20 / +40 for
// BIS numbers (gender unknown / known at allocation).
func ValidSSIN(s string) bool {
	if !AllDigits(s, ssinLen) {
		return false
	}
	month := num(s[2:4])
	if !(month <= 12 || (month >= 20 && month <= 32) || (month >= 40 && month <= 52)) {
		return false
	}
	if num(s[4:6]) > 31 {
		return false
	}
	base, check := num(s[:9]), num(s[9:])
	return 97-base%97 == check || 97-(2_000_000_000+base)%97 == check
}

// ValidCBE reports whether s is a well-formed CBE enterprise number (R-CBE): 10 digits,
// starting with 0 or 1, whose last two are 97 − (first eight mod 97).
func ValidCBE(s string) bool {
	if !AllDigits(s, cbeLen) || (s[0] != '0' && s[0] != '1') {
		return false
	}
	return 97-num(s[:8])%97 == num(s[8:])
}

// AllDigits reports whether s is exactly n ASCII digits (the shape of SSIN, CBE, NIHII, INS numbers).
func AllDigits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < n; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// num reads a string of ASCII digits already checked by allDigits.
func num(s string) int {
	n := 0
	for i := 0; i < len(s); i++ {
		n = n*10 + int(s[i]-'0')
	}
	return n
}
