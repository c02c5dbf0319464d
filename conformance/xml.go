package conformance

import "github.com/beevik/etree"

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
