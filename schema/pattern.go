package schema

import (
	"fmt"
	"regexp"
	"strings"
)

// compilePattern translates an XSD 1.0 regular expression into Go's RE2 syntax. The languages
// differ in ways that matter: an XSD pattern is implicitly anchored; '^' and '$' are ordinary
// characters; '.' excludes \r as well as \n; \d is any Unicode decimal digit (Go: ASCII only);
// \s is exactly space, tab, CR, LF (Go adds \f); \w is "not punctuation, separator or other".
// Constructs with no faithful translation (class subtraction, \i \c, Unicode block escapes,
// \S or \w inside a class) are refused.
func compilePattern(xsd string) (*regexp.Regexp, error) {
	rs := []rune(xsd)
	var b strings.Builder
	b.WriteString(`^(?:`)
	afterAtom := false // a quantifier is only allowed right after an atom
	for i := 0; i < len(rs); {
		r := rs[i]
		switch r {
		case '\\':
			s, n, err := escapeOutside(rs, i)
			if err != nil {
				return nil, err
			}
			b.WriteString(s)
			i += n
			afterAtom = true
		case '[':
			s, n, err := charClass(rs, i)
			if err != nil {
				return nil, err
			}
			b.WriteString(s)
			i += n
			afterAtom = true
		case '.':
			b.WriteString(`[^\n\r]`)
			i++
			afterAtom = true
		case '(':
			if i+1 < len(rs) && rs[i+1] == '?' {
				return nil, fmt.Errorf("pattern %q: \"(?\" is not XSD syntax", xsd)
			}
			b.WriteRune(r)
			i++
			afterAtom = false
		case ')':
			b.WriteRune(r)
			i++
			afterAtom = true
		case '|':
			b.WriteRune(r)
			i++
			afterAtom = false
		case '?', '*', '+':
			if !afterAtom {
				return nil, fmt.Errorf("pattern %q: quantifier %q without an atom", xsd, r)
			}
			b.WriteRune(r)
			i++
			afterAtom = false
		case '{':
			if !afterAtom {
				return nil, fmt.Errorf("pattern %q: quantifier without an atom", xsd)
			}
			end := i + 1
			for end < len(rs) && rs[end] != '}' {
				end++
			}
			if end == len(rs) || !quantity.MatchString(string(rs[i+1:end])) {
				return nil, fmt.Errorf("pattern %q: bad quantifier", xsd)
			}
			b.WriteString(string(rs[i : end+1]))
			i = end + 1
			afterAtom = false
		case ']', '}':
			return nil, fmt.Errorf("pattern %q: unescaped %q", xsd, r)
		default:
			b.WriteString(regexp.QuoteMeta(string(r))) // also '^' and '$', literal in XSD
			i++
			afterAtom = true
		}
	}
	b.WriteString(`)$`)
	re, err := regexp.Compile(b.String())
	if err != nil {
		return nil, fmt.Errorf("pattern %q: %v", xsd, err)
	}
	return re, nil
}

// quantity is the inside of an XSD {n}, {n,} or {n,m}.
var quantity = regexp.MustCompile(`^[0-9]+(,[0-9]*)?$`)

// single maps XSD single-character escapes to the character.
var single = map[rune]rune{
	'n': '\n', 'r': '\r', 't': '\t', '\\': '\\', '|': '|', '.': '.', '?': '?', '*': '*', '+': '+',
	'(': '(', ')': ')', '{': '{', '}': '}', '-': '-', '[': '[', ']': ']', '^': '^',
}

// Go spellings of the XSD multi-character escapes (outside a class).
const (
	goDigit    = `\p{Nd}`
	goNotDigit = `\P{Nd}`
	goSpace    = `[ \t\n\r]`
	goNotSpace = `[^ \t\n\r]`
	goWord     = `[^\p{P}\p{Z}\p{C}]`
	goNotWord  = `[\p{P}\p{Z}\p{C}]`
)

// categories are the Unicode general categories XSD's \p{…} accepts and Go's tables know
// (XSD's Cn, unassigned, has no Go table and is refused).
var categories = map[string]bool{
	"L": true, "Lu": true, "Ll": true, "Lt": true, "Lm": true, "Lo": true,
	"M": true, "Mn": true, "Mc": true, "Me": true,
	"N": true, "Nd": true, "Nl": true, "No": true,
	"P": true, "Pc": true, "Pd": true, "Ps": true, "Pe": true, "Pi": true, "Pf": true, "Po": true,
	"Z": true, "Zs": true, "Zl": true, "Zp": true,
	"S": true, "Sm": true, "Sc": true, "Sk": true, "So": true,
	"C": true, "Cc": true, "Cf": true, "Co": true,
}

// escapeOutside translates the escape at rs[i] outside a class; n is the runes consumed.
func escapeOutside(rs []rune, i int) (s string, n int, err error) {
	if i+1 >= len(rs) {
		return "", 0, fmt.Errorf("pattern %q: trailing backslash", string(rs))
	}
	c := rs[i+1]
	if ch, ok := single[c]; ok {
		return regexp.QuoteMeta(string(ch)), 2, nil
	}
	switch c {
	case 'd':
		return goDigit, 2, nil
	case 'D':
		return goNotDigit, 2, nil
	case 's':
		return goSpace, 2, nil
	case 'S':
		return goNotSpace, 2, nil
	case 'w':
		return goWord, 2, nil
	case 'W':
		return goNotWord, 2, nil
	case 'p', 'P':
		return property(rs, i)
	}
	return "", 0, fmt.Errorf("pattern %q: escape \\%c is not supported", string(rs), c)
}

// property translates \p{X} or \P{X}.
func property(rs []rune, i int) (string, int, error) {
	end := i + 2
	if end >= len(rs) || rs[end] != '{' {
		return "", 0, fmt.Errorf("pattern %q: \\%c needs {…}", string(rs), rs[i+1])
	}
	for end < len(rs) && rs[end] != '}' {
		end++
	}
	if end == len(rs) {
		return "", 0, fmt.Errorf("pattern %q: unterminated \\%c{", string(rs), rs[i+1])
	}
	name := string(rs[i+3 : end])
	if !categories[name] {
		return "", 0, fmt.Errorf("pattern %q: \\%c{%s} is not supported (only general categories)", string(rs), rs[i+1], name)
	}
	return `\` + string(rs[i+1]) + `{` + name + `}`, end - i + 1, nil
}

// charClass translates the class starting at rs[i] ('['); n is the runes consumed.
func charClass(rs []rune, i int) (string, int, error) {
	bad := func(why string) (string, int, error) {
		return "", 0, fmt.Errorf("pattern %q: %s", string(rs), why)
	}
	var b strings.Builder
	b.WriteByte('[')
	j := i + 1
	if j < len(rs) && rs[j] == '^' {
		b.WriteByte('^')
		j++
	}
	items := 0
	for {
		if j >= len(rs) {
			return bad("unterminated character class")
		}
		c := rs[j]
		switch {
		case c == ']':
			if items == 0 {
				return bad("empty character class")
			}
			b.WriteByte(']')
			return b.String(), j - i + 1, nil
		case c == '[':
			return bad("unescaped '[' in a class (class subtraction is not supported)")
		case c == '-' && j+1 < len(rs) && rs[j+1] == '[':
			return bad("character class subtraction is not supported")
		}
		// A multi-character escape is a whole item; it cannot start a range.
		if c == '\\' && j+1 < len(rs) {
			if _, isSingle := single[rs[j+1]]; !isSingle {
				s, n, err := escapeInside(rs, j)
				if err != nil {
					return "", 0, err
				}
				b.WriteString(s)
				j += n
				items++
				continue
			}
		}
		lo, n, err := classChar(rs, j)
		if err != nil {
			return "", 0, err
		}
		j += n
		if j+1 < len(rs) && rs[j] == '-' && rs[j+1] != ']' {
			hi, m, err := classChar(rs, j+1)
			if err != nil {
				return "", 0, err
			}
			if hi < lo {
				return bad("range out of order")
			}
			fmt.Fprintf(&b, `\x{%x}-\x{%x}`, lo, hi)
			j += 1 + m
		} else {
			fmt.Fprintf(&b, `\x{%x}`, lo)
		}
		items++
	}
}

// classChar reads one character of a class, escaped or not.
func classChar(rs []rune, j int) (rune, int, error) {
	if rs[j] != '\\' {
		return rs[j], 1, nil
	}
	if j+1 < len(rs) {
		if ch, ok := single[rs[j+1]]; ok {
			return ch, 2, nil
		}
	}
	return 0, 0, fmt.Errorf("pattern %q: bad escape in a character class", string(rs))
}

// escapeInside translates a multi-character escape inside a class.
func escapeInside(rs []rune, j int) (string, int, error) {
	switch rs[j+1] {
	case 'd':
		return goDigit, 2, nil
	case 'D':
		return goNotDigit, 2, nil
	case 's':
		return ` \t\n\r`, 2, nil
	case 'W':
		return `\p{P}\p{Z}\p{C}`, 2, nil
	case 'p', 'P':
		return property(rs, j)
	}
	return "", 0, fmt.Errorf("pattern %q: escape \\%c is not supported inside a character class", string(rs), rs[j+1])
}
