package schema

import "github.com/beevik/etree"

// Reasons an Error gives. They are stable so callers and tests can match them, and they never
// carry a value from the document (a value may be personal data).
const (
	ReasonMissing        = "missing required element"
	ReasonUnexpected     = "unexpected element"
	ReasonOutOfOrder     = "element out of order"
	ReasonTooMany        = "more occurrences than maxOccurs allows"
	ReasonChoice         = "more than one member of a choice"
	ReasonNamespace      = "element in the wrong namespace"
	ReasonUnboundPrefix  = "unbound namespace prefix"
	ReasonText           = "text in element-only content"
	ReasonChildInSimple  = "element inside a simple value"
	ReasonType           = "value does not match the type"
	ReasonPattern        = "value does not match the pattern"
	ReasonEnumeration    = "value not in the enumeration"
	ReasonLength         = "value length out of bounds"
	ReasonRange          = "value out of range"
	ReasonMissingAttr    = "missing required attribute"
	ReasonUnexpectedAttr = "unexpected attribute"
	ReasonDuplicateID    = "duplicate ID value"
	ReasonTooDeep        = "element nesting too deep"
	ReasonNoElement      = "no element to validate"
)

// Error is a schema violation: where (element and attribute names only, e.g.
// /createCarmedRequest/decision/validityPeriod/endDate or …/communication/@lang) and why.
// Both are safe to show a caller and to log.
type Error struct {
	Path   string
	Reason string
}

func (e *Error) Error() string { return "schema: " + e.Path + ": " + e.Reason }

// pathOf is e's path from the payload root, names only. It is built from the tree's parent links
// when an error is reported, so the walk itself carries no path.
func pathOf(root, e *etree.Element) string {
	if e == root || e.Parent() == nil {
		return "/" + e.Tag
	}
	return pathOf(root, e.Parent()) + "/" + e.Tag
}

func errAt(root, e *etree.Element, reason string) *Error {
	return &Error{Path: pathOf(root, e), Reason: reason}
}

// errBelow reports a name under e: a missing child, an attribute (@name) or a stranger.
func errBelow(root, e *etree.Element, name, reason string) *Error {
	return &Error{Path: pathOf(root, e) + "/" + name, Reason: reason}
}
