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
