package rules

import (
	"reflect"
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
		{"R-MANAGER/the managing CPAS may modify its decision", func(t *testing.T) {
			accepted(t, modify(cpasA, 1, content("2025-03-01", "2025-06-30"), d()))
		}},
		{"R-MANAGER/another CPAS may not modify the decision and learns the manager", func(t *testing.T) {
			rejected(t, modify(cpasB, 1, content("2025-03-01", "2025-06-30"), d()), []string{CodeNotManager},
				Info{"decisionNumber", num1}, Info{"managerCbe", cpasA})
		}},
		{"R-MANAGER/another CPAS may not stop the decision", func(t *testing.T) {
			rejected(t, stop(cpasB, 1, "2025-04-01", d()), []string{CodeNotManager})
		}},
		{"R-MANAGER/another CPAS may not close the decision", func(t *testing.T) {
			rejected(t, closeCmd(cpasB, 1, future()), []string{CodeNotManager})
		}},
		{"R-MANAGER/another CPAS may not consult the decision by number", func(t *testing.T) {
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
		{"R-VERSIONING/a modify writes the next version with number, manager, author, cause and time", func(t *testing.T) {
			d := decision(num1, cpasA, Active, mar, mar)
			v := accepted(t, modify(cpasA, 2, content("2025-03-01", "2025-06-30", cover(Doctor, "2025-03-01", "2025-06-30")), d))
			if v.Version != 3 || v.Number != num1 || v.Manager != cpasA || v.Author != cpasA || v.Cause != CauseModify ||
				!v.Created.Equal(now) || v.Status != Active || v.Period.End != MustDate("2025-06-30") || len(v.Covers) != 1 {
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
		{"R-VERSIONING/a create starts at version 1 without a number, active, made by the caller", func(t *testing.T) {
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
		{"R-STOP/a stop today ends the decision and cuts or drops the covers beyond it", func(t *testing.T) {
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
		{"R-STOP/an expired decision cannot be stopped", func(t *testing.T) {
			rejected(t, stop(cpasA, 1, "2025-03-01", decision(num1, cpasA, Active, content("2025-01-01", "2025-02-28"))),
				[]string{CodeStopOutside})
		}},
		{"R-STOP/a stop without a date is rejected", func(t *testing.T) {
			r := engine.Stop(StopCmd{Caller: cpasA, Number: num1, BaseVersion: 1, StopDate: NoDate}, facts(person(), d()), today, now)
			rejected(t, r, []string{CodeDateMissing}, Info{"field", "stopDate"})
		}},
		{"R-STOP/a closed decision cannot be stopped", func(t *testing.T) {
			rejected(t, stop(cpasA, 1, "2025-04-10", decision(num1, cpasA, Closed, content("2025-04-01", "2025-05-31"))),
				[]string{CodeDecisionClosed})
		}},
		{"R-STOP/a decision stopped in the future may be stopped earlier, not before today", func(t *testing.T) {
			s := decision(num1, cpasA, Stopped, content("2025-02-01", "2025-04-30"))
			accepted(t, stop(cpasA, 1, "2025-03-15", s))
			rejected(t, stop(cpasA, 1, "2025-02-27", s), []string{CodeStopRetro})
		}},
	}
}

func closeCases() []ruleCase {
	future := content("2025-03-02", "2025-05-31", cover(Doctor, "2025-03-02", "2025-05-31"))
	return []ruleCase{
		{"R-CLOSE/a decision starting tomorrow may be closed", func(t *testing.T) {
			v := accepted(t, closeCmd(cpasA, 1, decision(num1, cpasA, Active, future)))
			if v.Status != Closed || v.Cause != CauseClose || v.Version != 2 || len(v.Covers) != 1 {
				t.Fatalf("version = %+v", v)
			}
		}},
		{"R-CLOSE/a decision starting today cannot be closed", func(t *testing.T) {
			rejected(t, closeCmd(cpasA, 1, decision(num1, cpasA, Active, content("2025-03-01", "2025-05-31"))),
				[]string{CodeCloseStarted}, Info{"decisionStart", "2025-03-01"}, Info{"today", "2025-03-01"})
		}},
		{"R-CLOSE/a suspended future decision may be closed", func(t *testing.T) {
			accepted(t, closeCmd(cpasA, 1, decision(num1, cpasA, Suspended, future)))
		}},
		{"R-CLOSE/a stopped decision cannot be closed", func(t *testing.T) {
			rejected(t, closeCmd(cpasA, 1, decision(num1, cpasA, Stopped, future)), []string{CodeCloseStatus},
				Info{"status", "STOPPED"})
		}},
		{"R-CLOSE/a closed decision blocks nothing", func(t *testing.T) {
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
		{"R-NO-REVIVAL/a stopped decision cannot get a later end date", func(t *testing.T) {
			rejected(t, modify(cpasA, 1, content("2025-02-01", "2025-06-30"), stopped()), []string{CodeNoRevival},
				Info{"status", "STOPPED"}, Info{"decisionEnd", "2025-03-15"})
		}},
		{"R-NO-REVIVAL/an expired decision cannot be extended back into force", func(t *testing.T) {
			rejected(t, modify(cpasA, 1, content("2025-01-01", "2025-04-30"), expired()), []string{CodeNoRevival},
				Info{"decisionEnd", "2025-02-28"})
		}},
		{"R-NO-REVIVAL/a closed decision cannot be modified", func(t *testing.T) {
			rejected(t, modify(cpasA, 1, content("2025-04-01", "2025-05-31"),
				decision(num1, cpasA, Closed, content("2025-04-01", "2025-05-31"))), []string{CodeNoRevival}, Info{"status", "CLOSED"})
		}},
		{"R-NO-REVIVAL/covers of a stopped decision may still change inside its validity and it stays stopped", func(t *testing.T) {
			v := accepted(t, modify(cpasA, 1, content("2025-02-01", "2025-03-15", cover(Doctor, "2025-02-01", "2025-03-15")), stopped()))
			if v.Status != Stopped || len(v.Covers) != 1 {
				t.Fatalf("version = %+v", v)
			}
		}},
		{"R-NO-REVIVAL/an active decision ending today may still be extended", func(t *testing.T) {
			accepted(t, modify(cpasA, 1, content("2025-01-01", "2025-04-30"), decision(num1, cpasA, Active, content("2025-01-01", "2025-03-01"))))
		}},
	}
}

func suspendedCases() []ruleCase {
	susp := func() Decision {
		d := decision(num1, cpasA, Suspended, content("2025-02-01", "2025-05-31"))
		d.Versions[0].Suspension = &Suspension{Reason: "REFUND_CODE", Date: MustDate("2025-02-20")}
		return d
	}
	activate := func(caller string, ds ...Decision) Result {
		return engine.Modify(ModifyCmd{Caller: caller, Number: num1, BaseVersion: 1, Action: ActionActivate},
			facts(person(), ds...), today, now)
	}
	return []ruleCase{
		{"R-SUSPENDED-FROZEN/a suspended decision cannot be modified and the message says since when", func(t *testing.T) {
			rejected(t, modify(cpasA, 1, content("2025-02-01", "2025-06-30"), susp()), []string{CodeSuspendedFrozen},
				Info{"suspensionDate", "2025-02-20"}, Info{"suspensionReason", "REFUND_CODE"})
		}},
		{"R-SUSPENDED-FROZEN/a suspended decision can still be stopped", func(t *testing.T) {
			v := accepted(t, stop(cpasA, 1, "2025-03-01", susp()))
			if v.Status != Stopped || v.Suspension != nil {
				t.Fatalf("version = %+v", v)
			}
		}},
		{"R-REACTIVATE/activating a suspended decision makes it active with the same content", func(t *testing.T) {
			d := susp()
			v := accepted(t, activate(cpasA, d))
			if v.Status != Active || v.Cause != CauseActivate || v.Version != 2 || v.Suspension != nil ||
				!reflect.DeepEqual(v.Content, d.Versions[0].Content) {
				t.Fatalf("version = %+v", v)
			}
		}},
		{"R-REACTIVATE/activating an active decision is rejected", func(t *testing.T) {
			rejected(t, activate(cpasA, decision(num1, cpasA, Active, content("2025-02-01", "2025-05-31"))),
				[]string{CodeNotSuspended}, Info{"status", "ACTIVE"})
		}},
		{"R-REACTIVATE/another suspended decision does not block the reactivation", func(t *testing.T) {
			accepted(t, activate(cpasA, susp(), decision("000000000007", cpasB, Suspended, content("2025-03-01", "2025-04-30"))))
		}},
		{"R-REACTIVATE/an active decision of another CPAS over the same days blocks the reactivation", func(t *testing.T) {
			rejected(t, activate(cpasA, susp(), decision("000000000007", cpasB, Active, content("2025-03-01", "2025-04-30"))),
				[]string{CodeOverlapOther})
		}},
		{"R-REACTIVATE/an unknown action is rejected", func(t *testing.T) {
			r := engine.Modify(ModifyCmd{Caller: cpasA, Number: num1, BaseVersion: 1, Action: "DELETE"}, facts(person(), susp()), today, now)
			rejected(t, r, []string{CodeActionInvalid})
		}},
	}
}
