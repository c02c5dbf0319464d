package schema

import (
	"slices"
	"strings"

	"github.com/beevik/etree"
)

// wildcard is the namespace constraint of an xs:any (XSD 1.0 §3.10): any namespace, any but
// one (##other), or a list. Only processContents="strict" is supported, so an element it admits
// must match a global element declaration.
type wildcard struct {
	any   bool     // ##any
	other bool     // ##other: neither notNS nor no namespace (XSD 1.0 §3.10.4, "not")
	notNS string   // the schema's targetNamespace, for ##other
	list  []string // the namespaces allowed; "" stands for ##local (no namespace)
}

func (w *wildcard) admits(n qname) bool {
	switch {
	case w.any:
		return true
	case w.other:
		return n.space != w.notNS && n.space != ""
	default:
		return slices.Contains(w.list, n.space)
	}
}

// intersects tells whether some namespace is admitted by both wildcards.
func (w *wildcard) intersects(v *wildcard) bool {
	switch {
	case w.any || v.any:
		return true
	case w.other && v.other:
		return true // infinitely many namespaces are neither of two
	case w.other:
		return v.admitsSomeOf(w)
	case v.other:
		return w.admitsSomeOf(v)
	}
	for _, ns := range w.list {
		if slices.Contains(v.list, ns) {
			return true
		}
	}
	return false
}

// admitsSomeOf tells whether a list wildcard names a namespace that the ##other wildcard o admits.
func (w *wildcard) admitsSomeOf(o *wildcard) bool {
	for _, ns := range w.list {
		if o.admits(qname{ns, ""}) {
			return true
		}
	}
	return false
}

// anyParticle reads an xs:any. lax and skip are refused: they would let content through that no
// declaration checks, and the contracts do not use them.
func (l *loader) anyParticle(n *etree.Element, sd *schemaDoc, where at) (*particle, error) {
	where = where.in("any")
	if err := allowAttrs(n, where, "namespace", "processContents", "minOccurs", "maxOccurs", "id"); err != nil {
		return nil, err
	}
	if pc := n.SelectAttrValue("processContents", "strict"); pc != "strict" {
		return nil, where.fail("xs:any processContents=%q is not supported", pc)
	}
	for _, c := range n.ChildElements() {
		if !isXS(c, "annotation") {
			return nil, where.fail("xs:%s in xs:any is not supported", c.Tag)
		}
	}
	min, max, err := occurs(n, where)
	if err != nil {
		return nil, err
	}
	if max == 0 {
		return nil, where.fail("maxOccurs=\"0\" is not supported")
	}
	w := &wildcard{}
	tokens := strings.Fields(n.SelectAttrValue("namespace", "##any"))
	switch {
	case len(tokens) == 1 && tokens[0] == "##any":
		w.any = true
	case len(tokens) == 1 && tokens[0] == "##other":
		w.other, w.notNS = true, sd.tns
	default:
		for _, t := range tokens {
			switch {
			case t == "##targetNamespace":
				t = sd.tns
			case t == "##local":
				t = ""
			case strings.HasPrefix(t, "##"):
				return nil, where.fail("bad namespace token %q in xs:any", t)
			}
			if !slices.Contains(w.list, t) {
				w.list = append(w.list, t)
			}
		}
	}
	return &particle{kind: pAny, min: min, max: max, wild: w}, nil
}
