package main

import (
	"bytes"
	"go/parser"
	"go/token"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// repoRoot is where wsdl/, xsd/ and gen/ live, seen from this package's test directory.
const repoRoot = "../.."

const (
	cpasWSDL     = "wsdl/carmed-cpas-v1.wsdl"
	providerWSDL = "wsdl/ehealth-mediprima-consult-v2.wsdl"
	umaWSDL      = "wsdl/ehealth-mediprima-uma-v1.wsdl"
)

// contract is one WSDLS entry of gen.mk: where its types go and under which package.
type contract struct {
	wsdl string // relative to the repository root
	name string // the generated file's base name
	pkg  string
	dir  string // the package folder, relative to the repository root
}

var contracts = []contract{
	{cpasWSDL, "cpas", "gen", "gen"},
	{providerWSDL, "ehealth_mediprima_consult", "provider", "gen/provider"},
	{umaWSDL, "ehealth_mediprima_uma", "uma", "gen/uma"},
}

// runGowsdl runs the pinned gowsdl on a contract's WSDL and returns its output.
func runGowsdl(t *testing.T, c contract) []byte {
	t.Helper()
	dir := t.TempDir()
	cmd := exec.Command("go", "tool", "gowsdl", "-p", c.pkg, "-o", c.name+".go", "-d", dir, c.wsdl)
	cmd.Dir = repoRoot
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("gowsdl: %v\n%s", err, out)
	}
	src, err := os.ReadFile(filepath.Join(dir, c.pkg, c.name+".go"))
	if err != nil {
		t.Fatalf("gowsdl wrote nothing: %v", err)
	}
	return src
}

// pipeline is gowsdl + genfix for one contract, in memory: the types file and the helper file.
func pipeline(t *testing.T, c contract) (types, helpers []byte) {
	t.Helper()
	raw := runGowsdl(t, c)
	types, pkg, err := generate(filepath.Join(repoRoot, c.wsdl), raw)
	if err != nil {
		t.Fatalf("genfix %s: %v", c.wsdl, err)
	}
	if pkg != c.pkg {
		t.Fatalf("genfix wrote package %s, want %s", pkg, c.pkg)
	}
	helpers, err = helperFile(pkg)
	if err != nil {
		t.Fatalf("helper file: %v", err)
	}
	return types, helpers
}

func TestThePipelineOutputCompilesAndIsVetClean(t *testing.T) {
	dir := t.TempDir()
	files := map[string][]byte{"go.mod": []byte("module tmpgen\n\ngo 1.26\n")}
	for _, c := range contracts {
		types, helpers := pipeline(t, c)
		files[c.dir+"/"+c.name+".go"] = types
		files[c.dir+"/xsdtypes.go"] = helpers
	}
	for name, data := range files {
		if err := writeFile(filepath.Join(dir, name), data); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command("go", "vet", "./...")
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod", "GOWORK=off")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go vet on the generated package: %v\n%s", err, out)
	}
}

func TestTheCommittedGenIsWhatThePipelineProduces(t *testing.T) {
	for _, c := range contracts {
		types, helpers := pipeline(t, c)
		for name, want := range map[string][]byte{c.name + ".go": types, "xsdtypes.go": helpers} {
			got, err := os.ReadFile(filepath.Join(repoRoot, c.dir, name))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s/%s differs from the pipeline's output: run `make gen`", c.dir, name)
			}
		}
	}
}

func TestTheSameInputGivesIdenticalBytes(t *testing.T) {
	for _, c := range contracts {
		first, _, err := generate(filepath.Join(repoRoot, c.wsdl), runGowsdl(t, c))
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < 4; i++ {
			again, _, err := generate(filepath.Join(repoRoot, c.wsdl), runGowsdl(t, c))
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(first, again) {
				t.Fatalf("%s: run %d produced different bytes", c.wsdl, i+2)
			}
		}
	}
}

func TestTheGeneratedFilesAreTypesOnlyWithStdlibImportsAndTheHeader(t *testing.T) {
	for _, c := range contracts {
		types, helpers := pipeline(t, c)
		checkTypesOnly(t, c.name+".go", types, helpers)
	}
}

func checkTypesOnly(t *testing.T, typesName string, types, helpers []byte) {
	t.Helper()
	for name, src := range map[string][]byte{typesName: types, "xsdtypes.go": helpers} {
		if !bytes.HasPrefix(src, []byte(header+"\n")) {
			t.Errorf("%s does not start with the generated-code header", name)
		}
		f, err := parser.ParseFile(token.NewFileSet(), name, src, parser.ImportsOnly)
		if err != nil {
			t.Fatal(err)
		}
		for _, imp := range f.Imports {
			path, _ := strconv.Unquote(imp.Path.Value)
			if strings.Contains(strings.Split(path, "/")[0], ".") {
				t.Errorf("%s imports %s; gen/ must depend on the standard library only", name, path)
			}
		}
	}
	for _, banned := range []string{"XMLName", "soap.", "interface {", "func ", "json:", "omitempty\" json", "float64", "float32"} {
		if bytes.Contains(types, []byte(banned)) {
			t.Errorf("%s contains %q", typesName, banned)
		}
	}
}

// writeSchema writes a one-schema WSDL whose XSD holds body, and returns the WSDL path.
func writeSchema(t *testing.T, body string) string {
	t.Helper()
	dir := t.TempDir()
	xsd := `<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:tns="urn:t" targetNamespace="urn:t" elementFormDefault="unqualified">
` + body + `
</xs:schema>`
	wsdl := `<?xml version="1.0"?>
<wsdl:definitions xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:t">
  <wsdl:types><xs:schema targetNamespace="urn:t:wsdl"><xs:import namespace="urn:t" schemaLocation="t.xsd"/></xs:schema></wsdl:types>
</wsdl:definitions>`
	if err := os.WriteFile(filepath.Join(dir, "t.xsd"), []byte(xsd), 0o644); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "t.wsdl")
	if err := os.WriteFile(path, []byte(wsdl), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestConstructsWithoutAFaithfulMappingAreRefusedByName(t *testing.T) {
	cases := []struct {
		name, body, want string
	}{
		{"an xs:float element is refused (float32 would change its value)",
			`<xs:complexType name="A"><xs:sequence><xs:element name="x" type="xs:float"/></xs:sequence></xs:complexType>`, "xs:float"},
		{"a simple type restricting xs:double is refused",
			`<xs:simpleType name="S"><xs:restriction base="xs:double"/></xs:simpleType>`, "xs:double"},
		{"a simple type restricting xs:token is refused",
			`<xs:simpleType name="S"><xs:restriction base="xs:token"/></xs:simpleType>`, "xs:token"},
		{"an xs:any next to elements is refused (innerxml would swallow them)",
			`<xs:complexType name="A"><xs:sequence><xs:element name="x" type="xs:string"/><xs:any/></xs:sequence></xs:complexType>`, "xs:any next to elements"},
		{"a choice inside a sequence that is a choice's branch is refused",
			`<xs:complexType name="A"><xs:choice><xs:element name="x" type="xs:string"/><xs:sequence><xs:element name="y" type="xs:string"/><xs:choice><xs:element name="z" type="xs:string"/></xs:choice></xs:sequence></xs:choice></xs:complexType>`, "xs:choice inside xs:choice"},
		{"an xs:any inside a sequence that is a choice's branch is refused",
			`<xs:complexType name="A"><xs:choice><xs:element name="x" type="xs:string"/><xs:sequence><xs:element name="y" type="xs:string"/><xs:any/></xs:sequence></xs:choice></xs:complexType>`, "xs:any inside xs:choice"},
		{"an optional sequence as a choice's branch is refused",
			`<xs:complexType name="A"><xs:choice><xs:element name="x" type="xs:string"/><xs:sequence minOccurs="0"><xs:element name="y" type="xs:string"/></xs:sequence></xs:choice></xs:complexType>`, "xs:sequence with minOccurs=0"},
		{"an xs:any in a choice is refused",
			`<xs:complexType name="A"><xs:choice><xs:element name="x" type="xs:string"/><xs:any/></xs:choice></xs:complexType>`, "xs:any inside xs:choice"},
		{"an extension of a wildcard type is refused",
			`<xs:complexType name="B"><xs:sequence><xs:any/></xs:sequence></xs:complexType>
			 <xs:complexType name="A"><xs:complexContent><xs:extension base="tns:B"><xs:sequence><xs:element name="x" type="xs:int"/></xs:sequence></xs:extension></xs:complexContent></xs:complexType>`, "whose content is an xs:any"},
		{"an xs:anyAttribute is refused",
			`<xs:complexType name="A"><xs:anyAttribute/></xs:complexType>`, "xs:anyAttribute"},
		{"an attribute ref outside the xml namespace is refused",
			`<xs:attribute name="g" type="xs:string"/><xs:complexType name="A"><xs:attribute ref="tns:g"/></xs:complexType>`, "outside the xml namespace"},
		{"a qualified element with unqualified children is refused (encoding/xml would move them into its namespace)",
			`<xs:element name="Q" type="tns:B"/><xs:complexType name="B"><xs:sequence><xs:element name="x" type="xs:string"/></xs:sequence></xs:complexType>
			 <xs:complexType name="A"><xs:sequence><xs:element ref="tns:Q"/></xs:sequence></xs:complexType>`, "unqualified child x"},
		{"a declaration named like a helper type is refused",
			`<xs:simpleType name="Decimal"><xs:restriction base="xs:string"/></xs:simpleType>`, "claimed by both"},
		{"an attributeGroup is refused",
			`<xs:complexType name="A"><xs:attributeGroup ref="tns:G"/></xs:complexType>`, "xs:attributeGroup"},
		{"a union is refused",
			`<xs:simpleType name="S"><xs:union memberTypes="xs:int xs:string"/></xs:simpleType>`, "xs:union"},
		{"a nillable element is refused",
			`<xs:complexType name="A"><xs:sequence><xs:element name="x" type="xs:string" nillable="true"/></xs:sequence></xs:complexType>`, "nillable"},
		{"an element default is refused",
			`<xs:complexType name="A"><xs:sequence><xs:element name="x" type="xs:string" default="d"/></xs:sequence></xs:complexType>`, "default="},
		{"a repeated choice is refused",
			`<xs:complexType name="A"><xs:choice maxOccurs="unbounded"><xs:element name="x" type="xs:string"/></xs:choice></xs:complexType>`, "xs:choice with maxOccurs=unbounded"},
		{"an optional inner sequence is refused",
			`<xs:complexType name="A"><xs:sequence><xs:sequence minOccurs="0"><xs:element name="x" type="xs:string"/></xs:sequence></xs:sequence></xs:complexType>`, "xs:sequence with minOccurs=0"},
		{"an anonymous complex type in a local element is refused",
			`<xs:complexType name="A"><xs:sequence><xs:element name="x"><xs:complexType/></xs:element></xs:sequence></xs:complexType>`, "anonymous complex"},
		{"mixed content is refused",
			`<xs:complexType name="A" mixed="true"/>`, "mixed"},
		{"a qualified attribute is refused",
			`<xs:complexType name="A"><xs:attribute name="a" type="xs:string" form="qualified"/></xs:complexType>`, "form=\"qualified\""},
		{"an extension that redeclares a base element is refused",
			`<xs:complexType name="B"><xs:sequence><xs:element name="x" type="xs:string"/></xs:sequence></xs:complexType>
			 <xs:complexType name="A"><xs:complexContent><xs:extension base="tns:B"><xs:sequence><xs:element name="x" type="xs:int"/></xs:sequence></xs:extension></xs:complexContent></xs:complexType>`, "shadows"},
		{"a complexContent restriction is refused",
			`<xs:complexType name="B"/><xs:complexType name="A"><xs:complexContent><xs:restriction base="tns:B"/></xs:complexContent></xs:complexType>`, "complexContent/xs:restriction"},
		{"two declarations with one Go name are refused",
			`<xs:simpleType name="x"><xs:restriction base="xs:string"/></xs:simpleType><xs:complexType name="X"/>`, "claimed by both"},
		{"an element without a type (xs:anyType) is refused",
			`<xs:complexType name="A"><xs:sequence><xs:element name="x"/></xs:sequence></xs:complexType>`, "xs:anyType"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			set, err := loadWSDL(writeSchema(t, c.body))
			if err == nil {
				_, err = newMapper(set)
			}
			if err == nil {
				t.Fatalf("accepted; want an error naming %q", c.want)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %q does not name %q", err, c.want)
			}
		})
	}
}

func TestASchemaOfSupportedConstructsIsAccepted(t *testing.T) {
	// The same checks as above on constructs genfix does map, so a refusal above is not just any error.
	wsdl := writeSchema(t, `
		<xs:import namespace="http://www.w3.org/XML/1998/namespace" schemaLocation="xml.xsd"/>
		<xs:complexType name="W"><xs:sequence><xs:any namespace="##other" processContents="lax" maxOccurs="unbounded"/></xs:sequence></xs:complexType>
		<xs:complexType name="N"><xs:simpleContent><xs:extension base="xs:string"><xs:attribute ref="xml:lang" use="required"/></xs:extension></xs:simpleContent></xs:complexType>
		<xs:complexType name="Q"><xs:sequence><xs:element name="d" type="xs:decimal"/><xs:element name="i" type="xs:integer"/></xs:sequence>
			<xs:attribute name="id" type="xs:ID"/><xs:attribute name="u" type="xs:anyURI" use="required"/></xs:complexType>
		<xs:simpleType name="S"><xs:restriction base="xs:string"><xs:maxLength value="3"/></xs:restriction></xs:simpleType>
		<xs:complexType name="B"><xs:sequence><xs:element name="x" type="xs:string"/></xs:sequence></xs:complexType>
		<xs:complexType name="A"><xs:complexContent><xs:extension base="tns:B"><xs:sequence>
			<xs:element name="y" type="xs:dateTime" minOccurs="0"/>
			<xs:choice minOccurs="0"><xs:element name="c1" type="tns:S"/><xs:element name="c2" type="xs:date"/></xs:choice>
		</xs:sequence></xs:extension></xs:complexContent></xs:complexType>
		<xs:complexType name="C"><xs:sequence><xs:element name="k" type="xs:string"/><xs:choice>
			<xs:element name="n" type="xs:string"/>
			<xs:sequence><xs:element name="p" type="xs:date"/><xs:element name="m" type="xs:string" minOccurs="0"/></xs:sequence>
		</xs:choice></xs:sequence></xs:complexType>
		<xs:element name="a" type="tns:A"/>`)
	xmlXSD, err := os.ReadFile(filepath.Join(repoRoot, "xsd/xml.xsd"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(filepath.Dir(wsdl), "xml.xsd"), xmlXSD, 0o644); err != nil {
		t.Fatal(err)
	}
	set, err := loadWSDL(wsdl)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := newMapper(set); err != nil {
		t.Fatal(err)
	}
}

func TestGowsdlOutputThatDisagreesWithTheXSDIsRefused(t *testing.T) {
	raw := runGowsdl(t, contracts[0])
	cases := []struct{ name, from, to, want string }{
		{"an element gowsdl has and the XSD lacks is refused",
			"\tRuleId string `xml:\"ruleId,omitempty\"", "\tRuleId string `xml:\"ruleIdentifier,omitempty\"", "ruleIdentifier"},
		{"a type the XSD does not declare is refused",
			"type TicketType string", "type TicketType string\n\ntype Stranger string", "Stranger"},
		{"enum constants that differ from the XSD are refused",
			`LangTypeEn LangType = "en"`, `LangTypeDe LangType = "de"`, "LangType"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src := strings.Replace(string(raw), c.from, c.to, 1)
			if src == string(raw) {
				t.Fatalf("fixture text %q not found in gowsdl's output", c.from)
			}
			_, _, err := generate(filepath.Join(repoRoot, cpasWSDL), []byte(src))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("got %v, want an error naming %q", err, c.want)
			}
		})
	}
}
