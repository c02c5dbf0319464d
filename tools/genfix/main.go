// Command genfix turns gowsdl v0.5.0's output into the types of gen/, with the XSD as the source of
// truth: gowsdl only supplies the Go names, and is cross-checked against the schema.
//
//	go tool gowsdl -p gen -o cpas.go -d TMP wsdl/carmed-cpas-v1.wsdl
//	go run ./tools/genfix -wsdl wsdl/carmed-cpas-v1.wsdl -in TMP/gen/cpas.go -out gen/cpas.go -helpers gen/xsdtypes.go
//
// Any XSD construct it cannot map faithfully is refused with its name and position.
package main

import (
	"bytes"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"go/format"
	"os"
	"path/filepath"
)

//go:embed xsdtypes.go.in
var xsdtypesSrc []byte

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "genfix:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("genfix", flag.ContinueOnError)
	wsdl := fs.String("wsdl", "", "the WSDL gowsdl was run on (its schemas are the source of truth)")
	in := fs.String("in", "", "gowsdl's generated Go file")
	out := fs.String("out", "", "where to write the fixed types")
	helpers := fs.String("helpers", "", "where to write the helper file (Date, DateTime, Decimal, Integer, ID, AnyURI, Language; optional)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *wsdl == "" || *in == "" || *out == "" {
		return errors.New("usage: genfix -wsdl FILE -in GOWSDL_OUTPUT.go -out FILE.go [-helpers xsdtypes.go]")
	}
	src, err := os.ReadFile(*in)
	if err != nil {
		return err
	}
	code, pkg, err := generate(*wsdl, src)
	if err != nil {
		return err
	}
	if err := writeFile(*out, code); err != nil {
		return err
	}
	if *helpers != "" {
		h, err := helperFile(pkg)
		if err != nil {
			return err
		}
		return writeFile(*helpers, h)
	}
	return nil
}

// generate reads the WSDL's schemas and rewrites gowsdl's source; it returns the package name too.
func generate(wsdlPath string, gowsdlSrc []byte) (code []byte, pkg string, err error) {
	set, err := loadWSDL(wsdlPath)
	if err != nil {
		return nil, "", err
	}
	code, err = transform(gowsdlSrc, set)
	if err != nil {
		return nil, "", err
	}
	return code, packageName(code), nil
}

func packageName(code []byte) string {
	for _, line := range bytes.Split(code, []byte("\n")) {
		if name, ok := bytes.CutPrefix(line, []byte("package ")); ok {
			return string(bytes.TrimSpace(name))
		}
	}
	return ""
}

// helperFile is xsdtypes.go.in with the generated-code header and the target package name.
func helperFile(pkg string) ([]byte, error) {
	body, ok := bytes.CutPrefix(xsdtypesSrc, []byte("package gen\n"))
	if !ok {
		return nil, errors.New("xsdtypes.go.in must start with \"package gen\"")
	}
	src := fmt.Appendf(nil, "%s\n\npackage %s\n%s", header, pkg, body)
	return format.Source(src)
}

func writeFile(path string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o644)
}
