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
	wilds   []*particle           // every wildcard particle of content, for diagnostics
}

type attrDecl struct {
	name     qname // no namespace for a local declaration; a global one's (xml:lang) keeps its own
	typ      *simpleType
	required bool
}

type particleKind uint8

const (
	pElement particleKind = iota
	pSequence
	pChoice
	pAny // an xs:any wildcard
)

// particle is a node of a content model. Groups (sequence, choice) occur at most once (min 0 or
// 1, max 1: Compile refuses repeated groups), so the model can be matched greedily left to right
// once Compile has checked it is deterministic (Unique Particle Attribution).
type particle struct {
	kind     particleKind
	min, max int       // max is unbound (-1) for maxOccurs="unbounded"
	elem     *elemDecl // pElement
	wild     *wildcard // pAny
	kids     []*particle
	parent   *particle

	first    []term // what can start this particle, in declaration order
	nullable bool
}

// term is what a leaf particle takes: one element name, or any name a wildcard admits.
type term struct {
	name qname
	wild *wildcard
}

func (p *particle) term() term {
	if p.kind == pAny {
		return term{wild: p.wild}
	}
	return term{name: p.elem.name}
}

// takes tells whether the leaf particle p accepts an element named n.
func (p *particle) takes(n qname) bool {
	if p.kind == pAny {
		return p.wild.admits(n)
	}
	return p.elem.name == n
}

func (t term) admits(n qname) bool {
	if t.wild != nil {
		return t.wild.admits(n)
	}
	return t.name == n
}

// overlaps tells whether some element name is taken by both terms.
func (t term) overlaps(u term) bool {
	switch {
	case t.wild == nil && u.wild == nil:
		return t.name == u.name
	case t.wild == nil:
		return u.wild.admits(t.name)
	case u.wild == nil:
		return t.wild.admits(u.name)
	default:
		return t.wild.intersects(u.wild)
	}
}

// label names the term in a "missing" path: the local name, or * for a wildcard.
func (t term) label() string {
	if t.wild != nil {
		return "*"
	}
	return t.name.local
}

// describe names the term in a Compile error.
func (t term) describe() string {
	if t.wild != nil {
		return "xs:any"
	}
	return "element " + t.name.local
}

func (p *particle) starts(n qname) bool {
	for _, f := range p.first {
		if f.admits(n) {
			return true
		}
	}
	return false
}

// firstNames is the particle's possible first elements, for a "missing" path (a|b|c for a choice).
func (p *particle) firstNames() string {
	names := make([]string, len(p.first))
	for i, f := range p.first {
		names[i] = f.label()
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
// deterministic; open is the set of terms some earlier particle (or a skipped optional one)
// could still take at this point.
func analyse(p *particle, open []term) ([]term, string) {
	switch p.kind {
	case pElement, pAny:
		t := p.term()
		p.first = []term{t}
		p.nullable = p.min == 0
		if overlapsAny(open, t) {
			return nil, t.describe() + " makes the content model ambiguous"
		}
		var out []term
		if p.max == unbound || (p.max > 1 && p.max > p.min) {
			out = append(out, t) // may take more after the minimum
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
		var out []term
		p.first = nil
		p.nullable = p.min == 0
		for _, k := range p.kids {
			next, msg := analyse(k, open)
			if msg != "" {
				return nil, msg
			}
			for _, f := range k.first {
				if overlapsAny(p.first, f) {
					return nil, "two branches of an xs:choice start with " + f.describe()
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

func overlapsAny(set []term, t term) bool {
	for _, s := range set {
		if s.overlaps(t) {
			return true
		}
	}
	return false
}

func has(set []term, t term) bool {
	for _, s := range set {
		if s == t {
			return true
		}
	}
	return false
}

func union(a, b []term) []term {
	out := a
	for _, n := range b {
		if !has(out, n) {
			out = append(out[:len(out):len(out)], n)
		}
	}
	return out
}
