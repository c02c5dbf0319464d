package xmltree

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/beevik/etree"
)

// treeDump writes every token of a tree with what the pipeline reads of it: kinds, prefixes,
// names, attributes in order (and the element each points back to), text with its white-space
// and CDATA flags, and each token's parent and index.
func treeDump(t testing.TB, el *etree.Element, b *strings.Builder) {
	for i, tok := range el.Child {
		if tok.Parent() != el || tok.Index() != i {
			t.Fatalf("token %d of <%s>: parent or index wrong", i, el.FullTag())
		}
		switch x := tok.(type) {
		case *etree.Element:
			fmt.Fprintf(b, "<%q %q", x.Space, x.Tag)
			for j := range x.Attr {
				a := &x.Attr[j]
				if a.Element() != x {
					t.Fatalf("attribute %s of <%s> points to another element", a.FullKey(), x.FullTag())
				}
				fmt.Fprintf(b, " %q:%q=%q", a.Space, a.Key, a.Value)
			}
			b.WriteString(">")
			treeDump(t, x, b)
			b.WriteString("</>")
		case *etree.CharData:
			fmt.Fprintf(b, "[%q ws=%v cdata=%v]", x.Data, x.IsWhitespace(), x.IsCData())
		case *etree.ProcInst:
			fmt.Fprintf(b, "<?%q %q?>", x.Target, x.Inst)
		case *etree.Comment:
			fmt.Fprintf(b, "<!--%q-->", x.Data)
		case *etree.Directive:
			fmt.Fprintf(b, "<!%q>", x.Data)
		}
	}
}

// sameTree reports whether Read took raw; when it did, etree reads raw with the door's
// settings and builds the same tree.
func sameTree(t testing.TB, name string, raw []byte, maxDepth int) bool {
	t.Helper()
	got, ok := Read(raw, maxDepth)
	if !ok {
		return false
	}
	want := etree.NewDocument()
	want.ReadSettings = etree.ReadSettings{MaxDepth: maxDepth, PreserveDuplicateAttrs: true}
	if err := want.ReadFromBytes(raw); err != nil {
		t.Fatalf("%s: Read took what etree refuses (%v):\n%q", name, err, raw)
	}
	var g, w strings.Builder
	treeDump(t, &got.Element, &g)
	treeDump(t, &want.Element, &w)
	if g.String() != w.String() {
		t.Fatalf("%s: tree differs from etree's\n got %s\nwant %s", name, g.String(), w.String())
	}
	return true
}

// doorInputs are the signed requests of the door's fuzz corpus and every XML file under the
// repository's testdata and the verifier's.
func doorInputs(t testing.TB) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	seeds, _ := filepath.Glob("../../server/testdata/fuzz/FuzzDoor/*")
	for _, f := range seeds {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(string(raw), "\n") {
			if lit, ok := strings.CutPrefix(line, "[]byte("); ok {
				if s, err := strconv.Unquote(strings.TrimSuffix(lit, ")")); err == nil {
					out[f] = []byte(s)
				}
			}
		}
	}
	for _, dir := range []string{"../../testdata", "../../wssec/testdata"} {
		_ = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(p, ".xml") {
				if raw, err := os.ReadFile(p); err == nil {
					out[p] = raw
				}
			}
			return nil
		})
	}
	if len(out) < 100 {
		t.Fatalf("only %d inputs", len(out))
	}
	return out
}

// Every signed request of the door's corpus takes the quick path, and every real message it
// takes is read as etree reads it.
func TestReadMatchesEtreeOnRealMessages(t *testing.T) {
	taken, signed := 0, 0
	for name, raw := range doorInputs(t) {
		ok := sameTree(t, name, raw, testDepth)
		if ok {
			taken++
		}
		if strings.Contains(name, "FuzzDoor") {
			signed++
			if !ok {
				t.Errorf("signed request %s left to etree", name)
			}
		}
	}
	if signed == 0 {
		t.Fatal("no signed request among the inputs")
	}
	t.Logf("%d real messages taken by the quick path", taken)
}

// What Read takes it reads as etree does; the rest it leaves to etree.
func TestReadCases(t *testing.T) {
	for _, c := range []struct {
		name, xml string
		taken     bool
	}{
		{"declaration, white space and entities", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<a:r xmlns:a=\"urn:a\" x='1 &amp; &#34;2&#x22;'>\n\t<b>&lt;t&gt;&apos;</b><c/><d></d>é</a:r>\n", true},
		{"a default namespace and its undoing", `<r xmlns="urn:r"><x xmlns=""/></r>`, true},
		{"white space around the attribute's equals sign", `<r a = "1" ></r >`, true},
		{"a comment", `<r><!-- c --></r>`, false},
		{"CDATA", `<r><![CDATA[x]]></r>`, false},
		{"a processing instruction", `<r><?p x?></r>`, false},
		{"a DOCTYPE", `<!DOCTYPE r><r/>`, false},
		{"CR LF line ends", "<r>\r\n</r>", false},
		{"a repeated attribute", `<r a="1" a="2"/>`, false},
		{"an unknown entity", `<r>&nbsp;</r>`, false},
		{"]]> in text", `<r>]]></r>`, false},
		{"a mismatched end tag", `<r></s>`, false},
		{"two roots", `<r/><s/>`, false},
		{"text outside the root", `x<r/>`, false},
		{"a non-ASCII name", `<é/>`, false},
		{"two colons in a name", `<a:b:c/>`, false},
		{"an encoding the decoder does not know", `<?xml version="1.0" encoding="ISO-8859-1"?><r/>`, false},
		{"a byte order mark", "\ufeff<r/>", false},
		{"attributes without white space between them", `<r a="1"b="2"/>`, false},
		{"unterminated", `<r><s>`, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := sameTree(t, c.name, []byte(c.xml), testDepth); got != c.taken {
				t.Fatalf("taken: %v, want %v", got, c.taken)
			}
		})
	}
	t.Run("too deep a tree is left to etree, which refuses it", func(t *testing.T) {
		deep := strings.Repeat("<a>", 5) + strings.Repeat("</a>", 5)
		if !sameTree(t, "depth 5", []byte(deep), 5) || sameTree(t, "depth 5 over 4", []byte(deep), 4) {
			t.Fatal("the depth bound is not etree's")
		}
	})
}

// FuzzRead holds Read to etree on any input: whatever it takes, etree reads into the
// same tree.
func FuzzRead(f *testing.F) {
	for _, raw := range doorInputs(f) {
		if len(raw) < 8192 {
			f.Add(raw)
		}
	}
	f.Add([]byte("<?xml version=\"1.0\"?>\n<a:r xmlns:a=\"urn:a\" x='&#x1F600;'><b>&amp;</b><c/></a:r> "))
	f.Fuzz(func(t *testing.T, raw []byte) {
		sameTree(t, "fuzz", raw, 8)
	})
}

// testDepth is the server door's MaxDepth.
const testDepth = 64
