package wssec

import (
	"bytes"
	"errors"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// errFragment is the byte canonicalizer's refusal: the fragment uses a construct it leaves to the
// tree path (a comment, CDATA, a processing instruction, a DOCTYPE, a non-ASCII name, a literal
// CR or a tab or newline in an attribute value) or is not well-formed. Callers fall back to
// parsing it into a tree, which accepts or refuses it on its own terms.
var errFragment = errors.New("c14n: fragment outside the byte canonicalizer's subset")

// fragment canonicalizes one standalone element given as bytes — the gateway's own answers, as
// encoding/xml writes them — straight from the bytes, without building a tree: the exclusive
// canonical form it would have as the only child of an element whose context is given (the
// Body: the bindings in scope and those its canonical form renders). Its output equals
// excC14N of the same element parsed into that context (c14n_bytes_test.go checks it against
// the tree canonicalizer and goxmldsig's, and fuzzes it). Names and values are slices of the
// input: only a namespace declaration or a value with a reference allocates.
type fragment struct {
	in       []byte
	pos      int
	out      []byte
	scope    []binding // in scope in the input
	rendered []binding // rendered by output ancestors
	listed   []string  // InclusiveNamespaces PrefixList
	attrs    []fragAttr
	raw      []rawAttr
	// qnames collects, in document order, the prefixes in scope used inside a leaf element's text
	// or an xsi:type value (qnamePrefixes' rule): the Body reference must list them.
	qnames []string
}

// rawAttr is an attribute as read: its name, its prefix ("" none) and local part, its value
// (references decoded).
type rawAttr struct{ name, prefix, local, value []byte }

// fragAttr is one attribute or namespace declaration to write, with its sort key (canonAttr's).
type fragAttr struct {
	rank int    // 0 default namespace declaration, 1 prefix declaration, 2 attribute
	ns   string // an attribute's namespace URI
	key  []byte // the declared prefix, or the attribute's local name
	name []byte // an attribute's name as written; nil for a declaration
	text string // a declaration's URI
	val  []byte // an attribute's value
}

// canonicalFragment returns the canonical form of the standalone element in b placed in the
// context (scope, rendered), with listed as the PrefixList, and the QName prefixes it uses.
func canonicalFragment(b []byte, scope, rendered []binding, listed []string) ([]byte, []string, error) {
	f := &fragment{in: b, out: make([]byte, 0, len(b)+len(b)/8), listed: listed,
		scope: append(make([]binding, 0, len(scope)+8), scope...), rendered: append(make([]binding, 0, len(rendered)+8), rendered...),
		attrs: make([]fragAttr, 0, 8), raw: make([]rawAttr, 0, 8)}
	if err := f.document(); err != nil {
		return nil, nil, err
	}
	return f.out, f.qnames, nil
}

func (f *fragment) document() error {
	if !validChars(f.in) {
		return errFragment
	}
	f.skipSpace()
	if !f.peek('<') || f.pos+1 >= len(f.in) || !isNameStart(f.in[f.pos+1]) {
		return errFragment
	}
	if err := f.element(); err != nil {
		return err
	}
	f.skipSpace()
	if f.pos != len(f.in) {
		return errFragment
	}
	return nil
}

// element reads one element from f.pos (at its '<') to past its end tag, writing its canonical form.
func (f *fragment) element() error {
	f.pos++ // '<'
	name, ok := f.name()
	if !ok {
		return errFragment
	}
	raw := f.raw[:0]
	empty := false
	for {
		sp := f.skipSpace()
		if f.pos >= len(f.in) {
			return errFragment
		}
		if f.in[f.pos] == '>' {
			f.pos++
			break
		}
		if f.in[f.pos] == '/' {
			if f.pos+1 >= len(f.in) || f.in[f.pos+1] != '>' {
				return errFragment
			}
			f.pos += 2
			empty = true
			break
		}
		if !sp {
			return errFragment
		}
		key, ok := f.name()
		if !ok {
			return errFragment
		}
		f.skipSpace()
		if !f.peek('=') {
			return errFragment
		}
		f.pos++
		f.skipSpace()
		val, ok := f.attrValue()
		if !ok {
			return errFragment
		}
		p, l := split(key)
		for _, r := range raw {
			if bytes.Equal(r.name, key) {
				return errFragment // XML forbids it; the tree keeps only one
			}
		}
		raw = append(raw, rawAttr{key, p, l, val})
	}
	f.raw = raw[:0] // reused by the children once this element's attributes are written
	scopeMark, renderedMark := len(f.scope), len(f.rendered)
	for _, a := range raw {
		switch {
		case string(a.prefix) == "xmlns":
			if (string(a.local) == "xml" && string(a.value) != nsXML) || string(a.local) == "xmlns" || len(a.value) == 0 {
				return errFragment
			}
			f.scope = append(f.scope, binding{string(a.local), string(a.value)})
		case len(a.prefix) == 0 && string(a.local) == "xmlns":
			if string(a.value) == nsXMLNS {
				return errFragment
			}
			f.scope = append(f.scope, binding{"", string(a.value)})
		}
	}
	prefix, _ := split(name)
	attrs := f.attrs[:0]
	if err := f.render(&attrs, prefix); err != nil {
		return err
	}
	for _, a := range raw {
		switch {
		case string(a.prefix) == "xmlns":
			if slices.Contains(f.listed, string(a.local)) {
				if err := f.render(&attrs, a.local); err != nil {
					return err
				}
			}
		case len(a.prefix) == 0 && string(a.local) == "xmlns":
		default:
			ns := ""
			if len(a.prefix) > 0 {
				if err := f.render(&attrs, a.prefix); err != nil {
					return err
				}
				ns, _ = lookupBytes(f.scope, a.prefix)
			}
			if string(a.local) == "type" && ns == nsXSI {
				f.qname(a.value)
			}
			attrs = append(attrs, fragAttr{rank: 2, ns: ns, key: a.local, name: a.name, val: a.value})
		}
	}
	slices.SortStableFunc(attrs, func(x, y fragAttr) int {
		if x.rank != y.rank {
			return x.rank - y.rank
		}
		if x.ns != y.ns {
			return strings.Compare(x.ns, y.ns)
		}
		return bytes.Compare(x.key, y.key)
	})
	f.out = append(f.out, '<')
	f.out = append(f.out, name...)
	for _, a := range attrs {
		switch a.rank {
		case 0:
			f.out = append(f.out, ` xmlns="`...)
			f.out = appendEscaped(f.out, a.text, true)
		case 1:
			f.out = append(f.out, ` xmlns:`...)
			f.out = append(f.out, a.key...)
			f.out = append(f.out, '=', '"')
			f.out = appendEscaped(f.out, a.text, true)
		default:
			f.out = append(f.out, ' ')
			f.out = append(f.out, a.name...)
			f.out = append(f.out, '=', '"')
			f.out = appendEscaped(f.out, a.val, true)
		}
		f.out = append(f.out, '"')
	}
	f.out = append(f.out, '>')
	f.attrs = attrs[:0]
	if !empty {
		if err := f.content(name); err != nil {
			return err
		}
	}
	f.out = append(f.out, "</"...)
	f.out = append(f.out, name...)
	f.out = append(f.out, '>')
	f.scope, f.rendered = f.scope[:scopeMark], f.rendered[:renderedMark]
	return nil
}

// content reads an element's children up to and past its end tag </name>.
func (f *fragment) content(name []byte) error {
	var leafText []byte // a leaf has at most one run of text: the QName rule looks at it
	children := false
	for {
		if f.pos >= len(f.in) {
			return errFragment
		}
		c := f.in[f.pos]
		switch {
		case c == '<' && f.pos+1 < len(f.in) && f.in[f.pos+1] == '/':
			f.pos += 2
			end, ok := f.name()
			if !ok || !bytes.Equal(end, name) {
				return errFragment
			}
			f.skipSpace()
			if !f.peek('>') {
				return errFragment
			}
			f.pos++
			if !children {
				f.qname(leafText)
			}
			return nil
		case c == '<':
			if f.pos+1 >= len(f.in) || !isNameStart(f.in[f.pos+1]) {
				return errFragment // comment, CDATA, PI, DOCTYPE
			}
			children = true
			if err := f.element(); err != nil {
				return err
			}
		default:
			start := f.pos
			for f.pos < len(f.in) && f.in[f.pos] != '<' {
				f.pos++
			}
			s, ok := unescape(f.in[start:f.pos], false)
			if !ok {
				return errFragment
			}
			f.out = appendEscaped(f.out, s, false)
			leafText = s
		}
	}
}

// render adds the declaration of prefix unless an output ancestor (or this element) rendered it.
func (f *fragment) render(attrs *[]fragAttr, prefix []byte) error {
	uri, ok := lookupBytes(f.scope, prefix)
	if !ok {
		return errFragment
	}
	if done, ok := lookupBytes(f.rendered, prefix); ok && done == uri {
		return nil
	}
	f.rendered = append(f.rendered, binding{string(prefix), uri})
	if len(prefix) == 0 {
		*attrs = append(*attrs, fragAttr{rank: 0, text: uri})
	} else {
		*attrs = append(*attrs, fragAttr{rank: 1, key: prefix, text: uri})
	}
	return nil
}

func lookupBytes(bs []binding, prefix []byte) (string, bool) {
	for i := len(bs) - 1; i >= 0; i-- {
		if bs[i].prefix == string(prefix) {
			return bs[i].uri, true
		}
	}
	return "", false
}

// qname applies qnamePrefixes' rule to a leaf's text or an xsi:type value.
func (f *fragment) qname(s []byte) {
	i := bytes.IndexByte(s, ':')
	if i < 0 {
		return
	}
	s = bytes.TrimSpace(s)
	i = bytes.IndexByte(s, ':')
	if i <= 0 || i > 64 || bytes.ContainsAny(s, " \t\r\n/") {
		return
	}
	p := s[:i]
	if string(p) == "xml" || string(p) == "xmlns" || slices.Contains(f.qnames, string(p)) {
		return
	}
	if uri, ok := lookupBytes(f.scope, p); ok && uri != "" {
		f.qnames = append(f.qnames, string(p))
	}
}

func (f *fragment) peek(c byte) bool { return f.pos < len(f.in) && f.in[f.pos] == c }

// skipSpace skips XML white space and tells whether there was any.
func (f *fragment) skipSpace() bool {
	start := f.pos
	for f.pos < len(f.in) {
		switch f.in[f.pos] {
		case ' ', '\t', '\n', '\r':
			f.pos++
			continue
		}
		break
	}
	return f.pos > start
}

// name reads an ASCII XML name with at most one colon, neither first nor last.
func (f *fragment) name() ([]byte, bool) {
	start := f.pos
	if f.pos >= len(f.in) || !isNameStart(f.in[f.pos]) {
		return nil, false
	}
	colon := -1
	for f.pos < len(f.in) {
		c := f.in[f.pos]
		switch {
		case isNameStart(c) || c == '-' || c == '.' || ('0' <= c && c <= '9'):
		case c == ':' && colon < 0:
			colon = f.pos
		default:
			goto done
		}
		f.pos++
	}
done:
	if colon == f.pos-1 || (colon >= 0 && !isNameStart(f.in[colon+1])) {
		return nil, false
	}
	return f.in[start:f.pos], true
}

func isNameStart(c byte) bool { return c == '_' || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z') }

// attrValue reads a quoted attribute value and decodes its references.
func (f *fragment) attrValue() ([]byte, bool) {
	if f.pos >= len(f.in) || (f.in[f.pos] != '"' && f.in[f.pos] != '\'') {
		return nil, false
	}
	q := f.in[f.pos]
	f.pos++
	end := bytes.IndexByte(f.in[f.pos:], q)
	if end < 0 {
		return nil, false
	}
	raw := f.in[f.pos : f.pos+end]
	f.pos += end + 1
	return unescape(raw, true)
}

func split(name []byte) (prefix, local []byte) {
	if i := bytes.IndexByte(name, ':'); i >= 0 {
		return name[:i], name[i+1:]
	}
	return nil, name
}

// unescape decodes the predefined entities and character references of s (s itself when it has
// none). It refuses a literal CR (a parser would rewrite it), '<', an unknown entity, and in an
// attribute a literal tab or newline (a parser may normalise them to spaces).
func unescape(s []byte, attr bool) ([]byte, bool) {
	if bytes.IndexAny(s, "&<\r") < 0 && (!attr || bytes.IndexAny(s, "\t\n") < 0) {
		return s, true
	}
	var out []byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '<' || c == '\r':
			return nil, false
		case attr && (c == '\t' || c == '\n'):
			return nil, false
		case c != '&':
			out = append(out, c)
			continue
		}
		end := bytes.IndexByte(s[i:], ';')
		if end < 0 {
			return nil, false
		}
		ref := string(s[i+1 : i+end])
		i += end
		switch ref {
		case "amp":
			out = append(out, '&')
		case "lt":
			out = append(out, '<')
		case "gt":
			out = append(out, '>')
		case "quot":
			out = append(out, '"')
		case "apos":
			out = append(out, '\'')
		default:
			r, ok := charRef(ref)
			if !ok {
				return nil, false
			}
			out = utf8.AppendRune(out, r)
		}
	}
	return out, true
}

// charRef decodes the body of a character reference (#10, #xA) to a character XML allows.
func charRef(ref string) (rune, bool) {
	if len(ref) < 2 || ref[0] != '#' {
		return 0, false
	}
	base, digits := 10, ref[1:]
	if digits[0] == 'x' {
		base, digits = 16, digits[1:]
	}
	if digits == "" || digits[0] == '+' || digits[0] == '-' {
		return 0, false
	}
	n, err := strconv.ParseUint(digits, base, 32)
	if err != nil || !xmlChar(rune(n)) {
		return 0, false
	}
	return rune(n), true
}

// validChars tells whether b is UTF-8 of characters XML allows.
func validChars(b []byte) bool {
	for i := 0; i < len(b); {
		c := b[i]
		if c < utf8.RuneSelf {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' {
				return false
			}
			i++
			continue
		}
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n == 1 || !xmlChar(r) {
			return false
		}
		i += n
	}
	return true
}

func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// appendEscaped writes s escaped as exclusive c14n does in text or in an attribute value.
func appendEscaped[T string | []byte](out []byte, s T, attr bool) []byte {
	last := 0
	for i := 0; i < len(s); i++ {
		var esc string
		switch s[i] {
		case '&':
			esc = "&amp;"
		case '<':
			esc = "&lt;"
		case '>':
			if attr {
				continue
			}
			esc = "&gt;"
		case '"':
			if !attr {
				continue
			}
			esc = "&quot;"
		case '\t':
			if !attr {
				continue
			}
			esc = "&#x9;"
		case '\n':
			if !attr {
				continue
			}
			esc = "&#xA;"
		case '\r':
			esc = "&#xD;"
		default:
			continue
		}
		out = append(out, s[last:i]...)
		out = append(out, esc...)
		last = i + 1
	}
	return append(out, s[last:]...)
}
