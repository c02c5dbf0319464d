package conformance

import (
	"fmt"

	"github.com/beevik/etree"
)

// findText is the text of the first element at one of paths in an XML document, or "": the
// document is parsed once whatever the number of paths.
func findText(doc []byte, paths ...string) string {
	d := etree.NewDocument()
	if d.ReadFromBytes(doc) != nil {
		return ""
	}
	for _, path := range paths {
		if e := d.FindElement(path); e != nil && e.Text() != "" {
			return e.Text()
		}
	}
	return ""
}

// path compiles an element path of a case after expanding its placeholders.
func (v *vars) path(p string) (etree.Path, error) {
	exp, err := v.expand(p, "")
	if err != nil {
		return etree.Path{}, err
	}
	return compilePath(exp)
}

// find is the element at path (placeholders expanded) in an answer; a path that finds nothing or
// an empty element is an error: a capture must capture something.
func find(payload *etree.Element, path string, v *vars) (*etree.Element, error) {
	p, err := v.path(path)
	if err != nil {
		return nil, err
	}
	el := payload.FindElementPath(p)
	if el == nil || el.Text() == "" {
		return nil, fmt.Errorf("capture: %q finds nothing in the answer", path)
	}
	return el, nil
}

// present reports whether path (placeholders expanded) finds an element in an answer.
func present(payload *etree.Element, path string, v *vars) (bool, error) {
	p, err := v.path(path)
	if err != nil {
		return false, err
	}
	return payload.FindElementPath(p) != nil, nil
}
