package conformance

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/beevik/etree"
)

// labels numbers the distinct values of an As mask across one case run.
type labels map[string]map[string]string // as → value → "${as#n}"

func (l labels) of(as, value string) string {
	m := l[as]
	if m == nil {
		m = map[string]string{}
		l[as] = m
	}
	if lab, ok := m[value]; ok {
		return lab
	}
	lab := fmt.Sprintf("${%s#%d}", as, len(m)+1)
	m[value] = lab
	return lab
}

// maskedText is what a masked value without As becomes.
const maskedText = "${masked}"

// masked renders an answer payload for a golden file: indented, the run's own values (SSINs,
// tickets, captures) turned back into their placeholders, then the declared masks applied.
func masked(payload *etree.Element, v *vars, masks []Mask, lab labels) []byte {
	doc := etree.NewDocument()
	doc.SetRoot(payload.Copy())
	back := v.byValue()
	elemMask, attrMask := map[string]Mask{}, map[string]Mask{}
	for _, m := range masks {
		if m.Element != "" {
			elemMask[m.Element] = m
		} else {
			attrMask[m.Attribute] = m
		}
	}
	hide := func(m Mask, val string) string {
		if strings.HasPrefix(val, "${") {
			return val // already a placeholder: a value the case named
		}
		if m.As != "" {
			return lab.of(m.As, val)
		}
		return maskedText
	}
	var walk func(e *etree.Element)
	walk = func(e *etree.Element) {
		for i := range e.Attr {
			a := &e.Attr[i]
			if m, ok := attrMask[a.Key]; ok {
				a.Value = hide(m, unvar(a.Value, a.Key, back))
			} else {
				a.Value = unvar(a.Value, "", back)
			}
		}
		if len(e.ChildElements()) == 0 {
			var t string
			if m, ok := elemMask[e.Tag]; ok && e.Text() != "" {
				t = hide(m, unvar(e.Text(), e.Tag, back))
			} else {
				t = unvar(e.Text(), "", back)
			}
			if t != e.Text() {
				e.SetText(t)
			}
		}
		for _, c := range e.ChildElements() {
			walk(c)
		}
	}
	walk(doc.Root())
	doc.Indent(2)
	b, _ := doc.WriteToBytes()
	return b
}

// goldenOf is the golden text of an answer: the whole payload, or the elements selected by path.
func goldenOf(payload *etree.Element, sel string, v *vars, masks []Mask, lab labels) ([]byte, error) {
	if sel == "" {
		return masked(payload, v, masks, lab), nil
	}
	p, err := v.path(sel)
	if err != nil {
		return nil, err
	}
	els := payload.FindElementsPath(p)
	if len(els) == 0 {
		return nil, fmt.Errorf("select %q finds nothing in the answer", sel)
	}
	root := etree.NewElement("selected")
	for _, e := range els {
		root.AddChild(e.Copy())
	}
	return masked(root, v, masks, lab), nil
}

// unvar turns a value that is exactly one of the run's values back into its placeholder. In a
// masked element (name given), a captured value counts only when captured from an element of that
// name (in any case: the eHealth face says CarmedNumber where the CPAS face says carmedNumber), so
// a notice id that happens to hold a decision number's digits — two counters of the server — is
// masked as a notice, not shown as the decision.
func unvar(s, name string, back []known) string {
	t := strings.TrimSpace(s)
	for _, k := range back {
		if t == k.value && (name == "" || k.tag == "" || strings.EqualFold(k.tag, name)) {
			return k.placeholder
		}
	}
	return s
}

// compareGolden checks got against the step's golden file, or writes it when update is set.
func compareGolden(c *Case, s *Step, got []byte, update bool) error {
	path := filepath.Join(c.Dir, s.Expect.Golden)
	if update {
		return os.WriteFile(path, got, 0o644)
	}
	want, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("golden %s cannot be read", s.Expect.Golden)
	}
	if string(want) == string(got) {
		return nil
	}
	return fmt.Errorf("answer differs from golden %s %s", s.Expect.Golden, firstDiff(string(want), string(got)))
}

// firstDiff names the first line where two texts differ.
func firstDiff(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(w) || i < len(g); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			return fmt.Sprintf("at line %d:\n      golden: %s\n      answer: %s", i+1, strings.TrimSpace(wl), strings.TrimSpace(gl))
		}
	}
	return ""
}
