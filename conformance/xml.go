package conformance

import (
	"fmt"

	"github.com/beevik/etree"
)

// findText is the text of the first element at path in an XML document, or "".
func findText(doc []byte, path string) string {
	d := etree.NewDocument()
	if d.ReadFromBytes(doc) != nil {
		return ""
	}
	if e := d.FindElement(path); e != nil {
		return e.Text()
	}
	return ""
}

// find is the element at path (placeholders expanded) in an answer; a path that finds nothing or
// an empty element is an error: a capture must capture something.
func find(payload *etree.Element, path string, v *vars) (*etree.Element, error) {
	exp, err := v.expand(path, "")
	if err != nil {
		return nil, err
	}
	p, err := compilePath(exp)
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
	exp, err := v.expand(path, "")
	if err != nil {
		return false, err
	}
	p, err := compilePath(exp)
	if err != nil {
		return false, err
	}
	return payload.FindElementPath(p) != nil, nil
}
