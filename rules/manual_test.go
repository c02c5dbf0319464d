package rules

import (
	"strings"
	"testing"
)

// The manual's worked examples, replayed on the days they describe.
func manualCases() []ruleCase {
	// 000 §3.5: a decision valid from 01/11/2013 to 31/01/2014; in January 2014 the CPAS
	// wants the period 01/02/2014–30/04/2014.
	jan2014 := MustDate("2014-01-20")
	feb2014 := MustDate("2014-02-10") // "sur un jour après le 01/02/2014": the decision has ended
	nov2013 := func() Decision {
		return decision(num1, cpasA, Active, decided(content("2013-11-01", "2014-01-31"), "2013-11-04"))
	}
	// 002 FAQ: council decision 15/01/2019, a first cover of three months, prolonged by three
	// months at a time up to the year's end on 14/01/2020, start and council date untouched.
	illegalSince2010 := func() *Person {
		p := person()
		p.Situations = []Situation{{From: MustDate("2010-01-01"), Kind: SitIllegal}}
		return p
	}
	card2019 := func(end string) Content {
		return decided(content("2019-01-15", "2020-01-14", append(hospAmb("2019-01-15", end), cover(Doctor, "2019-01-15", end))...), "2019-01-15")
	}
	return []ruleCase{
		{"R-NO-PAST-REDUCTION/manual 3.5: moving the 01/11/2013 decision to start on 01/02/2014 is rejected", func(t *testing.T) {
			r := modifyOn(legal(), jan2014, 1, decided(content("2014-02-01", "2014-04-30"), "2014-01-20"), nov2013())
			rejected(t, r, []string{CodeStartLater}, Info{"element", "startDate"}, Info{"previousStart", "2013-11-01"},
				Info{"requestedStart", "2014-02-01"}, Info{"today", "2014-01-20"})
			if !strings.Contains(r.Messages[0].Fr, "uniquement l'avancer") {
				t.Fatalf("the message should say the start may only move earlier: %s", r.Messages[0].Fr)
			}
		}},
		{"R-NO-PAST-REDUCTION/manual 3.5: keeping 01/11/2013 and prolonging to 30/04/2014 is accepted as version 2", func(t *testing.T) {
			v := accepted(t, modifyOn(legal(), jan2014, 1, decided(content("2013-11-01", "2014-04-30"), "2014-01-20"), nov2013()))
			if v.Number != num1 || v.Version != 2 || v.Period != period("2013-11-01", "2014-04-30") {
				t.Fatalf("version = %s/%d %s", v.Number, v.Version, v.Period)
			}
		}},
		{"R-EXPIRED-EXTEND/manual 3.5: on 10/02/2014, after its end, the 01/11/2013 decision prolonged to 30/04/2014 is accepted as version 2", func(t *testing.T) {
			v := accepted(t, modifyOn(legal(), feb2014, 1, decided(content("2013-11-01", "2014-04-30"), "2014-02-10"), nov2013()))
			if v.Number != num1 || v.Version != 2 || v.Status != Active || v.Period != period("2013-11-01", "2014-04-30") {
				t.Fatalf("version = %s/%d %s %s", v.Number, v.Version, v.Status, v.Period)
			}
		}},
		{"R-EXPIRED-EXTEND/manual 3.5: on 10/02/2014 moving the ended decision to start on 01/02/2014 is rejected (START_LATER)", func(t *testing.T) {
			r := modifyOn(legal(), feb2014, 1, decided(content("2014-02-01", "2014-04-30"), "2014-02-10"), nov2013())
			rejected(t, r, []string{CodeStartLater}, Info{"element", "startDate"}, Info{"previousStart", "2013-11-01"},
				Info{"requestedStart", "2014-02-01"})
		}},
		{"R-NO-REVIVAL/manual 3.5: on 10/02/2014 the same prolongation of a decision stopped on 31/01/2014 is rejected", func(t *testing.T) {
			stopped := decision(num1, cpasA, Stopped, decided(content("2013-11-01", "2014-01-31"), "2013-11-04"))
			rejected(t, modifyOn(legal(), feb2014, 1, decided(content("2013-11-01", "2014-04-30"), "2014-02-10"), stopped),
				[]string{CodeNoRevival}, Info{"status", "STOPPED"}, Info{"decisionEnd", "2014-01-31"})
		}},
		{"R-OVERLAP/manual 3.5: a new decision from 01/02/2014 to 30/04/2014 is accepted beside the old one", func(t *testing.T) {
			v := accepted(t, createOn(legal(), jan2014, decided(content("2014-02-01", "2014-04-30"), "2014-01-20"), nov2013()))
			if v.Version != 1 || v.Number != "" {
				t.Fatalf("a create makes a new decision: %s/%d", v.Number, v.Version)
			}
		}},
		{"R-OVERLAP/manual 3.5: adding a cover by a create over the active decision is rejected: modify it", func(t *testing.T) {
			r := createOn(legal(), jan2014, decided(content("2014-01-20", "2014-01-31", cover(Doctor, "2014-01-20", "2014-01-31")), "2014-01-20"), nov2013())
			rejected(t, r, []string{CodeOverlapOwnCPAS}, Info{"decisionNumber", num1})
			if !strings.Contains(r.Messages[0].Fr, "Veuillez modifier la décision existante") {
				t.Fatalf("the message should tell to modify the existing decision: %s", r.Messages[0].Fr)
			}
		}},
		{"R-COVER-92/002 FAQ: a 15/01/2019 cover prolonged by three months at a time up to 14/01/2020 is accepted", func(t *testing.T) {
			p := illegalSince2010()
			v1 := accepted(t, createOn(p, MustDate("2019-01-15"), card2019("2019-04-14")))
			v1.Number = num1
			d := Decision{Versions: []Version{*v1}}
			for _, step := range []struct{ day, end string }{{"2019-04-14", "2019-07-14"}, {"2019-07-14", "2019-10-14"}, {"2019-10-14", "2020-01-14"}} {
				v := accepted(t, modifyOn(p, MustDate(step.day), d.Latest().Version, card2019(step.end), d))
				d.Versions = append(d.Versions, *v)
			}
			if lv := d.Latest(); lv.Version != 4 || lv.Cover(Doctor).Period.End != MustDate("2020-01-14") {
				t.Fatalf("latest = %d ending %s", lv.Version, lv.Cover(Doctor).Period.End)
			}
		}},
		{"R-COVER-92/002 FAQ: prolonging the 14/04/2019 cover end by 93 days is rejected", func(t *testing.T) {
			p := illegalSince2010()
			v1 := accepted(t, createOn(p, MustDate("2019-01-15"), card2019("2019-04-14")))
			v1.Number = num1
			r := modifyOn(p, MustDate("2019-04-14"), 1, card2019("2019-07-16"), Decision{Versions: []Version{*v1}})
			rejected(t, r, []string{CodeCoverTooLong, CodeCoverTooLong, CodeCoverTooLong}, Info{"maxCoverEnd", "2019-07-15"})
		}},

		{"R-DEADLINE-8/a decision registered 8 days after the council decision is accepted and is not warned", func(t *testing.T) {
			r := create(person(), decided(content("2025-03-01", "2025-05-31"), "2025-02-21"))
			accepted(t, r)
			if len(r.Messages) != 0 {
				t.Fatalf("messages = %v", codes(r.Messages))
			}
		}},
		{"R-DEADLINE-8/a decision registered the day of the council decision is accepted and is not warned", func(t *testing.T) {
			r := create(person(), decided(content("2025-03-01", "2025-05-31"), "2025-03-01"))
			accepted(t, r)
			if len(r.Messages) != 0 {
				t.Fatalf("messages = %v", codes(r.Messages))
			}
		}},
		{"R-DEADLINE-8/a decision registered 9 days after the council decision is accepted and is warned", func(t *testing.T) {
			r := create(person(), decided(content("2025-03-01", "2025-05-31"), "2025-02-20"))
			accepted(t, r)
			expectMessages(t, r.Messages, []string{CodeLateRegister}, Info{"decisionDate", "2025-02-20"},
				Info{"deadline", "2025-02-28"}, Info{"today", "2025-03-01"}, Info{"daysAfterDecision", "9"})
			if r.Messages[0].Severity != SevWarning || r.Messages[0].Fr == "" || r.Messages[0].Nl == "" {
				t.Fatalf("a late registration is only a warning, in French and Dutch (rules.md §9): %+v", r.Messages[0])
			}
		}},
		{"R-DEADLINE-8/a decision registered 58 days after the council decision is still accepted and is warned", func(t *testing.T) {
			// late by far more than the deadline, yet never refused: MediPrima leaves it to the inspection
			r := create(person(), decided(content("2025-03-01", "2025-05-31"), "2025-01-02"))
			accepted(t, r)
			expectMessages(t, r.Messages, []string{CodeLateRegister}, Info{"daysAfterDecision", "58"})
		}},
		{"R-DEADLINE-8/a modify of a decision decided long ago is not warned", func(t *testing.T) {
			// the deadline is the registration's (a create); a later version is not a registration
			v1 := accepted(t, create(person(), decided(content("2025-03-01", "2025-05-31"), "2025-03-01")))
			v1.Number = num1
			later := engine.Modify(ModifyCmd{Caller: cpasA, Number: num1, BaseVersion: 1, Action: ActionModify,
				Content: decided(content("2025-03-01", "2025-06-30"), "2025-03-01")},
				facts(person(), Decision{Versions: []Version{*v1}}), today.AddDays(30), now)
			if later.Rejected() || len(later.Messages) != 0 {
				t.Fatalf("modify 30 days after the decision: codes %v", codes(later.Messages))
			}
		}},
	}
}
