package schema

// decimal is a number read from its lexical form, kept as substrings of it: numbers of any size
// (xs:integer is unbounded) compare without allocating and without big.Int.
type decimal struct {
	neg  bool
	int  string // integer digits without leading zeros ("" for zero)
	frac string // fraction digits without trailing zeros
}

// parseDecimal reads xs:decimal's lexical form, (+|-)?([0-9]+(.[0-9]*)?|.[0-9]+), or with
// integer set xs:integer's, (+|-)?[0-9]+. No exponent: "1e2" is not a decimal.
func parseDecimal(s string, integer bool) (decimal, bool) {
	var d decimal
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		d.neg = s[i] == '-'
		i++
	}
	start := i
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	d.int = s[start:i]
	if !integer && i < len(s) && s[i] == '.' {
		i++
		start = i
		for i < len(s) && isDigit(s[i]) {
			i++
		}
		d.frac = s[start:i]
	}
	if i != len(s) || (d.int == "" && d.frac == "") {
		return decimal{}, false
	}
	for len(d.int) > 0 && d.int[0] == '0' {
		d.int = d.int[1:]
	}
	for len(d.frac) > 0 && d.frac[len(d.frac)-1] == '0' {
		d.frac = d.frac[:len(d.frac)-1]
	}
	if d.int == "" && d.frac == "" {
		d.neg = false // -0 is 0
	}
	return d, true
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// cmp orders two decimals by value: -1, 0 or 1.
func (d decimal) cmp(e decimal) int {
	if d.neg != e.neg {
		if d.neg {
			return -1
		}
		return 1
	}
	m := d.cmpMagnitude(e)
	if d.neg {
		return -m
	}
	return m
}

func (d decimal) cmpMagnitude(e decimal) int {
	switch {
	case len(d.int) != len(e.int): // no leading zeros: more digits is larger
		return sign(len(d.int) - len(e.int))
	case d.int != e.int:
		return strcmp(d.int, e.int)
	default: // no trailing zeros: digit strings order like the fractions
		return strcmp(d.frac, e.frac)
	}
}

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}

func strcmp(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// mustDecimal is for the built-in bounds.
func mustDecimal(s string) *decimal {
	d, ok := parseDecimal(s, true)
	if !ok {
		panic("schema: bad built-in bound " + s)
	}
	return &d
}
