package schema

import (
	"strings"
	"testing"
	"testing/fstest"
)

// xsdDoc wraps declarations in a schema for namespace urn:t (prefix t) with unqualified children.
func xsdDoc(body string) string {
	return `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:t="urn:t" targetNamespace="urn:t">` + body + `</xs:schema>`
}

// withType declares a global element v of an anonymous complex type with the given content.
func withType(content string) string {
	return xsdDoc(`<xs:element name="v"><xs:complexType>` + content + `</xs:complexType></xs:element>`)
}

func simpleElem(base, facets string) string {
	return xsdDoc(`<xs:element name="v"><xs:simpleType><xs:restriction base="` + base + `">` + facets + `</xs:restriction></xs:simpleType></xs:element>`)
}

func TestCompileRefusesWhatItCannotEnforceByName(t *testing.T) {
	cases := []struct {
		name  string
		files map[string]string
		want  string // a piece of the error naming the construct
	}{
		{"a built-in type outside the supported set is refused", map[string]string{"a.xsd": simpleElem("xs:token", "")}, "xs:token"},
		{"xs:IDREF is refused", map[string]string{"a.xsd": xsdDoc(`<xs:element name="v" type="xs:IDREF"/>`)}, "xs:IDREF"},
		{"an attributeGroup is refused", map[string]string{"a.xsd": xsdDoc(`<xs:attributeGroup name="g"/>`)}, "xs:attributeGroup"},
		{"an attributeGroup reference is refused", map[string]string{"a.xsd": withType(`<xs:attributeGroup ref="t:g"/>`)}, "xs:attributeGroup"},
		{"attributeFormDefault qualified is refused", map[string]string{"a.xsd": strings.Replace(xsdDoc(``), `targetNamespace`, `attributeFormDefault="qualified" targetNamespace`, 1)}, `attributeFormDefault="qualified"`},
		{"a qualified local attribute is refused", map[string]string{"a.xsd": withType(`<xs:attribute name="a" form="qualified" type="xs:string"/>`)}, `form="qualified"`},
		{"a bad elementFormDefault is refused", map[string]string{"a.xsd": strings.Replace(xsdDoc(``), `targetNamespace`, `elementFormDefault="yes" targetNamespace`, 1)}, `elementFormDefault="yes"`},
		{"an element ref with its own type is refused", map[string]string{"a.xsd": withType(`<xs:sequence><xs:element ref="t:v" type="xs:string"/></xs:sequence>`)}, `type="xs:string"`},
		{"an element ref to an undeclared element is refused", map[string]string{"a.xsd": withType(`<xs:sequence><xs:element ref="t:nope"/></xs:sequence>`)}, "unknown element nope"},
		{"an attribute ref to an undeclared attribute is refused", map[string]string{"a.xsd": withType(`<xs:attribute ref="xml:lang"/>`)}, "unknown attribute lang"},
		{"an attribute ref with a default is refused", map[string]string{"a.xsd": xsdDoc(`<xs:attribute name="g" type="xs:string"/>` +
			`<xs:element name="v"><xs:complexType><xs:attribute ref="t:g" default="x"/></xs:complexType></xs:element>`)}, `default="x"`},
		{"a global attribute with use is refused", map[string]string{"a.xsd": xsdDoc(`<xs:attribute name="g" type="xs:string" use="required"/>`)}, `use="required"`},
		{"xs:any lax is refused", map[string]string{"a.xsd": withType(`<xs:sequence><xs:any processContents="lax"/></xs:sequence>`)}, `xs:any processContents="lax"`},
		{"xs:any skip is refused", map[string]string{"a.xsd": withType(`<xs:sequence><xs:any processContents="skip"/></xs:sequence>`)}, `xs:any processContents="skip"`},
		{"a bad namespace token in xs:any is refused", map[string]string{"a.xsd": withType(`<xs:sequence><xs:any namespace="##any ##local"/></xs:sequence>`)}, `"##any"`},
		{"an element and a wildcard that both take it are ambiguous", map[string]string{"a.xsd": withType(
			`<xs:sequence><xs:element ref="t:v" minOccurs="0"/><xs:any namespace="##targetNamespace"/></xs:sequence>`)}, "xs:any makes the content model ambiguous"},
		{"a wildcard before an element it admits is ambiguous", map[string]string{"a.xsd": withType(
			`<xs:sequence><xs:any minOccurs="0"/><xs:element ref="t:v"/></xs:sequence>`)}, "element v makes the content model ambiguous"},
		{"choice branches of overlapping wildcards are refused", map[string]string{"a.xsd": withType(
			`<xs:choice><xs:any namespace="##other"/><xs:any namespace="urn:o"/></xs:choice>`)}, "two branches of an xs:choice start with xs:any"},
		{"two lower bounds in one restriction are refused", map[string]string{"a.xsd": simpleElem("xs:decimal", `<xs:minInclusive value="1"/><xs:minExclusive value="0"/>`)}, "two lower bounds"},
		{"the fractionDigits facet is refused", map[string]string{"a.xsd": simpleElem("xs:decimal", `<xs:fractionDigits value="2"/>`)}, "xs:fractionDigits"},
		{"a decimal bound that is not a decimal is refused", map[string]string{"a.xsd": simpleElem("xs:decimal", `<xs:maxInclusive value="1e2"/>`)}, "bound is not valid"},
		{"xs:anyAttribute is refused", map[string]string{"a.xsd": withType(`<xs:anyAttribute/>`)}, "xs:anyAttribute"},
		{"xs:all is refused", map[string]string{"a.xsd": withType(`<xs:all><xs:element name="a" type="xs:string"/></xs:all>`)}, "xs:all"},
		{"a model group reference is refused", map[string]string{"a.xsd": withType(`<xs:group ref="t:g"/>`)}, "xs:group"},
		{"a list type is refused", map[string]string{"a.xsd": xsdDoc(`<xs:simpleType name="l"><xs:list itemType="xs:int"/></xs:simpleType>`)}, "xs:list"},
		{"a union type is refused", map[string]string{"a.xsd": xsdDoc(`<xs:simpleType name="u"><xs:union memberTypes="xs:int xs:date"/></xs:simpleType>`)}, "xs:union"},
		{"a nillable element is refused", map[string]string{"a.xsd": withType(`<xs:sequence><xs:element name="a" type="xs:string" nillable="true"/></xs:sequence>`)}, "nillable"},
		{"a default value is refused", map[string]string{"a.xsd": withType(`<xs:sequence><xs:element name="a" type="xs:string" default="x"/></xs:sequence>`)}, `default="x"`},
		{"a fixed attribute value is refused", map[string]string{"a.xsd": withType(`<xs:attribute name="a" type="xs:string" fixed="x"/>`)}, `fixed="x"`},
		{"a substitution group is refused", map[string]string{"a.xsd": xsdDoc(`<xs:element name="v" type="xs:string" substitutionGroup="t:w"/>`)}, "substitutionGroup"},
		{"mixed content is refused", map[string]string{"a.xsd": xsdDoc(`<xs:complexType name="m" mixed="true"/>`)}, `mixed="true"`},
		{"a repeated sequence is refused", map[string]string{"a.xsd": withType(`<xs:sequence maxOccurs="2"><xs:element name="a" type="xs:string"/></xs:sequence>`)}, "xs:sequence with minOccurs=1 maxOccurs=2"},
		{"an ambiguous content model is refused", map[string]string{"a.xsd": withType(`<xs:sequence><xs:element name="a" type="xs:string" minOccurs="0"/><xs:element name="a" type="xs:string"/></xs:sequence>`)}, "ambiguous"},
		{"choice branches starting alike are refused", map[string]string{"a.xsd": withType(`<xs:choice><xs:element name="a" type="xs:string"/><xs:sequence><xs:element name="a" type="xs:string"/><xs:element name="b" type="xs:string"/></xs:sequence></xs:choice>`)}, "two branches"},
		{"one name with two types is refused", map[string]string{"a.xsd": withType(`<xs:sequence><xs:element name="a" type="xs:string"/><xs:element name="b" type="xs:string"/><xs:element name="a" type="xs:int"/></xs:sequence>`)}, "different types"},
		{"the whiteSpace facet is refused", map[string]string{"a.xsd": simpleElem("xs:string", `<xs:whiteSpace value="collapse"/>`)}, "xs:whiteSpace"},
		{"the totalDigits facet is refused", map[string]string{"a.xsd": simpleElem("xs:int", `<xs:totalDigits value="3"/>`)}, "xs:totalDigits"},
		{"a length facet on a number is refused", map[string]string{"a.xsd": simpleElem("xs:int", `<xs:maxLength value="3"/>`)}, "xs:maxLength on xs:int"},
		{"a bound on a date is refused", map[string]string{"a.xsd": simpleElem("xs:date", `<xs:minInclusive value="2000-01-01"/>`)}, "xs:minInclusive on xs:date"},
		{"an enumeration value outside the base is refused", map[string]string{"a.xsd": simpleElem("xs:int", `<xs:enumeration value="x"/>`)}, "enumeration value is not valid"},
		{"class subtraction in a pattern is refused", map[string]string{"a.xsd": simpleElem("xs:string", `<xs:pattern value="[a-z-[aeiou]]"/>`)}, "subtraction"},
		{"an element without a type is refused", map[string]string{"a.xsd": xsdDoc(`<xs:element name="v"/>`)}, "xs:anyType"},
		{"an unknown type is refused", map[string]string{"a.xsd": xsdDoc(`<xs:element name="v" type="t:Nope"/>`)}, "unknown type Nope"},
		{"an extension loop is refused", map[string]string{"a.xsd": xsdDoc(
			`<xs:complexType name="A"><xs:complexContent><xs:extension base="t:B"/></xs:complexContent></xs:complexType>` +
				`<xs:complexType name="B"><xs:complexContent><xs:extension base="t:A"/></xs:complexContent></xs:complexType>`)}, "loops"},
		{"a complexContent restriction is refused", map[string]string{"a.xsd": xsdDoc(
			`<xs:complexType name="A"><xs:complexContent><xs:restriction base="t:B"/></xs:complexContent></xs:complexType>`)}, "xs:restriction in complexContent"},
		{"a missing include is refused", map[string]string{"a.xsd": xsdDoc(`<xs:include schemaLocation="b.xsd"/>`)}, "cannot read b.xsd"},
		{"an include outside the file system is refused", map[string]string{"a.xsd": xsdDoc(`<xs:include schemaLocation="../b.xsd"/>`)}, "outside the schema file system"},
		{"a remote import is refused", map[string]string{"a.xsd": xsdDoc(`<xs:import namespace="urn:x" schemaLocation="http://example.org/x.xsd"/>`)}, "relative schemaLocation"},
		{"an include with another namespace is refused", map[string]string{
			"a.xsd": xsdDoc(`<xs:include schemaLocation="b.xsd"/>`),
			"b.xsd": strings.ReplaceAll(xsdDoc(``), "urn:t", "urn:other")}, `targetNamespace "urn:other"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			for name, body := range c.files {
				fsys[name] = &fstest.MapFile{Data: []byte(body)}
			}
			_, err := Compile(fsys, "a.xsd")
			if err == nil {
				t.Fatal("Compile accepted it")
			}
			if !strings.Contains(err.Error(), c.want) || !strings.Contains(err.Error(), ".xsd: ") {
				t.Fatalf("error %q should name the file and contain %q", err, c.want)
			}
		})
	}
}

func TestIncludedAndImportedTypesAreUsed(t *testing.T) {
	fsys := fstest.MapFS{
		"main/a.xsd": {Data: []byte(`<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:t="urn:t" xmlns:c="urn:common" targetNamespace="urn:t">` +
			`<xs:include schemaLocation="b.xsd"/><xs:import namespace="urn:common" schemaLocation="../common/c.xsd"/>` +
			`<xs:element name="v"><xs:complexType><xs:sequence>` +
			`<xs:element name="code" type="t:Code"/><xs:element name="when" type="c:Day"/>` +
			`</xs:sequence></xs:complexType></xs:element></xs:schema>`)},
		"main/b.xsd": {Data: []byte(xsdDoc(`<xs:simpleType name="Code"><xs:restriction base="xs:string"><xs:pattern value="[A-Z]{2}"/></xs:restriction></xs:simpleType>`))},
		"common/c.xsd": {Data: []byte(`<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:common">` +
			`<xs:simpleType name="Day"><xs:restriction base="xs:date"/></xs:simpleType>` +
			`<xs:element name="notARoot" type="xs:string"/></xs:schema>`)},
	}
	s, err := Compile(fsys, "main/a.xsd")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ doc, path, reason string }{
		{`<t:v xmlns:t="urn:t"><code>AB</code><when>2026-01-31</when></t:v>`, "", ""},
		{`<t:v xmlns:t="urn:t"><code>ab</code><when>2026-01-31</when></t:v>`, "/v/code", ReasonPattern},
		{`<t:v xmlns:t="urn:t"><code>AB</code><when>2026-02-31</when></t:v>`, "/v/when", ReasonType},
		{`<c:notARoot xmlns:c="urn:common">x</c:notARoot>`, "/notARoot", ReasonUnexpected},
	} {
		e := asError(t, s.Validate(parse(t, []byte(c.doc)).Root()))
		if (e == nil) != (c.reason == "") || (e != nil && (e.Path != c.path || e.Reason != c.reason)) {
			t.Errorf("%s: got %v, want %q at %s", c.doc, e, c.reason, c.path)
		}
	}
}

func TestFacetsBeyondTheContractAreEnforced(t *testing.T) {
	fsys := fstest.MapFS{"a.xsd": {Data: []byte(xsdDoc(
		`<xs:simpleType name="Small"><xs:restriction base="xs:int"><xs:minExclusive value="0"/><xs:maxExclusive value="10"/></xs:restriction></xs:simpleType>` +
			`<xs:simpleType name="Even"><xs:restriction base="t:Small"><xs:enumeration value="2"/><xs:enumeration value="4"/></xs:restriction></xs:simpleType>` +
			`<xs:simpleType name="Two"><xs:restriction base="xs:string"><xs:length value="2"/></xs:restriction></xs:simpleType>` +
			`<xs:simpleType name="TwoDigits"><xs:restriction base="t:Two"><xs:pattern value="[0-9]+"/></xs:restriction></xs:simpleType>` +
			`<xs:element name="small" type="t:Small"/><xs:element name="even" type="t:Even"/><xs:element name="two" type="t:TwoDigits"/>`))}}
	s, err := Compile(fsys, "a.xsd")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct{ name, doc, reason string }{
		{"the exclusive lower bound itself is out of range", `<t:small xmlns:t="urn:t">0</t:small>`, ReasonRange},
		{"just inside the exclusive bounds is valid", `<t:small xmlns:t="urn:t">9</t:small>`, ""},
		{"the exclusive upper bound itself is out of range", `<t:small xmlns:t="urn:t">10</t:small>`, ReasonRange},
		{"an integer enumeration compares values, not spellings", `<t:even xmlns:t="urn:t">04</t:even>`, ""},
		{"a value outside an integer enumeration is refused", `<t:even xmlns:t="urn:t">3</t:even>`, ReasonEnumeration},
		{"the base type's bounds still hold in a derived type", `<t:even xmlns:t="urn:t">12</t:even>`, ReasonRange},
		{"a fixed length is enforced", `<t:two xmlns:t="urn:t">123</t:two>`, ReasonLength},
		{"the derived pattern and the base length both hold", `<t:two xmlns:t="urn:t">12</t:two>`, ""},
		{"the derived pattern is enforced", `<t:two xmlns:t="urn:t">1a</t:two>`, ReasonPattern},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := asError(t, s.Validate(parse(t, []byte(c.doc)).Root()))
			if (e == nil) != (c.reason == "") || (e != nil && e.Reason != c.reason) {
				t.Fatalf("got %v, want %q", e, c.reason)
			}
		})
	}
}

func TestNestingDeeperThanMaxDepthIsRefusedInARecursiveType(t *testing.T) {
	fsys := fstest.MapFS{"a.xsd": {Data: []byte(xsdDoc(
		`<xs:complexType name="Node"><xs:sequence><xs:element name="n" type="t:Node" minOccurs="0"/></xs:sequence></xs:complexType>` +
			`<xs:element name="n" type="t:Node"/>`))}}
	s, err := Compile(fsys, "a.xsd")
	if err != nil {
		t.Fatal(err)
	}
	nest := func(depth int) string {
		return `<t:n xmlns:t="urn:t">` + strings.Repeat("<n>", depth) + strings.Repeat("</n>", depth) + `</t:n>`
	}
	if err := s.Validate(parse(t, []byte(nest(MaxDepth))).Root()); err != nil {
		t.Fatalf("depth %d: %v", MaxDepth, err)
	}
	e := asError(t, s.Validate(parse(t, []byte(nest(MaxDepth+1))).Root()))
	if e == nil || e.Reason != ReasonTooDeep {
		t.Fatalf("depth %d: got %v, want %s", MaxDepth+1, e, ReasonTooDeep)
	}
	if want := "/n" + strings.Repeat("/n", MaxDepth+1); e.Path != want {
		t.Fatalf("path %s, want %s", e.Path, want)
	}
}
