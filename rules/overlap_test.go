package rules

import (
	"slices"
	"testing"
)

func overlapCases() []ruleCase {
	jan := content("2025-01-01", "2025-03-31")
	return []ruleCase{
		{"R-OVERLAP/a decision starting the day after another CPAS's decision ends is accepted", func(t *testing.T) {
			accepted(t, create(person(), content("2025-04-01", "2025-06-30"), decision("000000000007", cpasB, Active, jan)))
		}},
		{"R-OVERLAP/a decision of the same CPAS sharing one day is rejected with the number to modify", func(t *testing.T) {
			d := decision("000000000001", cpasA, Active, jan, jan)
			rejected(t, create(person(), content("2025-03-31", "2025-06-30"), d), []string{CodeOverlapOwnCPAS},
				Info{"decisionNumber", "000000000001"}, Info{"currentVersion", "2"},
				Info{"decisionStart", "2025-01-01"}, Info{"decisionEnd", "2025-03-31"})
		}},
		{"R-OVERLAP/a decision of another CPAS sharing one day is rejected naming only that CPAS", func(t *testing.T) {
			d := decision("000000000007", cpasB, Active, jan)
			r := create(person(), content("2025-03-31", "2025-06-30"), d)
			rejected(t, r, []string{CodeOverlapOther}, Info{"managerCbe", cpasB},
				Info{"managerNameFr", "CPAS de Bruxelles-Test"}, Info{"managerNameNl", "OCMW Brussel-Test"})
			if got := infoNames(r.Messages[0]); !slices.Equal(got, []string{"managerCbe", "managerNameFr", "managerNameNl"}) {
				t.Fatalf("other CPAS info must name the CPAS only, got %v", got)
			}
		}},
		{"R-OVERLAP/a create over a suspended decision of another CPAS is rejected just the same", func(t *testing.T) {
			rejected(t, create(person(), content("2025-03-01", "2025-06-30"), decision("000000000007", cpasB, Suspended, jan)),
				[]string{CodeOverlapOther})
		}},
		{"R-OVERLAP/a create on the stop date of another CPAS's stopped decision is rejected", func(t *testing.T) {
			d := decision("000000000007", cpasB, Stopped, content("2025-01-01", "2025-03-10"))
			rejected(t, create(person(), content("2025-03-10", "2025-06-30"), d), []string{CodeOverlapOther})
		}},
		{"R-OVERLAP/a create the day after another CPAS's stop date is accepted", func(t *testing.T) {
			d := decision("000000000007", cpasB, Stopped, content("2025-01-01", "2025-03-10"))
			accepted(t, create(person(), content("2025-03-11", "2025-06-30"), d))
		}},
		{"R-OVERLAP/a create over two decisions is rejected once for each", func(t *testing.T) {
			rejected(t, create(person(), content("2025-03-01", "2025-06-30"),
				decision("000000000001", cpasA, Active, jan), decision("000000000007", cpasB, Active, content("2025-06-01", "2025-06-30"))),
				[]string{CodeOverlapOwnCPAS, CodeOverlapOther})
		}},
		{"R-OVERLAP/a modify over its own decision's days is accepted", func(t *testing.T) {
			d := decision("000000000001", cpasA, Active, jan)
			r := engine.Modify(ModifyCmd{Caller: cpasA, Number: "000000000001", BaseVersion: 1,
				Content: content("2025-01-01", "2025-06-30")}, facts(person(), d), today, now)
			accepted(t, r)
		}},
		{"R-OVERLAP/a modify extending into another CPAS's decision is rejected", func(t *testing.T) {
			mine := decision("000000000001", cpasA, Active, jan)
			other := decision("000000000007", cpasB, Active, content("2025-05-01", "2025-12-31"))
			r := engine.Modify(ModifyCmd{Caller: cpasA, Number: "000000000001", BaseVersion: 1,
				Content: content("2025-01-01", "2025-05-01")}, facts(person(), mine, other), today, now)
			rejected(t, r, []string{CodeOverlapOther}, Info{"managerCbe", cpasB})
		}},
	}
}

func stateCases() []ruleCase {
	asylum := func(residence string) *Person {
		p := person()
		p.Situations = []Situation{{From: MustDate("2024-01-01"), Kind: SitAsylum, ResidenceINS: residence}}
		return p
	}
	return []ruleCase{
		{"R-STATE-PART/a create for an illegal stay with income below the integration income is accepted with code 1 and AMU", func(t *testing.T) {
			v := accepted(t, create(person(), content("2025-03-01", "2025-05-31")))
			want := StatePart{RefundCode: 1, BeneficiaryStatus: "I", AMU: true,
				Hospital: Percent{100, 100}, Ambulatory: Percent{100, 100}, Other: Percent{100, 100}}
			got := v.State
			if got.JustificationFr == "" || got.JustificationNl == "" {
				t.Fatal("justification missing")
			}
			got.JustificationFr, got.JustificationNl = "", ""
			if got != want {
				t.Fatalf("state = %+v, want %+v", got, want)
			}
		}},
		{"R-STATE-PART/a create with the income flag is accepted with code 2, without patient part outside hospital", func(t *testing.T) {
			c := content("2025-03-01", "2025-05-31")
			c.IncomeAboveRI = true
			v := accepted(t, create(person(), c))
			if v.State.RefundCode != 2 || v.State.Ambulatory != (Percent{100, 0}) || v.State.Hospital != (Percent{100, 100}) {
				t.Fatalf("state = %+v", v.State)
			}
		}},
		{"R-STATE-PART/a create is accepted with the code of the situation on its start, not an earlier one", func(t *testing.T) {
			p := person()
			p.Situations = append(p.Situations, Situation{From: MustDate("2025-03-01"), Kind: SitInsured})
			v := accepted(t, create(p, content("2025-03-01", "2025-05-31")))
			if v.State.RefundCode != 9 {
				t.Fatalf("refund code = %d, want 9", v.State.RefundCode)
			}
		}},
		{"R-STATE-PART/an accepted modify recomputes the State part from the flags", func(t *testing.T) {
			d := decision("000000000001", cpasA, Active, content("2025-03-01", "2025-05-31"))
			d.Versions[0].State = StatePart{RefundCode: 1}
			c := content("2025-03-01", "2025-05-31")
			c.IncomeAboveRI = true
			v := accepted(t, engine.Modify(ModifyCmd{Caller: cpasA, Number: "000000000001", BaseVersion: 1, Content: c},
				facts(person(), d), today, now))
			if v.State.RefundCode != 2 {
				t.Fatalf("refund code = %d, want 2", v.State.RefundCode)
			}
		}},
		{"R-STATE-PART/a create for an asylum seeker residing in the CPAS territory is accepted with code 6", func(t *testing.T) {
			if v := accepted(t, create(asylum(insA), content("2025-03-01", "2025-05-31"))); v.State.RefundCode != 6 {
				t.Fatalf("refund code = %d", v.State.RefundCode)
			}
		}},
		{"R-STATE-PART/a create for an asylum seeker residing outside the CPAS territory is accepted with code 7: 50 percent for other care only", func(t *testing.T) {
			v := accepted(t, create(asylum(insB), content("2025-03-01", "2025-05-31")))
			if v.State.RefundCode != 7 || v.State.Other != (Percent{50, 50}) || v.State.Hospital != (Percent{100, 100}) ||
				v.State.Ambulatory != (Percent{100, 100}) {
				t.Fatalf("state = %+v", v.State)
			}
		}},
		{"R-STATE-PART/a create for an insured person is accepted with code 9, the mutuality flag and no State part", func(t *testing.T) {
			p := person()
			p.Situations = []Situation{{From: MustDate("2024-01-01"), Kind: SitInsured}}
			v := accepted(t, create(p, content("2025-03-01", "2025-05-31")))
			if v.State.RefundCode != 9 || !v.State.Mutuality || v.State.Hospital != (Percent{}) || v.State.Ambulatory != (Percent{}) ||
				v.State.Other != (Percent{}) {
				t.Fatalf("state = %+v", v.State)
			}
		}},
		{"R-STATE-PART/a create without State intervention is accepted with code 0, keeping the registry status and AMU flag", func(t *testing.T) {
			c := content("2025-03-01", "2025-05-31")
			c.NoStateIntervention = true
			v := accepted(t, create(person(), c))
			if v.State.RefundCode != 0 || v.State.BeneficiaryStatus != "I" || !v.State.AMU || v.State.Ambulatory != (Percent{}) {
				t.Fatalf("state = %+v", v.State)
			}
		}},
		{"R-STATE-PART/a start before any known situation is rejected with the start date", func(t *testing.T) {
			c := content("2019-12-31", "2020-03-31")
			c.JudicialDecision = true
			rejected(t, create(person(), c), []string{CodeNoSituation}, Info{"startDate", "2019-12-31"})
		}},
		{"R-FEDASIL/a person housed by Fedasil on the start date is refused", func(t *testing.T) {
			p := person()
			p.Situations = append(p.Situations, Situation{From: MustDate("2025-02-01"), Kind: SitFedasil})
			rejected(t, create(p, content("2025-03-01", "2025-05-31")), []string{CodeFedasilHoused})
		}},
		{"R-FEDASIL/a person who left Fedasil before the start date is accepted", func(t *testing.T) {
			p := person()
			p.Situations = []Situation{{From: MustDate("2024-01-01"), Kind: SitFedasil}, {From: MustDate("2025-02-01"), Kind: SitIllegal}}
			accepted(t, create(p, content("2025-03-01", "2025-05-31")))
		}},
	}
}
