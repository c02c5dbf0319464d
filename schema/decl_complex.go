package schema

import (
	"strconv"
	"strings"

	"github.com/beevik/etree"
)

// globalElement resolves a global element declaration once: an element ref and the roots share
// it, and it is registered before its type is read so that a type may contain it (StatusCode).
func (l *loader) globalElement(qn qname, where at) (*elemDecl, error) {
	if d := l.elems[qn]; d != nil {
		return d, nil
	}
	r := l.elemR[qn]
	if r == nil {
		return nil, where.fail("unknown element %s in namespace %q", qn.local, qn.space)
	}
	here := at{r.doc.file, "/element " + qn.local}
	if err := allowAttrs(r.el, here, "name", "type", "id", "block", "final"); err != nil {
		return nil, err
	}
	d := &elemDecl{name: qn}
	l.elems[qn] = d
	return d, l.elementType(d, r.el, r.doc, here)
}

// elementType fills d's type from a type attribute or an anonymous simple or complex type.
func (l *loader) elementType(d *elemDecl, el *etree.Element, sd *schemaDoc, where at) error {
	typeAttr := el.SelectAttr("type")
	for _, c := range el.ChildElements() {
		if nsOf(c) != xsNS {
			return where.fail("element %s is not an XML Schema construct", c.Tag)
		}
		switch {
		case c.Tag == "annotation":
		case (c.Tag == "simpleType" || c.Tag == "complexType") && typeAttr == nil && d.simple == nil && d.complex == nil:
			var err error
			if c.Tag == "simpleType" {
				d.simple, err = l.simpleDef(c, sd, where.in("simpleType"), "")
			} else {
				d.complex, err = l.complexDef(c, sd, where.in("complexType"), "")
			}
			if err != nil {
				return err
			}
		default:
			return where.fail("xs:%s in an element declaration is not supported", c.Tag)
		}
	}
	if typeAttr != nil {
		qn, err := resolveQName(el, typeAttr.Value, where)
		if err != nil {
			return err
		}
		if l.complexR[qn] != nil {
			d.complex, err = l.complexType(qn, where, false)
		} else {
			d.simple, err = l.simpleType(qn, where)
		}
		return err
	}
	if d.simple == nil && d.complex == nil {
		return where.fail("an element without a type (xs:anyType) is not supported")
	}
	return nil
}

// complexType resolves a named complex type. The object is registered before its content is
// read, so a type may contain itself through an element (asBase false: the pointer is enough);
// an extension base (asBase true) must be complete, so only an extension loop fails.
func (l *loader) complexType(qn qname, where at, asBase bool) (*complexType, error) {
	if qn.space == xsNS {
		return nil, where.fail("type xs:%s is not supported yet", qn.local)
	}
	switch l.state[qn] {
	case 2:
		return l.complex[qn], nil
	case 1:
		if !asBase {
			return l.complex[qn], nil
		}
		// An extension loop, or a base whose content refers to a type derived from it (valid XSD,
		// not supported: the base's model must be complete before the extension copies it).
		return nil, where.fail("complex type %s is used as an extension base while being defined: the derivation loops", qn.local)
	}
	r := l.complexR[qn]
	if r == nil {
		return nil, where.fail("unknown complex type %s", qn.local)
	}
	ct := &complexType{name: qn.local}
	l.complex[qn] = ct
	l.state[qn] = 1
	if err := l.fillComplex(ct, r.el, r.doc, at{r.doc.file, "/complexType " + qn.local}); err != nil {
		return nil, err
	}
	l.state[qn] = 2
	return ct, nil
}

func (l *loader) complexDef(n *etree.Element, sd *schemaDoc, where at, name string) (*complexType, error) {
	ct := &complexType{name: name}
	return ct, l.fillComplex(ct, n, sd, where)
}

func (l *loader) fillComplex(ct *complexType, n *etree.Element, sd *schemaDoc, where at) error {
	if err := allowAttrs(n, where, "name", "id", "final", "block", "mixed", "abstract"); err != nil {
		return err
	}
	for _, a := range []string{"mixed", "abstract"} {
		if v := n.SelectAttrValue(a, "false"); v != "false" {
			return where.fail("%s=%q on a complexType is not supported", a, v)
		}
	}
	var model *particle
	contents := 0 // a model group, complexContent or simpleContent: at most one
	for _, c := range n.ChildElements() {
		if nsOf(c) != xsNS {
			return where.fail("element %s is not an XML Schema construct", c.Tag)
		}
		switch c.Tag {
		case "sequence", "choice", "complexContent", "simpleContent":
			if contents++; contents > 1 {
				return where.fail("a second content model (xs:%s) is not XSD", c.Tag)
			}
		}
		var err error
		switch c.Tag {
		case "annotation":
		case "sequence", "choice":
			model, err = l.group(c, sd, where.in(c.Tag))
		case "attribute":
			err = l.attribute(ct, c, sd, where)
		case "complexContent":
			err = l.complexContent(ct, c, sd, where.in("complexContent"))
		case "simpleContent":
			err = l.simpleContent(ct, c, sd, where.in("simpleContent"))
		default:
			err = where.fail("xs:%s is not supported yet", c.Tag)
		}
		if err != nil {
			return err
		}
	}
	if model != nil {
		ct.content = model
	}
	return l.finishModel(ct, where)
}

// finishModel checks determinism; the type is indexed once Compile has resolved everything.
func (l *loader) finishModel(ct *complexType, where at) error {
	l.models = append(l.models, model{ct, where})
	if ct.content == nil {
		return nil
	}
	if _, msg := analyse(ct.content, nil); msg != "" {
		return where.fail("%s", msg)
	}
	return nil
}

// model is a complex type to index when Compile has resolved every declaration.
type model struct {
	ct    *complexType
	where at
}

// index lists the particles of a type's content by name for diagnostics, and checks that one
// name has one type (XSD's Element Declarations Consistent). It runs after every declaration is
// complete: a global element being resolved has no type yet.
func (m model) index() error {
	ct := m.ct
	ct.byName = map[qname][]*particle{}
	ct.byLocal = map[string]bool{}
	var walk func(p *particle) error
	walk = func(p *particle) error {
		switch p.kind {
		case pElement:
			for _, q := range ct.byName[p.elem.name] {
				if q.elem != p.elem && (q.elem.simple != p.elem.simple || q.elem.complex != p.elem.complex) {
					return m.where.fail("element %s is declared twice with different types", p.elem.name.local)
				}
			}
			ct.byName[p.elem.name] = append(ct.byName[p.elem.name], p)
			ct.byLocal[p.elem.name.local] = true
		case pAny:
			ct.wilds = append(ct.wilds, p)
		}
		for _, k := range p.kids {
			if err := walk(k); err != nil {
				return err
			}
		}
		return nil
	}
	if ct.content == nil {
		return nil
	}
	return walk(ct.content)
}

func (l *loader) complexContent(ct *complexType, n *etree.Element, sd *schemaDoc, where at) error {
	if err := allowAttrs(n, where, "id", "mixed"); err != nil {
		return err
	}
	if v := n.SelectAttrValue("mixed", "false"); v != "false" {
		return where.fail("mixed=%q is not supported", v)
	}
	ext, bq, where, err := extension(n, "complexContent", where)
	if err != nil {
		return err
	}
	base, err := l.complexType(bq, where, true)
	if err != nil {
		return err
	}
	if base.value != nil {
		return where.fail("complexContent extension of simple-content type %s is not supported", bq.local)
	}
	ct.attrs = append(ct.attrs, base.attrs...)
	var model *particle
	for _, c := range ext.ChildElements() {
		if nsOf(c) != xsNS {
			return where.fail("element %s is not an XML Schema construct", c.Tag)
		}
		switch c.Tag {
		case "annotation":
		case "sequence", "choice":
			if model != nil {
				return where.fail("a second model group is not XSD")
			}
			if model, err = l.group(c, sd, where.in(c.Tag)); err != nil {
				return err
			}
		case "attribute":
			if err := l.attribute(ct, c, sd, where); err != nil {
				return err
			}
		default:
			return where.fail("xs:%s in an extension is not supported yet", c.Tag)
		}
	}
	// The derived content is the base's particles followed by the extension's.
	switch {
	case base.content == nil:
		ct.content = model
	case model == nil:
		ct.content = base.content.clone(nil)
	default:
		seq := &particle{kind: pSequence, min: 1, max: 1}
		seq.kids = []*particle{base.content.clone(seq), model}
		model.parent = seq
		ct.content = seq
	}
	return nil
}

func (l *loader) simpleContent(ct *complexType, n *etree.Element, sd *schemaDoc, where at) error {
	if err := allowAttrs(n, where, "id"); err != nil {
		return err
	}
	ext, bq, where, err := extension(n, "simpleContent", where)
	if err != nil {
		return err
	}
	if l.complexR[bq] != nil {
		return where.fail("simpleContent extension of complex type %s is not supported yet", bq.local)
	}
	if ct.value, err = l.simpleType(bq, where); err != nil {
		return err
	}
	for _, c := range ext.ChildElements() {
		switch {
		case isXS(c, "annotation"):
		case isXS(c, "attribute"):
			if err := l.attribute(ct, c, sd, where); err != nil {
				return err
			}
		default:
			return where.fail("xs:%s in a simpleContent extension is not supported yet", c.Tag)
		}
	}
	return nil
}

func (l *loader) attribute(ct *complexType, n *etree.Element, sd *schemaDoc, where at) error {
	var a *attrDecl
	if ref := n.SelectAttr("ref"); ref != nil {
		where = where.in("attribute ref " + ref.Value)
		if err := allowAttrs(n, where, "ref", "use", "id"); err != nil {
			return err
		}
		for _, c := range n.ChildElements() {
			if !isXS(c, "annotation") {
				return where.fail("xs:%s in an attribute reference is not supported", c.Tag)
			}
		}
		qn, err := resolveQName(n, ref.Value, where)
		if err != nil {
			return err
		}
		g, err := l.globalAttribute(qn, where)
		if err != nil {
			return err
		}
		a = &attrDecl{name: g.name, typ: g.typ}
	} else {
		name := n.SelectAttrValue("name", "")
		where = where.in("attribute " + name)
		if err := allowAttrs(n, where, "name", "type", "use", "id", "form"); err != nil {
			return err
		}
		if name == "" {
			return where.fail("xs:attribute without a name")
		}
		if v := n.SelectAttrValue("form", "unqualified"); v != "unqualified" {
			return where.fail("form=%q on an attribute is not supported", v)
		}
		typ, err := l.attributeType(n, sd, where)
		if err != nil {
			return err
		}
		a = &attrDecl{name: qname{"", name}, typ: typ}
	}
	switch use := n.SelectAttrValue("use", "optional"); use {
	case "required":
		a.required = true
	case "optional":
	case "prohibited":
		return nil // not declared, so refused when present
	default:
		return where.fail("bad use=%q", use)
	}
	for _, b := range ct.attrs {
		if b.name == a.name {
			return where.fail("attribute %s declared twice", a.name.local)
		}
	}
	ct.attrs = append(ct.attrs, a)
	return nil
}

// globalAttribute resolves a top-level xs:attribute (xml:lang from xml.xsd) once.
func (l *loader) globalAttribute(qn qname, where at) (*attrDecl, error) {
	if a := l.attrs[qn]; a != nil {
		return a, nil
	}
	r := l.attrR[qn]
	if r == nil {
		return nil, where.fail("unknown attribute %s in namespace %q", qn.local, qn.space)
	}
	here := at{r.doc.file, "/attribute " + qn.local}
	if err := allowAttrs(r.el, here, "name", "type", "id"); err != nil {
		return nil, err
	}
	typ, err := l.attributeType(r.el, r.doc, here)
	if err != nil {
		return nil, err
	}
	a := &attrDecl{name: qn, typ: typ}
	l.attrs[qn] = a
	return a, nil
}

// attributeType reads an attribute declaration's type: a type attribute or an anonymous simpleType.
func (l *loader) attributeType(n *etree.Element, sd *schemaDoc, where at) (*simpleType, error) {
	var typ *simpleType
	if t := n.SelectAttr("type"); t != nil {
		qn, err := resolveQName(n, t.Value, where)
		if err != nil {
			return nil, err
		}
		if typ, err = l.simpleType(qn, where); err != nil {
			return nil, err
		}
	}
	for _, c := range n.ChildElements() {
		switch {
		case isXS(c, "annotation"):
		case isXS(c, "simpleType") && typ == nil:
			var err error
			if typ, err = l.simpleDef(c, sd, where.in("simpleType"), ""); err != nil {
				return nil, err
			}
		default:
			return nil, where.fail("xs:%s in an attribute is not supported", c.Tag)
		}
	}
	if typ == nil {
		return nil, where.fail("an attribute without a type (xs:anySimpleType) is not supported")
	}
	return typ, nil
}

// group reads an xs:sequence or xs:choice. A group occurs at most once: a repeated group would
// need backtracking or counting that greedy matching cannot do faithfully.
func (l *loader) group(n *etree.Element, sd *schemaDoc, where at) (*particle, error) {
	if err := allowAttrs(n, where, "id", "minOccurs", "maxOccurs"); err != nil {
		return nil, err
	}
	min, max, err := occurs(n, where)
	if err != nil {
		return nil, err
	}
	if min > 1 || max != 1 {
		return nil, where.fail("xs:%s with minOccurs=%d maxOccurs=%s is not supported", n.Tag, min, maxText(max))
	}
	p := &particle{kind: pSequence, min: min, max: max}
	if n.Tag == "choice" {
		p.kind = pChoice
	}
	for _, c := range n.ChildElements() {
		if nsOf(c) != xsNS {
			return nil, where.fail("element %s is not an XML Schema construct", c.Tag)
		}
		var k *particle
		switch c.Tag {
		case "annotation":
			continue
		case "element":
			k, err = l.localElement(c, sd, where)
		case "sequence", "choice":
			k, err = l.group(c, sd, where.in(c.Tag))
		case "any":
			k, err = l.anyParticle(c, sd, where)
		default:
			err = where.fail("xs:%s is not supported yet", c.Tag)
		}
		if err != nil {
			return nil, err
		}
		k.parent = p
		p.kids = append(p.kids, k)
	}
	if p.kind == pChoice && len(p.kids) == 0 {
		return nil, where.fail("an empty xs:choice is not supported")
	}
	return p, nil
}

// localElement reads an element particle: a local declaration or a reference to a global one.
// A local declaration's name is qualified when its own schema document says so (form, else
// elementFormDefault): a type keeps the rule of the document that declares it wherever it is used.
func (l *loader) localElement(n *etree.Element, sd *schemaDoc, where at) (*particle, error) {
	if ref := n.SelectAttr("ref"); ref != nil {
		where = where.in("element ref " + ref.Value)
		if err := allowAttrs(n, where, "ref", "minOccurs", "maxOccurs", "id"); err != nil {
			return nil, err
		}
		for _, c := range n.ChildElements() {
			if !isXS(c, "annotation") {
				return nil, where.fail("xs:%s in an element reference is not supported", c.Tag)
			}
		}
		min, max, err := occurs(n, where)
		if err != nil {
			return nil, err
		}
		if max == 0 {
			return nil, where.fail("maxOccurs=\"0\" is not supported")
		}
		qn, err := resolveQName(n, ref.Value, where)
		if err != nil {
			return nil, err
		}
		d, err := l.globalElement(qn, where)
		if err != nil {
			return nil, err
		}
		return &particle{kind: pElement, min: min, max: max, elem: d}, nil
	}
	name := n.SelectAttrValue("name", "")
	where = where.in("element " + name)
	if n.SelectAttrValue("nillable", "false") != "false" {
		return nil, where.fail("nillable elements are not supported")
	}
	if err := allowAttrs(n, where, "name", "type", "minOccurs", "maxOccurs", "form", "id", "block", "nillable"); err != nil {
		return nil, err
	}
	if name == "" {
		return nil, where.fail("xs:element without a name")
	}
	qualified := sd.qualified
	switch form := n.SelectAttrValue("form", ""); form {
	case "":
	case "qualified", "unqualified":
		qualified = form == "qualified"
	default:
		return nil, where.fail("bad form=%q", form)
	}
	min, max, err := occurs(n, where)
	if err != nil {
		return nil, err
	}
	if max == 0 {
		return nil, where.fail("maxOccurs=\"0\" is not supported")
	}
	d := &elemDecl{name: qname{"", name}}
	if qualified {
		d.name.space = sd.tns
	}
	if err := l.elementType(d, n, sd, where); err != nil {
		return nil, err
	}
	return &particle{kind: pElement, min: min, max: max, elem: d}, nil
}

func occurs(n *etree.Element, where at) (min, max int, err error) {
	min, max = 1, 1
	if a := n.SelectAttr("minOccurs"); a != nil {
		if min, err = strconv.Atoi(strings.TrimSpace(a.Value)); err != nil || min < 0 {
			return 0, 0, where.fail("bad minOccurs %q", a.Value)
		}
	}
	if a := n.SelectAttr("maxOccurs"); a != nil {
		v := strings.TrimSpace(a.Value)
		if v == "unbounded" {
			max = unbound
		} else if max, err = strconv.Atoi(v); err != nil || max < 0 {
			return 0, 0, where.fail("bad maxOccurs %q", a.Value)
		}
	}
	if max != unbound && max < min {
		return 0, 0, where.fail("maxOccurs below minOccurs")
	}
	return min, max, nil
}

func maxText(max int) string {
	if max == unbound {
		return "unbounded"
	}
	return strconv.Itoa(max)
}

// extension finds the one xs:extension of a complexContent or simpleContent element (the only
// derivation we support) and resolves its base type's name.
func extension(n *etree.Element, kind string, where at) (*etree.Element, qname, at, error) {
	var ext *etree.Element
	for _, c := range n.ChildElements() {
		switch {
		case isXS(c, "annotation"):
		case isXS(c, "extension") && ext == nil:
			ext = c
		default:
			return nil, qname{}, where, where.fail("xs:%s in %s is not supported", c.Tag, kind)
		}
	}
	if ext == nil {
		return nil, qname{}, where, where.fail("%s without xs:extension", kind)
	}
	where = where.in("extension")
	if err := allowAttrs(ext, where, "base", "id"); err != nil {
		return nil, qname{}, where, err
	}
	bq, err := resolveQName(ext, ext.SelectAttrValue("base", ""), where)
	return ext, bq, where, err
}
