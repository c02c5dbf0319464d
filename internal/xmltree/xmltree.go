// Package xmltree reads the common shape of an XML message into the tree etree builds from it,
// without encoding/xml's tokenizer; anything else is left to etree.
package xmltree

import (
	"bytes"
	"encoding/xml"
	"strconv"
	"unicode/utf8"

	"github.com/beevik/etree"
)

// Read builds, for the common shape of a SOAP request — an optional XML declaration, then
// one element with attributes, text, the predefined entities and character references — the very
// tree etree.ReadFromBytes builds with ReadSettings{MaxDepth: maxDepth, PreserveDuplicateAttrs:
// true} (with etree's defaults too, as it takes no repeated attribute),
// without encoding/xml's tokenizer, which cost a signed consult about a tenth of its CPU. It
// takes nothing etree would refuse and builds nothing etree would build otherwise: anything else
// (a comment, CDATA, a processing instruction, a DOCTYPE, a CR, a repeated attribute, a non-ASCII
// name, text outside the root, too deep a tree, any doubt) gives ok false, and the door parses
// with etree as before. xmltree_test.go holds it to etree token for token, and FuzzRead on
// any input. The door reads requests with it (server.readEnvelope), the verifier its
// canonical SignedInfo.
func Read(body []byte, maxDepth int) (doc *etree.Document, ok bool) {
	if !doorChars(body) || bytes.IndexByte(body, '\r') >= 0 {
		return nil, false // encoding/xml rewrites line ends: left to it
	}
	p := &quickParser{in: body, maxDepth: maxDepth}
	doc = etree.NewDocument()
	if bytes.HasPrefix(body, []byte("<?xml")) {
		// The declaration goes through encoding/xml itself: its version and encoding checks and
		// its token are exactly etree's.
		end := bytes.Index(body, []byte("?>"))
		if end < 0 {
			return nil, false
		}
		tok, err := xml.NewDecoder(bytes.NewReader(body[:end+2])).RawToken()
		pi, isPI := tok.(xml.ProcInst)
		if err != nil || !isPI || pi.Target != "xml" {
			return nil, false
		}
		doc.CreateProcInst(pi.Target, string(pi.Inst))
		p.pos = end + 2
	}
	root := false
	for p.pos < len(p.in) {
		start := p.pos
		for p.pos < len(p.in) && isXMLSpace(p.in[p.pos]) {
			p.pos++
		}
		if p.pos > start {
			p.text(&doc.Element, p.in[start:p.pos])
		}
		if p.pos == len(p.in) {
			break
		}
		if root || p.in[p.pos] != '<' || !p.element(&doc.Element, 1) {
			return nil, false
		}
		root = true
	}
	if !root {
		return nil, false
	}
	return doc, true
}

type quickParser struct {
	in       []byte
	pos      int
	maxDepth int
}

// text adds a run of character data to el, flagged as etree flags it (white space or not).
func (p *quickParser) text(el *etree.Element, s []byte) {
	el.CreateText("").SetData(string(s))
}

// element reads one element at nesting depth (the root is 1) from its '<' to past its end tag.
func (p *quickParser) element(parent *etree.Element, depth int) bool {
	if depth > p.maxDepth {
		return false // etree's ErrMaxDepth, from etree
	}
	p.pos++ // '<'
	name, ok := p.name()
	if !ok {
		return false
	}
	el := parent.CreateElement(string(name))
	for {
		sp := p.space()
		if p.pos >= len(p.in) {
			return false
		}
		switch p.in[p.pos] {
		case '>':
			p.pos++
			return p.content(el, name, depth)
		case '/':
			if p.pos+1 >= len(p.in) || p.in[p.pos+1] != '>' {
				return false
			}
			p.pos += 2
			return true
		}
		if !sp {
			return false
		}
		key, ok := p.name()
		if !ok {
			return false
		}
		p.space()
		if p.pos >= len(p.in) || p.in[p.pos] != '=' {
			return false
		}
		p.pos++
		p.space()
		if p.pos >= len(p.in) || (p.in[p.pos] != '"' && p.in[p.pos] != '\'') {
			return false
		}
		q := p.in[p.pos]
		end := bytes.IndexByte(p.in[p.pos+1:], q)
		if end < 0 {
			return false
		}
		val, ok := doorUnescape(p.in[p.pos+1 : p.pos+1+end])
		if !ok {
			return false
		}
		p.pos += end + 2
		if el.SelectAttr(string(key)) != nil {
			return false // repeated: etree keeps both (PreserveDuplicateAttrs), for checkTree to refuse
		}
		el.CreateAttr(string(key), val)
	}
}

// content reads el's children up to and past its end tag </name>.
func (p *quickParser) content(el *etree.Element, name []byte, depth int) bool {
	for p.pos < len(p.in) {
		if p.in[p.pos] != '<' {
			start := p.pos
			for p.pos < len(p.in) && p.in[p.pos] != '<' {
				p.pos++
			}
			s, ok := doorUnescape(p.in[start:p.pos])
			if !ok {
				return false
			}
			p.text(el, []byte(s))
			continue
		}
		if p.pos+1 < len(p.in) && p.in[p.pos+1] == '/' {
			p.pos += 2
			end, ok := p.name()
			if !ok || !bytes.Equal(end, name) {
				return false
			}
			p.space()
			if p.pos >= len(p.in) || p.in[p.pos] != '>' {
				return false
			}
			p.pos++
			return true
		}
		if p.pos+1 >= len(p.in) || !isASCIINameStart(p.in[p.pos+1]) {
			return false // comment, CDATA, processing instruction, DOCTYPE
		}
		if !p.element(el, depth+1) {
			return false
		}
	}
	return false
}

func (p *quickParser) space() bool {
	start := p.pos
	for p.pos < len(p.in) && isXMLSpace(p.in[p.pos]) {
		p.pos++
	}
	return p.pos > start
}

// name reads an ASCII name with at most one colon, neither first nor last: split as etree
// and encoding/xml both split it.
func (p *quickParser) name() ([]byte, bool) {
	start := p.pos
	if p.pos >= len(p.in) || !isASCIINameStart(p.in[p.pos]) {
		return nil, false
	}
	colon := -1
	for ; p.pos < len(p.in); p.pos++ {
		c := p.in[p.pos]
		if c == ':' && colon < 0 {
			colon = p.pos
			continue
		}
		if !isASCIINameStart(c) && c != '-' && c != '.' && (c < '0' || c > '9') {
			break
		}
	}
	if colon >= 0 && (colon == p.pos-1 || !isASCIINameStart(p.in[colon+1])) {
		return nil, false
	}
	return p.in[start:p.pos], true
}

func isASCIINameStart(c byte) bool {
	return c == '_' || ('a' <= c && c <= 'z') || ('A' <= c && c <= 'Z')
}

func isXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// doorUnescape decodes text or an attribute value as encoding/xml does, or refuses it: a CR
// (encoding/xml rewrites line ends), '<', "]]>", an entity other than the five predefined, a
// character reference to a character XML forbids.
func doorUnescape(s []byte) (string, bool) {
	if bytes.IndexAny(s, "&<\r") < 0 && !bytes.Contains(s, []byte("]]>")) {
		return string(s), true
	}
	if bytes.IndexAny(s, "<\r") >= 0 || bytes.Contains(s, []byte("]]>")) {
		return "", false
	}
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] != '&' {
			out = append(out, s[i])
			continue
		}
		end := bytes.IndexByte(s[i:], ';')
		if end < 0 {
			return "", false
		}
		ref := s[i+1 : i+end]
		i += end
		switch string(ref) {
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
			if len(ref) < 2 || ref[0] != '#' {
				return "", false
			}
			base, digits := 10, ref[1:]
			if digits[0] == 'x' {
				base, digits = 16, digits[1:]
			}
			if len(digits) == 0 || len(digits) > 8 || !allDigits(digits, base) {
				return "", false
			}
			n, err := strconv.ParseUint(string(digits), base, 32)
			if err != nil || !isXMLChar(rune(n)) {
				return "", false
			}
			out = utf8.AppendRune(out, rune(n))
		}
	}
	return string(out), true
}

func allDigits(s []byte, base int) bool {
	for _, c := range s {
		ok := '0' <= c && c <= '9' || base == 16 && ('a' <= c && c <= 'f' || 'A' <= c && c <= 'F')
		if !ok {
			return false
		}
	}
	return true
}

// doorChars tells whether b is UTF-8 of characters XML allows, without a byte order mark.
func doorChars(b []byte) bool {
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
		if r == utf8.RuneError && n == 1 || r == 0xFEFF || !isXMLChar(r) {
			return false
		}
		i += n
	}
	return true
}

func isXMLChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}
