package wssec

import (
	"bytes"
	"sort"

	"github.com/beevik/etree"
	"github.com/russellhaering/goxmldsig/etreeutils"
)

// excC14NReference is the canonicalizer the gateway used before its own one-pass writer
// (c14n.go): goxmldsig's exclusive transform on a detached copy, then a writer that sorts
// attributes by namespace URI. The differential tests and FuzzC14N hold excC14N to it.
// goxmldsig's canonicalizer mutates its input, so it works on a detached copy.
func excC14NReference(el *etree.Element, prefixList string) ([]byte, error) {
	ctx, err := parentContextRef(el)
	if err != nil {
		return nil, err
	}
	cp, err := etreeutils.NSDetatch(ctx, el)
	if err != nil {
		return nil, err
	}
	if err := etreeutils.TransformExcC14n(cp, prefixList, false); err != nil {
		return nil, err
	}
	// The apex has no output parent, so an undeclaration of the default namespace is superfluous.
	removeEmptyDefaultNSRef(cp)
	var buf bytes.Buffer
	writeCanonicalRef(&buf, cp)
	return buf.Bytes(), nil
}

// parentContextRef collects the namespace declarations in scope at el's parent. It starts from
// EmptyNSContext, which carries no traversal budget: goxmldsig's default budget of 1000 nodes
// rejects ordinary large Bodies, and the verifier keeps its own budget.
func parentContextRef(el *etree.Element) (etreeutils.NSContext, error) {
	var chain []*etree.Element
	for p := el.Parent(); p != nil; p = p.Parent() {
		chain = append(chain, p)
	}
	ctx := etreeutils.EmptyNSContext
	for i := len(chain) - 1; i >= 0; i-- {
		var err error
		if ctx, err = ctx.SubContext(chain[i]); err != nil {
			return ctx, err
		}
	}
	return ctx, nil
}

func removeEmptyDefaultNSRef(el *etree.Element) {
	out := el.Attr[:0]
	for _, a := range el.Attr {
		if a.Space == "" && a.Key == "xmlns" && a.Value == "" {
			continue
		}
		out = append(out, a)
	}
	el.Attr = out
}

// writeCanonicalRef serializes a tree that TransformExcC14n has prepared. It sorts attributes the
// way C14N requires (by namespace URI, then local name; goxmldsig sorts prefixed attributes by
// local name only) and writes text and attribute values with the C14N escapes. CDATA sections
// are written as text, comments were removed by the transform.
func writeCanonicalRef(buf *bytes.Buffer, el *etree.Element) {
	sortAttrsRef(el)
	buf.WriteByte('<')
	buf.WriteString(el.FullTag())
	for _, a := range el.Attr {
		buf.WriteByte(' ')
		buf.WriteString(a.FullKey())
		buf.WriteString(`="`)
		escapeAttr(buf, a.Value)
		buf.WriteByte('"')
	}
	buf.WriteByte('>')
	for _, t := range el.Child {
		switch c := t.(type) {
		case *etree.Element:
			writeCanonicalRef(buf, c)
		case *etree.CharData:
			escapeText(buf, c.Data)
		case *etree.ProcInst:
			buf.WriteString("<?")
			buf.WriteString(c.Target)
			if c.Inst != "" {
				buf.WriteByte(' ')
				buf.WriteString(c.Inst)
			}
			buf.WriteString("?>")
		}
	}
	buf.WriteString("</")
	buf.WriteString(el.FullTag())
	buf.WriteByte('>')
}

func sortAttrsRef(el *etree.Element) {
	if len(el.Attr) < 2 {
		return
	}
	type keyed struct {
		a       etree.Attr
		rank    int // 0 default ns decl, 1 prefix decl, 2 attribute
		ns, key string
	}
	ks := make([]keyed, len(el.Attr))
	for i, a := range el.Attr {
		k := keyed{a: a, key: a.Key}
		switch {
		case a.Space == "" && a.Key == "xmlns":
			k.rank = 0
		case a.Space == "xmlns":
			k.rank = 1
		default:
			k.rank = 2
			if a.Space != "" {
				k.ns = lookupPrefix(el, a.Space)
			}
		}
		ks[i] = k
	}
	sort.SliceStable(ks, func(i, j int) bool {
		if ks[i].rank != ks[j].rank {
			return ks[i].rank < ks[j].rank
		}
		if ks[i].ns != ks[j].ns {
			return ks[i].ns < ks[j].ns
		}
		return ks[i].key < ks[j].key
	})
	for i := range ks {
		el.Attr[i] = ks[i].a
	}
}
