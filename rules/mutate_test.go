package rules

import (
	"reflect"
	"testing"
	"time"
)

var (
	ssinBob = mkSSIN("900101123", false) // the national number a BIS number becomes, or a merge target
	num2    = "000000000002"
	num3    = "000000000003"
	num4    = "000000000004"
)

func mutateOn(day Date, m Mutation, p, target *Person, ds ...Decision) MutationResult {
	if m.Seq == 0 {
		m.Seq = 7
	}
	return engine.Mutate(m, MutationFacts{Person: p, Target: target, Decisions: ds, CPAS: lookupCPAS}, day,
		day.Time().Add(9*time.Hour))
}

func mutate(m Mutation, p, target *Person, ds ...Decision) MutationResult {
	return mutateOn(today, m, p, target, ds...)
}

// applied returns ds with the versions of r appended to their decisions, as the store would commit them.
func applied(t *testing.T, r MutationResult, ds ...Decision) []Decision {
	t.Helper()
	if r.Rejected() {
		t.Fatalf("mutation rejected: %v", codes(r.Messages))
	}
	out := make([]Decision, len(ds))
	for i, d := range ds {
		out[i] = Decision{Versions: append([]Version(nil), d.Versions...)}
		for _, v := range r.Versions {
			if v.Number == d.Number() {
				if v.Version != out[i].Latest().Version+1 {
					t.Fatalf("decision %s: version %d after %d", v.Number, v.Version, out[i].Latest().Version)
				}
				out[i].Versions = append(out[i].Versions, v)
			}
		}
	}
	return out
}

func mutationRejected(t *testing.T, r MutationResult, code string) {
	t.Helper()
	if !r.Rejected() || len(r.Versions) != 0 || len(r.Notices) != 0 {
		t.Fatalf("want rejected %s with nothing written, got codes %v, %d versions", code, codes(r.Messages), len(r.Versions))
	}
	if r.Messages[0].Code != code {
		t.Fatalf("code = %s, want %s", r.Messages[0].Code, code)
	}
}

func versionOf(t *testing.T, r MutationResult, number string) *Version {
	t.Helper()
	for i := range r.Versions {
		if r.Versions[i].Number == number {
			return &r.Versions[i]
		}
	}
	t.Fatalf("no version written for %s (written: %d)", number, len(r.Versions))
	return nil
}

func noticeOf(t *testing.T, r MutationResult, number string) *Notice {
	t.Helper()
	for i := range r.Notices {
		if r.Notices[i].Number == number {
			return &r.Notices[i]
		}
	}
	t.Fatalf("no notice for %s", number)
	return nil
}

func writtenFor(r MutationResult) []string {
	var out []string
	for _, v := range r.Versions {
		out = append(out, v.Number)
	}
	return out
}

// The person's decisions around today (2025-03-01): one past, one current, one future of
// another CPAS, and a closed future one.
func lifeOfDecisions() []Decision {
	closed := decision(num4, cpasA, Closed, content("2025-09-01", "2025-09-30"))
	return []Decision{
		decision(num1, cpasA, Active, content("2024-10-01", "2024-12-31")),
		decision(num2, cpasA, Active, content("2025-02-01", "2025-05-31", cover(Doctor, "2025-02-01", "2025-05-31"))),
		decision(num3, cpasB, Active, content("2025-06-01", "2025-08-31")),
		closed,
	}
}

func bobPerson() *Person {
	p := person()
	p.SSIN, p.LastName = ssinBob, "Othername"
	return p
}

func onSSIN(d Decision, ssin string) Decision {
	for i := range d.Versions {
		d.Versions[i].Beneficiary.SSIN = ssin
	}
	return d
}

func regularised(from string) Mutation {
	return Mutation{Kind: MutSituation, SSIN: ssinAlice, Effective: MustDate(from), Situation: Situation{Kind: SitRegularised}}
}

func mutationCases() []ruleCase {
	return []ruleCase{
		{"R-MUT-NAME/a name change is accepted and makes a version with the new name on current and future decisions only", func(t *testing.T) {
			r := mutate(Mutation{Kind: MutName, SSIN: ssinAlice, Effective: today, LastName: "Newlast", FirstName: "Newfirst"},
				person(), nil, lifeOfDecisions()...)
			if got := writtenFor(r); !reflect.DeepEqual(got, []string{num2, num3}) {
				t.Fatalf("versions written for %v, want the current and the future decision", got)
			}
			v := versionOf(t, r, num2)
			if v.Beneficiary.LastName != "Newlast" || v.Beneficiary.FirstName != "Newfirst" || v.Cause != CauseMutation ||
				v.Author != AuthorMediPrima || v.Version != 2 || v.Status != Active || !reflect.DeepEqual(v.Content, lifeOfDecisions()[1].Versions[0].Content) {
				t.Fatalf("version = %+v", v)
			}
			if r.Person.LastName != "Newlast" || len(r.Notices) != 2 || r.Notices[0].Suspension != nil || len(r.Notices[0].Actions) != 0 {
				t.Fatalf("person %q, notices %+v", r.Person.LastName, r.Notices)
			}
		}},
		{"R-MUT-NAME/a name change without a last name is rejected", func(t *testing.T) {
			mutationRejected(t, mutate(Mutation{Kind: MutName, SSIN: ssinAlice, Effective: today, FirstName: "X"}, person(), nil,
				lifeOfDecisions()...), CodeNameInvalid)
		}},
		{"R-MUT-MAJOR/a birth-date change is accepted and makes a version on every decision, past ones too, but not closed ones", func(t *testing.T) {
			r := mutate(Mutation{Kind: MutBirthDate, SSIN: ssinAlice, Effective: today, BirthDate: MustDate("1985-08-30")},
				person(), nil, lifeOfDecisions()...)
			if got := writtenFor(r); !reflect.DeepEqual(got, []string{num1, num2, num3}) {
				t.Fatalf("versions written for %v", got)
			}
			if v := versionOf(t, r, num1); v.Beneficiary.BirthDate != MustDate("1985-08-30") {
				t.Fatalf("birth date = %s", v.Beneficiary.BirthDate)
			}
		}},
		{"R-MUT-MAJOR/a gender change on a suspended decision is accepted and it stays suspended", func(t *testing.T) {
			d := decision(num2, cpasA, Suspended, content("2025-02-01", "2025-05-31"))
			d.Versions[0].Suspensions = []Suspension{{Reason: SuspendRefundCode, Date: MustDate("2025-02-20")}}
			v := versionOf(t, mutate(Mutation{Kind: MutGender, SSIN: ssinAlice, Effective: today, Gender: "M"}, person(), nil, d), num2)
			if v.Status != Suspended || len(v.Suspensions) != 1 || v.Beneficiary.Gender != "M" {
				t.Fatalf("version = %+v", v)
			}
		}},
		{"R-MUT-MAJOR/a gender other than M or F is rejected", func(t *testing.T) {
			mutationRejected(t, mutate(Mutation{Kind: MutGender, SSIN: ssinAlice, Effective: today, Gender: "X"}, person(), nil), CodeMajorInvalid)
		}},
		{"R-MUT-MAJOR/a birth date after today is rejected", func(t *testing.T) {
			mutationRejected(t, mutate(Mutation{Kind: MutBirthDate, SSIN: ssinAlice, Effective: today, BirthDate: today.AddDays(1)},
				person(), nil), CodeMajorInvalid)
		}},
		{"R-MUT-SSIN/a BIS number becoming a national number is accepted and moves every decision to it", func(t *testing.T) {
			r := mutate(Mutation{Kind: MutSSIN, SSIN: ssinAlice, Effective: today, NewSSIN: ssinBob}, person(), nil, lifeOfDecisions()...)
			if r.Change != SSINChange || r.Person.SSIN != ssinBob || r.Replaced == nil || r.Replaced.ReplacedBy != ssinBob {
				t.Fatalf("change %q person %s replaced %+v", r.Change, r.Person.SSIN, r.Replaced)
			}
			if got := writtenFor(r); len(got) != 4 {
				t.Fatalf("versions written for %v, want all four decisions (closed ones too)", got)
			}
			for _, v := range r.Versions {
				if v.Beneficiary.SSIN != ssinBob || len(v.Suspensions) != 0 {
					t.Fatalf("version = %+v", v)
				}
			}
			if n := noticeOf(t, r, num2); n.OldSSIN != ssinAlice || n.SSIN != ssinBob || n.Cause != MutSSIN {
				t.Fatalf("notice = %+v", n)
			}
		}},
		{"R-MUT-SSIN/a merge that makes two decisions overlap is accepted and suspends both from the first shared day", func(t *testing.T) {
			mine := decision(num2, cpasA, Active, content("2025-02-01", "2025-05-31"))
			theirs := onSSIN(decision(num3, cpasB, Active, content("2025-04-01", "2025-06-30")), ssinBob)
			later := onSSIN(decision(num4, cpasB, Active, content("2025-07-01", "2025-07-31")), ssinBob)
			r := mutate(Mutation{Kind: MutSSIN, SSIN: ssinAlice, Effective: today, NewSSIN: ssinBob}, person(), bobPerson(), mine, theirs, later)
			if r.Change != SSINMerge || r.Person.LastName != "Othername" {
				t.Fatalf("change %q, surviving record %q", r.Change, r.Person.LastName)
			}
			if got := writtenFor(r); !reflect.DeepEqual(got, []string{num2, num3}) {
				t.Fatalf("versions written for %v: the moved decision and the one it now overlaps", got)
			}
			for _, n := range []string{num2, num3} {
				v := versionOf(t, r, n)
				s := v.FirstToHandle()
				if v.Status != Suspended || s == nil || s.Reason != SuspendSSINOverlap || s.Date != MustDate("2025-04-01") || s.Mutation != 7 {
					t.Fatalf("version %s = %+v", n, v)
				}
				if no := noticeOf(t, r, n); len(no.Actions) == 0 || no.Actions[0].Action != NextActivate {
					t.Fatalf("notice actions = %+v", no.Actions)
				}
			}
			if noticeOf(t, r, num3).Manager != cpasB {
				t.Fatal("the other CPAS is not told of its suspended decision")
			}
		}},
		{"R-MUT-SSIN/a new SSIN equal to the old one is rejected", func(t *testing.T) {
			mutationRejected(t, mutate(Mutation{Kind: MutSSIN, SSIN: ssinAlice, Effective: today, NewSSIN: ssinAlice}, person(), nil), CodeSSINSame)
		}},
		{"R-MUT-SSIN/a new SSIN with a wrong check digit is rejected", func(t *testing.T) {
			bad := ssinBob[:9] + "00"
			mutationRejected(t, mutate(Mutation{Kind: MutSSIN, SSIN: ssinAlice, Effective: today, NewSSIN: bad}, person(), nil), CodeNewSSINInvalid)
		}},
		{"R-MUT-SSIN/a mutation of an SSIN already replaced is rejected", func(t *testing.T) {
			p := person()
			p.ReplacedBy = ssinBob
			mutationRejected(t, mutate(Mutation{Kind: MutName, SSIN: ssinAlice, Effective: today, LastName: "X"}, p, nil), CodePersonReplaced)
		}},
		{"R-MUT-SSIN/a new decision for a replaced SSIN is rejected and names the new SSIN", func(t *testing.T) {
			p := person()
			p.ReplacedBy = ssinBob
			rejected(t, create(p, content("2025-03-01", "2025-05-31")), []string{CodePersonReplaced}, Info{"newSsin", ssinBob})
		}},
		{"R-MUT-REFUND/a situation change that changes the refund code is accepted and suspends current and future decisions from its date", func(t *testing.T) {
			r := mutate(regularised("2025-02-20"), person(), nil, lifeOfDecisions()...)
			if got := writtenFor(r); !reflect.DeepEqual(got, []string{num2, num3}) {
				t.Fatalf("versions written for %v", got)
			}
			v := versionOf(t, r, num2)
			s := v.FirstToHandle()
			if v.Status != Suspended || s.Reason != SuspendRefundCode || s.Date != MustDate("2025-02-20") ||
				s.OldRefundCode != 1 || s.NewRefundCode != 3 {
				t.Fatalf("version = %+v, suspension %+v", v, s)
			}
			if sit, _ := r.Person.SituationOn(MustDate("2025-02-20")); sit.Kind != SitRegularised {
				t.Fatalf("registry situation = %v", sit.Kind)
			}
			if sit, _ := r.Person.SituationOn(MustDate("2025-02-19")); sit.Kind != SitIllegal {
				t.Fatal("the registry lost the situation before the mutation")
			}
		}},
		{"R-MUT-REFUND/a decision that ended before the mutation date is answered without a version", func(t *testing.T) {
			d := decision(num2, cpasA, Active, content("2025-02-01", "2025-03-31"))
			r := mutate(regularised("2025-04-01"), person(), nil, d)
			if r.Rejected() || len(r.Versions) != 0 || len(r.Person.Situations) != 2 {
				t.Fatalf("versions %d, situations %d", len(r.Versions), len(r.Person.Situations))
			}
		}},
		{"R-MUT-REFUND/a situation change that keeps the refund code is accepted without suspending anything", func(t *testing.T) {
			m := Mutation{Kind: MutSituation, SSIN: ssinAlice, Effective: MustDate("2025-02-20"), Situation: Situation{Kind: SitIllegal, ResidenceINS: "21004"}}
			r := mutate(m, person(), nil, lifeOfDecisions()...)
			if r.Rejected() || len(r.Versions) != 0 {
				t.Fatalf("versions written: %v", writtenFor(r))
			}
		}},
		{"R-MUT-REFUND/a residence code that is not 5 digits is rejected", func(t *testing.T) {
			m := Mutation{Kind: MutSituation, SSIN: ssinAlice, Effective: today, Situation: Situation{Kind: SitAsylum, ResidenceINS: "210"}}
			mutationRejected(t, mutate(m, person(), nil), CodeSituationBad)
		}},
		{"R-MUT-DEATH/a death is accepted and suspends current and future decisions ending after it, from the next day", func(t *testing.T) {
			ds := append(lifeOfDecisions(), decision("000000000005", cpasB, Active, content("2025-01-01", "2025-02-10")))
			r := mutate(Mutation{Kind: MutDeath, SSIN: ssinAlice, Effective: MustDate("2025-02-10")}, person(), nil, ds...)
			if got := writtenFor(r); !reflect.DeepEqual(got, []string{num2, num3}) {
				t.Fatalf("versions written for %v", got)
			}
			v := versionOf(t, r, num2)
			if s := v.FirstToHandle(); v.Status != Suspended || s.Reason != SuspendDeath || s.Date != MustDate("2025-02-11") ||
				v.Beneficiary.DeathDate != MustDate("2025-02-10") {
				t.Fatalf("version = %+v", v)
			}
			n := noticeOf(t, r, num2)
			if len(n.Actions) != 1 || n.Actions[0] != (NextAction{Action: NextStop, MinStopDate: MustDate("2025-02-10"), MaxStopDate: MustDate("2025-02-15")}) {
				t.Fatalf("actions = %+v", n.Actions)
			}
		}},
		{"R-STOP-SUSPENDED/after a death mutation a stop between the death date and death + 5 is accepted and ends the suspension", func(t *testing.T) {
			ds := []Decision{decision(num2, cpasA, Active, content("2025-01-01", "2025-05-31", cover(Doctor, "2025-01-01", "2025-05-31")))}
			r := mutate(Mutation{Kind: MutDeath, SSIN: ssinAlice, Effective: MustDate("2025-02-10")}, person(), nil, ds...)
			ds = applied(t, r, ds...)
			st := func(d string) Result {
				return engine.Stop(StopCmd{Caller: cpasA, Number: num2, BaseVersion: 2, StopDate: MustDate(d)}, facts(&r.Person, ds...), today, now)
			}
			rejected(t, st("2025-02-16"), []string{CodeStopDeathDate}, Info{"minStopDate", "2025-02-10"}, Info{"maxStopDate", "2025-02-15"})
			rejected(t, st("2025-02-09"), []string{CodeStopDeathDate})
			v := accepted(t, st("2025-02-13"))
			if v.Status != Stopped || len(v.Suspensions) != 0 || v.Period.End != MustDate("2025-02-13") || !v.EverStoppedRetro {
				t.Fatalf("version = %+v", v)
			}
		}},
		{"R-MUT-DEATH/a death date after today is rejected", func(t *testing.T) {
			mutationRejected(t, mutate(Mutation{Kind: MutDeath, SSIN: ssinAlice, Effective: today.AddDays(1)}, person(), nil), CodeDeathInvalid)
		}},
		{"R-MUT-DEATH/a second death is rejected", func(t *testing.T) {
			mutationRejected(t, mutate(Mutation{Kind: MutDeath, SSIN: ssinAlice, Effective: today}, deadPerson("2025-01-01"), nil), CodeDeathInvalid)
		}},
		{"R-STOP-SUSPENDED/three refund-code mutations on one card: the stop at the first mutation − 1 is accepted and the others fall away", func(t *testing.T) {
			day := MustDate("2019-03-20")
			p := person()
			ds := []Decision{decision(num1, cpasA, Active, content("2019-01-01", "2019-03-31", cover(Doctor, "2019-01-01", "2019-03-31")))}
			for i, m := range []struct {
				from string
				kind SituationKind
			}{
				{"2019-01-20", SitRegularised}, {"2019-02-01", SitInsured}, {"2019-03-15", SitResident}} {
				r := mutateOn(day, Mutation{Seq: uint64(i + 1), Kind: MutSituation, SSIN: ssinAlice, Effective: MustDate(m.from),
					Situation: Situation{Kind: m.kind}}, p, nil, ds...)
				ds = applied(t, r, ds...)
				p = &r.Person
			}
			if lv := ds[0].Latest(); lv.Version != 4 || len(lv.Suspensions) != 3 {
				t.Fatalf("after three mutations: version %d with %d suspensions", lv.Version, len(lv.Suspensions))
			}
			lo, hi, _ := retroStopWindow(ds[0].Latest(), p)
			if lo != MustDate("2019-01-19") || hi != lo {
				t.Fatalf("stop window %s..%s", lo, hi)
			}
			stopAt := func(d string) Result {
				return engine.Stop(StopCmd{Caller: cpasA, Number: num1, BaseVersion: 4, StopDate: MustDate(d)},
					facts(p, ds...), day, now)
			}
			rejected(t, stopAt("2019-01-31"), []string{CodeStopSuspDate}, Info{"minStopDate", "2019-01-19"})
			v := accepted(t, stopAt("2019-01-19"))
			if v.Status != Stopped || len(v.Suspensions) != 0 || v.Period.End != MustDate("2019-01-19") || !v.EverStoppedRetro {
				t.Fatalf("version = %+v", v)
			}
		}},
		{"R-STOP-SUSPENDED/a suspension before the decision start allows only a stop at the start: a one-day decision is accepted", func(t *testing.T) {
			ds := []Decision{decision(num3, cpasA, Active, content("2025-06-01", "2025-08-31"))}
			r := mutate(regularised("2025-04-01"), person(), nil, ds...)
			ds = applied(t, r, ds...)
			p := &r.Person
			st := func(d string) Result {
				return engine.Stop(StopCmd{Caller: cpasA, Number: num3, BaseVersion: 2, StopDate: MustDate(d)}, facts(p, ds...), today, now)
			}
			rejected(t, st("2025-06-02"), []string{CodeStopSuspDate}, Info{"minStopDate", "2025-06-01"}, Info{"maxStopDate", "2025-06-01"})
			if v := accepted(t, st("2025-06-01")); v.Period != period("2025-06-01", "2025-06-01") {
				t.Fatalf("period = %v", v.Period)
			}
			if n := r.Notices[0]; len(n.Actions) != 2 || n.Actions[1].Action != NextClose {
				t.Fatalf("a future suspended decision's notice offers %+v, want STOP then CLOSE", n.Actions)
			}
		}},
		{"R-CLOSE/a suspended decision lying wholly in the future is closed: accepted", func(t *testing.T) {
			ds := []Decision{decision(num3, cpasA, Active, content("2025-06-01", "2025-08-31"))}
			r := mutate(regularised("2025-04-01"), person(), nil, ds...)
			ds = applied(t, r, ds...)
			v := accepted(t, engine.Close(CloseCmd{Caller: cpasA, Number: num3, BaseVersion: 2}, facts(&r.Person, ds...), today, now))
			if v.Status != Closed || len(v.Suspensions) != 0 {
				t.Fatalf("version = %+v", v)
			}
		}},
		{"R-CLOSE/a suspended decision that has started is refused a close", func(t *testing.T) {
			ds := []Decision{decision(num2, cpasA, Active, content("2025-02-01", "2025-05-31"))}
			r := mutate(regularised("2025-02-20"), person(), nil, ds...)
			ds = applied(t, r, ds...)
			rejected(t, engine.Close(CloseCmd{Caller: cpasA, Number: num2, BaseVersion: 2}, facts(&r.Person, ds...), today, now),
				[]string{CodeCloseStarted})
		}},
		{"R-MUT-ORDER/a reactivation while a refund-code suspension is pending is refused: the stop comes first and leaves the overlap pending", func(t *testing.T) {
			mine := decision(num2, cpasA, Active, content("2025-02-01", "2025-05-31"))
			theirs := onSSIN(decision(num3, cpasB, Active, content("2025-04-01", "2025-06-30")), ssinBob)
			r := mutate(Mutation{Kind: MutSSIN, SSIN: ssinAlice, Effective: today, NewSSIN: ssinBob}, person(), bobPerson(), mine, theirs)
			ds := applied(t, r, mine, theirs)
			p := r.Person
			r2 := mutate(Mutation{Seq: 8, Kind: MutSituation, SSIN: ssinBob, Effective: MustDate("2025-03-10"), Situation: Situation{Kind: SitInsured}}, &p, nil, ds...)
			ds = applied(t, r2, ds...)
			p = r2.Person
			if lv := ds[0].Latest(); len(lv.Suspensions) != 2 || lv.FirstToHandle().Reason != SuspendRefundCode {
				t.Fatalf("pending = %+v", lv.Suspensions)
			}
			act := func(base int) Result {
				return engine.Modify(ModifyCmd{Caller: cpasA, Number: num2, BaseVersion: base, Action: ActionActivate}, facts(&p, ds...), today, now)
			}
			rejected(t, act(3), []string{CodeActivateOrder}, Info{"suspensionReason", SuspendRefundCode}, Info{"minStopDate", "2025-03-09"})
			sv := accepted(t, engine.Stop(StopCmd{Caller: cpasA, Number: num2, BaseVersion: 3, StopDate: MustDate("2025-03-09")}, facts(&p, ds...), today, now))
			if sv.Status != Suspended || len(sv.Suspensions) != 1 || sv.Suspensions[0].Reason != SuspendSSINOverlap {
				t.Fatalf("after the stop: %+v", sv)
			}
		}},
		{"R-MUT-ORDER/once the refund-code suspension is stopped, the reactivation for the overlap is accepted", func(t *testing.T) {
			ds := overlapPair(t)
			d := &ds[0]
			lv := d.Latest()
			lv.Suspensions = append([]Suspension{{Reason: SuspendRefundCode, Date: MustDate("2025-03-10"), OldRefundCode: 1, NewRefundCode: 9}}, lv.Suspensions...)
			sv := accepted(t, engine.Stop(StopCmd{Caller: cpasA, Number: num2, BaseVersion: lv.Version, StopDate: MustDate("2025-03-09")},
				facts(bobPerson(), ds...), today, now))
			ds = withVersion(ds, sv)
			v := accepted(t, reactivate(cpasA, num2, nil, ds...))
			if v.Status != Stopped || len(v.Suspensions) != 0 || v.Period.End != MustDate("2025-03-09") {
				t.Fatalf("reactivated after the stop: %+v", v)
			}
		}},
		{"R-MUT-ORDER/with a death then a refund-code suspension, a stop in the death window is accepted: the first arrived is handled first", func(t *testing.T) {
			d := decision(num2, cpasA, Suspended, content("2025-02-01", "2025-05-31"))
			d.Versions[0].Suspensions = []Suspension{{Reason: SuspendDeath, Date: MustDate("2025-02-11")},
				{Reason: SuspendRefundCode, Date: MustDate("2025-02-05")}}
			st := func(day string) Result {
				return engine.Stop(StopCmd{Caller: cpasA, Number: num2, BaseVersion: 1, StopDate: MustDate(day)}, facts(deadPerson("2025-02-10"), d), today, now)
			}
			rejected(t, st("2025-02-04"), []string{CodeStopDeathDate}, Info{"suspensionReason", SuspendDeath})
			v := accepted(t, st("2025-02-12"))
			if v.Status != Suspended || len(v.Suspensions) != 1 || v.Suspensions[0].Reason != SuspendRefundCode {
				t.Fatalf("the refund-code suspension before the stop date must stay pending: %+v", v.Suspensions)
			}
		}},
		{"R-REACTIVATE/the first decision reactivated after an overlap keeping its period is accepted", func(t *testing.T) {
			ds := overlapPair(t)
			v := accepted(t, reactivate(cpasA, num2, nil, ds...))
			if v.Status != Active || v.Period != period("2025-02-01", "2025-05-31") {
				t.Fatalf("version = %+v", v)
			}
		}},
		{"R-REACTIVATE/the first decision reactivated after an overlap may be prolonged: accepted", func(t *testing.T) {
			p := period("2025-02-01", "2025-06-30")
			v := accepted(t, reactivate(cpasA, num2, &p, overlapPair(t)...))
			if v.Period != p || v.Covers[0].Period != period("2025-02-01", "2025-05-31") {
				t.Fatalf("period %v, cover %v: a reactivation must not lengthen covers", v.Period, v.Covers[0].Period)
			}
		}},
		{"R-REACTIVATE/the first decision reactivated after an overlap is refused a shorter period", func(t *testing.T) {
			p := period("2025-02-01", "2025-03-31")
			rejected(t, reactivate(cpasA, num2, &p, overlapPair(t)...), []string{CodeReactShorten})
		}},
		{"R-REACTIVATE/a later decision shortened to remove the overlap is accepted", func(t *testing.T) {
			ds := overlapPair(t)
			ds = withVersion(ds, accepted(t, reactivate(cpasA, num2, nil, ds...)))
			p := period("2025-06-01", "2025-06-30")
			v := accepted(t, reactivate(cpasB, num3, &p, ds...))
			if v.Status != Active || v.Period != p {
				t.Fatalf("version = %+v", v)
			}
		}},
		{"R-REACTIVATE/a later decision still overlapping the reactivated one is rejected", func(t *testing.T) {
			ds := overlapPair(t)
			ds = withVersion(ds, accepted(t, reactivate(cpasA, num2, nil, ds...)))
			rejected(t, reactivate(cpasB, num3, nil, ds...), []string{CodeOverlapOther})
		}},
		{"R-REACTIVATE/a later decision shortened so that a covered day becomes uncovered is rejected", func(t *testing.T) {
			ds := overlapPair(t)
			ds = withVersion(ds, accepted(t, reactivate(cpasA, num2, nil, ds...)))
			p := period("2025-06-10", "2025-06-30")
			rejected(t, reactivate(cpasB, num3, &p, ds...), []string{CodeReactGap}, Info{"uncoveredDay", "2025-06-01"})
		}},
		{"R-NOTICE/a refund-code suspension is answered with a notice naming the SSIN, decision, version, status, cause, date, codes and the allowed stop", func(t *testing.T) {
			r := mutate(regularised("2025-02-20"), person(), nil, lifeOfDecisions()...)
			n := noticeOf(t, r, num2)
			want := Notice{Manager: cpasA, SSIN: ssinAlice, Number: num2, Version: 2, Status: Suspended, Cause: MutSituation,
				Mutation: 7, Effective: MustDate("2025-02-20"),
				Suspension: &Suspension{Reason: SuspendRefundCode, Date: MustDate("2025-02-20"), Mutation: 7, OldRefundCode: 1, NewRefundCode: 3},
				Actions:    []NextAction{{Action: NextStop, MinStopDate: MustDate("2025-02-19"), MaxStopDate: MustDate("2025-02-19")}},
				Created:    today.Time().Add(9 * time.Hour), WrittenOn: today}
			if !reflect.DeepEqual(*n, want) {
				t.Fatalf("notice =\n%+v\nwant\n%+v", *n, want)
			}
		}},
	}
}

// overlapPair is Alice's decision (CPAS A, Feb–May) merged with Bob's (CPAS B, Apr–Jun): both suspended.
func overlapPair(t *testing.T) []Decision {
	mine := decision(num2, cpasA, Active, content("2025-02-01", "2025-05-31", cover(Doctor, "2025-02-01", "2025-05-31")))
	theirs := onSSIN(decision(num3, cpasB, Active, content("2025-04-01", "2025-06-30")), ssinBob)
	r := mutate(Mutation{Kind: MutSSIN, SSIN: ssinAlice, Effective: today, NewSSIN: ssinBob}, person(), bobPerson(), mine, theirs)
	return applied(t, r, mine, theirs)
}

func reactivate(caller, number string, p *Period, ds ...Decision) Result {
	base := 0
	for _, d := range ds {
		if d.Number() == number {
			base = d.Latest().Version
		}
	}
	return engine.Modify(ModifyCmd{Caller: caller, Number: number, BaseVersion: base, Action: ActionActivate, Period: p},
		facts(bobPerson(), ds...), today, now)
}

func withVersion(ds []Decision, v *Version) []Decision {
	for i := range ds {
		if ds[i].Number() == v.Number {
			ds[i].Versions = append(ds[i].Versions, *v)
		}
	}
	return ds
}

func deadPerson(day string) *Person {
	p := person()
	p.DeathDate = MustDate(day)
	return p
}
