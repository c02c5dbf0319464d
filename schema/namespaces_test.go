package schema

import "testing"

// A root schema with unqualified children imports a qualified one, which imports an unqualified
// one: each local element keeps the form of the document that declares it.
var formFiles = map[string]string{
	"a.xsd": `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:t="urn:t" xmlns:q="urn:q" targetNamespace="urn:t">` +
		`<xs:import namespace="urn:q" schemaLocation="q/q.xsd"/>` +
		`<xs:element name="v"><xs:complexType><xs:sequence>` +
		`<xs:element name="holder" type="q:Holder"/>` +
		`<xs:element ref="q:g" minOccurs="0"/>` +
		`<xs:element name="f" form="qualified" type="xs:string" minOccurs="0"/>` +
		`</xs:sequence></xs:complexType></xs:element></xs:schema>`,
	"q/q.xsd": `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:q="urn:q" xmlns:c="urn:c" targetNamespace="urn:q" elementFormDefault="qualified">` +
		`<xs:import namespace="urn:c" schemaLocation="c.xsd"/>` +
		`<xs:complexType name="Holder"><xs:sequence>` +
		`<xs:element name="inner" type="xs:string"/>` +
		`<xs:element name="plain" type="c:Plain"/>` +
		`<xs:element name="loose" form="unqualified" type="xs:string" minOccurs="0"/>` +
		`</xs:sequence></xs:complexType>` +
		`<xs:element name="g" type="xs:string"/></xs:schema>`,
	"q/c.xsd": `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:c">` +
		`<xs:complexType name="Plain"><xs:sequence><xs:element name="x" type="xs:int"/></xs:sequence></xs:complexType></xs:schema>`,
}

// formDoc is a valid document for formFiles with the parts given (holder's content, the rest).
func formDoc(holder, rest string) string {
	return `<t:v xmlns:t="urn:t" xmlns:q="urn:q">` + holder + rest + `</t:v>`
}

const validHolder = `<holder><q:inner>a</q:inner><q:plain><x>1</x></q:plain><loose>b</loose></holder>`

func TestElementFormComesFromTheSchemaDocumentThatDeclaresTheElement(t *testing.T) {
	checkSchemaCases(t, formFiles, "a.xsd", []schemaCase{
		{name: "every element in the namespace its declaration gives is valid",
			doc: formDoc(validHolder, `<q:g>c</q:g><t:f>d</t:f>`)},
		{name: "a default namespace can qualify the children of a qualified schema",
			doc: formDoc(`<holder><inner xmlns="urn:q">a</inner><plain xmlns="urn:q"><x xmlns="">1</x></plain></holder>`, ``)},
		{name: "a local element of an unqualified schema must be unqualified",
			doc: formDoc(`<t:holder><q:inner>a</q:inner><q:plain><x>1</x></q:plain></t:holder>`, ``), path: "/v/holder", reason: ReasonNamespace},
		{name: "a local element of a qualified schema must be qualified",
			doc: formDoc(`<holder><inner>a</inner><q:plain><x>1</x></q:plain></holder>`, ``), path: "/v/holder/inner", reason: ReasonNamespace},
		{name: "a type from an unqualified schema keeps its unqualified children under a qualified element",
			doc: formDoc(`<holder><q:inner>a</q:inner><q:plain><q:x>1</q:x></q:plain></holder>`, ``), path: "/v/holder/plain/x", reason: ReasonNamespace},
		{name: "form unqualified overrides a qualified schema",
			doc: formDoc(`<holder><q:inner>a</q:inner><q:plain><x>1</x></q:plain><q:loose>b</q:loose></holder>`, ``), path: "/v/holder/loose", reason: ReasonNamespace},
		{name: "form qualified overrides an unqualified schema",
			doc: formDoc(validHolder, `<f>d</f>`), path: "/v/f", reason: ReasonNamespace},
		{name: "a referenced global element must be in its own namespace",
			doc: formDoc(validHolder, `<g>c</g>`), path: "/v/g", reason: ReasonNamespace},
		{name: "a referenced global element's type is enforced",
			doc: formDoc(`<holder><q:inner>a</q:inner><q:plain><x>one</x></q:plain></holder>`, ``), path: "/v/holder/plain/x", reason: ReasonType},
	})
}

// Wildcards of each namespace form over two namespaces' global elements.
var wildcardFiles = map[string]string{
	"w.xsd": `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:t="urn:t" targetNamespace="urn:t">` +
		`<xs:import namespace="urn:o" schemaLocation="o.xsd"/>` +
		`<xs:element name="item" type="xs:int"/>` +
		`<xs:element name="anyOf"><xs:complexType><xs:sequence><xs:any minOccurs="0" maxOccurs="unbounded"/></xs:sequence></xs:complexType></xs:element>` +
		`<xs:element name="other"><xs:complexType><xs:sequence><xs:any namespace="##other" minOccurs="0" maxOccurs="2"/></xs:sequence></xs:complexType></xs:element>` +
		`<xs:element name="listed"><xs:complexType><xs:sequence><xs:any namespace="##targetNamespace urn:o"/>` +
		`<xs:element name="tail" type="xs:string" minOccurs="0"/></xs:sequence></xs:complexType></xs:element>` +
		`<xs:element name="local"><xs:complexType><xs:sequence><xs:any namespace="##local" minOccurs="0"/></xs:sequence></xs:complexType></xs:element>` +
		`</xs:schema>`,
	"o.xsd": `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:o">` +
		`<xs:element name="flag" type="xs:boolean"/></xs:schema>`,
}

func TestAStrictWildcardTakesGlobalElementsOfTheNamespacesItAdmits(t *testing.T) {
	const ns = ` xmlns:t="urn:t" xmlns:o="urn:o"`
	checkSchemaCases(t, wildcardFiles, "w.xsd", []schemaCase{
		{name: "##any takes global elements of every namespace",
			doc: `<t:anyOf` + ns + `><t:item>1</t:item><o:flag>true</o:flag><t:anyOf><o:flag>0</o:flag></t:anyOf></t:anyOf>`},
		{name: "an element under a wildcard is checked against its global declaration",
			doc: `<t:anyOf` + ns + `><o:flag>maybe</o:flag></t:anyOf>`, path: "/anyOf/flag", reason: ReasonType},
		{name: "an element no global declaration names is unexpected under a strict wildcard",
			doc: `<t:anyOf` + ns + `><o:nope/></t:anyOf>`, path: "/anyOf/nope", reason: ReasonUnexpected},
		{name: "a global element's name in another namespace is a namespace slip",
			doc: `<t:anyOf` + ns + `><flag>true</flag></t:anyOf>`, path: "/anyOf/flag", reason: ReasonNamespace},
		{name: "##other takes another namespace's elements up to maxOccurs",
			doc: `<t:other` + ns + `><o:flag>true</o:flag><o:flag>false</o:flag></t:other>`},
		{name: "##other refuses the target namespace",
			doc: `<t:other` + ns + `><t:item>1</t:item></t:other>`, path: "/other/item", reason: ReasonUnexpected},
		{name: "##other refuses more than maxOccurs elements",
			doc: `<t:other` + ns + `><o:flag>true</o:flag><o:flag>true</o:flag><o:flag>true</o:flag></t:other>`, path: "/other/flag", reason: ReasonTooMany},
		{name: "a namespace list takes the target namespace",
			doc: `<t:listed` + ns + `><t:item>1</t:item></t:listed>`},
		{name: "a namespace list takes a listed namespace",
			doc: `<t:listed` + ns + `><o:flag>1</o:flag><tail>x</tail></t:listed>`},
		{name: "a required wildcard with nothing to take is missing",
			doc: `<t:listed` + ns + `/>`, path: "/listed/*", reason: ReasonMissing},
		{name: "a required wildcard does not take an unqualified local element",
			doc: `<t:listed` + ns + `><tail>x</tail></t:listed>`, path: "/listed/*", reason: ReasonMissing},
		{name: "##local takes no declared element, so a global's name there is a namespace slip",
			doc: `<t:local` + ns + `><item>1</item></t:local>`, path: "/local/item", reason: ReasonNamespace},
		{name: "##local refuses a namespace-qualified element",
			doc: `<t:local` + ns + `><t:item>1</t:item></t:local>`, path: "/local/item", reason: ReasonUnexpected},
	})
}

var langFiles = map[string]string{
	"l.xsd": `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:t="urn:t" xmlns:xml="http://www.w3.org/XML/1998/namespace" targetNamespace="urn:t">` +
		`<xs:import namespace="http://www.w3.org/XML/1998/namespace" schemaLocation="xml.xsd"/>` +
		`<xs:element name="text"><xs:complexType><xs:simpleContent><xs:extension base="xs:string">` +
		`<xs:attribute ref="xml:lang" use="required"/><xs:attribute name="id" type="xs:ID"/>` +
		`</xs:extension></xs:simpleContent></xs:complexType></xs:element></xs:schema>`,
	"xml.xsd": `<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="http://www.w3.org/XML/1998/namespace">` +
		`<xs:attribute name="lang" type="xs:language"/></xs:schema>`,
}

func TestXmlLangIsAnAttributeOfTheXMLNamespace(t *testing.T) {
	checkSchemaCases(t, langFiles, "l.xsd", []schemaCase{
		{name: "xml:lang with a language tag is valid", doc: `<t:text xmlns:t="urn:t" xml:lang="fr">x</t:text>`},
		{name: "xml:lang with a region and surrounding spaces is valid", doc: `<t:text xmlns:t="urn:t" xml:lang=" nl-BE ">x</t:text>`},
		{name: "a text without xml:lang is missing a required attribute",
			doc: `<t:text xmlns:t="urn:t">x</t:text>`, path: "/text/@lang", reason: ReasonMissingAttr},
		{name: "lang without the xml prefix is an unexpected attribute",
			doc: `<t:text xmlns:t="urn:t" lang="fr">x</t:text>`, path: "/text/@lang", reason: ReasonUnexpectedAttr},
		{name: "an empty xml:lang is not an xs:language",
			doc: `<t:text xmlns:t="urn:t" xml:lang="">x</t:text>`, path: "/text/@lang", reason: ReasonType},
		{name: "an xml:lang with an underscore is not an xs:language",
			doc: `<t:text xmlns:t="urn:t" xml:lang="fr_BE">x</t:text>`, path: "/text/@lang", reason: ReasonType},
		{name: "an ID attribute is checked as an NCName",
			doc: `<t:text xmlns:t="urn:t" xml:lang="fr" id="1a">x</t:text>`, path: "/text/@id", reason: ReasonType},
	})
}

// An unbound attribute prefix is not namespace-well-formed, so libxml2 does not parse the document
// at all; the validator names it rather than calling the attribute unexpected.
func TestAnAttributeWithAnUnboundPrefixIsReportedAsSuch(t *testing.T) {
	s := compileFiles(t, langFiles, "l.xsd")
	e := asError(t, s.Validate(parse(t, []byte(`<t:text xmlns:t="urn:t" xml:lang="fr" p:id="a">x</t:text>`)).Root()))
	if e == nil || e.Path != "/text/@id" || e.Reason != ReasonUnboundPrefix {
		t.Fatalf("got %v, want %q at /text/@id", e, ReasonUnboundPrefix)
	}
}
