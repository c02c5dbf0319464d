// Package schema is a strict validator for the XSD subset of the carmed contracts.
//
// encoding/xml does not enforce a schema (missing elements decode as zero values, order and
// duplicates are ignored, unknown elements are skipped, "TRUE" is a boolean, facets are never
// checked) and libxml2 would need cgo, so the gateway checks a payload here before decoding it.
//
// Compile reads the XSD files once and refuses, by name, every construct it cannot enforce
// faithfully; Validate then walks one element against its global declaration and reports the
// first problem as an *Error that names a path and a reason, never a value.
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
)

// Namespaces the loader and the validator recognise.
const (
	xsNS    = "http://www.w3.org/2001/XMLSchema"
	xmlNS   = "http://www.w3.org/XML/1998/namespace"
	xsiNS   = "http://www.w3.org/2001/XMLSchema-instance"
	unbound = -1 // maxOccurs="unbounded"
)
