package main

import (
	"encoding/xml"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

const (
	xsNS   = "http://www.w3.org/2001/XMLSchema"
	wsdlNS = "http://schemas.xmlsoap.org/wsdl/"
	// xmlNS is the W3C namespace of xml:lang; encoding/xml writes its attributes with the reserved
	// prefix "xml", so it is the one namespace an attribute may be qualified with.
	xmlNS = "http://www.w3.org/XML/1998/namespace"
)

// unbounded is maxOccurs="unbounded".
const unbounded = -1

// schemaSet is every schema reachable from one WSDL, reduced to what genfix can map faithfully.
// Anything else is refused while loading, so a later mapping step never has to guess.
type schemaSet struct {
	simple    map[xml.Name]*simpleType
	complex   map[xml.Name]*complexType
	elements  map[xml.Name]*topElement
	attrDecls map[xml.Name]*attribute // global xs:attribute declarations, the targets of attribute refs
	portTypes []string
	loaded    map[string]bool // absolute paths of the schema files already read
}

type simpleType struct {
	name  xml.Name
	base  xml.Name // restriction base: an xs: builtin or another named simple type
	enums []string
	doc   string
	at    string
}

type complexType struct {
	name       xml.Name
	base       xml.Name  // complexContent extension base; zero when none
	simpleBase *xml.Name // simpleContent extension base (the value's type); nil for element content
	fields     []*field
	wildcard   *wildcard // an xs:any that is the whole content; nil when none
	attrs      []*attribute
	doc        string
	at         string
}

// wildcard is an xs:any. genfix maps it only as the sole content of a type, to a raw inner-XML
// string: next to elements, encoding/xml's innerxml would swallow them too.
type wildcard struct {
	min, max int
	at       string
}

type field struct {
	name     xml.Name // Space is set only for a qualified element
	typ      xml.Name
	ref      bool // declared as ref="…": resolved against the global elements after loading
	min, max int
	inChoice bool
	// inBranch marks an element of a sequence that is a choice's branch: gowsdl leaves such a
	// sequence out of its struct, so only the XSD speaks for these fields.
	inBranch bool
	doc      string
	at       string
}

type attribute struct {
	space    string // set only for a ref to an attribute of another namespace (xml:lang)
	name     string
	ref      bool // declared as ref="…": its type comes from the global declaration
	typ      xml.Name
	required bool
	doc      string
	at       string
}

type topElement struct {
	name xml.Name
	typ  xml.Name     // zero when the element declares its complexType inline
	anon *complexType // the inline complexType, named after the element
	doc  string
	at   string
}

// schemaCtx is the per-schema-document state while parsing.
type schemaCtx struct {
	tns           string
	qualifiedElem bool
	dir           string
}

func newSchemaSet() *schemaSet {
	return &schemaSet{
		simple:    map[xml.Name]*simpleType{},
		complex:   map[xml.Name]*complexType{},
		elements:  map[xml.Name]*topElement{},
		attrDecls: map[xml.Name]*attribute{},
		loaded:    map[string]bool{},
	}
}

// loadWSDL reads a WSDL 1.1 document, its inline schemas and every schema they import or include.
func loadWSDL(path string) (*schemaSet, error) {
	root, err := parseFile(path)
	if err != nil {
		return nil, err
	}
	if root.name != (xml.Name{Space: wsdlNS, Local: "definitions"}) {
		return nil, fmt.Errorf("%s: not a WSDL 1.1 definitions document", path)
	}
	set := newSchemaSet()
	dir := filepath.Dir(path)
	for _, c := range root.children {
		if c.name.Space != wsdlNS {
			continue
		}
		switch c.name.Local {
		case "types":
			for _, s := range c.children {
				if s.name.Space == wsdlNS && s.name.Local == "documentation" {
					continue
				}
				if s.name != (xml.Name{Space: xsNS, Local: "schema"}) {
					return nil, fmt.Errorf("%s: unsupported construct %s in wsdl:types", s.where(), s.name.Local)
				}
				if err := set.addSchema(s, dir); err != nil {
					return nil, err
				}
			}
		case "portType":
			set.portTypes = append(set.portTypes, c.attrs["name"])
		case "import":
			return nil, fmt.Errorf("%s: unsupported construct wsdl:import", c.where())
		}
	}
	if err := set.resolve(); err != nil {
		return nil, err
	}
	return set, nil
}

func (s *schemaSet) loadSchemaFile(path, wantTNS string, from *node) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	if s.loaded[abs] {
		return nil
	}
	s.loaded[abs] = true
	root, err := parseFile(path)
	if err != nil {
		return fmt.Errorf("%s: %w", from.where(), err)
	}
	if root.name != (xml.Name{Space: xsNS, Local: "schema"}) {
		return fmt.Errorf("%s: %s is not an XML Schema", from.where(), path)
	}
	if got := root.attrs["targetNamespace"]; got != wantTNS {
		return fmt.Errorf("%s: %s has targetNamespace %q, the import or include says %q", from.where(), path, got, wantTNS)
	}
	return s.addSchema(root, filepath.Dir(path))
}

func (s *schemaSet) addSchema(n *node, dir string) error {
	if err := n.allowAttrs("targetNamespace", "elementFormDefault", "attributeFormDefault", "version", "id", "blockDefault", "finalDefault"); err != nil {
		return err
	}
	if v := n.attrs["attributeFormDefault"]; v == "qualified" {
		return fmt.Errorf("%s: unsupported construct attributeFormDefault=\"qualified\" (encoding/xml mangles namespaced attributes)", n.where())
	}
	ctx := &schemaCtx{tns: n.attrs["targetNamespace"], qualifiedElem: n.attrs["elementFormDefault"] == "qualified", dir: dir}
	for _, c := range n.children {
		if c.name.Space != xsNS {
			return fmt.Errorf("%s: unsupported construct %s in xs:schema", c.where(), c.name.Local)
		}
		var err error
		switch c.name.Local {
		case "annotation":
		case "import":
			loc := c.attrs["schemaLocation"]
			if loc == "" {
				err = fmt.Errorf("%s: unsupported construct xs:import without schemaLocation", c.where())
				break
			}
			err = s.loadSchemaFile(filepath.Join(dir, loc), c.attrs["namespace"], c)
		case "include":
			loc := c.attrs["schemaLocation"]
			if loc == "" {
				err = fmt.Errorf("%s: unsupported construct xs:include without schemaLocation", c.where())
				break
			}
			err = s.loadSchemaFile(filepath.Join(dir, loc), ctx.tns, c)
		case "simpleType":
			err = s.addSimpleType(c, ctx)
		case "complexType":
			var ct *complexType
			ct, err = parseComplexType(c, ctx, xml.Name{Space: ctx.tns, Local: c.attrs["name"]})
			if err == nil {
				err = s.addComplex(ct, c)
			}
		case "element":
			err = s.addTopElement(c, ctx)
		case "attribute":
			err = s.addTopAttribute(c, ctx)
		default:
			err = fmt.Errorf("%s: unsupported construct xs:%s at schema level", c.where(), c.name.Local)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (s *schemaSet) addComplex(ct *complexType, n *node) error {
	if ct.name.Local == "" {
		return fmt.Errorf("%s: xs:complexType without a name at schema level", n.where())
	}
	if _, dup := s.complex[ct.name]; dup {
		return fmt.Errorf("%s: complexType %s declared twice", n.where(), ct.name.Local)
	}
	s.complex[ct.name] = ct
	return nil
}

func (s *schemaSet) addSimpleType(n *node, ctx *schemaCtx) error {
	st, err := parseSimpleType(n)
	if err != nil {
		return err
	}
	st.name = xml.Name{Space: ctx.tns, Local: n.attrs["name"]}
	if st.name.Local == "" {
		return fmt.Errorf("%s: xs:simpleType without a name at schema level", n.where())
	}
	if _, dup := s.simple[st.name]; dup {
		return fmt.Errorf("%s: simpleType %s declared twice", n.where(), st.name.Local)
	}
	s.simple[st.name] = st
	return nil
}

func (s *schemaSet) addTopElement(n *node, ctx *schemaCtx) error {
	if err := n.allowAttrs("name", "type", "id", "nillable"); err != nil {
		return err
	}
	if n.attrs["nillable"] == "true" {
		return fmt.Errorf("%s: unsupported construct nillable=\"true\" on element %s", n.where(), n.attrs["name"])
	}
	el := &topElement{name: xml.Name{Space: ctx.tns, Local: n.attrs["name"]}, at: n.where()}
	if _, has := n.attrs["type"]; has {
		t, err := n.qname("type")
		if err != nil {
			return err
		}
		el.typ = t
	}
	for _, c := range n.children {
		switch {
		case c.is("annotation"):
			el.doc = docOf(c)
		case c.is("complexType") && el.typ.Local == "" && el.anon == nil:
			ct, err := parseComplexType(c, ctx, el.name)
			if err != nil {
				return err
			}
			el.anon = ct
		default:
			return fmt.Errorf("%s: unsupported construct xs:%s in element %s", c.where(), c.name.Local, el.name.Local)
		}
	}
	if el.typ.Local == "" && el.anon == nil {
		return fmt.Errorf("%s: unsupported construct: element %s without a type (xs:anyType)", n.where(), el.name.Local)
	}
	if _, dup := s.elements[el.name]; dup {
		return fmt.Errorf("%s: element %s declared twice", n.where(), el.name.Local)
	}
	s.elements[el.name] = el
	return nil
}

// addTopAttribute records a global attribute declaration; it becomes a field only through a ref.
func (s *schemaSet) addTopAttribute(n *node, ctx *schemaCtx) error {
	if err := n.allowAttrs("name", "type", "id"); err != nil {
		return err
	}
	var holder complexType
	holder.name.Local = "the schema"
	if err := holder.addAttribute(n); err != nil {
		return err
	}
	a := holder.attrs[0]
	a.space = ctx.tns
	key := xml.Name{Space: ctx.tns, Local: a.name}
	if a.name == "" {
		return fmt.Errorf("%s: xs:attribute without a name at schema level", n.where())
	}
	if _, dup := s.attrDecls[key]; dup {
		return fmt.Errorf("%s: attribute %s declared twice", n.where(), a.name)
	}
	s.attrDecls[key] = a
	return nil
}

// parseSimpleType reads a named or anonymous xs:simpleType; only restrictions are mapped (facets are
// checked by the XSD, never by Go, so they only need to be recognised).
func parseSimpleType(n *node) (*simpleType, error) {
	if err := n.allowAttrs("name", "id", "final"); err != nil {
		return nil, err
	}
	st := &simpleType{at: n.where()}
	var restr *node
	for _, c := range n.children {
		switch {
		case c.is("annotation"):
			st.doc = docOf(c)
		case c.is("restriction"):
			restr = c
		default:
			return nil, fmt.Errorf("%s: unsupported construct xs:%s in simpleType %q", c.where(), c.name.Local, n.attrs["name"])
		}
	}
	if restr == nil {
		return nil, fmt.Errorf("%s: simpleType %q has no restriction", n.where(), n.attrs["name"])
	}
	if err := restr.allowAttrs("base", "id"); err != nil {
		return nil, err
	}
	if restr.attrs["base"] == "" {
		return nil, fmt.Errorf("%s: unsupported construct xs:restriction without base", restr.where())
	}
	base, err := restr.qname("base")
	if err != nil {
		return nil, err
	}
	st.base = base
	for _, f := range restr.children {
		if f.name.Space != xsNS {
			return nil, fmt.Errorf("%s: unsupported construct %s in xs:restriction", f.where(), f.name.Local)
		}
		switch f.name.Local {
		case "annotation", "pattern", "minLength", "maxLength", "length", "minInclusive", "maxInclusive",
			"minExclusive", "maxExclusive", "totalDigits", "fractionDigits", "whiteSpace":
		case "enumeration":
			st.enums = append(st.enums, f.attrs["value"])
		default:
			return nil, fmt.Errorf("%s: unsupported construct xs:%s in xs:restriction", f.where(), f.name.Local)
		}
	}
	return st, nil
}

func parseComplexType(n *node, ctx *schemaCtx, name xml.Name) (*complexType, error) {
	if err := n.allowAttrs("name", "id", "final", "block", "mixed", "abstract"); err != nil {
		return nil, err
	}
	for _, a := range []string{"mixed", "abstract"} {
		if n.attrs[a] == "true" {
			return nil, fmt.Errorf("%s: unsupported construct %s=\"true\" on complexType %s", n.where(), a, name.Local)
		}
	}
	ct := &complexType{name: name, at: n.where()}
	for _, c := range n.children {
		var err error
		switch {
		case c.is("annotation"):
			ct.doc = docOf(c)
		case c.is("sequence"), c.is("choice"):
			err = ct.addParticle(c, ctx, false)
		case c.is("attribute"):
			err = ct.addAttribute(c)
		case c.is("complexContent"):
			err = ct.addComplexContent(c, ctx)
		case c.is("simpleContent"):
			err = ct.addSimpleContent(c)
		default:
			err = fmt.Errorf("%s: unsupported construct xs:%s in complexType %s", c.where(), c.name.Local, name.Local)
		}
		if err != nil {
			return nil, err
		}
	}
	return ct, nil
}

func (ct *complexType) addComplexContent(n *node, ctx *schemaCtx) error {
	if err := n.allowAttrs("id", "mixed"); err != nil {
		return err
	}
	if n.attrs["mixed"] == "true" {
		return fmt.Errorf("%s: unsupported construct mixed=\"true\" on complexContent of %s", n.where(), ct.name.Local)
	}
	for _, c := range n.children {
		switch {
		case c.is("annotation"):
		case c.is("extension"):
			if err := c.allowAttrs("base", "id"); err != nil {
				return err
			}
			base, err := c.qname("base")
			if err != nil {
				return err
			}
			ct.base = base
			for _, e := range c.children {
				switch {
				case e.is("annotation"):
				case e.is("sequence"), e.is("choice"):
					err = ct.addParticle(e, ctx, false)
				case e.is("attribute"):
					err = ct.addAttribute(e)
				default:
					err = fmt.Errorf("%s: unsupported construct xs:%s in the extension of %s", e.where(), e.name.Local, ct.name.Local)
				}
				if err != nil {
					return err
				}
			}
		default:
			return fmt.Errorf("%s: unsupported construct complexContent/xs:%s in %s", c.where(), c.name.Local, ct.name.Local)
		}
	}
	return nil
}

func (ct *complexType) addSimpleContent(n *node) error {
	for _, c := range n.children {
		switch {
		case c.is("annotation"):
		case c.is("extension"):
			if err := c.allowAttrs("base", "id"); err != nil {
				return err
			}
			base, err := c.qname("base")
			if err != nil {
				return err
			}
			ct.simpleBase = &base
			for _, e := range c.children {
				switch {
				case e.is("annotation"):
				case e.is("attribute"):
					if err := ct.addAttribute(e); err != nil {
						return err
					}
				default:
					return fmt.Errorf("%s: unsupported construct xs:%s in the simpleContent of %s", e.where(), e.name.Local, ct.name.Local)
				}
			}
		default:
			return fmt.Errorf("%s: unsupported construct simpleContent/xs:%s in %s", c.where(), c.name.Local, ct.name.Local)
		}
	}
	return nil
}

// addParticle flattens a model group into fields. A nested sequence is flattened only when it occurs
// exactly once, and a choice only when it occurs at most once: anything else would need a wrapper the
// XML does not have, so it is refused. A sequence that is one branch of a choice (the UMA search
// criteria: a number, or a period and a cover) flattens too: its elements become optional fields like
// any branch's, and they stay in their order; a choice or a wildcard below a choice is refused.
// inChoice says that n sits below a choice.
func (ct *complexType) addParticle(n *node, ctx *schemaCtx, inChoice bool) error {
	if err := n.allowAttrs("id", "minOccurs", "maxOccurs"); err != nil {
		return err
	}
	min, max, err := occurs(n)
	if err != nil {
		return err
	}
	kind := n.name.Local
	switch {
	case kind == "sequence" && (min != 1 || max != 1):
		return fmt.Errorf("%s: unsupported construct xs:sequence with minOccurs=%d maxOccurs=%s in %s", n.where(), min, maxString(max), ct.name.Local)
	case kind == "choice" && inChoice:
		return fmt.Errorf("%s: unsupported construct xs:choice inside xs:choice in %s", n.where(), ct.name.Local)
	case kind == "choice" && max != 1:
		return fmt.Errorf("%s: unsupported construct xs:choice with maxOccurs=%s in %s", n.where(), maxString(max), ct.name.Local)
	}
	for _, c := range n.children {
		var err error
		switch {
		case c.is("annotation"):
		case c.is("element"):
			var f *field
			f, err = parseLocalElement(c, ctx, ct.name.Local)
			if err == nil {
				f.inChoice = inChoice || kind == "choice"
				f.inBranch = inChoice && kind == "sequence"
				ct.fields = append(ct.fields, f)
			}
		case c.is("sequence"), c.is("choice"):
			err = ct.addParticle(c, ctx, inChoice || kind == "choice")
		case c.is("any") && inChoice:
			err = fmt.Errorf("%s: unsupported construct xs:any inside xs:choice in %s", c.where(), ct.name.Local)
		case c.is("any"):
			err = ct.addWildcard(c, kind)
		default:
			err = fmt.Errorf("%s: unsupported construct xs:%s in %s", c.where(), c.name.Local, ct.name.Local)
		}
		if err != nil {
			return err
		}
	}
	return nil
}

func (ct *complexType) addWildcard(n *node, kind string) error {
	if err := n.allowAttrs("id", "minOccurs", "maxOccurs", "namespace", "processContents"); err != nil {
		return err
	}
	if kind != "sequence" {
		return fmt.Errorf("%s: unsupported construct xs:any inside xs:%s in %s", n.where(), kind, ct.name.Local)
	}
	if ct.wildcard != nil {
		return fmt.Errorf("%s: unsupported construct: a second xs:any in %s", n.where(), ct.name.Local)
	}
	min, max, err := occurs(n)
	if err != nil {
		return err
	}
	for _, c := range n.children {
		if !c.is("annotation") {
			return fmt.Errorf("%s: unsupported construct xs:%s in xs:any of %s", c.where(), c.name.Local, ct.name.Local)
		}
	}
	ct.wildcard = &wildcard{min: min, max: max, at: n.where()}
	return nil
}

func parseLocalElement(n *node, ctx *schemaCtx, owner string) (*field, error) {
	if err := n.allowAttrs("name", "type", "ref", "minOccurs", "maxOccurs", "form", "id", "nillable"); err != nil {
		return nil, err
	}
	if n.attrs["nillable"] == "true" {
		return nil, fmt.Errorf("%s: unsupported construct nillable=\"true\" on element %s in %s", n.where(), n.attrs["name"], owner)
	}
	min, max, err := occurs(n)
	if err != nil {
		return nil, err
	}
	if max == 0 {
		return nil, fmt.Errorf("%s: unsupported construct maxOccurs=\"0\" in %s", n.where(), owner)
	}
	f := &field{min: min, max: max, at: n.where()}
	if _, isRef := n.attrs["ref"]; isRef {
		if n.attrs["name"] != "" || n.attrs["type"] != "" || n.attrs["form"] != "" {
			return nil, fmt.Errorf("%s: element ref with name, type or form in %s", n.where(), owner)
		}
		r, err := n.qname("ref")
		if err != nil {
			return nil, err
		}
		f.name, f.ref = r, true
		return f, childDocOnly(n, f)
	}
	f.name.Local = n.attrs["name"]
	if f.name.Local == "" {
		return nil, fmt.Errorf("%s: element without name or ref in %s", n.where(), owner)
	}
	switch form := n.attrs["form"]; {
	case form == "qualified", form == "" && ctx.qualifiedElem:
		f.name.Space = ctx.tns
	}
	if _, has := n.attrs["type"]; has {
		if f.typ, err = n.qname("type"); err != nil {
			return nil, err
		}
		return f, childDocOnly(n, f)
	}
	for _, c := range n.children {
		switch {
		case c.is("annotation"):
			f.doc = docOf(c)
		case c.is("simpleType") && f.typ.Local == "":
			st, err := parseSimpleType(c)
			if err != nil {
				return nil, err
			}
			f.typ = st.base // an anonymous restriction's facets are the XSD's business, not Go's
		default:
			return nil, fmt.Errorf("%s: unsupported construct xs:%s in element %s of %s (anonymous complex types are not mapped)", c.where(), c.name.Local, f.name.Local, owner)
		}
	}
	if f.typ.Local == "" {
		return nil, fmt.Errorf("%s: unsupported construct: element %s of %s without a type (xs:anyType)", n.where(), f.name.Local, owner)
	}
	return f, nil
}

func childDocOnly(n *node, f *field) error {
	for _, c := range n.children {
		if !c.is("annotation") {
			return fmt.Errorf("%s: unsupported construct xs:%s in element %s", c.where(), c.name.Local, f.name.Local)
		}
		f.doc = docOf(c)
	}
	return nil
}

func (ct *complexType) addAttribute(n *node) error {
	if err := n.allowAttrs("name", "type", "use", "form", "id", "ref"); err != nil {
		return err
	}
	if n.attrs["form"] == "qualified" {
		return fmt.Errorf("%s: unsupported construct form=\"qualified\" on attribute %s of %s", n.where(), n.attrs["name"], ct.name.Local)
	}
	a := &attribute{name: n.attrs["name"], at: n.where()}
	if _, isRef := n.attrs["ref"]; isRef {
		if a.name != "" || n.attrs["type"] != "" || n.attrs["form"] != "" {
			return fmt.Errorf("%s: attribute ref with name, type or form in %s", n.where(), ct.name.Local)
		}
		r, err := n.qname("ref")
		if err != nil {
			return err
		}
		if r.Space != xmlNS {
			return fmt.Errorf("%s: unsupported construct: attribute ref %s of %s outside the xml namespace (encoding/xml would invent a prefix for it)", n.where(), qstr(r), ct.name.Local)
		}
		a.space, a.name, a.ref = r.Space, r.Local, true
	}
	switch n.attrs["use"] {
	case "required":
		a.required = true
	case "", "optional":
	default:
		return fmt.Errorf("%s: unsupported construct use=%q on attribute %s of %s", n.where(), n.attrs["use"], a.name, ct.name.Local)
	}
	if _, has := n.attrs["type"]; has {
		t, err := n.qname("type")
		if err != nil {
			return err
		}
		a.typ = t
	}
	for _, c := range n.children {
		switch {
		case c.is("annotation"):
			a.doc = docOf(c)
		case c.is("simpleType") && a.typ.Local == "":
			st, err := parseSimpleType(c)
			if err != nil {
				return err
			}
			a.typ = st.base
		default:
			return fmt.Errorf("%s: unsupported construct xs:%s in attribute %s of %s", c.where(), c.name.Local, a.name, ct.name.Local)
		}
	}
	if a.typ.Local == "" && !a.ref {
		a.typ = xml.Name{Space: xsNS, Local: "anySimpleType"} // refused by the type mapping with its name
	}
	ct.attrs = append(ct.attrs, a)
	return nil
}

// resolve turns element refs into fields and checks that every referenced type exists.
func (s *schemaSet) resolve() error {
	cts := make([]*complexType, 0, len(s.complex)+len(s.elements))
	for _, ct := range s.complex {
		cts = append(cts, ct)
	}
	for _, el := range s.elements {
		if el.anon != nil {
			cts = append(cts, el.anon)
		}
	}
	// Sorted so that, when several things are wrong, the same one is reported every time.
	slices.SortFunc(cts, func(a, b *complexType) int { return strings.Compare(a.at, b.at) })
	for _, ct := range cts {
		for _, f := range ct.fields {
			if f.ref {
				el, ok := s.elements[f.name]
				if !ok {
					return fmt.Errorf("%s: element ref %s in %s names no global element", f.at, f.name.Local, ct.name.Local)
				}
				if el.anon != nil {
					f.typ = el.name // the anonymous type is emitted under the element's name
				} else {
					f.typ = el.typ
				}
			}
		}
		for _, a := range ct.attrs {
			if a.ref {
				decl, ok := s.attrDecls[xml.Name{Space: a.space, Local: a.name}]
				if !ok {
					return fmt.Errorf("%s: attribute ref %s in %s names no global attribute", a.at, a.name, ct.name.Local)
				}
				a.typ = decl.typ
			}
		}
		if ct.wildcard != nil && (len(ct.fields) > 0 || ct.base.Local != "") {
			return fmt.Errorf("%s: unsupported construct xs:any next to elements in %s (a raw inner-XML field would swallow them)", ct.wildcard.at, ct.name.Local)
		}
		if ct.base.Local != "" {
			if b, ok := s.complex[ct.base]; ok && b.wildcard != nil {
				return fmt.Errorf("%s: unsupported construct: %s extends %s, whose content is an xs:any", ct.at, ct.name.Local, ct.base.Local)
			}
			if _, ok := s.complex[ct.base]; !ok {
				return fmt.Errorf("%s: base %s of %s is not a complexType genfix knows", ct.at, ct.base.Local, ct.name.Local)
			}
			if s.complex[ct.base].simpleBase != nil {
				return fmt.Errorf("%s: unsupported construct complexContent extension of simpleContent type %s in %s", ct.at, ct.base.Local, ct.name.Local)
			}
			if ct.simpleBase != nil {
				return fmt.Errorf("%s: %s has both simpleContent and complexContent", ct.at, ct.name.Local)
			}
		}
		if ct.simpleBase != nil && len(ct.fields) > 0 {
			return fmt.Errorf("%s: %s has both simpleContent and elements", ct.at, ct.name.Local)
		}
	}
	// Base chains must end: a loop would make the embedded structs infinite.
	for _, ct := range cts {
		seen := map[xml.Name]bool{}
		for b := ct; b != nil && b.base.Local != ""; b = s.complex[b.base] {
			if seen[b.base] {
				return fmt.Errorf("%s: the extension chain of %s loops", ct.at, ct.name.Local)
			}
			seen[b.base] = true
		}
	}
	return nil
}

func occurs(n *node) (min, max int, err error) {
	min, max = 1, 1
	if v, ok := n.attrs["minOccurs"]; ok {
		if min, err = strconv.Atoi(strings.TrimSpace(v)); err != nil || min < 0 {
			return 0, 0, fmt.Errorf("%s: bad minOccurs %q", n.where(), v)
		}
	}
	if v, ok := n.attrs["maxOccurs"]; ok {
		v = strings.TrimSpace(v)
		if v == "unbounded" {
			max = unbounded
		} else if max, err = strconv.Atoi(v); err != nil || max < 0 {
			return 0, 0, fmt.Errorf("%s: bad maxOccurs %q", n.where(), v)
		}
	}
	if max != unbounded && max < min {
		return 0, 0, fmt.Errorf("%s: maxOccurs below minOccurs", n.where())
	}
	return min, max, nil
}

func maxString(max int) string {
	if max == unbounded {
		return "unbounded"
	}
	return strconv.Itoa(max)
}

func (n *node) is(local string) bool {
	return n.name.Space == xsNS && n.name.Local == local
}

// allowAttrs refuses any unqualified attribute outside the list: an attribute genfix does not know
// (default, fixed, substitutionGroup…) may change the meaning, so it is named rather than ignored.
func (n *node) allowAttrs(names ...string) error {
	keys := make([]string, 0, len(n.attrs))
	for k := range n.attrs {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if !slices.Contains(names, k) {
			return fmt.Errorf("%s: unsupported construct %s=%q on xs:%s %q", n.where(), k, n.attrs[k], n.name.Local, n.attrs["name"])
		}
	}
	return nil
}

func docOf(annotation *node) string {
	var parts []string
	for _, d := range annotation.children {
		if d.is("documentation") {
			if t := strings.TrimSpace(d.text); t != "" {
				parts = append(parts, t)
			}
		}
	}
	return strings.Join(parts, "\n")
}
