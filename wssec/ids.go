package wssec

import (
	"errors"

	"github.com/beevik/etree"
)

var errDuplicateID = errors.New("duplicate Id value")

// idIndex maps Id values to elements. Both wsu:Id (under any prefix, resolved by namespace URI)
// and a plain unqualified Id (node-soap's default, also on ds:Signature) count; a value carried by
// two different elements is refused, since a reference to it would be ambiguous (XSW).
type idIndex map[string]*etree.Element

func buildIDIndex(root *etree.Element) (idIndex, error) {
	ids := idIndex{}
	stack := []*etree.Element{root}
	for len(stack) > 0 {
		el := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for i := range el.Attr {
			a := &el.Attr[i]
			if a.Key != "Id" || a.Value == "" {
				continue
			}
			if a.Space != "" && attrNS(el, a) != nsWSU {
				continue
			}
			if prev, ok := ids[a.Value]; ok && prev != el {
				return nil, errDuplicateID
			}
			ids[a.Value] = el
		}
		for _, t := range el.Child {
			if c, ok := t.(*etree.Element); ok {
				stack = append(stack, c)
			}
		}
	}
	return ids, nil
}
