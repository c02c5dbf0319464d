package wssec

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/beevik/etree"
)

// c14nInputs are real messages: the signed envelopes of the fuzz corpus, the interop fixtures of
// this package and every request, answer and fixture under the repository's testdata.
func c14nInputs(t testing.TB) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	corpus, _ := filepath.Glob("testdata/fuzz/FuzzVerify/*")
	for _, f := range corpus {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		// "go test fuzz v1" files: one []byte("…") line per argument, a Go string literal.
		for _, line := range strings.Split(string(raw), "\n") {
			if lit, ok := strings.CutPrefix(line, "[]byte("); ok {
				if s, err := strconv.Unquote(strings.TrimSuffix(lit, ")")); err == nil {
					out[f] = []byte(s)
				}
			}
		}
	}
	files, _ := filepath.Glob("testdata/*.xml")
	_ = filepath.WalkDir("../testdata", func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".xml") {
			files = append(files, p)
		}
		return nil
	})
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out[f] = raw
	}
	if len(out) < 100 {
		t.Fatalf("only %d inputs found", len(out))
	}
	return out
}

// hasEmptyDefault reports an xmlns="" on el, below it or above it: where no output ancestor
// rendered a default namespace, goxmldsig's transform writes an xmlns="" that undoes nothing
// (the recommendation writes none: see excC14N).
func hasEmptyDefault(el *etree.Element) bool {
	empty := func(e *etree.Element) bool {
		for _, a := range e.Attr {
			if a.Space == "" && a.Key == "xmlns" && a.Value == "" {
				return true
			}
		}
		return false
	}
	for p := el; p != nil; p = p.Parent() {
		if empty(p) {
			return true
		}
	}
	var below func(e *etree.Element) bool
	below = func(e *etree.Element) bool {
		for _, ch := range e.ChildElements() {
			if empty(ch) || below(ch) {
				return true
			}
		}
		return false
	}
	return below(el)
}

// sameAsReference canonicalizes el both ways and reports a difference.
func sameAsReference(t testing.TB, name string, el *etree.Element, prefixes string) {
	t.Helper()
	got, err := excC14N(el, prefixes, nil)
	want, werr := excC14NReference(el, prefixes)
	switch {
	case (err == nil) != (werr == nil):
		t.Fatalf("%s <%s> %q: error %v, reference error %v", name, el.FullTag(), prefixes, err, werr)
	case err == nil && !bytes.Equal(got, want) && !hasEmptyDefault(el):
		t.Fatalf("%s <%s> %q differs from the reference:\n got %s\nwant %s", name, el.FullTag(), prefixes, got, want)
	}
}

// Every element of every real message canonicalizes as goxmldsig's transform does, with and
// without an InclusiveNamespaces PrefixList.
func TestC14NMatchesTheReferenceOnRealMessages(t *testing.T) {
	n := 0
	for name, raw := range c14nInputs(t) {
		doc := etree.NewDocument()
		if err := doc.ReadFromBytes(raw); err != nil || doc.Root() == nil {
			continue
		}
		var walk func(el *etree.Element)
		walk = func(el *etree.Element) {
			for _, prefixes := range []string{"", qnamePrefixes(el), "wsu ds soapenv"} {
				sameAsReference(t, name, el, prefixes)
				n++
			}
			for _, ch := range el.ChildElements() {
				walk(ch)
			}
		}
		walk(doc.Root())
	}
	t.Logf("%d subtrees compared", n)
}

// Cases the reference and the recommendation agree on, and the one where they differ.
func TestC14NNamespaceCases(t *testing.T) {
	for _, c := range []struct{ name, doc, path, prefixes, want string }{
		{"an ancestor's unused prefix is dropped, a used one carried down",
			`<a:r xmlns:a="urn:a" xmlns:b="urn:b" xmlns:c="urn:c"><x b:at="1" z="2"/></a:r>`, "x", "",
			`<x xmlns:b="urn:b" z="2" b:at="1"></x>`},
		{"a listed prefix in scope is rendered at the apex",
			`<a:r xmlns:a="urn:a" xmlns:c="urn:c"><x/></a:r>`, "x", "c",
			`<x xmlns:c="urn:c"></x>`},
		{"attributes sort by namespace URI, not prefix",
			`<r xmlns:z="urn:a" xmlns:a="urn:b"><x a:k="1" z:k="2"/></r>`, "x", "",
			`<x xmlns:a="urn:b" xmlns:z="urn:a" z:k="2" a:k="1"></x>`},
		{"a default namespace is undone where an output ancestor rendered it",
			`<r xmlns="urn:d"><x xmlns=""/></r>`, ".", "",
			`<r xmlns="urn:d"><x xmlns=""></x></r>`},
		{"an xmlns=\"\" that undoes nothing is not written (goxmldsig writes it)",
			`<r><x xmlns=""><y/></x></r>`, ".", "",
			`<r><x><y></y></x></r>`},
		{"text and attribute escapes",
			"<r a=\"&lt;&amp;&quot;&#9;&#10;\">&lt;&amp;&gt;&#13;</r>", ".", "",
			"<r a=\"&lt;&amp;&quot;&#x9;&#xA;\">&lt;&amp;&gt;&#xD;</r>"},
	} {
		t.Run(c.name, func(t *testing.T) {
			doc := etree.NewDocument()
			if err := doc.ReadFromString(c.doc); err != nil {
				t.Fatal(err)
			}
			el := doc.Root()
			if c.path != "." {
				el = el.FindElement(c.path)
			}
			got, err := excC14N(el, c.prefixes, nil)
			if err != nil || string(got) != c.want {
				t.Fatalf("got %s, %v\nwant %s", got, err, c.want)
			}
			sameAsReference(t, c.name, el, c.prefixes)
		})
	}
	doc := etree.NewDocument()
	_ = doc.ReadFromString(`<r><p:x/></r>`)
	if _, err := excC14N(doc.Root(), "", nil); err == nil {
		t.Error("an undeclared prefix was canonicalized")
	}
}

// FuzzC14N holds the one-pass canonicalizer to goxmldsig's on any document etree reads: the same
// bytes, or an error from both.
func FuzzC14N(f *testing.F) {
	for _, raw := range c14nInputs(f) {
		if len(raw) < 4096 {
			f.Add(raw, "")
		}
	}
	f.Add([]byte(`<a:r xmlns:a="urn:a" xmlns:b="urn:b"><b:x a:y="1" xmlns=""><z xmlns="urn:z"/></b:x></a:r>`), "b")
	f.Add([]byte(`<r xmlns:z="urn:a" xmlns:a="urn:b"><x a:k="1" z:k="2">t<?pi x?><!--c--></x></r>`), "a z")
	f.Fuzz(func(t *testing.T, raw []byte, prefixes string) {
		doc := etree.NewDocument()
		if err := doc.ReadFromBytes(raw); err != nil || doc.Root() == nil {
			return
		}
		count := 0
		var walk func(el *etree.Element)
		walk = func(el *etree.Element) {
			if count++; count > 64 {
				return
			}
			sameAsReference(t, "fuzz", el, prefixes)
			for _, ch := range el.ChildElements() {
				walk(ch)
			}
		}
		walk(doc.Root())
	})
}
