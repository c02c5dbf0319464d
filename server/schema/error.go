package schema

// Reasons an Error gives. They are stable so callers and tests can match them, and they never
// carry a value from the document (a value may be personal data).
const (
	ReasonMissing         = "missing required element"
	ReasonUnexpected      = "unexpected element"
	ReasonOutOfOrder      = "element out of order"
	ReasonTooMany         = "more occurrences than maxOccurs allows"
	ReasonChoice          = "more than one member of a choice"
	ReasonNamespace       = "element in the wrong namespace"
	ReasonUnboundPrefix   = "unbound namespace prefix"
	ReasonText            = "text in element-only content"
	ReasonChildInSimple   = "element inside a simple value"
	ReasonType            = "value does not match the type"
	ReasonPattern         = "value does not match the pattern"
	ReasonEnumeration     = "value not in the enumeration"
	ReasonLength          = "value length out of bounds"
	ReasonRange           = "value out of range"
	ReasonMissingAttr     = "missing required attribute"
	ReasonUnexpectedAttr  = "unexpected attribute"
	ReasonTooDeep         = "element nesting too deep"
	ReasonNoElement       = "no element to validate"
)

// Error is a schema violation: where (element and attribute names only, e.g.
// /createCarmedRequest/decision/validityPeriod/endDate or …/communication/@lang) and why.
// Both are safe to show a caller and to log.
type Error struct {
	Path   string
	Reason string
}

func (e *Error) Error() string { return "schema: " + e.Path + ": " + e.Reason }

// frame is one step of the path being walked; the path string is only built for an error.
type frame struct {
	parent *frame
	name   string
}

func (f *frame) path() string {
	if f == nil {
		return ""
	}
	return f.parent.path() + "/" + f.name
}

func (f *frame) errAt(name, reason string) *Error {
	return &Error{Path: f.path() + "/" + name, Reason: reason}
}

func (f *frame) err(reason string) *Error {
	return &Error{Path: f.path(), Reason: reason}
}
