package rules

import (
	"fmt"
	"reflect"
	"testing"
	"time"
)

func consult(cmd ConsultCmd, ds ...Decision) ConsultResult {
	if cmd.Caller == "" {
		cmd.Caller = cpasA
	}
	if cmd.SSIN == "" {
		cmd.SSIN = ssinAlice
	}
	return engine.Consult(cmd, facts(person(), ds...), today)
}

func numbers(vs []View) []string {
	var out []string
	for _, v := range vs {
		out = append(out, fmt.Sprintf("%s/%d", v.Version.Number, v.Version.Version))
	}
	return out
}

// manyVersions is one decision of cpasA with n versions, created one minute apart.
func manyVersions(number string, n int, base time.Time) Decision {
	cs := make([]Content, n)
	for i := range cs {
		cs[i] = content("2025-01-01", "2025-06-30")
	}
	d := decision(number, cpasA, Active, cs...)
	for i := range d.Versions {
		d.Versions[i].Created = base.Add(time.Duration(i) * time.Minute)
	}
	return d
}

func consultCases() []ruleCase {
	q1 := decision("000000000001", cpasA, Active, content("2025-01-01", "2025-03-31"), content("2025-01-01", "2025-04-30"))
	q3 := decision("000000000002", cpasA, Active, content("2025-07-01", "2025-09-30"))
	return []ruleCase{
		{"R-CONSULT-CPAS/a consultation without date is answered for today with the latest version", func(t *testing.T) {
			res := consult(ConsultCmd{Mode: ByDate, Date: NoDate}, q1, q3)
			if got := numbers(res.Views); !reflect.DeepEqual(got, []string{"000000000001/2"}) || !res.Views[0].Full {
				t.Fatalf("views = %v", got)
			}
		}},
		{"R-CONSULT-CPAS/a consultation on a date outside every decision is answered with nothing", func(t *testing.T) {
			if res := consult(ConsultCmd{Mode: ByDate, Date: MustDate("2025-06-15")}, q1, q3); len(res.Views) != 0 {
				t.Fatalf("views = %v", numbers(res.Views))
			}
		}},
		{"R-CONSULT-CPAS/a consultation by period is answered with every decision overlapping it in start order", func(t *testing.T) {
			res := consult(ConsultCmd{Mode: ByPeriod, Period: period("2025-04-30", "2025-07-01")}, q3, q1)
			if got := numbers(res.Views); !reflect.DeepEqual(got, []string{"000000000001/2", "000000000002/1"}) {
				t.Fatalf("views = %v", got)
			}
		}},
		{"R-CONSULT-CPAS/an inverted period is rejected", func(t *testing.T) {
			res := consult(ConsultCmd{Mode: ByPeriod, Period: period("2025-05-01", "2025-04-30")}, q1)
			expectMessages(t, res.Messages, []string{CodePeriodInverted})
		}},
		{"R-CONSULT-CPAS/a consultation by number without version is answered with the latest version", func(t *testing.T) {
			res := consult(ConsultCmd{Mode: ByNumber, Number: "000000000001"}, q1)
			if got := numbers(res.Views); !reflect.DeepEqual(got, []string{"000000000001/2"}) {
				t.Fatalf("views = %v", got)
			}
		}},
		{"R-CONSULT-CPAS/a consultation by number and version is answered with that version", func(t *testing.T) {
			res := consult(ConsultCmd{Mode: ByNumber, Number: "000000000001", Version: 1}, q1)
			if got := numbers(res.Views); !reflect.DeepEqual(got, []string{"000000000001/1"}) ||
				res.Views[0].Version.Period.End != MustDate("2025-03-31") {
				t.Fatalf("views = %v", got)
			}
		}},
		{"R-CONSULT-CPAS/a version beyond the latest is rejected with the latest version", func(t *testing.T) {
			res := consult(ConsultCmd{Mode: ByNumber, Number: "000000000001", Version: 3}, q1)
			expectMessages(t, res.Messages, []string{CodeVersionUnknown}, Info{"latestVersion", "2"}, Info{"requestedVersion", "3"})
		}},
		{"R-CONSULT-CPAS/a consultation of an unknown number is answered with nothing", func(t *testing.T) {
			res := consult(ConsultCmd{Mode: ByNumber, Number: "000000000099"}, q1)
			if len(res.Views) != 0 || len(res.Messages) != 0 {
				t.Fatalf("got %+v", res)
			}
		}},
		{"R-CONSULT-CPAS/a history is answered with every version newest first", func(t *testing.T) {
			res := consult(ConsultCmd{Mode: History, Period: period("2025-01-01", "2025-12-31")}, q1, q3)
			want := []string{"000000000002/1", "000000000001/2", "000000000001/1"}
			// q3 and q1's latest share a creation time: ties go to the higher number, then version.
			if got := numbers(res.Views); !reflect.DeepEqual(got, want) || res.More {
				t.Fatalf("views = %v more=%v", got, res.More)
			}
		}},
		{"R-CONSULT-CPAS/a history of 24 occurrences is answered in full without the more flag", func(t *testing.T) {
			res := consult(ConsultCmd{Mode: History, Period: period("2025-01-01", "2025-12-31")}, manyVersions("000000000001", 24, now))
			if len(res.Views) != 24 || res.More || res.Views[0].Version.Version != 24 {
				t.Fatalf("views = %d more=%v", len(res.Views), res.More)
			}
		}},
		{"R-CONSULT-CPAS/a history of 25 occurrences is answered with the newest 24 and the more flag", func(t *testing.T) {
			res := consult(ConsultCmd{Mode: History, Period: period("2025-01-01", "2025-12-31")}, manyVersions("000000000001", 25, now))
			if len(res.Views) != 24 || !res.More || res.Views[0].Version.Version != 25 || res.Views[23].Version.Version != 2 {
				t.Fatalf("views = %d more=%v", len(res.Views), res.More)
			}
		}},
		{"R-CONSULT-CPAS/a history is answered with a decision only one of whose versions touched the period", func(t *testing.T) {
			d := decision("000000000001", cpasA, Stopped, content("2025-01-01", "2025-06-30"), content("2025-01-01", "2025-03-01"))
			res := consult(ConsultCmd{Mode: History, Period: period("2025-05-01", "2025-05-31")}, d)
			if len(res.Views) != 2 {
				t.Fatalf("views = %v", numbers(res.Views))
			}
		}},
	}
}

func viewCases() []ruleCase {
	theirs := decision("000000000007", cpasB, Active,
		content("2025-01-01", "2025-03-31", cover(Doctor, "2025-01-01", "2025-03-31")),
		content("2025-01-01", "2025-04-30", cover(Doctor, "2025-01-01", "2025-04-30")))
	theirs.Versions[1].State = StatePart{RefundCode: 1}
	summary := View{Full: false, Manager: cpasDir[cpasB],
		Version: Version{Number: "000000000007", Manager: cpasB, Content: Content{Period: period("2025-01-01", "2025-04-30")}}}
	return []ruleCase{
		{"R-VIEW-OTHER-CPAS/another CPAS is refused the content and sees only the manager, the number and the latest validity", func(t *testing.T) {
			res := consult(ConsultCmd{Mode: ByDate, Date: NoDate}, theirs)
			if len(res.Views) != 1 || !reflect.DeepEqual(res.Views[0], summary) {
				t.Fatalf("views = %+v", res.Views)
			}
		}},
		{"R-VIEW-OTHER-CPAS/the manager's consultation is answered in full", func(t *testing.T) {
			res := consult(ConsultCmd{Caller: cpasB, Mode: ByDate, Date: NoDate}, theirs)
			if len(res.Views) != 1 || !res.Views[0].Full || len(res.Views[0].Version.Covers) != 1 ||
				res.Views[0].Version.Beneficiary.SSIN != ssinAlice || res.Views[0].Manager.NameNl != "OCMW Brussel-Test" {
				t.Fatalf("views = %+v", res.Views)
			}
		}},
		{"R-VIEW-OTHER-CPAS/in a history another CPAS's decision appears once, as a summary", func(t *testing.T) {
			res := consult(ConsultCmd{Mode: History, Period: period("2025-01-01", "2025-12-31")}, theirs)
			if len(res.Views) != 1 || !reflect.DeepEqual(res.Views[0], summary) {
				t.Fatalf("views = %+v", res.Views)
			}
		}},
		{"R-VIEW-OTHER-CPAS/another CPAS's closed decision is refused to other CPAS altogether", func(t *testing.T) {
			closed := decision("000000000007", cpasB, Closed, content("2025-04-01", "2025-04-30"))
			res := consult(ConsultCmd{Mode: History, Period: period("2025-01-01", "2025-12-31")}, closed)
			if len(res.Views) != 0 {
				t.Fatalf("views = %+v", res.Views)
			}
		}},
	}
}

func simulateCases() []ruleCase {
	sim := func(cmd SimulateCmd, p *Person) SimulateResult {
		cmd.Caller = cpasA
		if cmd.SSIN == "" {
			cmd.SSIN = ssinAlice
		}
		return engine.Simulate(cmd, facts(p), today)
	}
	base := SimulateCmd{Period: period("2025-03-01", "2025-05-31"), DecisionDate: today}
	return []ruleCase{
		{"R-SIMULATE/a simulation is answered with the refund code, status, AMU flag, justification and percentages", func(t *testing.T) {
			res := sim(base, person())
			s := res.State
			if len(res.Messages) != 0 || s.RefundCode != 1 || s.BeneficiaryStatus != "I" || !s.AMU ||
				s.JustificationFr == "" || s.JustificationNl == "" || s.Ambulatory != (Percent{100, 100}) {
				t.Fatalf("got %+v", res)
			}
		}},
		{"R-SIMULATE/the same input on the same day is answered with the same output", func(t *testing.T) {
			a, b := sim(base, person()), sim(base, person())
			if !reflect.DeepEqual(a, b) {
				t.Fatalf("%+v != %+v", a, b)
			}
		}},
		{"R-SIMULATE/a simulation with the income flag is answered with code 2", func(t *testing.T) {
			c := base
			c.IncomeAboveRI = true
			if res := sim(c, person()); res.State.RefundCode != 2 {
				t.Fatalf("got %+v", res.State)
			}
		}},
		{"R-SIMULATE/a start beyond 60 days passes with a warning", func(t *testing.T) {
			c := base
			c.Period.Start = MustDate("2024-12-30")
			res := sim(c, person())
			expectMessages(t, res.Messages, []string{CodeStartTooEarly}, Info{"minStartDate", "2024-12-31"})
			if res.Messages[0].Severity != SevWarning || res.State.RefundCode != 1 {
				t.Fatalf("got %+v", res)
			}
		}},
		{"R-SIMULATE/a simulation for a person housed by Fedasil is refused", func(t *testing.T) {
			p := person()
			p.Situations = []Situation{{From: MustDate("2024-01-01"), Kind: SitFedasil}}
			res := sim(base, p)
			expectMessages(t, res.Messages, []string{CodeFedasilHoused})
			if res.State != (StatePart{}) {
				t.Fatal("no State part on a refusal")
			}
		}},
		{"R-SIMULATE/an unknown person is rejected", func(t *testing.T) {
			expectMessages(t, sim(base, nil).Messages, []string{CodePersonUnknown})
		}},
		{"R-SIMULATE/a simulation with an invalid SSIN is refused as a technical error", func(t *testing.T) {
			c := base
			c.SSIN = "12345678901"
			res := sim(c, person())
			expectMessages(t, res.Messages, []string{CodeSSINInvalid})
		}},
	}
}
