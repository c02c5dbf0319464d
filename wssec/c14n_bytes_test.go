package wssec

import (
	"bytes"
	"encoding/xml"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/beevik/etree"
)

// treeBody is the reference for canonicalBody: the payload parsed into SealBody's envelope, its
// Body canonicalized (white space around the payload, outside its element, is no part of it) by the tree canonicalizer with qnamePrefixes' list, and by goxmldsig's.
func treeBody(t testing.TB, v SOAPVersion, id string, payload []byte) (body, ref []byte, prefixes string, err error) {
	t.Helper()
	doc := etree.NewDocument()
	wrapped := `<env:Envelope xmlns:env="` + v.ns() + `"><env:Header/><env:Body xmlns:wsu="` + nsWSU +
		`" wsu:Id="` + id + `">` + strings.Trim(string(payload), " \t\r\n") + `</env:Body></env:Envelope>`
	if err := doc.ReadFromString(wrapped); err != nil {
		return nil, nil, "", err
	}
	el := doc.Root().ChildElements()[1]
	prefixes = qnamePrefixes(el)
	if body, err = excC14N(el, prefixes, nil); err != nil {
		return nil, nil, "", err
	}
	if !hasEmptyDefault(el) {
		if ref, err = excC14NReference(el, prefixes); err != nil {
			t.Fatalf("the reference refuses what the tree canonicalizer took: %v", err)
		}
	}
	return body, ref, prefixes, nil
}

// sameBody checks canonicalBody against the tree on payload: when the byte canonicalizer takes
// a payload, the tree reads it too and both write the same bytes with the same PrefixList
// (as a set: the order of the list changes nothing). It reports whether the bytes path took it.
func sameBody(t testing.TB, name string, payload []byte) bool {
	t.Helper()
	for _, v := range []SOAPVersion{SOAP11, SOAP12} {
		got, gotPrefixes, err := canonicalBody(v, "Body-1", payload)
		if err != nil {
			if v == SOAP11 {
				return false
			}
			t.Fatalf("%s: SOAP 1.1 took it, SOAP 1.2 refused it: %v", name, err)
		}
		want, ref, wantPrefixes, err := treeBody(t, v, "Body-1", payload)
		switch {
		case err != nil:
			t.Fatalf("%s: the byte canonicalizer took what the tree refuses (%v):\n%s", name, err, payload)
		case !bytes.Equal(got, want):
			t.Fatalf("%s: canonical Body differs from the tree's\n got %s\nwant %s", name, got, want)
		case ref != nil && !bytes.Equal(got, ref):
			t.Fatalf("%s: canonical Body differs from goxmldsig's\n got %s\nwant %s", name, got, ref)
		}
		g, w := strings.Fields(gotPrefixes), strings.Fields(wantPrefixes)
		slices.Sort(g)
		slices.Sort(w)
		if !slices.Equal(g, w) {
			t.Fatalf("%s: PrefixList %q, the tree's %q", name, gotPrefixes, wantPrefixes)
		}
	}
	return true
}

// Every golden answer of the repository (the Bodies the faces send, as the goldens keep them:
// indented, re-serialized by etree) takes the bytes path and canonicalizes as the tree does; so
// do the other real messages' root elements that it takes.
func TestCanonicalBodyMatchesTheTreeOnRealAnswers(t *testing.T) {
	goldens, _ := filepath.Glob("../testdata/golden/*/*.xml")
	if len(goldens) < 20 {
		t.Fatalf("found %d golden answers", len(goldens))
	}
	taken := 0
	for name, raw := range c14nInputs(t) {
		raw = bytes.TrimSpace(raw)
		if bytes.HasPrefix(raw, []byte("<?xml")) {
			raw = bytes.TrimSpace(raw[bytes.Index(raw, []byte("?>"))+2:])
		}
		ok := sameBody(t, name, raw)
		if ok {
			taken++
		}
		if !ok && slices.Contains(goldens, name) {
			t.Errorf("golden answer %s left to the tree path", name)
		}
	}
	t.Logf("%d of the real messages taken by the bytes path", taken)
}

// The constructs the bytes path refuses go to the tree path; those it takes match the tree.
func TestCanonicalBodyCases(t *testing.T) {
	for _, c := range []struct {
		name, payload string
		taken         bool
	}{
		{"encoding/xml's escapes", `<tns:r xmlns:tns="urn:t"><a b="&#34;&#39;&#x9;&#xA;&#xD;&lt;&gt;&amp;">&#34;&#39;&#x9;&#xA;&#xD;&lt;&gt;&amp;</a></tns:r>`, true},
		{"unsorted attributes, single quotes, empty element", `<r xmlns:z="urn:a" xmlns:a="urn:b" z:k='2' a:k="1" b='x'><e/><f></f></r>`, true},
		{"a default namespace and its undoing", `<r xmlns="urn:d"><x xmlns=""><y xmlns="urn:e"/></x></r>`, true},
		{"xml:lang", `<r xml:lang="fr">x</r>`, true},
		{"a QName in a leaf's text lists its prefix", `<tns:r xmlns:tns="urn:t"><code>tns:Client</code><c>env:Server</c><d>wsu:x</d></tns:r>`, true},
		{"a listed prefix is rendered where declared", `<r><a xmlns:q="urn:q" xmlns:unused="urn:u">q:x</a><b xmlns:q="urn:q">q:y</b></r>`, true},
		{"xsi:type", `<r xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:t="urn:t" xsi:type="t:T"><a/></r>`, true},
		{"prefixes of the Body's context", `<wsu:r wsu:Id="x"><env:a/></wsu:r>`, true},
		{"white space around", " \n<r a = \"1\" >t</r >\n", true},
		{"non-ASCII text", "<r a=\"é\">ü€😀</r>", true},
		{"a comment", `<r><!-- c --></r>`, false},
		{"CDATA", `<r><![CDATA[x]]></r>`, false},
		{"a processing instruction", `<r><?pi x?></r>`, false},
		{"an XML declaration", `<?xml version="1.0"?><r/>`, false},
		{"a literal CR", "<r>a\rb</r>", false},
		{"a newline in an attribute", "<r a=\"x\ny\"/>", false},
		{"a repeated attribute", `<r a="1" a="2"/>`, false},
		{"an undeclared prefix", `<p:r/>`, false},
		{"an unknown entity", `<r>&nbsp;</r>`, false},
		{"mismatched end tag", `<r></s>`, false},
		{"two roots", `<r/><s/>`, false},
		{"a non-ASCII name", `<é/>`, false},
		{"an invalid character reference", `<r>&#0;</r>`, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := sameBody(t, c.name, []byte(c.payload)); got != c.taken {
				t.Fatalf("taken by the bytes path: %v, want %v", got, c.taken)
			}
		})
	}
}

// answerish is shaped like the gateway's answers: an attribute, nested optional elements, text.
type answerish struct {
	Lang  string   `xml:"lang,attr,omitempty"`
	Code  string   `xml:"code"`
	Names []string `xml:"name,omitempty"`
	Inner *struct {
		Text string `xml:",chardata"`
		At   string `xml:"at,attr"`
	} `xml:"inner,omitempty"`
}

// Random answers marshalled by encoding/xml (quotes, white space, CR, markup characters, any
// Unicode, characters XML forbids) all take the bytes path and match the tree.
func TestCanonicalBodyOfRandomAnswers(t *testing.T) {
	rng := rand.New(rand.NewPCG(14, 14))
	alphabet := []rune("aZ09 \t\n\r\"'<>&;:=/éü€\u0000\u0001\uFFFE😀tns:env:")
	str := func() string {
		r := make([]rune, rng.IntN(12))
		for i := range r {
			r[i] = alphabet[rng.IntN(len(alphabet))]
		}
		return string(r)
	}
	for i := range 2000 {
		a := answerish{Lang: str(), Code: str()}
		for range rng.IntN(3) {
			a.Names = append(a.Names, str())
		}
		if rng.IntN(2) == 0 {
			a.Inner = &struct {
				Text string `xml:",chardata"`
				At   string `xml:"at,attr"`
			}{str(), str()}
		}
		var buf bytes.Buffer
		start := xml.StartElement{Name: xml.Name{Local: "tns:answer"}, Attr: []xml.Attr{{Name: xml.Name{Local: "xmlns:tns"}, Value: "urn:t"}}}
		if err := xml.NewEncoder(&buf).EncodeElement(a, start); err != nil {
			t.Fatal(err)
		}
		if !sameBody(t, "random", buf.Bytes()) {
			t.Fatalf("answer %d left to the tree path:\n%s", i, buf.Bytes())
		}
	}
}

// FuzzCanonicalBody holds the bytes path to the tree canonicalizer (and goxmldsig's) on any
// input: whatever it takes, the tree reads and canonicalizes to the same bytes.
func FuzzCanonicalBody(f *testing.F) {
	goldens, _ := filepath.Glob("../testdata/golden/*/*.xml")
	for _, g := range goldens {
		raw, err := os.ReadFile(g)
		if err == nil && len(raw) < 4096 {
			f.Add(raw)
		}
	}
	f.Add([]byte(`<r xmlns:z="urn:a" xmlns:a="urn:b" z:k='2' a:k="1"><x xmlns="urn:d"><y xmlns=""/>q:z</x></r>`))
	f.Add([]byte(`<tns:r xmlns:tns="urn:t"><a b="&#34;&#xD;">&lt;&#9;</a><code>tns:Client</code></tns:r>`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		sameBody(t, "fuzz", raw)
	})
}
