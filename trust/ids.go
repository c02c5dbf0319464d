package trust

// ValidCBE reports whether s is a CBE (enterprise) number: 10 digits, starting with 0 or 1,
// whose last two digits equal 97 − (first eight digits mod 97) (rules.md R-CBE).
func ValidCBE(s string) bool {
	if len(s) != 10 || !allDigits(s) || (s[0] != '0' && s[0] != '1') {
		return false
	}
	n := 0
	for _, c := range s[:8] {
		n = n*10 + int(c-'0')
	}
	check := int(s[8]-'0')*10 + int(s[9]-'0')
	return check == 97-n%97
}

// ValidNIHII reports whether s has the shape of a NIHII number (8 digits for institutions,
// 11 for individual providers). The check digits are not verified: the gateway only needs
// identifiers to be well formed and to match between the trust file and messages.
func ValidNIHII(s string) bool {
	return (len(s) == 8 || len(s) == 11) && allDigits(s)
}

// ValidINS reports whether s is a municipality INS (NIS) code: 5 digits.
func ValidINS(s string) bool { return len(s) == 5 && allDigits(s) }

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
