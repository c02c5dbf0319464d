package schema

import (
	"slices"
	"strconv"
	"strings"

	"github.com/beevik/etree"
)

// simpleType resolves a named simple type: a built-in or one of ours.
func (l *loader) simpleType(qn qname, where at) (*simpleType, error) {
	if qn.space == xsNS {
		if t := l.simple[qn]; t != nil {
			return t, nil
		}
		b := builtins[qn.local]
		if b == nil {
			return nil, where.fail("type xs:%s is not supported yet", qn.local)
		}
		// Cached so that two declarations of one name with one built-in type are "the same type".
		l.simple[qn] = &simpleType{name: "xs:" + qn.local, base: b}
		return l.simple[qn], nil
	}
	if t := l.simple[qn]; t != nil {
		return t, nil
	}
	r := l.simpleR[qn]
	if r == nil {
		if l.complexR[qn] != nil {
			return nil, where.fail("complex type %s used where a simple type is required", qn.local)
		}
		return nil, where.fail("unknown type %s", qn.local)
	}
	if l.state[qn] == 1 {
		return nil, where.fail("the derivation of simple type %s loops", qn.local)
	}
	l.state[qn] = 1
	t, err := l.simpleDef(r.el, r.doc, at{r.doc.file, "/simpleType " + qn.local}, qn.local)
	if err != nil {
		return nil, err
	}
	l.state[qn] = 2
	l.simple[qn] = t
	return t, nil
}

// simpleDef reads an xs:simpleType: only a restriction of a known simple type.
func (l *loader) simpleDef(n *etree.Element, sd *schemaDoc, where at, name string) (*simpleType, error) {
	if err := allowAttrs(n, where, "name", "id", "final"); err != nil {
		return nil, err
	}
	var restr *etree.Element
	for _, c := range n.ChildElements() {
		switch {
		case isXS(c, "annotation"):
		case isXS(c, "restriction") && restr == nil:
			restr = c
		default:
			return nil, where.fail("xs:%s in a simpleType is not supported", c.Tag)
		}
	}
	if restr == nil {
		return nil, where.fail("a simpleType without xs:restriction is not supported")
	}
	where = where.in("restriction")
	if err := allowAttrs(restr, where, "base", "id"); err != nil {
		return nil, err
	}
	baseAttr := restr.SelectAttr("base")
	if baseAttr == nil {
		return nil, where.fail("xs:restriction without a base is not supported")
	}
	bq, err := resolveQName(restr, baseAttr.Value, where)
	if err != nil {
		return nil, err
	}
	base, err := l.simpleType(bq, where)
	if err != nil {
		return nil, err
	}
	f, err := readFacets(restr, base, where)
	if err != nil {
		return nil, err
	}
	return &simpleType{name: name, base: base.base, steps: append(slices.Clip(base.steps), f)}, nil
}

// readFacets reads the facets of one restriction step and checks they suit the base.
func readFacets(restr *etree.Element, base *simpleType, where at) (*facets, error) {
	f := newFacets()
	k := base.base.kind
	for _, c := range restr.ChildElements() {
		if nsOf(c) != xsNS {
			return nil, where.fail("element %s is not an XML Schema construct", c.Tag)
		}
		if c.Tag == "annotation" {
			continue
		}
		step := where.in(c.Tag)
		if err := allowAttrs(c, step, "value", "fixed", "id"); err != nil {
			return nil, err
		}
		v := c.SelectAttrValue("value", "")
		switch c.Tag {
		case "pattern":
			re, err := compilePattern(v)
			if err != nil {
				return nil, step.fail("%v", err)
			}
			f.patterns = append(f.patterns, re)
		case "enumeration":
			val, why := base.validate(v)
			if why != "" {
				return nil, step.fail("enumeration value is not valid for the base type (%s)", why)
			}
			switch k {
			case kindString:
				f.enums = append(f.enums, val)
			case kindDecimal:
				n, _ := parseDecimal(val, base.base.integer)
				f.decEnums = append(f.decEnums, n)
			default:
				return nil, step.fail("xs:enumeration on xs:%s is not supported", base.base.name)
			}
		case "length", "minLength", "maxLength":
			if k != kindString {
				return nil, step.fail("xs:%s on xs:%s is not supported", c.Tag, base.base.name)
			}
			n, err := strconv.Atoi(strings.TrimSpace(v))
			if err != nil || n < 0 {
				return nil, step.fail("bad %s %q", c.Tag, v)
			}
			if c.Tag != "maxLength" {
				f.minLen = n
			}
			if c.Tag != "minLength" {
				f.maxLen = n
			}
		case "minInclusive", "maxInclusive", "minExclusive", "maxExclusive":
			if k != kindDecimal {
				return nil, step.fail("xs:%s on xs:%s is not supported", c.Tag, base.base.name)
			}
			val, why := base.validate(v)
			if why != "" {
				return nil, step.fail("bound is not valid for the base type (%s)", why)
			}
			n, _ := parseDecimal(val, base.base.integer)
			excl := strings.HasSuffix(c.Tag, "Exclusive")
			if strings.HasPrefix(c.Tag, "min") {
				if f.min != nil {
					return nil, step.fail("two lower bounds in one restriction")
				}
				f.min, f.minExcl = &n, excl
			} else {
				if f.max != nil {
					return nil, step.fail("two upper bounds in one restriction")
				}
				f.max, f.maxExcl = &n, excl
			}
		default:
			return nil, step.fail("facet xs:%s is not supported", c.Tag)
		}
	}
	return f, nil
}
