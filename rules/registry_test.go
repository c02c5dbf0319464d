package rules

import (
	"encoding/xml"
	"os"
	"reflect"
	"testing"
)

func registryCases() []ruleCase {
	fedasilFrom := func(day string) *Person {
		p := person()
		p.Situations = append(p.Situations, Situation{From: MustDate(day), Kind: SitFedasil})
		return p
	}
	changesTo := func(day string, k SituationKind, ins string) *Person {
		p := person()
		p.Situations = append(p.Situations, Situation{From: MustDate(day), Kind: k, ResidenceINS: ins})
		return p
	}
	dies := func(day string) *Person {
		p := person()
		p.DeathDate = MustDate(day)
		return p
	}
	mar := func() Decision { return decision(num1, cpasA, Active, content("2025-03-01", "2025-03-31")) }
	bob := mkSSIN("900101123", false)
	return []ruleCase{
		{"R-FEDASIL/a person entering a Fedasil centre during the period is refused with the last day before it", func(t *testing.T) {
			rejected(t, create(fedasilFrom("2025-04-15"), content("2025-03-01", "2025-05-31")), []string{CodeFedasilHoused},
				Info{"fedasilFrom", "2025-04-15"}, Info{"startDate", "2025-03-01"}, Info{"maxEndDate", "2025-04-14"})
		}},
		{"R-FEDASIL/a period ending the day before the Fedasil stay is accepted", func(t *testing.T) {
			accepted(t, create(fedasilFrom("2025-04-15"), content("2025-03-01", "2025-04-14")))
		}},
		{"R-FEDASIL/a modify extending into a Fedasil stay is rejected", func(t *testing.T) {
			r := engine.Modify(ModifyCmd{Caller: cpasA, Number: num1, BaseVersion: 1, Content: content("2025-03-01", "2025-04-15")},
				facts(fedasilFrom("2025-04-15"), mar()), today, now)
			rejected(t, r, []string{CodeFedasilHoused}, Info{"fedasilFrom", "2025-04-15"})
		}},

		{"R-ONE-PERSON/a create is accepted for the one person it names", func(t *testing.T) {
			v := accepted(t, create(person(), content("2025-03-01", "2025-05-31")))
			if v.Beneficiary.SSIN != ssinAlice {
				t.Fatalf("beneficiary = %s", v.Beneficiary.SSIN)
			}
			// One SSIN in, one beneficiary out: the types leave no room for a second person.
			if f, _ := reflect.TypeOf(CreateCmd{}).FieldByName("SSIN"); f.Type.Kind() != reflect.String {
				t.Fatal("CreateCmd.SSIN must be a single string")
			}
			if f, _ := reflect.TypeOf(Version{}).FieldByName("Beneficiary"); f.Type.Kind() != reflect.Struct {
				t.Fatal("Version.Beneficiary must be a single person")
			}
		}},
		{"R-ONE-PERSON/each member of a family gets a decision of their own, accepted separately", func(t *testing.T) {
			other := person()
			other.SSIN = bob
			a := accepted(t, create(person(), content("2025-03-01", "2025-05-31")))
			b := accepted(t, engine.Create(CreateCmd{Caller: cpasA, SSIN: bob, Content: content("2025-03-01", "2025-05-31")},
				facts(other), today, now))
			if a.Beneficiary.SSIN == b.Beneficiary.SSIN {
				t.Fatal("two members share a beneficiary")
			}
		}},
		{"R-ONE-PERSON/a create whose registry record is another person's is refused", func(t *testing.T) {
			other := person()
			other.SSIN = bob
			rejected(t, create(other, content("2025-03-01", "2025-05-31")), []string{CodePersonMismatch})
		}},
		{"R-ONE-PERSON/a modify for another person than the decision's is refused", func(t *testing.T) {
			other := person()
			other.SSIN = bob
			r := engine.Modify(ModifyCmd{Caller: cpasA, Number: num1, BaseVersion: 1, Content: content("2025-03-01", "2025-04-30")},
				facts(other, mar()), today, now)
			rejected(t, r, []string{CodePersonMismatch}, Info{"decisionNumber", num1})
		}},
		{"R-ONE-PERSON/a create naming two beneficiaries is refused by the schema: ssin occurs once", func(t *testing.T) {
			ssin := xsdElement(t, "CreateCarmedRequestType", "ssin")
			if ssin == nil {
				t.Fatal("no ssin element in createCarmedRequest")
			}
			if m := ssin.attr("maxOccurs"); m != "" && m != "1" {
				t.Fatalf("ssin maxOccurs = %q", m)
			}
		}},

		{"R-DEATH-5/a decision ending 5 days after the death is accepted", func(t *testing.T) {
			accepted(t, create(dies("2025-04-10"), content("2025-03-01", "2025-04-15")))
		}},
		{"R-DEATH-5/a decision ending 6 days after the death is rejected with the last allowed end", func(t *testing.T) {
			rejected(t, create(dies("2025-04-10"), content("2025-03-01", "2025-04-16")), []string{CodeAfterDeath},
				Info{"deathDate", "2025-04-10"}, Info{"maxEndDate", "2025-04-15"}, Info{"endDate", "2025-04-16"})
		}},
		{"R-DEATH-5/a version extending past death + 5 is rejected", func(t *testing.T) {
			r := engine.Modify(ModifyCmd{Caller: cpasA, Number: num1, BaseVersion: 1, Content: content("2025-03-01", "2025-04-16")},
				facts(dies("2025-04-10"), mar()), today, now)
			rejected(t, r, []string{CodeAfterDeath}, Info{"maxEndDate", "2025-04-15"})
		}},
		{"R-DEATH-5/a version shortened to death + 5 is accepted", func(t *testing.T) {
			d := decision(num1, cpasA, Active, content("2025-03-01", "2025-03-04"))
			r := engine.Modify(ModifyCmd{Caller: cpasA, Number: num1, BaseVersion: 1, Content: content("2025-03-01", "2025-03-04")},
				facts(dies("2025-02-27"), d), today, now)
			accepted(t, r)
		}},

		{"R-STATUS-CHANGE/a change of refund code inside the period is rejected with the change date", func(t *testing.T) {
			rejected(t, create(changesTo("2025-04-01", SitInsured, ""), content("2025-03-01", "2025-05-31")), []string{CodeStatusChange},
				Info{"changeDate", "2025-04-01"}, Info{"maxEndDate", "2025-03-31"}, Info{"refundCode", "1"}, Info{"newRefundCode", "9"})
		}},
		{"R-STATUS-CHANGE/a decision up to the day before the change is accepted", func(t *testing.T) {
			accepted(t, create(changesTo("2025-04-01", SitInsured, ""), content("2025-03-01", "2025-03-31")))
		}},
		{"R-STATUS-CHANGE/a decision from the change date on is accepted with the new code", func(t *testing.T) {
			v := accepted(t, create(changesTo("2025-04-01", SitInsured, ""), content("2025-04-01", "2025-05-31")))
			if v.State.RefundCode != 9 {
				t.Fatalf("refund code = %d", v.State.RefundCode)
			}
		}},
		{"R-STATUS-CHANGE/a registry change that keeps the refund code is accepted", func(t *testing.T) {
			accepted(t, create(changesTo("2025-04-01", SitIllegal, insB), content("2025-03-01", "2025-05-31")))
		}},
		{"R-STATUS-CHANGE/an asylum seeker moving out of the CPAS territory is rejected from the move", func(t *testing.T) {
			p := person()
			p.Situations = []Situation{{From: MustDate("2024-01-01"), Kind: SitAsylum, ResidenceINS: insA},
				{From: MustDate("2025-05-01"), Kind: SitAsylum, ResidenceINS: insB}}
			rejected(t, create(p, content("2025-03-01", "2025-05-31")), []string{CodeStatusChange},
				Info{"changeDate", "2025-05-01"}, Info{"maxEndDate", "2025-04-30"}, Info{"refundCode", "6"}, Info{"newRefundCode", "7"})
		}},
		{"R-STATUS-CHANGE/a modify extending over the change is rejected", func(t *testing.T) {
			r := engine.Modify(ModifyCmd{Caller: cpasA, Number: num1, BaseVersion: 1, Content: content("2025-03-01", "2025-04-01")},
				facts(changesTo("2025-04-01", SitInsured, ""), mar()), today, now)
			rejected(t, r, []string{CodeStatusChange}, Info{"changeDate", "2025-04-01"})
		}},
		{"R-STATUS-CHANGE/a simulation over the change passes with a warning carrying the change date", func(t *testing.T) {
			res := engine.Simulate(SimulateCmd{Caller: cpasA, SSIN: ssinAlice, Period: period("2025-03-01", "2025-05-31"),
				DecisionDate: today}, facts(changesTo("2025-04-01", SitInsured, "")), today)
			expectMessages(t, res.Messages, []string{CodeStatusChange}, Info{"changeDate", "2025-04-01"})
			if res.Messages[0].Severity != SevWarning || res.State.RefundCode != 1 {
				t.Fatalf("got %+v", res)
			}
		}},

		{"R-STATE-PART/an accepted modify recomputes the State part from the registry as it is now", func(t *testing.T) {
			d := mar()
			d.Versions[0].State = StatePart{RefundCode: 1}
			r := engine.Modify(ModifyCmd{Caller: cpasA, Number: num1, BaseVersion: 1, Content: content("2025-03-01", "2025-04-30")},
				facts(legal(), d), today, now)
			if v := accepted(t, r); v.State.RefundCode != 3 {
				t.Fatalf("refund code = %d, want 3", v.State.RefundCode)
			}
		}},
		{"R-STATE-PART/an accepted stop recomputes the State part too", func(t *testing.T) {
			d := mar()
			d.Versions[0].State = StatePart{RefundCode: 1}
			r := engine.Stop(StopCmd{Caller: cpasA, Number: num1, BaseVersion: 1, StopDate: today}, facts(legal(), d), today, now)
			if v := accepted(t, r); v.State.RefundCode != 3 {
				t.Fatalf("refund code = %d, want 3", v.State.RefundCode)
			}
		}},
		{"R-STATE-PART/a stop is accepted with the previous State part when none can be computed now", func(t *testing.T) {
			d := mar()
			d.Versions[0].State = StatePart{RefundCode: 1}
			r := engine.Stop(StopCmd{Caller: cpasA, Number: num1, BaseVersion: 1, StopDate: today}, facts(fedasilFrom("2025-01-01"), d), today, now)
			if v := accepted(t, r); v.State.RefundCode != 1 {
				t.Fatalf("refund code = %d, want 1", v.State.RefundCode)
			}
		}},
	}
}

// xsdNode is a generic XML element of the project's CPAS schema.
type xsdNode struct {
	XMLName  xml.Name
	Attrs    []xml.Attr `xml:",any,attr"`
	Children []xsdNode  `xml:",any"`
}

func (n *xsdNode) attr(name string) string {
	for _, a := range n.Attrs {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func (n *xsdNode) walk(f func(*xsdNode)) {
	f(n)
	for i := range n.Children {
		n.Children[i].walk(f)
	}
}

// loadXSD reads the CPAS service schema the server validates against.
func loadXSD(t *testing.T) *xsdNode {
	t.Helper()
	b, err := os.ReadFile("../xsd/carmed-cpas-v1.xsd")
	if err != nil {
		t.Fatalf("the CPAS schema is part of the repository: %v", err)
	}
	var root xsdNode
	if err := xml.Unmarshal(b, &root); err != nil {
		t.Fatal(err)
	}
	return &root
}

// xsdType returns the named complexType.
func xsdType(t *testing.T, name string) *xsdNode {
	var found *xsdNode
	loadXSD(t).walk(func(n *xsdNode) {
		if n.XMLName.Local == "complexType" && n.attr("name") == name {
			found = n
		}
	})
	if found == nil {
		t.Fatalf("complexType %s not in the schema", name)
	}
	return found
}

// xsdElement returns the element named elem declared inside complexType typ.
func xsdElement(t *testing.T, typ, elem string) *xsdNode {
	var found *xsdNode
	xsdType(t, typ).walk(func(n *xsdNode) {
		if n.XMLName.Local == "element" && n.attr("name") == elem {
			found = n
		}
	})
	return found
}
