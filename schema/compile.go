package schema

import (
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"

	"github.com/beevik/etree"
)

// Schema is a compiled set of XSD files, ready to validate payloads. It is read-only after
// Compile and safe for concurrent use.
type Schema struct {
	tns       string
	roots     map[qname]*elemDecl // the global elements of the first file's namespace
	rootLocal map[string]bool
	globals   map[qname]*elemDecl // every global element, for a strict xs:any
	globLocal map[string]bool
}

// Compile reads the schema files (xs:import and xs:include are resolved inside fsys) and
// prepares the global elements of the first file's targetNamespace as the roots Validate accepts
// (global elements of the other namespaces are reached through element references and xs:any).
// It fails, naming the construct and the file, on anything it cannot enforce faithfully.
func Compile(fsys fs.FS, files ...string) (*Schema, error) {
	if len(files) == 0 {
		return nil, fmt.Errorf("schema: no schema file given")
	}
	l := &loader{
		fsys:     fsys,
		loaded:   map[string]string{},
		simpleR:  map[qname]*raw{},
		complexR: map[qname]*raw{},
		elemR:    map[qname]*raw{},
		attrR:    map[qname]*raw{},
		elems:    map[qname]*elemDecl{},
		attrs:    map[qname]*attrDecl{},
		simple:   map[qname]*simpleType{},
		complex:  map[qname]*complexType{},
		state:    map[qname]uint8{},
	}
	for i, f := range files {
		tns, err := l.load(path.Clean(f), nil, "")
		if err != nil {
			return nil, err
		}
		if i == 0 {
			l.tns = tns
		}
	}
	return l.build()
}

// raw is a top-level schema component not yet resolved.
type raw struct {
	el  *etree.Element
	doc *schemaDoc
}

type schemaDoc struct {
	file      string
	tns       string
	qualified bool // elementFormDefault="qualified": its local elements carry tns
}

type loader struct {
	fsys     fs.FS
	tns      string
	loaded   map[string]string // file → its targetNamespace
	order    []*raw            // global components in reading order, for stable errors
	simpleR  map[qname]*raw
	complexR map[qname]*raw
	elemR    map[qname]*raw
	attrR    map[qname]*raw

	elems   map[qname]*elemDecl
	attrs   map[qname]*attrDecl
	simple  map[qname]*simpleType
	complex map[qname]*complexType
	state   map[qname]uint8 // complex types: 1 while its base is being resolved, 2 when done
	models  []model         // every complex type, indexed once all is resolved
}

// at names a schema component for a Compile error: file and component path.
type at struct {
	file string
	path string
}

func (a at) in(step string) at { return at{a.file, a.path + "/" + step} }

func (a at) fail(format string, args ...any) error {
	return fmt.Errorf("schema: %s: %s: %s", a.file, strings.TrimPrefix(a.path, "/"), fmt.Sprintf(format, args...))
}

// load reads one schema document; wantTNS is checked when from (the import or include) is set.
func (l *loader) load(file string, from *at, wantTNS string) (string, error) {
	where := at{file: file, path: "/schema"}
	if from != nil {
		where = *from
	}
	if tns, ok := l.loaded[file]; ok {
		if from != nil && tns != wantTNS {
			return "", where.fail("%s has targetNamespace %q, expected %q", file, tns, wantTNS)
		}
		return tns, nil
	}
	if len(l.loaded) >= maxSchemaFiles {
		return "", where.fail("more than %d schema files", maxSchemaFiles)
	}
	if !fs.ValidPath(file) {
		return "", where.fail("schema location %q is outside the schema file system", file)
	}
	b, err := fs.ReadFile(l.fsys, file)
	if err != nil {
		return "", where.fail("cannot read %s: %v", file, err)
	}
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(b); err != nil {
		return "", where.fail("%s is not XML: %v", file, err)
	}
	root := doc.Root()
	here := at{file: file, path: "/schema"}
	if root == nil || root.Tag != "schema" || nsOf(root) != xsNS {
		return "", here.fail("not an XML Schema document")
	}
	tns := root.SelectAttrValue("targetNamespace", "")
	l.loaded[file] = tns
	if from != nil && tns != wantTNS {
		return "", from.fail("%s has targetNamespace %q, expected %q", file, tns, wantTNS)
	}
	if tns == "" {
		return "", here.fail("a schema without targetNamespace is not supported")
	}
	if err := allowAttrs(root, here, "targetNamespace", "elementFormDefault", "attributeFormDefault", "version", "id", "blockDefault", "finalDefault"); err != nil {
		return "", err
	}
	sd := &schemaDoc{file: file, tns: tns}
	switch v := root.SelectAttrValue("elementFormDefault", "unqualified"); v {
	case "qualified", "unqualified":
		sd.qualified = v == "qualified"
	default:
		return "", here.fail("bad elementFormDefault=%q", v)
	}
	if root.SelectAttrValue("attributeFormDefault", "unqualified") != "unqualified" {
		return "", here.fail("attributeFormDefault=\"qualified\" is not supported")
	}
	for _, c := range root.ChildElements() {
		name := c.SelectAttrValue("name", "")
		step := here.in(xsLocal(c) + name)
		if nsOf(c) != xsNS {
			return "", step.fail("element %s is not an XML Schema construct", c.Tag)
		}
		switch c.Tag {
		case "annotation":
		case "import", "include":
			if err := allowAttrs(c, step, "namespace", "schemaLocation", "id"); err != nil {
				return "", err
			}
			loc := c.SelectAttrValue("schemaLocation", "")
			if loc == "" || strings.Contains(loc, ":") {
				return "", step.fail("xs:%s needs a relative schemaLocation inside the schema file system", c.Tag)
			}
			want := tns
			if c.Tag == "import" {
				want = c.SelectAttrValue("namespace", "")
				if want == tns || want == "" {
					return "", step.fail("xs:import of namespace %q", want)
				}
			}
			if _, err := l.load(path.Join(path.Dir(file), loc), &step, want); err != nil {
				return "", err
			}
		case "simpleType", "complexType", "element", "attribute":
			if name == "" {
				return "", step.fail("a top-level xs:%s needs a name", c.Tag)
			}
			qn := qname{tns, name}
			r := &raw{el: c, doc: sd}
			switch c.Tag {
			case "element", "attribute":
				reg := l.elemR
				if c.Tag == "attribute" {
					reg = l.attrR
				}
				if reg[qn] != nil {
					return "", step.fail("%s %s declared twice", c.Tag, name)
				}
				reg[qn] = r
			default:
				if l.simpleR[qn] != nil || l.complexR[qn] != nil {
					return "", step.fail("type %s declared twice", name)
				}
				if c.Tag == "simpleType" {
					l.simpleR[qn] = r
				} else {
					l.complexR[qn] = r
				}
			}
			l.order = append(l.order, r)
		default:
			return "", step.fail("xs:%s is not supported", c.Tag)
		}
	}
	return tns, nil
}

// build resolves every top-level component (used or not, so that a refused construct anywhere
// fails now rather than when a new operation starts using it) and keeps the roots.
func (l *loader) build() (*Schema, error) {
	s := &Schema{tns: l.tns, roots: map[qname]*elemDecl{}, rootLocal: map[string]bool{}, globals: map[qname]*elemDecl{}, globLocal: map[string]bool{}}
	for _, r := range l.order {
		qn := qname{r.doc.tns, r.el.SelectAttrValue("name", "")}
		where := at{file: r.doc.file, path: "/" + r.el.Tag + " " + qn.local}
		switch r.el.Tag {
		case "simpleType":
			if _, err := l.simpleType(qn, where); err != nil {
				return nil, err
			}
		case "complexType":
			if _, err := l.complexType(qn, where, false); err != nil {
				return nil, err
			}
		case "attribute":
			if _, err := l.globalAttribute(qn, where); err != nil {
				return nil, err
			}
		case "element":
			d, err := l.globalElement(qn, where)
			if err != nil {
				return nil, err
			}
			s.globals[qn] = d
			s.globLocal[qn.local] = true
			if qn.space == l.tns {
				s.roots[qn] = d
				s.rootLocal[qn.local] = true
			}
		}
	}
	for _, m := range l.models {
		if err := m.index(); err != nil {
			return nil, err
		}
	}
	if len(s.roots) == 0 {
		return nil, fmt.Errorf("schema: no global element in namespace %q", l.tns)
	}
	return s, nil
}

// allowAttrs refuses an unqualified attribute outside the list: an attribute we do not know
// (default, fixed, substitutionGroup…) may change the meaning, so it is named, not ignored.
// Attributes in other namespaces are annotations and do not change validation.
func allowAttrs(n *etree.Element, where at, names ...string) error {
	for _, a := range n.Attr {
		if a.Space != "" || a.Key == "xmlns" || slices.Contains(names, a.Key) {
			continue
		}
		return where.fail("%s=%q on xs:%s is not supported", a.Key, a.Value, n.Tag)
	}
	return nil
}

func isXS(n *etree.Element, local string) bool { return n.Tag == local && nsOf(n) == xsNS }

func xsLocal(n *etree.Element) string {
	if n.SelectAttrValue("name", "") == "" {
		return n.Tag
	}
	return n.Tag + " "
}

// nsOf is an element's namespace in a schema document (which we trust: an unbound prefix just
// resolves to no namespace and fails as "not an XML Schema construct").
func nsOf(n *etree.Element) string {
	uri, _ := lookupPrefix(n, n.Space)
	return uri
}

// resolveQName resolves a QName-valued attribute (type="tns:X") in the element's scope.
func resolveQName(n *etree.Element, v string, where at) (qname, error) {
	v = strings.TrimSpace(v)
	prefix, local, found := strings.Cut(v, ":")
	if !found {
		prefix, local = "", v
	}
	if local == "" {
		return qname{}, where.fail("empty QName")
	}
	uri, ok := lookupPrefix(n, prefix)
	if !ok && prefix != "" {
		return qname{}, where.fail("prefix %q of %q is not declared", prefix, v)
	}
	return qname{uri, local}, nil
}
