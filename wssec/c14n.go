package wssec

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/beevik/etree"
)

var errBudget = errors.New("canonicalization element budget exhausted")

// nsXMLNS is the namespace of the xmlns prefix itself, which may never be declared.
const nsXMLNS = "http://www.w3.org/2000/xmlns/"

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

// binding is one namespace declaration: prefix ("" the default namespace) → URI ("" none).
type binding struct{ prefix, uri string }

// canonicalizer writes the exclusive canonical form (without comments) of a subtree in one
// pass over the document as it stands: no copy of the tree, no map per element. Two stacks of
// bindings stand for the namespace context: those in scope in the input, and those rendered by
// the output ancestors; an element pushes onto them and pops when it ends.
type canonicalizer struct {
	buf      bytes.Buffer
	scope    []binding
	rendered []binding
	listed   []string // the InclusiveNamespaces PrefixList
	attrs    []canonAttr
	skip     *etree.Element // left out with its subtree (an enveloped signature), or nil
}

// canonAttr is one attribute or namespace declaration to write, with its sort key.
type canonAttr struct {
	rank       int // 0 default namespace declaration, 1 prefix declaration, 2 attribute
	ns, key    string
	name, text string
}

func lookup(bs []binding, prefix string) (string, bool) {
	for i := len(bs) - 1; i >= 0; i-- {
		if bs[i].prefix == prefix {
			return bs[i].uri, true
		}
	}
	return "", false
}

// excC14N returns the exclusive canonical form (without comments) of el as it stands in its
// document, honouring an InclusiveNamespaces PrefixList. The document is not modified.
//
// A listed prefix is rendered where the element itself declares it (at the apex: wherever it is in
// scope), as goxmldsig's transform does; goxmldsig's canonicalizer is the reference of the
// differential tests and the fuzz target (c14n_reference_test.go). Where the two differ, this one
// follows the recommendation: an xmlns="" is written only to undo a default namespace that an
// output ancestor rendered.
func excC14N(el *etree.Element, prefixList string, b *budget) ([]byte, error) {
	return excC14NSkipping(el, nil, prefixList, b)
}

// excC14NSkipping is excC14N with the element skip (a descendant of el, or nil) left out: the
// enveloped-signature transform followed by exc-c14n, for a signature inside what it signs.
func excC14NSkipping(el, skip *etree.Element, prefixList string, b *budget) ([]byte, error) {
	if err := b.charge(el); err != nil {
		return nil, err
	}
	c := &canonicalizer{listed: strings.Fields(prefixList), skip: skip,
		scope:    []binding{{"", ""}, {"xml", nsXML}, {"xmlns", nsXMLNS}},
		rendered: []binding{{"", ""}, {"xml", nsXML}, {"xmlns", nsXMLNS}}}
	var chain []*etree.Element
	for p := el.Parent(); p != nil; p = p.Parent() {
		chain = append(chain, p)
	}
	for i := len(chain) - 1; i >= 0; i-- {
		if err := c.declare(chain[i]); err != nil {
			return nil, err
		}
	}
	if err := c.element(el, true); err != nil {
		return nil, err
	}
	return c.buf.Bytes(), nil
}

// declare pushes el's namespace declarations onto the scope, refusing those XML forbids.
func (c *canonicalizer) declare(el *etree.Element) error {
	for _, a := range el.Attr {
		switch {
		case a.Space == "xmlns":
			if (a.Key == "xml" && a.Value != nsXML) || a.Key == "xmlns" {
				return fmt.Errorf("c14n: reserved prefix %q declared", a.Key)
			}
			c.scope = append(c.scope, binding{a.Key, a.Value})
		case a.Space == "" && a.Key == "xmlns":
			if a.Value == nsXMLNS {
				return errors.New("c14n: the xmlns namespace declared as the default")
			}
			c.scope = append(c.scope, binding{"", a.Value})
		}
	}
	return nil
}

func (c *canonicalizer) isListed(prefix string) bool { return slices.Contains(c.listed, prefix) }

// element writes el and its subtree.
func (c *canonicalizer) element(el *etree.Element, apex bool) error {
	scopeMark, renderedMark := len(c.scope), len(c.rendered)
	if err := c.declare(el); err != nil {
		return err
	}
	attrs := c.attrs[:0]
	// The prefixes el visibly utilizes: its own, its attributes', and the listed ones it
	// declares (at the apex, every listed one in scope).
	if err := c.render(&attrs, el.Space); err != nil {
		return err
	}
	for _, a := range el.Attr {
		switch {
		case a.Space == "xmlns":
			if c.isListed(a.Key) {
				if err := c.render(&attrs, a.Key); err != nil {
					return err
				}
			}
		case a.Space == "" && a.Key == "xmlns":
		default:
			if a.Space != "" {
				if err := c.render(&attrs, a.Space); err != nil {
					return err
				}
			}
			ns, _ := lookup(c.scope, a.Space)
			if a.Space == "" {
				ns = ""
			}
			attrs = append(attrs, canonAttr{rank: 2, ns: ns, key: a.Key, name: a.FullKey(), text: a.Value})
		}
	}
	if apex {
		for _, p := range c.listed {
			if _, ok := lookup(c.scope, p); ok && p != "xml" && p != "xmlns" {
				if err := c.render(&attrs, p); err != nil {
					return err
				}
			}
		}
	}
	slices.SortStableFunc(attrs, func(x, y canonAttr) int {
		if x.rank != y.rank {
			return x.rank - y.rank
		}
		if x.ns != y.ns {
			return strings.Compare(x.ns, y.ns)
		}
		return strings.Compare(x.key, y.key)
	})
	tag := el.FullTag()
	c.buf.WriteByte('<')
	c.buf.WriteString(tag)
	for _, a := range attrs {
		c.buf.WriteByte(' ')
		c.buf.WriteString(a.name)
		c.buf.WriteString(`="`)
		escapeAttr(&c.buf, a.text)
		c.buf.WriteByte('"')
	}
	c.buf.WriteByte('>')
	c.attrs = attrs[:0] // reused by the children: this element's are written
	for _, t := range el.Child {
		switch ch := t.(type) {
		case *etree.Element:
			if ch == c.skip {
				continue
			}
			if err := c.element(ch, false); err != nil {
				return err
			}
		case *etree.CharData:
			escapeText(&c.buf, ch.Data)
		case *etree.ProcInst:
			c.buf.WriteString("<?")
			c.buf.WriteString(ch.Target)
			if ch.Inst != "" {
				c.buf.WriteByte(' ')
				c.buf.WriteString(ch.Inst)
			}
			c.buf.WriteString("?>")
		}
	}
	c.buf.WriteString("</")
	c.buf.WriteString(tag)
	c.buf.WriteByte('>')
	c.scope, c.rendered = c.scope[:scopeMark], c.rendered[:renderedMark]
	return nil
}

// render adds the declaration of prefix to attrs unless an output ancestor (or this element)
// already rendered the same binding. An undeclared prefix is an error.
func (c *canonicalizer) render(attrs *[]canonAttr, prefix string) error {
	uri, ok := lookup(c.scope, prefix)
	if !ok {
		return fmt.Errorf("c14n: undeclared namespace prefix %q", prefix)
	}
	if done, ok := lookup(c.rendered, prefix); ok && done == uri {
		return nil
	}
	c.rendered = append(c.rendered, binding{prefix, uri})
	if prefix == "" {
		*attrs = append(*attrs, canonAttr{rank: 0, name: "xmlns", text: uri})
	} else {
		*attrs = append(*attrs, canonAttr{rank: 1, key: prefix, name: "xmlns:" + prefix, text: uri})
	}
	return nil
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
