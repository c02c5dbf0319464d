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

const cpasWSDL = "wsdl/carmed-cpas-v1.wsdl"

// runGowsdl runs the pinned gowsdl on a WSDL (relative to the repository root) and returns its output.
func runGowsdl(t *testing.T, wsdl, name string) []byte {
	t.Helper()
	dir := t.TempDir()
	cmd := exec.Command("go", "tool", "gowsdl", "-p", "gen", "-o", name+".go", "-d", dir, wsdl)
	cmd.Dir = repoRoot
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("gowsdl: %v\n%s", err, out)
	}
	src, err := os.ReadFile(filepath.Join(dir, "gen", name+".go"))
	if err != nil {
		t.Fatalf("gowsdl wrote nothing: %v", err)
	}
	return src
}

// pipeline is gowsdl + genfix for the CPAS WSDL, in memory: the types file and the helper file.
func pipeline(t *testing.T) (types, helpers []byte) {
	t.Helper()
	raw := runGowsdl(t, cpasWSDL, "cpas")
	types, pkg, err := generate(filepath.Join(repoRoot, cpasWSDL), raw)
	if err != nil {
		t.Fatalf("genfix: %v", err)
	}
	helpers, err = helperFile(pkg)
	if err != nil {
		t.Fatalf("helper file: %v", err)
	}
	return types, helpers
}

func TestThePipelineOutputCompilesAndIsVetClean(t *testing.T) {
	types, helpers := pipeline(t)
	dir := t.TempDir()
	files := map[string][]byte{
		"go.mod":          []byte("module tmpgen\n\ngo 1.26\n"),
		"gen/cpas.go":     types,
		"gen/xsdtypes.go": helpers,
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
	types, helpers := pipeline(t)
	for name, want := range map[string][]byte{"cpas.go": types, "xsdtypes.go": helpers} {
		got, err := os.ReadFile(filepath.Join(repoRoot, "gen", name))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("gen/%s differs from the pipeline's output: run `make gen`", name)
		}
	}
}

func TestTheSameInputGivesIdenticalBytes(t *testing.T) {
	raw := runGowsdl(t, cpasWSDL, "cpas")
	first, _, err := generate(filepath.Join(repoRoot, cpasWSDL), raw)
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 5; i++ {
		again, _, err := generate(filepath.Join(repoRoot, cpasWSDL), runGowsdl(t, cpasWSDL, "cpas"))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(first, again) {
			t.Fatalf("run %d produced different bytes", i+2)
		}
	}
}

func TestTheGeneratedFilesAreTypesOnlyWithStdlibImportsAndTheHeader(t *testing.T) {
	types, helpers := pipeline(t)
	for name, src := range map[string][]byte{"cpas.go": types, "xsdtypes.go": helpers} {
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
	for _, banned := range []string{"XMLName", "soap.", "interface {", "func ", "json:", "omitempty\" json"} {
		if bytes.Contains(types, []byte(banned)) {
			t.Errorf("cpas.go contains %q", banned)
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
		{"an xs:decimal element is refused (float64 would change its value)",
			`<xs:complexType name="A"><xs:sequence><xs:element name="x" type="xs:decimal"/></xs:sequence></xs:complexType>`, "xs:decimal"},
		{"a simple type restricting xs:token is refused",
			`<xs:simpleType name="S"><xs:restriction base="xs:token"/></xs:simpleType>`, "xs:token"},
		{"an xs:any wildcard is refused",
			`<xs:complexType name="A"><xs:sequence><xs:any/></xs:sequence></xs:complexType>`, "xs:any"},
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
	set, err := loadWSDL(writeSchema(t, `
		<xs:simpleType name="S"><xs:restriction base="xs:string"><xs:maxLength value="3"/></xs:restriction></xs:simpleType>
		<xs:complexType name="B"><xs:sequence><xs:element name="x" type="xs:string"/></xs:sequence></xs:complexType>
		<xs:complexType name="A"><xs:complexContent><xs:extension base="tns:B"><xs:sequence>
			<xs:element name="y" type="xs:dateTime" minOccurs="0"/>
			<xs:choice minOccurs="0"><xs:element name="c1" type="tns:S"/><xs:element name="c2" type="xs:date"/></xs:choice>
		</xs:sequence></xs:extension></xs:complexContent></xs:complexType>
		<xs:element name="a" type="tns:A"/>`))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := newMapper(set); err != nil {
		t.Fatal(err)
	}
}

func TestGowsdlOutputThatDisagreesWithTheXSDIsRefused(t *testing.T) {
	raw := runGowsdl(t, cpasWSDL, "cpas")
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
