package rules

import (
	"reflect"
	"strings"
	"testing"
)

const num1 = "000000000001"

func modify(caller string, base int, c Content, ds ...Decision) Result {
	return engine.Modify(ModifyCmd{Caller: caller, Number: num1, BaseVersion: base, Action: ActionModify, Content: c},
		facts(person(), ds...), today, now)
}

func stop(caller string, base int, day string, ds ...Decision) Result {
	return engine.Stop(StopCmd{Caller: caller, Number: num1, BaseVersion: base, StopDate: MustDate(day)},
		facts(person(), ds...), today, now)
}

func closeCmd(caller string, base int, ds ...Decision) Result {
	return engine.Close(CloseCmd{Caller: caller, Number: num1, BaseVersion: base}, facts(person(), ds...), today, now)
}

func managerCases() []ruleCase {
	mar := content("2025-03-01", "2025-05-31")
	d := func() Decision { return decision(num1, cpasA, Active, mar) }
	future := func() Decision { return decision(num1, cpasA, Active, content("2025-04-01", "2025-05-31")) }
	return []ruleCase{
		{"R-MANAGER/a modify by the managing CPAS is accepted", func(t *testing.T) {
			accepted(t, modify(cpasA, 1, content("2025-03-01", "2025-06-30"), d()))
		}},
		{"R-MANAGER/a modify by another CPAS is refused and names the manager", func(t *testing.T) {
			rejected(t, modify(cpasB, 1, content("2025-03-01", "2025-06-30"), d()), []string{CodeNotManager},
				Info{"decisionNumber", num1}, Info{"managerCbe", cpasA})
		}},
		{"R-MANAGER/a stop by another CPAS is refused", func(t *testing.T) {
			rejected(t, stop(cpasB, 1, "2025-04-01", d()), []string{CodeNotManager})
		}},
		{"R-MANAGER/a close by another CPAS is refused", func(t *testing.T) {
			rejected(t, closeCmd(cpasB, 1, future()), []string{CodeNotManager})
		}},
		{"R-MANAGER/a consultation by number from another CPAS is refused", func(t *testing.T) {
			res := engine.Consult(ConsultCmd{Caller: cpasB, Mode: ByNumber, Number: num1}, facts(person(), d()), today)
			expectMessages(t, res.Messages, []string{CodeNotManager}, Info{"managerCbe", cpasA})
			if len(res.Views) != 0 {
				t.Fatal("no view for a non-manager")
			}
		}},
		{"R-MANAGER/a stale version from another CPAS is refused as not manager, not as a conflict", func(t *testing.T) {
			rejected(t, modify(cpasB, 7, mar, d()), []string{CodeNotManager})
		}},
		{"R-MANAGER/an unknown decision number is rejected", func(t *testing.T) {
			rejected(t, modify(cpasA, 1, mar), []string{CodeDecisionUnknown}, Info{"decisionNumber", num1})
		}},
	}
}

func versioningCases() []ruleCase {
	mar := content("2025-03-01", "2025-05-31")
	return []ruleCase{
		{"R-VERSIONING/an accepted modify writes the next version with number, manager, author, cause, time and business day", func(t *testing.T) {
			d := decision(num1, cpasA, Active, mar, mar)
			v := accepted(t, modify(cpasA, 2, content("2025-03-01", "2025-06-30", cover(Doctor, "2025-03-01", "2025-05-31")), d))
			if v.Version != 3 || v.Number != num1 || v.Manager != cpasA || v.Author != cpasA || v.Cause != CauseModify ||
				!v.Created.Equal(now) || v.WrittenOn != today || v.Status != Active || v.Period.End != MustDate("2025-06-30") || len(v.Covers) != 1 {
				t.Fatalf("version = %+v", v)
			}
		}},
		{"R-VERSIONING/a modify naming an older version is a conflict carrying the current version", func(t *testing.T) {
			d := decision(num1, cpasA, Active, mar, mar)
			rejected(t, modify(cpasA, 1, mar, d), []string{CodeVersionConflict},
				Info{"decisionNumber", num1}, Info{"currentVersion", "2"}, Info{"requestedVersion", "1"})
		}},
		{"R-VERSIONING/a stop naming an older version is a conflict", func(t *testing.T) {
			rejected(t, stop(cpasA, 1, "2025-04-01", decision(num1, cpasA, Active, mar, mar)), []string{CodeVersionConflict},
				Info{"currentVersion", "2"})
		}},
		{"R-VERSIONING/a close naming a version that does not exist yet is a conflict", func(t *testing.T) {
			rejected(t, closeCmd(cpasA, 2, decision(num1, cpasA, Active, content("2025-04-01", "2025-05-31"))),
				[]string{CodeVersionConflict}, Info{"currentVersion", "1"})
		}},
		{"R-VERSIONING/an accepted create is version 1 without a number, active, made by the caller", func(t *testing.T) {
			v := accepted(t, create(person(), mar))
			if v.Version != 1 || v.Number != "" || v.Manager != cpasA || v.Author != cpasA || v.Cause != CauseCreate ||
				v.Status != Active || !v.Created.Equal(now) {
				t.Fatalf("version = %+v", v)
			}
		}},
		{"R-VERSIONING/a new version never shares covers with the version it copies", func(t *testing.T) {
			d := decision(num1, cpasA, Active, content("2025-03-01", "2025-05-31", cover(Doctor, "2025-03-01", "2025-05-31")))
			v := accepted(t, stop(cpasA, 1, "2025-04-15", d))
			if d.Versions[0].Covers[0].Period.End != MustDate("2025-05-31") || v.Covers[0].Period.End != MustDate("2025-04-15") {
				t.Fatal("the stored version was altered by the stop")
			}
		}},
	}
}

func stopCases() []ruleCase {
	mar := content("2025-02-01", "2025-05-31",
		cover(Doctor, "2025-02-01", "2025-05-31"), cover(Paramedic, "2025-02-01", "2025-02-28"), cover(Prosthesis, "2025-04-01", "2025-05-31"))
	d := func() Decision { return decision(num1, cpasA, Active, mar) }
	return []ruleCase{
		{"R-STOP/a stop today is accepted and cuts or drops the covers beyond it", func(t *testing.T) {
			v := accepted(t, stop(cpasA, 1, "2025-03-01", d()))
			want := []Cover{cover(Doctor, "2025-02-01", "2025-03-01"), cover(Paramedic, "2025-02-01", "2025-02-28")}
			if v.Status != Stopped || v.Cause != CauseStop || v.Version != 2 || v.Period != period("2025-02-01", "2025-03-01") ||
				!reflect.DeepEqual(v.Covers, want) {
				t.Fatalf("version = %+v", v)
			}
		}},
		{"R-STOP/a stop yesterday is retroactive and rejected", func(t *testing.T) {
			rejected(t, stop(cpasA, 1, "2025-02-28", d()), []string{CodeStopRetro},
				Info{"stopDate", "2025-02-28"}, Info{"today", "2025-03-01"})
		}},
		{"R-STOP/a stop on the last day of the validity is accepted", func(t *testing.T) {
			accepted(t, stop(cpasA, 1, "2025-05-31", d()))
		}},
		{"R-STOP/a stop after the end of the validity is rejected with the validity", func(t *testing.T) {
			rejected(t, stop(cpasA, 1, "2025-06-01", d()), []string{CodeStopOutside},
				Info{"decisionStart", "2025-02-01"}, Info{"decisionEnd", "2025-05-31"})
		}},
		{"R-STOP/a stop of an expired decision is rejected", func(t *testing.T) {
			rejected(t, stop(cpasA, 1, "2025-03-01", decision(num1, cpasA, Active, content("2025-01-01", "2025-02-28"))),
				[]string{CodeStopOutside})
		}},
		{"R-STOP/a stop without a date is rejected", func(t *testing.T) {
			r := engine.Stop(StopCmd{Caller: cpasA, Number: num1, BaseVersion: 1, StopDate: NoDate}, facts(person(), d()), today, now)
			rejected(t, r, []string{CodeDateMissing}, Info{"field", "stopDate"})
		}},
		{"R-STOP/a stop of a closed decision is rejected", func(t *testing.T) {
			rejected(t, stop(cpasA, 1, "2025-04-10", decision(num1, cpasA, Closed, content("2025-04-01", "2025-05-31"))),
				[]string{CodeDecisionClosed})
		}},
		{"R-STOP/stopping earlier a decision stopped in the future is accepted", func(t *testing.T) {
			accepted(t, stop(cpasA, 1, "2025-03-15", decision(num1, cpasA, Stopped, content("2025-02-01", "2025-04-30"))))
		}},
		{"R-STOP/stopping a decision stopped in the future before today is rejected", func(t *testing.T) {
			rejected(t, stop(cpasA, 1, "2025-02-27", decision(num1, cpasA, Stopped, content("2025-02-01", "2025-04-30"))),
				[]string{CodeStopRetro})
		}},
	}
}

func closeCases() []ruleCase {
	future := content("2025-03-02", "2025-05-31", cover(Doctor, "2025-03-02", "2025-05-31"))
	return []ruleCase{
		{"R-CLOSE/closing a decision starting tomorrow is accepted", func(t *testing.T) {
			v := accepted(t, closeCmd(cpasA, 1, decision(num1, cpasA, Active, future)))
			if v.Status != Closed || v.Cause != CauseClose || v.Version != 2 || len(v.Covers) != 1 {
				t.Fatalf("version = %+v", v)
			}
		}},
		{"R-CLOSE/closing a decision starting today is rejected", func(t *testing.T) {
			rejected(t, closeCmd(cpasA, 1, decision(num1, cpasA, Active, content("2025-03-01", "2025-05-31"))),
				[]string{CodeCloseStarted}, Info{"decisionStart", "2025-03-01"}, Info{"today", "2025-03-01"})
		}},
		{"R-CLOSE/closing a suspended future decision is accepted", func(t *testing.T) {
			accepted(t, closeCmd(cpasA, 1, decision(num1, cpasA, Suspended, future)))
		}},
		{"R-CLOSE/closing a stopped decision is rejected", func(t *testing.T) {
			rejected(t, closeCmd(cpasA, 1, decision(num1, cpasA, Stopped, future)), []string{CodeCloseStatus},
				Info{"status", "STOPPED"})
		}},
		{"R-CLOSE/a create over another CPAS's closed decision is accepted", func(t *testing.T) {
			accepted(t, create(person(), content("2025-03-02", "2025-05-31"), decision(num1, cpasB, Closed, future)))
		}},
		{"R-CLOSE/a closed decision is not in force for a consultation by date", func(t *testing.T) {
			res := engine.Consult(ConsultCmd{Caller: cpasA, Mode: ByDate, SSIN: ssinAlice, Date: MustDate("2025-04-01")},
				facts(person(), decision(num1, cpasA, Closed, future)), today)
			if len(res.Views) != 0 || len(res.Messages) != 0 {
				t.Fatalf("got %+v", res)
			}
		}},
		{"R-CLOSE/a closed decision stays consultable by its manager by number", func(t *testing.T) {
			res := engine.Consult(ConsultCmd{Caller: cpasA, Mode: ByNumber, Number: num1},
				facts(person(), decision(num1, cpasA, Closed, future)), today)
			if len(res.Views) != 1 || res.Views[0].Version.Status != Closed {
				t.Fatalf("got %+v", res)
			}
		}},
	}
}

func revivalCases() []ruleCase {
	stopped := func() Decision { return decision(num1, cpasA, Stopped, content("2025-02-01", "2025-03-15")) }
	expired := func() Decision { return decision(num1, cpasA, Active, content("2025-01-01", "2025-02-28")) }
	return []ruleCase{
		{"R-NO-REVIVAL/a later end date for a stopped decision is rejected", func(t *testing.T) {
			rejected(t, modify(cpasA, 1, content("2025-02-01", "2025-06-30"), stopped()), []string{CodeNoRevival},
				Info{"status", "STOPPED"}, Info{"decisionEnd", "2025-03-15"})
		}},
		{"R-NO-REVIVAL/prolonging an expired decision keeping its start is accepted: it was never stopped", func(t *testing.T) {
			v := accepted(t, modify(cpasA, 1, content("2025-01-01", "2025-04-30"), expired()))
			if v.Number != num1 || v.Version != 2 || v.Status != Active || v.Period != period("2025-01-01", "2025-04-30") {
				t.Fatalf("version = %s/%d %s %s", v.Number, v.Version, v.Status, v.Period)
			}
		}},
		{"R-NO-REVIVAL/a later end for a stopped decision that has also ended is rejected and says it was stopped", func(t *testing.T) {
			d := decision(num1, cpasA, Stopped, content("2025-01-01", "2025-02-28"))
			r := modify(cpasA, 1, content("2025-01-01", "2025-04-30"), d)
			rejected(t, r, []string{CodeNoRevival}, Info{"status", "STOPPED"}, Info{"decisionEnd", "2025-02-28"})
			if fr := r.Messages[0].Fr; !strings.Contains(fr, "arrêtée ou annulée") || strings.Contains(fr, "arrêtée, annulée ou arrivée à échéance") {
				t.Fatalf("the message should tell a stopped decision from an expired one: %s", fr)
			}
		}},
		{"R-NO-REVIVAL/a modify of a closed decision is rejected", func(t *testing.T) {
			rejected(t, modify(cpasA, 1, content("2025-04-01", "2025-05-31"),
				decision(num1, cpasA, Closed, content("2025-04-01", "2025-05-31"))), []string{CodeNoRevival}, Info{"status", "CLOSED"},
				Info{"decisionEnd", "2025-05-31"})
		}},
		{"R-EXPIRED-EXTEND/prolonging an expired decision with its start moved after its old end is rejected (START_LATER)", func(t *testing.T) {
			rejected(t, modify(cpasA, 1, content("2025-03-01", "2025-04-30"), expired()), []string{CodeStartLater},
				Info{"previousStart", "2025-01-01"}, Info{"requestedStart", "2025-03-01"})
		}},
		{"R-EXPIRED-EXTEND/prolonging an expired decision beyond 12 months from its start is rejected", func(t *testing.T) {
			rejected(t, modify(cpasA, 1, content("2025-01-01", "2026-01-01"), expired()), []string{CodePeriodTooLong})
		}},
		{"R-EXPIRED-EXTEND/prolonging an expired decision over the new decision that followed it is rejected", func(t *testing.T) {
			next := decision("000000000002", cpasA, Active, content("2025-03-01", "2025-05-31"))
			rejected(t, modify(cpasA, 1, content("2025-01-01", "2025-04-30"), expired(), next), []string{CodeOverlapOwnCPAS},
				Info{"decisionNumber", "000000000002"})
		}},
		{"R-EXPIRED-EXTEND/prolonging an expired decision up to the day before the next one is accepted", func(t *testing.T) {
			next := decision("000000000002", cpasA, Active, content("2025-03-10", "2025-05-31"))
			accepted(t, modify(cpasA, 1, content("2025-01-01", "2025-03-09"), expired(), next))
		}},
		{"R-NO-REVIVAL/a cover added to a stopped decision inside its validity is accepted and it stays stopped", func(t *testing.T) {
			v := accepted(t, modify(cpasA, 1, content("2025-02-01", "2025-03-15", cover(Doctor, "2025-02-01", "2025-03-15")), stopped()))
			if v.Status != Stopped || len(v.Covers) != 1 {
				t.Fatalf("version = %+v", v)
			}
		}},
		{"R-NO-REVIVAL/extending an active decision ending today is accepted", func(t *testing.T) {
			accepted(t, modify(cpasA, 1, content("2025-01-01", "2025-04-30"), decision(num1, cpasA, Active, content("2025-01-01", "2025-03-01"))))
		}},
	}
}

func suspendedCases() []ruleCase {
	susp := func() Decision {
		d := decision(num1, cpasA, Suspended, content("2025-02-01", "2025-05-31"))
		d.Versions[0].Suspensions = []Suspension{{Reason: "REFUND_CODE", Date: MustDate("2025-02-20")}}
		return d
	}
	overlapSusp := func() Decision {
		d := decision(num1, cpasA, Suspended, content("2025-02-01", "2025-05-31"))
		d.Versions[0].Suspensions = []Suspension{{Reason: SuspendSSINOverlap, Date: MustDate("2025-02-20")}}
		return d
	}
	activate := func(caller string, ds ...Decision) Result {
		return engine.Modify(ModifyCmd{Caller: caller, Number: num1, BaseVersion: 1, Action: ActionActivate},
			facts(person(), ds...), today, now)
	}
	return []ruleCase{
		{"R-SUSPENDED-FROZEN/a modify of a suspended decision is refused and the message says since when", func(t *testing.T) {
			rejected(t, modify(cpasA, 1, content("2025-02-01", "2025-06-30"), susp()), []string{CodeSuspRefund},
				Info{"decisionNumber", num1}, Info{"suspensionDate", "2025-02-20"})
		}},
		{"R-MUT-ORDER/a modify of a decision suspended for a refund code is refused naming the stop and its date, not a reactivation", func(t *testing.T) {
			r := modify(cpasA, 1, content("2025-02-01", "2025-06-30"), susp())
			rejected(t, r, []string{CodeSuspRefund}, Info{"decisionNumber", num1}, Info{"suspensionDate", "2025-02-20"},
				Info{"minStopDate", "2025-02-19"}, Info{"maxStopDate", "2025-02-19"}, Info{"nextActions", "STOP"})
			says(t, r.Messages[0], []string{"arrêt", "ni réactivée"}, []string{"Réactivez", "chevauchement"},
				[]string{"stopzetting", "opnieuw geactiveerd"}, []string{"Heractiveer", "overlapping"})
		}},
		{"R-MUT-ORDER/a reactivation of a decision suspended for a refund code only is refused naming the stop, not an overlap", func(t *testing.T) {
			r := activate(cpasA, susp())
			rejected(t, r, []string{CodeSuspRefund}, Info{"decisionNumber", num1}, Info{"suspensionDate", "2025-02-20"},
				Info{"minStopDate", "2025-02-19"}, Info{"maxStopDate", "2025-02-19"}, Info{"nextActions", "STOP"})
			says(t, r.Messages[0], nil, []string{"chevauchement"}, nil, []string{"overlapping"})
		}},
		{"R-MUT-ORDER/a reactivation with a refund-code and an overlap suspension pending is refused: the stop first (ACTIVATE_ORDER)", func(t *testing.T) {
			d := susp()
			d.Versions[0].Suspensions = append(d.Versions[0].Suspensions, Suspension{Reason: SuspendSSINOverlap, Date: MustDate("2025-02-25")})
			r := activate(cpasA, d)
			rejected(t, r, []string{CodeActivateOrder}, Info{"suspensionDate", "2025-02-20"}, Info{"suspensionReason", SuspendRefundCode},
				Info{"minStopDate", "2025-02-19"}, Info{"maxStopDate", "2025-02-19"})
			says(t, r.Messages[0], []string{"d'abord", "chevauchement"}, nil, []string{"eerst", "overlapping"}, nil)
		}},
		{"R-MUT-ORDER/a modify of a decision suspended after a death is refused naming the stop window from the death date", func(t *testing.T) {
			d := susp()
			d.Versions[0].Suspensions = []Suspension{{Reason: SuspendDeath, Date: MustDate("2025-02-11")}}
			p := person()
			p.DeathDate = MustDate("2025-02-10")
			r := engine.Modify(ModifyCmd{Caller: cpasA, Number: num1, BaseVersion: 1, Action: ActionModify, Content: content("2025-02-01", "2025-06-30")},
				facts(p, d), today, now)
			rejected(t, r, []string{CodeSuspDeath}, Info{"suspensionDate", "2025-02-11"}, Info{"minStopDate", "2025-02-10"},
				Info{"maxStopDate", "2025-02-15"}, Info{"nextActions", "STOP"})
			says(t, r.Messages[0], []string{"décès + 5"}, []string{"la veille", "Réactivez"}, []string{"overlijden + 5"}, []string{"dag vóór"})
		}},
		{"R-MUT-ORDER/a modify of a decision suspended for an SSIN overlap is refused naming the reactivation and the current validity", func(t *testing.T) {
			r := modify(cpasA, 1, content("2025-02-01", "2025-06-30"), overlapSusp())
			rejected(t, r, []string{CodeSuspOverlap}, Info{"suspensionDate", "2025-02-20"}, Info{"nextActions", "ACTIVATE"},
				Info{"decisionStart", "2025-02-01"}, Info{"decisionEnd", "2025-05-31"})
			says(t, r.Messages[0], []string{"ACTIVATE"}, []string{"date d'arrêt"}, []string{"ACTIVATE"}, []string{"stopzettingsdatum"})
		}},
		{"R-MUT-ORDER/a modify of a suspended decision not started yet is refused naming the close too", func(t *testing.T) {
			d := decision(num1, cpasA, Suspended, content("2025-04-01", "2025-05-31"))
			d.Versions[0].Suspensions = []Suspension{{Reason: SuspendRefundCode, Date: MustDate("2025-02-20")}}
			rejected(t, modify(cpasA, 1, content("2025-04-01", "2025-06-30"), d), []string{CodeSuspRefund},
				Info{"minStopDate", "2025-04-01"}, Info{"maxStopDate", "2025-04-01"}, Info{"nextActions", "STOP CLOSE"})
		}},
		{"R-SUSPENDED-FROZEN/a stop of a suspended decision at the day before the suspension is accepted", func(t *testing.T) {
			v := accepted(t, stop(cpasA, 1, "2025-02-19", susp()))
			if v.Status != Stopped || len(v.Suspensions) != 0 {
				t.Fatalf("version = %+v", v)
			}
		}},
		{"R-SUSPENDED-FROZEN/a stop of a suspended decision from today is rejected: only the suspension's date is allowed", func(t *testing.T) {
			rejected(t, stop(cpasA, 1, "2025-03-01", susp()), []string{CodeStopSuspDate}, Info{"minStopDate", "2025-02-19"})
		}},
		{"R-REACTIVATE/activating a suspended decision is accepted and makes it active with the same content", func(t *testing.T) {
			d := overlapSusp()
			v := accepted(t, activate(cpasA, d))
			if v.Status != Active || v.Cause != CauseActivate || v.Version != 2 || len(v.Suspensions) != 0 ||
				!reflect.DeepEqual(v.Content, d.Versions[0].Content) {
				t.Fatalf("version = %+v", v)
			}
		}},
		{"R-REACTIVATE/activating an active decision is rejected", func(t *testing.T) {
			rejected(t, activate(cpasA, decision(num1, cpasA, Active, content("2025-02-01", "2025-05-31"))),
				[]string{CodeNotSuspended}, Info{"status", "ACTIVE"})
		}},
		{"R-REACTIVATE/a reactivation over another suspended decision is accepted", func(t *testing.T) {
			accepted(t, activate(cpasA, overlapSusp(), decision("000000000007", cpasB, Suspended, content("2025-03-01", "2025-04-30"))))
		}},
		{"R-REACTIVATE/a reactivation over an active decision of another CPAS is rejected", func(t *testing.T) {
			rejected(t, activate(cpasA, overlapSusp(), decision("000000000007", cpasB, Active, content("2025-03-01", "2025-04-30"))),
				[]string{CodeOverlapOther})
		}},
		{"R-REACTIVATE/an unknown action is rejected", func(t *testing.T) {
			r := engine.Modify(ModifyCmd{Caller: cpasA, Number: num1, BaseVersion: 1, Action: "DELETE"}, facts(person(), overlapSusp()), today, now)
			rejected(t, r, []string{CodeActionInvalid})
		}},
	}
}

// says checks the fr and nl texts of m: each of frHas / nlHas appears, none of frNot / nlNot.
func says(t *testing.T, m Message, frHas, frNot, nlHas, nlNot []string) {
	t.Helper()
	for _, c := range []struct {
		text     string
		has, not []string
		lang     string
	}{{m.Fr, frHas, frNot, "fr"}, {m.Nl, nlHas, nlNot, "nl"}} {
		for _, w := range c.has {
			if !strings.Contains(c.text, w) {
				t.Errorf("%s %s text lacks %q: %s", m.Code, c.lang, w, c.text)
			}
		}
		for _, w := range c.not {
			if strings.Contains(c.text, w) {
				t.Errorf("%s %s text says %q: %s", m.Code, c.lang, w, c.text)
			}
		}
	}
}
