package schema

import (
	"slices"
	"strings"
	"sync"

	"github.com/beevik/etree"
)

// Validate checks one element (the operation element, e.g. createCarmedRequest) against its
// global element declaration. Namespaces declared above el (on the SOAP Envelope or Body) are
// honoured. It returns nil or the first violation in document order as an *Error.
func (s *Schema) Validate(el *etree.Element) error {
	if el == nil {
		return &Error{Path: "/", Reason: ReasonNoElement}
	}
	w := walkers.Get().(*walker)
	defer w.release()
	w.s, w.root, w.outer = s, el, el.Parent()
	uri, ok := w.ns(el)
	if !ok {
		return &Error{Path: "/" + el.Tag, Reason: ReasonUnboundPrefix}
	}
	d := s.roots[qname{uri, el.Tag}]
	if d == nil {
		if s.rootLocal[el.Tag] {
			return &Error{Path: "/" + el.Tag, Reason: ReasonNamespace}
		}
		return &Error{Path: "/" + el.Tag, Reason: ReasonUnexpected}
	}
	if err := w.element(el, d, 0); err != nil {
		return err
	}
	return nil
}

// walkers keeps walkers and their arenas between calls: a request then validates with a handful
// of allocations instead of one per element.
var walkers = sync.Pool{New: func() any { return &walker{} }}

func (w *walker) release() {
	if cap(w.kids) > maxPooledChildren || len(w.ids) > maxPooledChildren {
		return // grown for an unusual document: let it go rather than keep it forever
	}
	clear(w.ids)
	clear(w.kids[:cap(w.kids)]) // drop references to the caller's tree
	clear(w.matched[:cap(w.matched)])
	clear(w.contents[:cap(w.contents)])
	clear(w.scope[:cap(w.scope)])
	w.s, w.root, w.outer = nil, nil, nil
	w.scope, w.kids, w.names, w.matched, w.contents = w.scope[:0], w.kids[:0], w.names[:0], w.matched[:0], w.contents[:0]
	walkers.Put(w)
}

type nsDecl struct{ prefix, uri string }

// walker holds the state of one Validate call. The child lists of the elements being walked
// share three arenas, so a deep document costs no allocation per element for them.
type walker struct {
	s        *Schema
	root     *etree.Element // the payload root, where error paths start
	outer    *etree.Element // root's parent: declarations above the payload
	scope    []nsDecl
	kids     []*etree.Element
	names    []qname
	matched  []*particle
	contents []content
	ids      map[string]struct{} // xs:ID values seen so far
}

// content is one element's children being matched against its type's model.
type content struct {
	ct      *complexType
	kids    []*etree.Element
	names   []qname
	matched []*particle // the particle each consumed child matched
	i       int
	e       *etree.Element // the parent element
	depth   int
}

func (w *walker) element(e *etree.Element, d *elemDecl, depth int) *Error {
	if depth > MaxDepth {
		return errAt(w.root, e, ReasonTooDeep)
	}
	mark := len(w.scope)
	for _, a := range e.Attr {
		if a.Space == "xmlns" {
			w.scope = append(w.scope, nsDecl{a.Key, a.Value})
		} else if a.Space == "" && a.Key == "xmlns" {
			w.scope = append(w.scope, nsDecl{"", a.Value})
		}
	}
	if err := w.attributes(e, d); err != nil {
		return err
	}
	var err *Error
	switch {
	case d.simple != nil:
		err = w.simpleValue(e, d.simple)
	case d.complex.value != nil:
		err = w.simpleValue(e, d.complex.value)
	default:
		err = w.elementOnly(e, d.complex, depth)
	}
	w.scope = w.scope[:mark]
	return err
}

// attributes refuses undeclared attributes (xsi:type or xsi:nil among them: they would change
// the type being checked), checks the values and requires the required ones. An attribute is
// matched by expanded name (xml:lang is in the XML namespace whatever its prefix). Namespace
// declarations are not attributes.
func (w *walker) attributes(e *etree.Element, d *elemDecl) *Error {
	var decls []*attrDecl
	if d.complex != nil {
		decls = d.complex.attrs
	}
	for _, a := range e.Attr {
		if isNSDecl(a) {
			continue
		}
		name, ok := w.attrName(e, a)
		if !ok {
			return errBelow(w.root, e, "@"+a.Key, ReasonUnboundPrefix)
		}
		var decl *attrDecl
		for _, x := range decls {
			if x.name == name {
				decl = x
				break
			}
		}
		if decl == nil {
			return errBelow(w.root, e, "@"+a.Key, ReasonUnexpectedAttr)
		}
		v, why := decl.typ.validate(a.Value)
		if why == "" && decl.typ.base.id && !w.newID(v) {
			why = ReasonDuplicateID
		}
		if why != "" {
			return errBelow(w.root, e, "@"+a.Key, why)
		}
	}
	for _, x := range decls {
		if x.required && !w.hasAttr(e, x.name) {
			return errBelow(w.root, e, "@"+x.name.local, ReasonMissingAttr)
		}
	}
	return nil
}

func isNSDecl(a etree.Attr) bool { return a.Space == "xmlns" || (a.Space == "" && a.Key == "xmlns") }

// attrName is an attribute's expanded name: no namespace without a prefix (a default namespace
// does not apply to attributes); ok is false for an unbound prefix.
func (w *walker) attrName(e *etree.Element, a etree.Attr) (qname, bool) {
	if a.Space == "" {
		return qname{"", a.Key}, true
	}
	uri, ok := w.lookup(e, a.Space)
	return qname{uri, a.Key}, ok && uri != ""
}

func (w *walker) hasAttr(e *etree.Element, name qname) bool {
	for _, a := range e.Attr {
		if a.Key != name.local || isNSDecl(a) {
			continue
		}
		if n, ok := w.attrName(e, a); ok && n == name {
			return true
		}
	}
	return false
}

// newID records an xs:ID value and tells whether it is new: XSD requires ID values to be unique
// within the validated element (here, the payload).
func (w *walker) newID(v string) bool {
	if w.ids == nil {
		w.ids = map[string]struct{}{}
	}
	if _, seen := w.ids[v]; seen {
		return false
	}
	w.ids[v] = struct{}{}
	return true
}

// simpleValue checks text-only content: the text is every character data child (CDATA
// included) joined; comments and processing instructions do not count.
func (w *walker) simpleValue(e *etree.Element, t *simpleType) *Error {
	var text string
	var b *strings.Builder
	for _, tok := range e.Child {
		switch tok := tok.(type) {
		case *etree.Element:
			return errAt(w.root, tok, ReasonChildInSimple)
		case *etree.CharData:
			switch {
			case b != nil:
				b.WriteString(tok.Data)
			case text == "":
				text = tok.Data
			default:
				b = &strings.Builder{}
				b.WriteString(text)
				b.WriteString(tok.Data)
			}
		}
	}
	if b != nil {
		text = b.String()
	}
	v, why := t.validate(text)
	if why == "" && t.base.id && !w.newID(v) {
		why = ReasonDuplicateID
	}
	if why != "" {
		return errAt(w.root, e, why)
	}
	return nil
}

func (w *walker) elementOnly(e *etree.Element, ct *complexType, depth int) *Error {
	start := len(w.kids)
	for _, tok := range e.Child {
		switch tok := tok.(type) {
		case *etree.CharData:
			if !blank(tok.Data) {
				return errAt(w.root, e, ReasonText)
			}
		case *etree.Element:
			uri, ok := w.ns(tok)
			if !ok {
				return errAt(w.root, tok, ReasonUnboundPrefix)
			}
			w.kids = append(w.kids, tok)
			w.names = append(w.names, qname{uri, tok.Tag})
			w.matched = append(w.matched, nil)
		}
	}
	// The content lives in an arena slot; its index, not a pointer, survives the arena growing.
	slot := len(w.contents)
	w.contents = append(w.contents, content{ct: ct, kids: w.kids[start:], names: w.names[start:], matched: w.matched[start:], e: e, depth: depth})
	var err *Error
	if ct.content != nil {
		err = w.match(slot, ct.content)
	}
	if c := &w.contents[slot]; err == nil && c.i < len(c.kids) {
		err = w.misfit(c, nil)
	}
	w.kids, w.names, w.matched, w.contents = w.kids[:start], w.names[:start], w.matched[:start], w.contents[:slot]
	return err
}

// match consumes the children that particle p takes, greedily: Compile checked the model is
// deterministic, so the greedy choice is the only one. slot indexes the content in w.contents.
func (w *walker) match(slot int, p *particle) *Error {
	c := &w.contents[slot]
	switch p.kind {
	case pElement, pAny:
		n := 0
		for c.i < len(c.kids) && (p.max == unbound || n < p.max) && p.takes(c.names[c.i]) {
			d := p.elem
			if p.kind == pAny {
				if d = w.s.globals[c.names[c.i]]; d == nil { // strict: a declaration must exist
					return w.undeclared(c.kids[c.i], c.names[c.i])
				}
			}
			if err := w.element(c.kids[c.i], d, c.depth+1); err != nil {
				return err
			}
			c = &w.contents[slot] // the walk below may have grown the arena
			c.matched[c.i] = p
			c.i++
			n++
		}
		if n < p.min {
			return w.misfit(c, p)
		}
	case pSequence:
		if p.min == 0 && (c.i == len(c.kids) || !p.starts(c.names[c.i])) {
			return nil
		}
		for _, k := range p.kids {
			if err := w.match(slot, k); err != nil {
				return err
			}
		}
	case pChoice:
		if c.i < len(c.kids) {
			for _, k := range p.kids {
				if k.starts(c.names[c.i]) {
					return w.match(slot, k)
				}
			}
		}
		if !p.nullable {
			return w.misfit(c, p)
		}
	}
	return nil
}

// misfit explains why the child at c.i cannot be taken; expected is the required particle that
// is not satisfied, or nil when the model is complete and children are left over.
func (w *walker) misfit(c *content, expected *particle) *Error {
	if c.i == len(c.kids) {
		return errBelow(w.root, c.e, expected.firstNames(), ReasonMissing)
	}
	kid, name := c.kids[c.i], c.names[c.i]
	decls := c.ct.byName[name]
	for _, p := range c.ct.wilds {
		if p.wild.admits(name) {
			decls = append(decls[:len(decls):len(decls)], p) // a copy: byName is shared
		}
	}
	if len(decls) == 0 {
		if c.ct.byLocal[name.local] {
			return errAt(w.root, kid, ReasonNamespace)
		}
		return errAt(w.root, kid, ReasonUnexpected)
	}
	if c.i > 0 {
		prev := c.matched[c.i-1]
		if slices.Contains(decls, prev) {
			return errAt(w.root, kid, ReasonTooMany)
		}
		for _, d := range decls {
			if choiceRival(prev, d) {
				return errAt(w.root, kid, ReasonChoice)
			}
		}
	}
	if expected == nil {
		return errAt(w.root, kid, ReasonOutOfOrder)
	}
	for j := c.i + 1; j < len(c.kids); j++ {
		if expected.starts(c.names[j]) {
			return errAt(w.root, kid, ReasonOutOfOrder) // what is missing comes later
		}
	}
	return errBelow(w.root, c.e, expected.firstNames(), ReasonMissing)
}

// undeclared reports an element a strict wildcard admits but no global declaration names; a
// declaration of that local name in another namespace makes it a namespace slip.
func (w *walker) undeclared(kid *etree.Element, name qname) *Error {
	if w.s.globLocal[name.local] {
		return errAt(w.root, kid, ReasonNamespace)
	}
	return errAt(w.root, kid, ReasonUnexpected)
}

// ns resolves an element's namespace: its own declarations, then those of the elements being
// walked, then those above the payload. ok is false for an unbound prefix.
func (w *walker) ns(e *etree.Element) (uri string, ok bool) {
	uri, ok = w.lookup(e, e.Space)
	if ok && e.Space != "" && uri == "" {
		return "", false // xmlns:p="" does not bind p in XML 1.0
	}
	return uri, ok
}

func (w *walker) lookup(e *etree.Element, prefix string) (string, bool) {
	if prefix == "xml" {
		return xmlNS, true
	}
	for _, a := range e.Attr {
		if (prefix == "" && a.Space == "" && a.Key == "xmlns") || (prefix != "" && a.Space == "xmlns" && a.Key == prefix) {
			return a.Value, true
		}
	}
	for i := len(w.scope) - 1; i >= 0; i-- {
		if w.scope[i].prefix == prefix {
			return w.scope[i].uri, true
		}
	}
	return lookupPrefix(w.outer, prefix)
}

// lookupPrefix finds the namespace bound to prefix ("" for the default) at e, walking up.
// No default declaration means no namespace; an undeclared prefix is unbound.
func lookupPrefix(e *etree.Element, prefix string) (string, bool) {
	if prefix == "xml" {
		return xmlNS, true
	}
	for n := e; n != nil; n = n.Parent() {
		for _, a := range n.Attr {
			if (prefix == "" && a.Space == "" && a.Key == "xmlns") || (prefix != "" && a.Space == "xmlns" && a.Key == prefix) {
				return a.Value, true
			}
		}
	}
	return "", prefix == ""
}

// blank tells whether s is XML whitespace only, which element-only content may hold.
func blank(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isXMLSpace(rune(s[i])) {
			return false
		}
	}
	return true
}
