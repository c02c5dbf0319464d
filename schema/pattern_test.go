package schema

import (
	"fmt"
	"html"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

// patternCases are XSD patterns and values with the verdict XSD 1.0 gives; each is also checked
// against libxml2, so a translation slip toward Go's own regexp dialect shows.
var patternCases = []struct {
	name, pattern, value string
	valid                bool
}{
	{"a pattern is anchored at both ends", `[0-9]{11}`, "850314123021", false},
	{"eleven digits match [0-9]{11}", `[0-9]{11}`, "85031412302", true},
	{"an alternation is anchored as a whole, first branch", `[0-9]{8}|[0-9]{11}`, "12345678", true},
	{"an alternation is anchored as a whole, second branch", `[0-9]{8}|[0-9]{11}`, "12345678901", true},
	{"an alternation does not match in between", `[0-9]{8}|[0-9]{11}`, "123456789", false},
	{"\\d matches any Unicode decimal digit", `\d{2}`, "١٢", true},
	{"\\d does not match a letter", `\d`, "a", false},
	{"a dot does not match a carriage return", `a.b`, "a\rb", false},
	{"a dot does not match a line feed", `a.b`, "a\nb", false},
	{"a dot matches another character", `a.b`, "a€b", true},
	{"caret and dollar are ordinary characters", `a^b$`, "a^b$", true},
	{"a negated class refuses its members", `[^a-c]+`, "xaz", false},
	{"a negated class takes others", `[^a-c]+`, "xyz", true},
	{"an escaped hyphen in a class is a hyphen", `[\-a]+`, "-a-", true},
	{"a category escape matches upper case letters", `\p{Lu}+`, "ÉCOLE", true},
	{"a category escape refuses lower case letters", `\p{Lu}+`, "école", false},
	{"\\w refuses punctuation", `\w+`, "a-b", false},
	{"\\w takes letters and digits", `\w+`, "ab12", true},
	{"\\s is space, tab, CR or LF", `a\sb`, "a\tb", true},
	{"a class may mix \\d and letters", `[\dA-F]+`, "0A9F", true},
	{"quantified groups apply to the group", `(ab){2,}`, "ababab", true},
	{"quantified groups refuse a partial repetition", `(ab){2,}`, "aba", false},
	{"a question mark makes the atom optional", `colou?r`, "color", true},
}

// xmlText escapes a value for element content, keeping CR as a character reference (a raw CR
// would be normalised to LF by the parser).
func xmlText(s string) string {
	return strings.ReplaceAll(html.EscapeString(s), "\r", "&#13;")
}

func patternSchema(pattern string) string {
	return simpleElem("xs:string", `<xs:pattern value="`+html.EscapeString(pattern)+`"/>`)
}

func TestPatternsFollowXSDRegexRules(t *testing.T) {
	for _, c := range patternCases {
		t.Run(c.name, func(t *testing.T) {
			s, err := Compile(fstest.MapFS{"a.xsd": {Data: []byte(patternSchema(c.pattern))}}, "a.xsd")
			if err != nil {
				t.Fatal(err)
			}
			e := asError(t, s.Validate(parse(t, []byte(`<t:v xmlns:t="urn:t">`+xmlText(c.value)+`</t:v>`)).Root()))
			if (e == nil) != c.valid || (e != nil && e.Reason != ReasonPattern) {
				t.Fatalf("pattern %s on %q: got %v, want valid=%v", c.pattern, c.value, e, c.valid)
			}
		})
	}
}

func TestXmllintAgreesOnEveryPattern(t *testing.T) {
	bin := xmllintBin(t)
	for i, c := range patternCases {
		t.Run(c.name, func(t *testing.T) {
			xsd := filepath.Join(t.TempDir(), fmt.Sprintf("p%d.xsd", i))
			if err := os.WriteFile(xsd, []byte(patternSchema(c.pattern)), 0o600); err != nil {
				t.Fatal(err)
			}
			doc := []byte(`<t:v xmlns:t="urn:t">` + xmlText(c.value) + `</t:v>`)
			if got := xmllintValid(t, bin, xsd, doc); got != c.valid {
				t.Fatalf("xmllint says valid=%v for pattern %s on %q", got, c.pattern, c.value)
			}
		})
	}
}

func TestPatternsWithoutAFaithfulTranslationAreRefused(t *testing.T) {
	for _, p := range []string{
		`[a-z-[aeiou]]`,     // class subtraction
		`\i\c*`,             // XML name characters
		`\p{IsBasicLatin}+`, // Unicode block
		`(?:ab)`,            // not XSD syntax
		`a{,3}`,             // not an XSD quantifier
		`a**`,               // quantifier without an atom
		`[\S]`,              // \S inside a class
		`a]`,                // unescaped bracket
		`\p{Cn}`,            // unassigned: no Go table
	} {
		if _, err := compilePattern(p); err == nil {
			t.Errorf("pattern %s was accepted", p)
		}
	}
}
