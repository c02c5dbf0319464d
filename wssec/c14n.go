package wssec

import (
	"bytes"
	"errors"
	"sort"
	"strings"

	"github.com/beevik/etree"
	"github.com/russellhaering/goxmldsig/etreeutils"
)

var errBudget = errors.New("canonicalization element budget exhausted")

// budget is the number of elements a message may still have canonicalized; nil means unlimited.
type budget struct{ left int }

func (b *budget) charge(el *etree.Element) error {
	if b == nil {
		return nil
	}
	stack := []*etree.Element{el}
	for len(stack) > 0 {
		n := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		b.left--
		if b.left < 0 {
			return errBudget
		}
		for _, t := range n.Child {
			if c, ok := t.(*etree.Element); ok {
				stack = append(stack, c)
			}
		}
	}
	return nil
}

// excC14N returns the exclusive canonical form (without comments) of el as it stands in its
// document, honouring an InclusiveNamespaces PrefixList. The document is not modified: goxmldsig's
// canonicalizer mutates its input, so it works on a detached copy.
func excC14N(el *etree.Element, prefixList string, b *budget) ([]byte, error) {
	if err := b.charge(el); err != nil {
		return nil, err
	}
	ctx, err := parentContext(el)
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
	removeEmptyDefaultNS(cp)
	var buf bytes.Buffer
	writeCanonical(&buf, cp)
	return buf.Bytes(), nil
}

// parentContext collects the namespace declarations in scope at el's parent. It starts from
// EmptyNSContext, which carries no traversal budget: goxmldsig's default budget of 1000 nodes
// rejects ordinary large Bodies, and the verifier keeps its own budget.
func parentContext(el *etree.Element) (etreeutils.NSContext, error) {
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

func removeEmptyDefaultNS(el *etree.Element) {
	out := el.Attr[:0]
	for _, a := range el.Attr {
		if a.Space == "" && a.Key == "xmlns" && a.Value == "" {
			continue
		}
		out = append(out, a)
	}
	el.Attr = out
}

// writeCanonical serializes a tree that TransformExcC14n has prepared. It sorts attributes the
// way C14N requires (by namespace URI, then local name; goxmldsig sorts prefixed attributes by
// local name only) and writes text and attribute values with the C14N escapes. CDATA sections
// are written as text, comments were removed by the transform.
func writeCanonical(buf *bytes.Buffer, el *etree.Element) {
	sortAttrs(el)
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
			writeCanonical(buf, c)
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

func sortAttrs(el *etree.Element) {
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

// lookupPrefix resolves a namespace prefix at el by walking up its declarations. It does not use
// etree's Attr.NamespaceURI, which follows the attribute's original element even on copies.
func lookupPrefix(el *etree.Element, prefix string) string {
	if prefix == "xml" {
		return nsXML
	}
	for e := el; e != nil; e = e.Parent() {
		for _, a := range e.Attr {
			if a.Space == "xmlns" && a.Key == prefix {
				return a.Value
			}
		}
	}
	return ""
}

// attrNS is the namespace URI of attribute a of el ("" when unprefixed).
func attrNS(el *etree.Element, a *etree.Attr) string {
	if a.Space == "" {
		return ""
	}
	return lookupPrefix(el, a.Space)
}

var (
	textEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", "\r", "&#xD;")
	attrEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", `"`, "&quot;", "\t", "&#x9;", "\n", "&#xA;", "\r", "&#xD;")
)

func escapeText(buf *bytes.Buffer, s string) { _, _ = textEscaper.WriteString(buf, s) }
func escapeAttr(buf *bytes.Buffer, s string) { _, _ = attrEscaper.WriteString(buf, s) }
