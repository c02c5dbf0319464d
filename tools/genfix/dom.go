package main

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// node is a minimal XML tree that keeps the in-scope namespace declarations of every element,
// because XSD attribute values such as type="tns:Foo" are QNames that encoding/xml does not resolve.
type node struct {
	name     xml.Name          // namespace URI + local name
	attrs    map[string]string // unqualified attributes only (XSD's own attributes are unqualified)
	ns       map[string]string // prefix → URI in scope ("" is the default namespace)
	children []*node
	text     string // concatenated character data (used for xs:documentation)
	file     string // where the node came from, for error messages
	line     int
}

// maxSchemaDepth bounds the tree so a malformed contract cannot exhaust memory; real XSDs nest < 30 deep.
const maxSchemaDepth = 256

func parseFile(path string) (*node, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return parseTree(f, path)
}

func parseTree(r io.Reader, file string) (*node, error) {
	dec := xml.NewDecoder(r)
	var stack []*node
	var root *node
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", file, err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack) >= maxSchemaDepth {
				return nil, fmt.Errorf("%s: nesting deeper than %d", file, maxSchemaDepth)
			}
			line, _ := dec.InputPos()
			n := &node{name: t.Name, attrs: map[string]string{}, ns: map[string]string{}, file: file, line: line}
			if len(stack) > 0 {
				for k, v := range stack[len(stack)-1].ns {
					n.ns[k] = v
				}
			}
			for _, a := range t.Attr {
				switch {
				case a.Name.Space == "" && a.Name.Local == "xmlns":
					n.ns[""] = a.Value
				case a.Name.Space == "xmlns":
					n.ns[a.Name.Local] = a.Value
				case a.Name.Space == "":
					n.attrs[a.Name.Local] = a.Value
				}
			}
			if len(stack) > 0 {
				p := stack[len(stack)-1]
				p.children = append(p.children, n)
			} else {
				root = n
			}
			stack = append(stack, n)
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		case xml.CharData:
			if len(stack) > 0 {
				stack[len(stack)-1].text += string(t)
			}
		}
	}
	if root == nil {
		return nil, fmt.Errorf("%s: no root element", file)
	}
	return root, nil
}

// where names the node's position for error messages.
func (n *node) where() string {
	return fmt.Sprintf("%s:%d", n.file, n.line)
}

// qname resolves a QName-valued attribute (e.g. type="tns:Foo") against the node's namespace scope.
func (n *node) qname(attr string) (xml.Name, error) {
	v := strings.TrimSpace(n.attrs[attr])
	prefix, local, ok := strings.Cut(v, ":")
	if !ok {
		local, prefix = prefix, ""
	}
	uri, found := n.ns[prefix]
	if !found && prefix == "xml" {
		uri, found = xmlNS, true // bound by the Namespaces specification itself, declared or not
	}
	if !found && prefix != "" {
		return xml.Name{}, fmt.Errorf("%s: %s=%q uses an undeclared prefix %q", n.where(), attr, v, prefix)
	}
	return xml.Name{Space: uri, Local: local}, nil
}
