package schema

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/carmed/carmed/gen"
)

// kind is a built-in type's value space, which decides the facets that apply to it.
type kind uint8

const (
	kindString kind = iota // string and the types derived from it: anyURI, language, ID
	kindBoolean
	kindDecimal // decimal and the integers: int, long, integer
	kindDate
	kindDateTime
)

// builtin is an XSD built-in datatype the validator enforces.
type builtin struct {
	name     string
	kind     kind
	collapse bool              // whiteSpace="collapse"; false is "preserve" (xs:string)
	lexical  func(string) bool // the lexical space, after whitespace processing; nil: any string
	integer  bool              // kindDecimal: no fraction digits in the lexical form
	lo, hi   *decimal          // kindDecimal: the value space, when bounded
	id       bool              // xs:ID: values are unique within the validated element
}

// builtins are the XSD types our contracts use. A schema naming any other xs: type is refused
// by Compile, so adding one is an entry here plus its tests.
var builtins = map[string]*builtin{
	"string":   {name: "string", kind: kindString},
	"anyURI":   {name: "anyURI", kind: kindString, collapse: true, lexical: isAnyURI},
	"language": {name: "language", kind: kindString, collapse: true, lexical: isLanguage},
	"ID":       {name: "ID", kind: kindString, collapse: true, lexical: isNCName, id: true},
	"boolean":  {name: "boolean", kind: kindBoolean, collapse: true, lexical: isBoolean},
	"decimal":  {name: "decimal", kind: kindDecimal, collapse: true},
	"integer":  {name: "integer", kind: kindDecimal, collapse: true, integer: true},
	"int":      {name: "int", kind: kindDecimal, collapse: true, integer: true, lo: mustDecimal("-2147483648"), hi: mustDecimal("2147483647")},
	"long":     {name: "long", kind: kindDecimal, collapse: true, integer: true, lo: mustDecimal("-9223372036854775808"), hi: mustDecimal("9223372036854775807")},
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
	enums    []string  // kindString: exact values (after whitespace processing)
	decEnums []decimal // kindDecimal: values compared in the value space ("01" is 1)
	minLen   int       // -1 when absent
	maxLen   int       // -1 when absent
	min, max *decimal  // kindDecimal bounds
	minExcl  bool      // min is minExclusive (else minInclusive)
	maxExcl  bool      // max is maxExclusive (else maxInclusive)
}

func newFacets() *facets { return &facets{minLen: -1, maxLen: -1} }

// validate checks a lexical value and returns it after whitespace processing (what an xs:ID's
// uniqueness compares), or a Reason. It allocates only to collapse unusual whitespace.
func (t *simpleType) validate(raw string) (string, string) {
	v := raw
	if t.base.collapse {
		v = collapse(raw)
	}
	var num decimal
	if t.base.kind == kindDecimal {
		var ok bool
		if num, ok = parseDecimal(v, t.base.integer); !ok {
			return v, ReasonType
		}
		if (t.base.lo != nil && num.cmp(*t.base.lo) < 0) || (t.base.hi != nil && num.cmp(*t.base.hi) > 0) {
			return v, ReasonType // outside xs:int or xs:long: not a value of the type at all
		}
	} else if t.base.lexical != nil && !t.base.lexical(v) {
		return v, ReasonType
	}
	for _, f := range t.steps {
		if why := f.check(v, num); why != "" {
			return v, why
		}
	}
	return v, ""
}

func (f *facets) check(v string, num decimal) string {
	if len(f.patterns) > 0 && !anyMatch(f.patterns, v) {
		return ReasonPattern
	}
	if f.enums != nil && !contains(f.enums, v) {
		return ReasonEnumeration
	}
	if f.decEnums != nil && !containsDecimal(f.decEnums, num) {
		return ReasonEnumeration
	}
	if f.minLen >= 0 || f.maxLen >= 0 {
		l := utf8.RuneCountInString(v) // XSD lengths count characters, not bytes
		if (f.minLen >= 0 && l < f.minLen) || (f.maxLen >= 0 && l > f.maxLen) {
			return ReasonLength
		}
	}
	if f.min != nil {
		if c := num.cmp(*f.min); c < 0 || (c == 0 && f.minExcl) {
			return ReasonRange
		}
	}
	if f.max != nil {
		if c := num.cmp(*f.max); c > 0 || (c == 0 && f.maxExcl) {
			return ReasonRange
		}
	}
	return ""
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

func containsDecimal(list []decimal, n decimal) bool {
	for _, v := range list {
		if v.cmp(n) == 0 {
			return true
		}
	}
	return false
}
