package conformance

import (
	"strings"
	"testing"

	"github.com/beevik/etree"
)

func TestGoldensMaskDeclaredValuesAndNumberTheSameValueTheSame(t *testing.T) {
	doc := etree.NewDocument()
	if err := doc.ReadFromString(`<r Id="x1"><ticketCBSS>abc</ticketCBSS><d><carmedNumber>000000000009</carmedNumber></d>` +
		`<d><carmedNumber>000000000004</carmedNumber></d><d><carmedNumber>000000000009</carmedNumber></d>` +
		`<ssin>85031412302</ssin><carmedNumber>000000000007</carmedNumber></r>`); err != nil {
		t.Fatal(err)
	}
	v := newVars("")
	v.set("ssin.adam", "85031412302")
	v.set("cap.number", "000000000007")
	v.tags["cap.number"] = "carmedNumber"
	v.set("cap.notice", "000000000009") // same digits as a decision number, from another counter
	v.tags["cap.notice"] = "noticeId"
	masks := []Mask{{Element: "ticketCBSS"}, {Attribute: "Id"}, {Element: "carmedNumber", As: "decision"}}
	got := string(masked(doc.Root(), v, masks, labels{}))
	for _, want := range []string{`Id="${masked}"`, `<ticketCBSS>${masked}</ticketCBSS>`, `<ssin>${ssin.adam}</ssin>`,
		`<carmedNumber>${cap.number}</carmedNumber>`} {
		if !strings.Contains(got, want) {
			t.Fatalf("%s missing in\n%s", want, got)
		}
	}
	if strings.Count(got, "${decision#1}") != 2 || strings.Count(got, "${decision#2}") != 1 {
		t.Fatalf("the same number must get the same label, another the next:\n%s", got)
	}
}

// TestAnAnswerDifferingFromItsGoldenFailsAtTheLine: --update writes the golden, the same answer then
// passes, and an answer one value off fails naming the line and both texts.
func TestAnAnswerDifferingFromItsGoldenFailsAtTheLine(t *testing.T) {
	c := &Case{Dir: t.TempDir()}
	s := &Step{Expect: Expect{Golden: "a.answer.xml"}}
	first := []byte("<r>\n  <value>DATA_FOUND</value>\n  <n>1</n>\n</r>\n")
	if err := compareGolden(c, s, first, true); err != nil {
		t.Fatalf("update: %v", err)
	}
	if err := compareGolden(c, s, first, false); err != nil {
		t.Fatalf("the answer that wrote the golden: %v", err)
	}
	err := compareGolden(c, s, []byte("<r>\n  <value>DATA_FOUND</value>\n  <n>2</n>\n</r>\n"), false)
	if err == nil || !strings.Contains(err.Error(), "at line 3") || !strings.Contains(err.Error(), "golden: <n>1</n>") ||
		!strings.Contains(err.Error(), "answer: <n>2</n>") {
		t.Fatalf("a differing answer: %v", err)
	}
}
