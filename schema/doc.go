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
// What is enforced: several target namespaces through xs:import and xs:include (resolved inside
// the given file system); elementFormDefault and form per schema document (a local element keeps
// the form of the document that declares it, wherever its type is used); xs:element ref and
// xs:attribute ref (xml:lang from xml.xsd) to global declarations of any loaded namespace;
// xs:any with processContents="strict" (##any, ##other or a list); sequence and choice; simple
// and complex content extension; required and optional attributes; the built-ins string, boolean,
// decimal, integer (any size), int, long, date, dateTime, anyURI, language and ID (unique within
// the validated element). Refused by name: xs:any lax or skip, xs:anyAttribute, attribute groups,
// model group references, xs:all, list and union types, nillable, default and fixed values,
// substitution groups, abstract and mixed types, repeated model groups, complexContent
// restriction, qualified attributes, any other built-in type, and the facets totalDigits,
// fractionDigits and whiteSpace.
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
