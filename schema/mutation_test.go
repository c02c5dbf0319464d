package schema

import (
	"strings"
	"testing"

	"github.com/beevik/etree"
)

const (
	createXML   = requestsDir + "/demo/create.xml"
	consultXML  = requestsDir + "/demo/consult.xml"
	modifyXML   = requestsDir + "/demo/modify.xml"
	responseXML = "testdata/consult-response.xml"
)

// mutation is a valid document changed in one way; reason "" means it must stay valid.
type mutation struct {
	name   string
	base   string
	mutate func(t *testing.T, root *etree.Element)
	path   string
	reason string
	// libxml2, when set, says why libxml2 reaches the opposite verdict (a known deviation of
	// libxml2 from XSD 1.0, where this validator follows the specification).
	libxml2 string
}

// libxml2Collapse: XSD 1.0 Part 2 §4.3.6 fixes whiteSpace="collapse" for every atomic type not
// derived from string, but libxml2 2.9 refuses spaces around xs:int, xs:long and xs:date values
// (it accepts them around xs:boolean). encoding/xml and gen trim them too, so we follow the spec.
const libxml2Collapse = "libxml2 2.9 does not collapse whitespace around numbers and dates"

// el finds the element at a slash path below root ("decision/validityPeriod/endDate").
func el(t *testing.T, root *etree.Element, p string) *etree.Element {
	t.Helper()
	e := root.FindElement("./" + p)
	if e == nil {
		t.Fatalf("no %s in the base document", p)
	}
	return e
}

func setText(p, text string) func(*testing.T, *etree.Element) {
	return func(t *testing.T, root *etree.Element) { el(t, root, p).SetText(text) }
}

func remove(p string) func(*testing.T, *etree.Element) {
	return func(t *testing.T, root *etree.Element) {
		e := el(t, root, p)
		e.Parent().RemoveChild(e)
	}
}

// insertAfter puts raw XML (one element) right after the element at p.
func insertAfter(p, xml string) func(*testing.T, *etree.Element) {
	return func(t *testing.T, root *etree.Element) {
		e := el(t, root, p)
		frag := parse(t, []byte(`<w xmlns:cpas="urn:carmed:cpas:v1">`+xml+`</w>`)).Root().ChildElements()[0]
		frag.Parent().RemoveChild(frag)
		e.Parent().InsertChildAt(e.Index()+1, frag)
	}
}

// fill appends n copies of raw XML inside the element at p.
func fill(p, xml string, n int) func(*testing.T, *etree.Element) {
	return func(t *testing.T, root *etree.Element) {
		e := el(t, root, p)
		for range n {
			frag := parse(t, []byte(`<w>`+xml+`</w>`)).Root().ChildElements()[0]
			frag.Parent().RemoveChild(frag)
			e.AddChild(frag)
		}
	}
}

func both(fs ...func(*testing.T, *etree.Element)) func(*testing.T, *etree.Element) {
	return func(t *testing.T, root *etree.Element) {
		for _, f := range fs {
			f(t, root)
		}
	}
}

var mutations = []mutation{
	// Structure.
	{name: "a request without legalContext is missing a required element", base: createXML,
		mutate: remove("legalContext"), path: "/createCarmedRequest/legalContext", reason: ReasonMissing},
	{name: "a validity period without its endDate is missing a required element", base: createXML,
		mutate: remove("decision/validityPeriod/endDate"), path: "/createCarmedRequest/decision/validityPeriod/endDate", reason: ReasonMissing},
	{name: "ssin sent before legalContext is out of order", base: createXML,
		mutate: func(t *testing.T, root *etree.Element) {
			lc := el(t, root, "legalContext")
			root.RemoveChild(lc)
			root.InsertChildAt(el(t, root, "ssin").Index()+1, lc)
		}, path: "/createCarmedRequest/ssin", reason: ReasonOutOfOrder},
	{name: "a base element sent after the extension's elements is out of order", base: createXML,
		mutate: func(t *testing.T, root *etree.Element) {
			ic := el(t, root, "informationCustomer")
			root.RemoveChild(ic)
			root.AddChild(ic)
		}, path: "/createCarmedRequest/legalContext", reason: ReasonOutOfOrder},
	{name: "a second ssin duplicates a maxOccurs=1 element", base: createXML,
		mutate: insertAfter("ssin", "<ssin>85031412302</ssin>"), path: "/createCarmedRequest/ssin", reason: ReasonTooMany},
	{name: "a second decision at the end duplicates a maxOccurs=1 element", base: createXML,
		mutate: func(t *testing.T, root *etree.Element) { root.AddChild(el(t, root, "decision").Copy()) },
		path:   "/createCarmedRequest/decision", reason: ReasonTooMany},
	{name: "an unknown element is refused", base: createXML,
		mutate: insertAfter("decision/noStateIntervention", "<comment>x</comment>"), path: "/createCarmedRequest/decision/comment", reason: ReasonUnexpected},
	{name: "a child element in the service namespace is refused", base: createXML,
		mutate: func(t *testing.T, root *etree.Element) { el(t, root, "ssin").Space = "cpas" },
		path:   "/createCarmedRequest/ssin", reason: ReasonNamespace},
	{name: "a default namespace on the root puts its children in the wrong namespace", base: consultXML,
		mutate: func(t *testing.T, root *etree.Element) {
			root.Space = ""
			root.RemoveAttr("xmlns:cpas")
			root.CreateAttr("xmlns", "urn:carmed:cpas:v1")
		}, path: "/consultCarmedRequest/informationCustomer", reason: ReasonNamespace},
	{name: "a child that undeclares the default namespace stays valid", base: consultXML,
		mutate: func(t *testing.T, root *etree.Element) { el(t, root, "legalContext").CreateAttr("xmlns", "") }},
	{name: "the root element in no namespace is refused", base: consultXML,
		mutate: func(t *testing.T, root *etree.Element) { root.Space = ""; root.RemoveAttr("xmlns:cpas") },
		path:   "/consultCarmedRequest", reason: ReasonNamespace},
	{name: "a root element the schema does not declare is refused", base: consultXML,
		mutate: func(t *testing.T, root *etree.Element) { root.Tag = "deleteCarmedRequest" },
		path:   "/deleteCarmedRequest", reason: ReasonUnexpected},
	{name: "an element child inside a simple value is refused", base: createXML,
		mutate: func(t *testing.T, root *etree.Element) { el(t, root, "legalContext").CreateElement("b") },
		path:   "/createCarmedRequest/legalContext/b", reason: ReasonChildInSimple},
	{name: "text inside element-only content is refused", base: createXML,
		mutate: func(t *testing.T, root *etree.Element) {
			d := el(t, root, "decision")
			d.InsertChildAt(0, etree.NewText("hello"))
		}, path: "/createCarmedRequest/decision", reason: ReasonText},
	{name: "comments, whitespace and CDATA around values stay valid", base: createXML,
		mutate: func(t *testing.T, root *etree.Element) {
			d := el(t, root, "decision")
			d.InsertChildAt(0, etree.NewComment("note"))
			lc := el(t, root, "legalContext")
			lc.SetText("")
			lc.AddChild(etree.NewCData("MEDIPRIMA:"))
			lc.AddChild(etree.NewComment("split"))
			lc.AddChild(etree.NewText("DECISION"))
		}},

	// Choice and occurrences.
	{name: "two members of a choice are refused", base: consultXML,
		mutate: insertAfter("selectionCriteria/bySsin/referenceDate",
			"<period><startDate>2026-01-01</startDate><endDate>2026-12-31</endDate></period>"),
		path: "/consultCarmedRequest/selectionCriteria/bySsin/period", reason: ReasonChoice},
	{name: "two selection criteria are two members of a choice", base: consultXML,
		mutate: insertAfter("selectionCriteria/bySsin", "<byNumber><carmedNumber>000000000001</carmedNumber></byNumber>"),
		path:   "/consultCarmedRequest/selectionCriteria/byNumber", reason: ReasonChoice},
	{name: "an optional choice left out stays valid", base: consultXML,
		mutate: remove("selectionCriteria/bySsin/referenceDate")},
	{name: "empty selection criteria miss a required choice", base: consultXML,
		mutate: remove("selectionCriteria/bySsin"),
		path:   "/consultCarmedRequest/selectionCriteria/bySsin|byNumber|history", reason: ReasonMissing},
	{name: "six information elements in a status exceed maxOccurs 5", base: responseXML,
		mutate: fill("status", "<information><fieldName>f</fieldName><fieldValue>v</fieldValue></information>", 5),
		path:   "/consultCarmedResponse/status/information", reason: ReasonTooMany},
	{name: "five information elements in a status stay valid", base: responseXML,
		mutate: fill("status", "<information><fieldName>f</fieldName><fieldValue>v</fieldValue></information>", 4)},
	{name: "one communication where two are required is missing one", base: responseXML,
		mutate: remove("message/communication[2]"),
		path:   "/consultCarmedResponse/message/communication", reason: ReasonMissing},
	{name: "four justifications exceed maxOccurs 3", base: responseXML,
		mutate: insertAfter("carmed/content/refundPodmiSppis/justification[3]", `<justification lang="fr">x</justification>`),
		path:   "/consultCarmedResponse/carmed/content/refundPodmiSppis/justification", reason: ReasonTooMany},
	{name: "twenty-five decisions exceed maxOccurs 24", base: responseXML,
		mutate: func(t *testing.T, root *etree.Element) {
			c := el(t, root, "carmed")
			for range 24 {
				root.InsertChildAt(c.Index()+1, c.Copy())
			}
		}, path: "/consultCarmedResponse/carmed", reason: ReasonTooMany},
	{name: "several supplement types are valid under maxOccurs unbounded", base: createXML,
		mutate: fill("decision/medicalCover/hospitalization/allowedSupplements/supplementTypeList", "<supplementType>TV</supplementType>", 30)},

	// Simple values.
	{name: "boolean TRUE is not an xs:boolean", base: createXML,
		mutate: setText("decision/judicialDecision", "TRUE"), path: "/createCarmedRequest/decision/judicialDecision", reason: ReasonType},
	{name: "boolean t is not an xs:boolean", base: createXML,
		mutate: setText("decision/judicialDecision", "t"), path: "/createCarmedRequest/decision/judicialDecision", reason: ReasonType},
	{name: "boolean 1 with surrounding whitespace is an xs:boolean", base: createXML,
		mutate: setText("decision/judicialDecision", "\n 1\t")},
	{name: "an ssin of 10 digits does not match the pattern", base: createXML,
		mutate: setText("ssin", "8503141230"), path: "/createCarmedRequest/ssin", reason: ReasonPattern},
	{name: "an ssin with a trailing space does not match the pattern (strings keep whitespace)", base: createXML,
		mutate: setText("ssin", "85031412302 "), path: "/createCarmedRequest/ssin", reason: ReasonPattern},
	{name: "a share outside the enumeration is refused", base: createXML,
		mutate: setText("decision/medicalCover/doctor/pswcSupport/supplement", "SOME"),
		path:   "/createCarmedRequest/decision/medicalCover/doctor/pswcSupport/supplement", reason: ReasonEnumeration},
	{name: "a ticket of 33 characters exceeds maxLength", base: createXML,
		mutate: setText("informationCustomer/ticket", strings.Repeat("x", 33)),
		path:   "/createCarmedRequest/informationCustomer/ticket", reason: ReasonLength},
	{name: "a ticket of 32 accented characters is within maxLength (characters, not bytes)", base: createXML,
		mutate: setText("informationCustomer/ticket", strings.Repeat("é", 32))},
	{name: "an empty ticket is below minLength", base: createXML,
		mutate: setText("informationCustomer/ticket", ""), path: "/createCarmedRequest/informationCustomer/ticket", reason: ReasonLength},
	{name: "a version number beyond 32 bits is not an xs:int", base: modifyXML,
		mutate: setText("versionNumber", "2147483648"), path: "/modifyCarmedRequest/versionNumber", reason: ReasonType},
	{name: "a version number of 0 is below minInclusive", base: modifyXML,
		mutate: setText("versionNumber", "0"), path: "/modifyCarmedRequest/versionNumber", reason: ReasonRange},
	{name: "a version number with a plus sign and spaces is an xs:int", base: modifyXML,
		mutate: setText("versionNumber", " +7 "), libxml2: libxml2Collapse},
	{name: "a version number with a leading zero is an xs:int", base: modifyXML,
		mutate: setText("versionNumber", "007")},
	{name: "a version number with two signs is not an xs:int", base: modifyXML,
		mutate: setText("versionNumber", "+-7"), path: "/modifyCarmedRequest/versionNumber", reason: ReasonType},
	{name: "a negative amount is below minInclusive of a long", base: createXML,
		mutate: setText("decision/medicalCover/hospitalization/allowedSupplements/amountMaxAllowed", "-1"),
		path:   "/createCarmedRequest/decision/medicalCover/hospitalization/allowedSupplements/amountMaxAllowed", reason: ReasonRange},
	{name: "an amount beyond 32 bits is a valid xs:long", base: createXML,
		mutate: setText("decision/medicalCover/hospitalization/allowedSupplements/amountMaxAllowed", "9223372036854775807")},
	{name: "a percentage of 101 is above maxInclusive", base: responseXML,
		mutate: setText("carmed/content/refundPodmiSppis/podmiSppisPart/otherPart/zivAmiPart", "101"),
		path:   "/consultCarmedResponse/carmed/content/refundPodmiSppis/podmiSppisPart/otherPart/zivAmiPart", reason: ReasonRange},
	{name: "the date 2025-02-30 does not exist", base: createXML,
		mutate: setText("decision/decisionDate", "2025-02-30"), path: "/createCarmedRequest/decision/decisionDate", reason: ReasonType},
	{name: "a leap day in a leap year is a date", base: createXML,
		mutate: setText("decision/decisionDate", "2028-02-29")},
	{name: "a date with a zone is a date", base: createXML,
		mutate: setText("decision/decisionDate", "2026-12-01+01:00")},
	{name: "a date with surrounding whitespace is a date", base: createXML,
		mutate: setText("decision/decisionDate", "\n 2026-12-01 \n"), libxml2: libxml2Collapse},
	{name: "a dateTime where a date is expected is not an xs:date", base: createXML,
		mutate: setText("decision/decisionDate", "2026-12-01T00:00:00"), path: "/createCarmedRequest/decision/decisionDate", reason: ReasonType},
	{name: "a dateTime without seconds is not an xs:dateTime", base: createXML,
		mutate: setText("informationCustomer/timestampSent", "2026-12-01T09:00Z"),
		path:   "/createCarmedRequest/informationCustomer/timestampSent", reason: ReasonType},

	// Attributes.
	{name: "a communication without lang is missing a required attribute", base: responseXML,
		mutate: func(t *testing.T, root *etree.Element) { el(t, root, "message/communication").RemoveAttr("lang") },
		path:   "/consultCarmedResponse/message/communication/@lang", reason: ReasonMissingAttr},
	{name: "a lang outside the enumeration is refused", base: responseXML,
		mutate: func(t *testing.T, root *etree.Element) { el(t, root, "carmed/pswc/name").CreateAttr("lang", "de") },
		path:   "/consultCarmedResponse/carmed/pswc/name/@lang", reason: ReasonEnumeration},
	{name: "an unknown attribute is refused", base: createXML,
		mutate: func(t *testing.T, root *etree.Element) { el(t, root, "decision").CreateAttr("id", "d1") },
		path:   "/createCarmedRequest/decision/@id", reason: ReasonUnexpectedAttr},
	{name: "an attribute on a simple-typed element is refused", base: createXML,
		mutate: func(t *testing.T, root *etree.Element) { el(t, root, "ssin").CreateAttr("kind", "x") },
		path:   "/createCarmedRequest/ssin/@kind", reason: ReasonUnexpectedAttr},
	{name: "a wsu:Id on the payload root is refused", base: createXML,
		mutate: func(t *testing.T, root *etree.Element) {
			root.CreateAttr("xmlns:wsu", "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd")
			root.CreateAttr("wsu:Id", "id-1")
		}, path: "/createCarmedRequest/@Id", reason: ReasonUnexpectedAttr},
	{name: "a namespace-qualified lang on a communication is refused", base: responseXML,
		mutate: func(t *testing.T, root *etree.Element) {
			c := el(t, root, "message/communication")
			c.RemoveAttr("lang")
			c.CreateAttr("xml:lang", "fr")
		}, path: "/consultCarmedResponse/message/communication/@lang", reason: ReasonUnexpectedAttr},
	{name: "extra namespace declarations are not attributes", base: createXML,
		mutate: func(t *testing.T, root *etree.Element) {
			el(t, root, "decision").CreateAttr("xmlns:x", "urn:x")
			el(t, root, "ssin").CreateAttr("xmlns", "")
		}},
}

// mutated returns the document's bytes after the mutation, as a client would send them.
func (m mutation) mutated(t *testing.T) []byte {
	doc := readDoc(t, m.base)
	m.mutate(t, doc.Root())
	b, err := doc.WriteToBytes()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestMutatedRequests(t *testing.T) {
	s := contract(t)
	for _, m := range mutations {
		t.Run(m.name, func(t *testing.T) {
			doc := parse(t, m.mutated(t))
			e := asError(t, s.Validate(doc.Root()))
			switch {
			case m.reason == "" && e != nil:
				t.Fatalf("want valid, got %v", e)
			case m.reason != "" && e == nil:
				t.Fatalf("want %s at %s, got valid", m.reason, m.path)
			case e != nil && (e.Path != m.path || e.Reason != m.reason):
				t.Fatalf("got %q at %s\nwant %q at %s", e.Reason, e.Path, m.reason, m.path)
			}
		})
	}
}

// TestXmllintAgreesOnEveryMutation keeps the validator honest: libxml2 must reach the same
// valid/invalid verdict on every document of the table, except the documented libxml2
// deviations, where it must reach the opposite one (so a fixed libxml2 is noticed).
func TestXmllintAgreesOnEveryMutation(t *testing.T) {
	bin := xmllintBin(t)
	for _, m := range mutations {
		t.Run(m.name, func(t *testing.T) {
			want := m.reason == ""
			if m.libxml2 != "" {
				want = !want
				t.Log("expecting the opposite verdict: " + m.libxml2)
			}
			if got := xmllintValid(t, bin, contractXSD, m.mutated(t)); got != want {
				t.Fatalf("xmllint says valid=%v, want %v", got, want)
			}
		})
	}
}
