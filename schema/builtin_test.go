package schema

import (
	"fmt"
	"strings"
	"testing"
)

// libxml2Digits: libxml2 2.9 refuses decimals of more than 24 significant digits; XSD 1.0 sets no
// limit (only a minimum of 18 that processors must support) and xs:integer is unbounded.
const libxml2Digits = "libxml2 2.9 limits xs:decimal and xs:integer to 24 digits"

// libxml2EmptyPort: RFC 3986 allows an empty port ("http://host:/"); libxml2's parser does not.
const libxml2EmptyPort = "libxml2 2.9 refuses an empty port in a URI"

var builtinFiles = map[string]string{"b.xsd": xsdDoc(
	`<xs:element name="decimal" type="xs:decimal"/><xs:element name="integer" type="xs:integer"/>` +
		`<xs:element name="anyURI" type="xs:anyURI"/><xs:element name="language" type="xs:language"/>` +
		`<xs:element name="ID" type="xs:ID"/>`)}

// lexical is one value of a built-in type; valid or not, and why libxml2 disagrees when it does.
type lexical struct {
	typ, value string
	valid      bool
	libxml2    string
}

var lexicals = []lexical{
	{"decimal", "100.0", true, ""}, {"decimal", "-0", true, ""}, {"decimal", "+.5", true, ""},
	{"decimal", "5.", true, ""}, {"decimal", "00001", true, ""}, {"decimal", " 1.5 ", true, ""},
	{"decimal", "1e2", false, ""}, {"decimal", ".", false, ""}, {"decimal", "+", false, ""},
	{"decimal", "1.2.3", false, ""}, {"decimal", "1,5", false, ""}, {"decimal", "0x10", false, ""},
	{"decimal", "", false, ""}, {"decimal", "1 000", false, ""}, {"decimal", "NaN", false, ""},
	{"decimal", "123456789012345678901234567890.5", true, libxml2Digits},
	{"integer", "2", true, ""}, {"integer", "+1", true, ""}, {"integer", "-0", true, ""}, {"integer", " 7 ", true, ""},
	{"integer", "1.0", false, ""}, {"integer", "1.", false, ""}, {"integer", "--1", false, ""},
	{"integer", "999999999999999999999999", true, ""},
	{"integer", "123456789012345678901234567890", true, libxml2Digits},
	{"anyURI", "urn:be:fgov:ehealth:2.0:status:Success", true, ""}, {"anyURI", "", true, ""},
	{"anyURI", "http://[::1]:8080/a?b=c#d", true, ""}, {"anyURI", "a b", true, ""}, {"anyURI", "é", true, ""},
	{"anyURI", "a%20b", true, ""}, {"anyURI", `\{}`, true, ""}, {"anyURI", "a/b:c", true, ""},
	{"anyURI", "http://a:b@host/", true, ""}, {"anyURI", "//host", true, ""}, {"anyURI", "a?b?c", true, ""},
	{"anyURI", "%zz", false, ""}, {"anyURI", "a%2", false, ""}, {"anyURI", "#a#b", false, ""},
	{"anyURI", "1:x", false, ""}, {"anyURI", ":a", false, ""}, {"anyURI", "a_:b", false, ""},
	{"anyURI", "http://h/[x]", false, ""}, {"anyURI", "http://[::1/", false, ""},
	{"anyURI", "http://h:8a/", false, ""}, {"anyURI", "http://a@b@c/", false, ""},
	{"anyURI", "http://host:/", true, libxml2EmptyPort},
	{"language", "fr", true, ""}, {"language", "fr-BE", true, ""}, {"language", "x-123", true, ""},
	{"language", "abcdefgh", true, ""}, {"language", " nl ", true, ""},
	{"language", "", false, ""}, {"language", "fr_BE", false, ""}, {"language", "toolonglg", false, ""},
	{"language", "a-123456789", false, ""}, {"language", "en-", false, ""}, {"language", "-en", false, ""},
	{"language", "1a", false, ""}, {"language", "é", false, ""},
	{"ID", "a", true, ""}, {"ID", "_a", true, ""}, {"ID", "a-b.c", true, ""}, {"ID", " a ", true, ""},
	{"ID", "é", true, ""}, {"ID", "a·", true, ""},
	{"ID", "1a", false, ""}, {"ID", "a:b", false, ""}, {"ID", "-a", false, ""}, {"ID", ".a", false, ""}, {"ID", "", false, ""},
}

func TestBuiltinLexicalSpaces(t *testing.T) {
	var cases []schemaCase
	for _, l := range lexicals {
		c := schemaCase{
			name:    fmt.Sprintf("%q is an xs:%s", l.value, l.typ),
			doc:     `<t:` + l.typ + ` xmlns:t="urn:t">` + l.value + `</t:` + l.typ + `>`,
			libxml2: l.libxml2,
		}
		if !l.valid {
			c.name = strings.Replace(c.name, " is an ", " is not an ", 1)
			c.path, c.reason = "/"+l.typ, ReasonType
		}
		cases = append(cases, c)
	}
	checkSchemaCases(t, builtinFiles, "b.xsd", cases)
}

var facetFiles = map[string]string{"f.xsd": xsdDoc(
	`<xs:simpleType name="Pct"><xs:restriction base="xs:decimal"><xs:minInclusive value="0"/><xs:maxInclusive value="100.0"/></xs:restriction></xs:simpleType>` +
		`<xs:simpleType name="Positive"><xs:restriction base="xs:decimal"><xs:minExclusive value="0"/></xs:restriction></xs:simpleType>` +
		`<xs:simpleType name="Huge"><xs:restriction base="xs:integer"><xs:minInclusive value="-100000000000000000000"/><xs:maxExclusive value="100000000000000000000"/></xs:restriction></xs:simpleType>` +
		`<xs:simpleType name="Half"><xs:restriction base="xs:decimal"><xs:enumeration value="0.5"/><xs:enumeration value="1.50"/></xs:restriction></xs:simpleType>` +
		`<xs:element name="pct" type="t:Pct"/><xs:element name="positive" type="t:Positive"/>` +
		`<xs:element name="huge" type="t:Huge"/><xs:element name="half" type="t:Half"/>` +
		`<xs:element name="ids"><xs:complexType><xs:sequence><xs:element name="id" type="xs:ID" minOccurs="0" maxOccurs="unbounded"/>` +
		`<xs:element name="ref" minOccurs="0" maxOccurs="unbounded"><xs:complexType><xs:attribute name="key" type="xs:ID"/></xs:complexType></xs:element>` +
		`</xs:sequence></xs:complexType></xs:element>`)}

func TestNumericFacetsCompareValuesOfAnySize(t *testing.T) {
	const ns = ` xmlns:t="urn:t"`
	checkSchemaCases(t, facetFiles, "f.xsd", []schemaCase{
		{name: "the inclusive upper bound itself is in range", doc: `<t:pct` + ns + `>100</t:pct>`},
		{name: "just above the upper bound is out of range", doc: `<t:pct` + ns + `>100.000001</t:pct>`, path: "/pct", reason: ReasonRange},
		{name: "minus zero is the inclusive lower bound zero", doc: `<t:pct` + ns + `>-0.0</t:pct>`},
		{name: "a negative fraction is below the lower bound", doc: `<t:pct` + ns + `>-.1</t:pct>`, path: "/pct", reason: ReasonRange},
		{name: "zero is outside an exclusive lower bound of zero", doc: `<t:positive` + ns + `>0.000</t:positive>`, path: "/positive", reason: ReasonRange},
		{name: "a tiny positive fraction is within an exclusive lower bound", doc: `<t:positive` + ns + `>0.0000000001</t:positive>`},
		{name: "an integer beyond 64 bits within its bounds is valid", doc: `<t:huge` + ns + `>99999999999999999999</t:huge>`},
		{name: "an integer at its exclusive upper bound is out of range", doc: `<t:huge` + ns + `>100000000000000000000</t:huge>`, path: "/huge", reason: ReasonRange},
		{name: "an integer below its inclusive lower bound is out of range", doc: `<t:huge` + ns + `>-100000000000000000001</t:huge>`, path: "/huge", reason: ReasonRange},
		{name: "a decimal enumeration compares values, not spellings", doc: `<t:half` + ns + `>01.5</t:half>`},
		{name: "a decimal outside the enumeration is refused", doc: `<t:half` + ns + `>1.25</t:half>`, path: "/half", reason: ReasonEnumeration},
		{name: "distinct ID values are valid", doc: `<t:ids` + ns + `><id>a</id><id>b</id><ref key="c"/></t:ids>`},
		{name: "an ID attribute repeating an earlier value is a duplicate",
			doc: `<t:ids` + ns + `><ref key="a"/><ref key="b"/><ref key=" a "/></t:ids>`, path: "/ids/ref/@key", reason: ReasonDuplicateID},
	})
}

// libxml2 2.9 applies ID uniqueness to attributes only; XSD 1.0 applies it to xs:ID-typed elements
// too (Validation Root Valid, the ID/IDREF table), so these are not cross-checked.
func TestIDElementsShareTheUniquenessOfIDAttributes(t *testing.T) {
	s := compileFiles(t, facetFiles, "f.xsd")
	for _, c := range []struct{ name, doc, path string }{
		{"an ID element repeating an earlier ID element is a duplicate", `<id>a</id><id>a</id>`, "/ids/id"},
		{"an ID attribute repeating an ID element is a duplicate", `<id>a</id><ref key="a"/>`, "/ids/ref/@key"},
	} {
		t.Run(c.name, func(t *testing.T) {
			e := asError(t, s.Validate(parse(t, []byte(`<t:ids xmlns:t="urn:t">`+c.doc+`</t:ids>`)).Root()))
			if e == nil || e.Path != c.path || e.Reason != ReasonDuplicateID {
				t.Fatalf("got %v, want %q at %s", e, ReasonDuplicateID, c.path)
			}
		})
	}
}
