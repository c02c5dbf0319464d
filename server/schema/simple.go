package schema

import (
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/carmed/carmed/gen"
)

// kind is a built-in type's value space, which decides the facets that apply to it.
type kind uint8

const (
	kindString kind = iota
	kindBoolean
	kindInteger // int and long now; xs:integer will need big.Int bounds instead of int64
	kindDate
	kindDateTime
)

// builtin is an XSD built-in datatype the validator enforces.
type builtin struct {
	name     string
	kind     kind
	collapse bool  // whiteSpace="collapse"; false is "preserve" (xs:string)
	lo, hi   int64 // kindInteger: the value space
	lexical  func(string) bool
}

// builtins are the XSD types our contracts use. A schema naming any other xs: type is refused
// by Compile, so adding one (decimal, integer, anyURI, ID…) is an entry here plus its tests.
var builtins = map[string]*builtin{
	"string":   {name: "string", kind: kindString},
	"boolean":  {name: "boolean", kind: kindBoolean, collapse: true, lexical: isBoolean},
	"int":      {name: "int", kind: kindInteger, collapse: true, lo: -1 << 31, hi: 1<<31 - 1},
	"long":     {name: "long", kind: kindInteger, collapse: true, lo: -1 << 63, hi: 1<<63 - 1},
	"date":     {name: "date", kind: kindDate, collapse: true, lexical: func(s string) bool { return gen.Date(s).Validate() == nil }},
	"dateTime": {name: "dateTime", kind: kindDateTime, collapse: true, lexical: func(s string) bool { return gen.DateTime(s).Validate() == nil }},
}

// isBoolean is xs:boolean's whole lexical space: not "TRUE", not "t".
func isBoolean(s string) bool { return s == "true" || s == "false" || s == "1" || s == "0" }

// simpleType is a built-in plus the facets of each restriction step, outermost last. Every step
// must hold: patterns of one step are alternatives, patterns of different steps all apply.
type simpleType struct {
	name  string // for messages; "" for anonymous
	base  *builtin
	steps []*facets
}

type facets struct {
	patterns []*regexp.Regexp
	enums    []string // kindString: exact values
	intEnums []int64  // kindInteger: values compared in the value space ("01" is 1)
	minLen   int      // -1 when absent
	maxLen   int      // -1 when absent
	lo, hi   *int64   // inclusive integer bounds (exclusive facets are stored as inclusive)
}

func newFacets() *facets { return &facets{minLen: -1, maxLen: -1} }

// check validates a lexical value and returns a Reason, or "".
func (t *simpleType) check(raw string) string {
	v := raw
	if t.base.collapse {
		v = collapse(raw)
	}
	var n int64
	switch t.base.kind {
	case kindInteger:
		var ok bool
		if n, ok = parseInteger(v, t.base); !ok {
			return ReasonType
		}
	case kindString:
	default:
		if !t.base.lexical(v) {
			return ReasonType
		}
	}
	for _, f := range t.steps {
		if len(f.patterns) > 0 && !anyMatch(f.patterns, v) {
			return ReasonPattern
		}
		if f.enums != nil && !contains(f.enums, v) {
			return ReasonEnumeration
		}
		if f.intEnums != nil && !containsInt(f.intEnums, n) {
			return ReasonEnumeration
		}
		if f.minLen >= 0 || f.maxLen >= 0 {
			l := utf8.RuneCountInString(v) // XSD lengths count characters, not bytes
			if (f.minLen >= 0 && l < f.minLen) || (f.maxLen >= 0 && l > f.maxLen) {
				return ReasonLength
			}
		}
		if (f.lo != nil && n < *f.lo) || (f.hi != nil && n > *f.hi) {
			return ReasonRange
		}
	}
	return ""
}

// parseInteger reads [+-]?[0-9]+ within the type's range.
func parseInteger(s string, b *builtin) (int64, bool) {
	digits := strings.TrimLeft(s, "+-")
	if len(s)-len(digits) > 1 || digits == "" {
		return 0, false
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < b.lo || n > b.hi {
		return 0, false
	}
	return n, true
}

// collapse applies whiteSpace="collapse": XML whitespace runs become one space, ends trimmed.
func collapse(s string) string {
	clean := true
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '\t' || c == '\n' || c == '\r' || (c == ' ' && (i == 0 || i == len(s)-1 || s[i+1] == ' ')) {
			clean = false
			break
		}
	}
	if clean {
		return s // the common case: no allocation
	}
	return strings.Join(strings.FieldsFunc(s, isXMLSpace), " ")
}

func isXMLSpace(r rune) bool { return r == ' ' || r == '\t' || r == '\n' || r == '\r' }

func anyMatch(res []*regexp.Regexp, s string) bool {
	for _, re := range res {
		if re.MatchString(s) {
			return true
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

func containsInt(list []int64, n int64) bool {
	for _, v := range list {
		if v == n {
			return true
		}
	}
	return false
}
