// Package schema is a strict validator for the XSD subset of the carmed contracts.
//
// encoding/xml does not enforce a schema (missing elements decode as zero values, order and
// duplicates are ignored, unknown elements are skipped, "TRUE" is a boolean, facets are never
// checked) and libxml2 would need cgo, so the gateway checks a payload here before decoding it.
//
// Compile reads the XSD files once and refuses, by name, every construct it cannot enforce
// faithfully; Validate then walks one element against its global declaration and reports the
// first problem as an *Error that names a path and a reason, never a value.
//
// Where the eHealth-shaped schemas will plug in: a built-in type is an entry in builtins
// (simple.go; xs:decimal and xs:integer also need big-number bounds); xs:attributeGroup,
// xs:attribute ref (xml:lang from xml.xsd), xs:element ref with elementFormDefault="qualified",
// and xs:any are refused in compile.go where they are met, and are then particles or attribute
// declarations like the others; the matcher (validate.go) works on qualified names already.
package schema

// Named limits.
const (
	// MaxDepth is the deepest element nesting Validate walks below the payload root. Our deepest
	// valid path is 7 levels; the bound keeps a recursive type (the eHealth schemas have some)
	// from letting a hostile document drive the recursion as deep as the parser allows.
	MaxDepth = 64

	// maxSchemaFiles bounds the files one Compile reads through xs:import and xs:include: the
	// contracts are a handful of files, so a runaway include chain fails loudly.
	maxSchemaFiles = 32

	// maxPooledChildren is the largest child arena a walker keeps between calls; a request has
	// about a hundred elements, so a walker grown beyond this by a huge document is dropped.
	maxPooledChildren = 4096
)

// Namespaces the loader and the validator recognise.
const (
	xsNS    = "http://www.w3.org/2001/XMLSchema"
	xmlNS   = "http://www.w3.org/XML/1998/namespace"
	unbound = -1 // maxOccurs="unbounded"
)
