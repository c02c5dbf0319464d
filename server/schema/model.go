package schema

import "strings"

// qname is an expanded name; space is "" for an unqualified local element or attribute.
type qname struct{ space, local string }

// elemDecl is an element declaration: exactly one of simple and complex is set.
type elemDecl struct {
	name    qname
	simple  *simpleType
	complex *complexType
}

// complexType is a resolved complex type. With value set it has simple content (text plus
// attributes); otherwise its content is element-only, described by content (nil: empty).
type complexType struct {
	name    string // for messages; "" for an anonymous type
	content *particle
	value   *simpleType
	attrs   []*attrDecl

	byName  map[qname][]*particle // every element particle of content, for diagnostics
	byLocal map[string]bool       // local names of those, to tell a namespace slip from a stranger
}

type attrDecl struct {
	name     string // attributes are unqualified (attributeFormDefault="unqualified")
	typ      *simpleType
	required bool
}

type particleKind uint8

const (
	pElement particleKind = iota
	pSequence
	pChoice
)

// particle is a node of a content model. Groups (sequence, choice) occur at most once (min 0 or
// 1, max 1: Compile refuses repeated groups), so the model can be matched greedily left to right
// once Compile has checked it is deterministic (Unique Particle Attribution).
type particle struct {
	kind     particleKind
	min, max int // max is unbound (-1) for maxOccurs="unbounded"
	elem     *elemDecl
	kids     []*particle
	parent   *particle

	first    []qname // names that can start this particle, in declaration order
	nullable bool
}

func (p *particle) starts(n qname) bool {
	for _, f := range p.first {
		if f == n {
			return true
		}
	}
	return false
}

// firstNames is the particle's possible first elements, for a "missing" path (a|b|c for a choice).
func (p *particle) firstNames() string {
	names := make([]string, len(p.first))
	for i, f := range p.first {
		names[i] = f.local
	}
	return strings.Join(names, "|")
}

// clone copies a model tree so that a derived type's parent links are its own.
func (p *particle) clone(parent *particle) *particle {
	c := *p
	c.parent = parent
	c.kids = make([]*particle, len(p.kids))
	for i, k := range p.kids {
		c.kids[i] = k.clone(&c)
	}
	return &c
}

// choiceRival tells whether prev and next sit in different branches of one choice: the document
// then holds two members of that choice.
func choiceRival(prev, next *particle) bool {
	for a := next; a.parent != nil; a = a.parent {
		if a.parent.kind != pChoice {
			continue
		}
		for b := prev; b.parent != nil; b = b.parent {
			if b.parent == a.parent {
				return b != a
			}
		}
	}
	return false
}

// analyse fills first and nullable bottom-up and returns an error text when the model is not
// deterministic; open is the set of names some earlier particle (or a skipped optional one)
// could still take at this point.
func analyse(p *particle, open []qname) ([]qname, string) {
	switch p.kind {
	case pElement:
		p.first = []qname{p.elem.name}
		p.nullable = p.min == 0
		if has(open, p.elem.name) {
			return nil, "element " + p.elem.name.local + " makes the content model ambiguous"
		}
		var out []qname
		if p.max == unbound || (p.max > 1 && p.max > p.min) {
			out = append(out, p.elem.name) // may take more after the minimum
		}
		if p.nullable {
			out = union(union(out, open), p.first)
		}
		return out, ""
	case pSequence:
		cur := open
		p.nullable = true
		p.first = nil
		firstOpen := true
		for _, k := range p.kids {
			next, msg := analyse(k, cur)
			if msg != "" {
				return nil, msg
			}
			if firstOpen {
				p.first = union(p.first, k.first)
			}
			if !k.nullable {
				firstOpen = false
				p.nullable = false
			}
			cur = next
		}
		if p.min == 0 {
			p.nullable = true
		}
		if p.nullable {
			cur = union(union(cur, open), p.first)
		}
		return cur, ""
	default: // pChoice
		var out []qname
		p.first = nil
		p.nullable = p.min == 0
		for _, k := range p.kids {
			next, msg := analyse(k, open)
			if msg != "" {
				return nil, msg
			}
			for _, f := range k.first {
				if has(p.first, f) {
					return nil, "two branches of an xs:choice start with element " + f.local
				}
			}
			p.first = append(p.first, k.first...)
			if k.nullable {
				p.nullable = true
			}
			out = union(out, next)
		}
		if p.nullable {
			out = union(union(out, open), p.first)
		}
		return out, ""
	}
}

func has(set []qname, n qname) bool {
	for _, s := range set {
		if s == n {
			return true
		}
	}
	return false
}

func union(a, b []qname) []qname {
	out := a
	for _, n := range b {
		if !has(out, n) {
			out = append(out[:len(out):len(out)], n)
		}
	}
	return out
}
