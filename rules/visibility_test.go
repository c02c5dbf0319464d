package rules

import (
	"reflect"
	"strings"
	"testing"
	"time"
)

// written builds a decision of manager whose versions were written on the given business days.
func written(manager string, st Status, days []string, cs ...Content) Decision {
	d := decision(num1, manager, st, cs...)
	for i := range d.Versions {
		d.Versions[i].WrittenOn = MustDate(days[i])
	}
	return d
}

func visibilityCases() []ruleCase {
	long := content("2025-02-01", "2025-05-31", cover(Doctor, "2025-02-01", "2025-05-31"))
	short := content("2025-02-01", "2025-03-15", cover(Doctor, "2025-02-01", "2025-03-15"))
	longer := content("2025-02-01", "2025-06-30", cover(Doctor, "2025-02-01", "2025-06-30"))
	// B's decision stopped (restricted) today: A is another CPAS.
	restrictedToday := func() Decision {
		return written(cpasB, Stopped, []string{"2025-02-01", "2025-03-01"}, long, short)
	}
	seenEnd := func(t *testing.T, caller string, day Date, d Decision) (string, int) {
		t.Helper()
		res := engine.Consult(ConsultCmd{Caller: caller, Mode: ByDate, SSIN: ssinAlice, Date: MustDate("2025-03-01")}, facts(person(), d), day)
		if len(res.Views) != 1 {
			t.Fatalf("views = %+v", res.Views)
		}
		return res.Views[0].Version.Period.End.String(), res.Views[0].OthersSee
	}
	return []ruleCase{
		{"R-RESTRICTION-NEXT-DAY/a restriction written today is refused to another CPAS until tomorrow", func(t *testing.T) {
			if end, _ := seenEnd(t, cpasA, today, restrictedToday()); end != "2025-05-31" {
				t.Fatalf("another CPAS sees the end %s today, want the previous 2025-05-31", end)
			}
		}},
		{"R-RESTRICTION-NEXT-DAY/a restriction written yesterday is what another CPAS sees today, accepted", func(t *testing.T) {
			if end, _ := seenEnd(t, cpasA, today.AddDays(1), restrictedToday()); end != "2025-03-15" {
				t.Fatalf("another CPAS sees the end %s tomorrow, want 2025-03-15", end)
			}
		}},
		{"R-RESTRICTION-NEXT-DAY/the manager's own restriction is accepted into its view at once, which says what others see", func(t *testing.T) {
			end, others := seenEnd(t, cpasB, today, restrictedToday())
			if end != "2025-03-15" || others != 1 {
				t.Fatalf("manager sees end %s, others see version %d; want 2025-03-15 and 1", end, others)
			}
		}},
		{"R-RESTRICTION-NEXT-DAY/an extension written today is accepted into another CPAS's view at once", func(t *testing.T) {
			d := written(cpasB, Active, []string{"2025-02-01", "2025-03-01"}, long, longer)
			if end, _ := seenEnd(t, cpasA, today, d); end != "2025-06-30" {
				t.Fatalf("another CPAS sees the end %s, want the extension's 2025-06-30", end)
			}
		}},
		{"R-RESTRICTION-NEXT-DAY/a restriction then an extension written today are refused together until tomorrow", func(t *testing.T) {
			// v3 extends v2 but still gives less than v1, the last version of yesterday.
			mixed := content("2025-02-01", "2025-04-30", cover(Doctor, "2025-02-01", "2025-04-30"))
			d := written(cpasB, Active, []string{"2025-02-01", "2025-03-01", "2025-03-01"}, long, short, mixed)
			if v := d.PublicVersion(today); v.Version != 1 {
				t.Fatalf("public version %d, want 1", v.Version)
			}
			if v := d.PublicVersion(today.AddDays(1)); v.Version != 3 {
				t.Fatalf("public version tomorrow %d, want 3", v.Version)
			}
		}},
		{"R-RESTRICTION-NEXT-DAY/a decision closed today is still found by another CPAS today and refused from tomorrow", func(t *testing.T) {
			future := content("2025-04-01", "2025-05-31")
			d := written(cpasB, Closed, []string{"2025-02-01", "2025-03-01"}, future, future)
			for _, c := range []struct {
				day  Date
				want int
			}{{today, 1}, {today.AddDays(1), 0}} {
				res := engine.Consult(ConsultCmd{Caller: cpasA, Mode: ByPeriod, SSIN: ssinAlice, Period: period("2025-04-01", "2025-04-30")},
					facts(person(), d), c.day)
				if len(res.Views) != c.want {
					t.Fatalf("on %s another CPAS finds %d decisions, want %d", c.day, len(res.Views), c.want)
				}
			}
		}},
		{"R-RESTRICTION-NEXT-DAY/a suspension by a registry mutation is accepted into every view at once", func(t *testing.T) {
			d := written(cpasB, Suspended, []string{"2025-02-01", "2025-03-01"}, long, long)
			d.Versions[1].Cause = CauseMutation
			if v := d.PublicVersion(today); v.Version != 2 || v.Status != Suspended {
				t.Fatalf("public version %d %s, want 2 SUSPENDED", v.Version, v.Status)
			}
		}},
		{"R-RESTRICTION-NEXT-DAY/a version stored without its business day falls back to its creation date", func(t *testing.T) {
			d := written(cpasB, Stopped, []string{"2025-02-01", "2025-03-01"}, long, short)
			d.Versions[1].WrittenOn = 0
			d.Versions[1].Created = time.Date(2025, 3, 1, 23, 30, 0, 0, time.FixedZone("CET", 3600))
			if v := d.PublicVersion(today); v.Version != 1 {
				t.Fatalf("public version %d, want 1 (written today in Brussels)", v.Version)
			}
			if v := d.PublicVersion(today.AddDays(1)); v.Version != 2 {
				t.Fatalf("public version tomorrow %d, want 2", v.Version)
			}
		}},
		{"R-RESTRICTION-NEXT-DAY/an accepted create, modify, stop and close stamp today's business day", func(t *testing.T) {
			day := MustDate("2025-03-03")
			v := accepted(t, createOn(person(), day, decided(content("2025-03-03", "2025-05-31"), "2025-03-03")))
			if v.WrittenOn != day {
				t.Fatalf("create wrote on %s", v.WrittenOn)
			}
			d := decision(num1, cpasA, Active, content("2025-03-03", "2025-05-31"))
			s := accepted(t, engine.Stop(StopCmd{Caller: cpasA, Number: num1, BaseVersion: 1, StopDate: day}, facts(person(), d), day, now))
			c := accepted(t, engine.Close(CloseCmd{Caller: cpasA, Number: num1, BaseVersion: 1},
				facts(person(), decision(num1, cpasA, Active, content("2025-04-01", "2025-05-31"))), day, now))
			if s.WrittenOn != day || c.WrittenOn != day {
				t.Fatalf("stop wrote on %s, close on %s", s.WrittenOn, c.WrittenOn)
			}
		}},

		{"R-VIEW-OTHER-CPAS/queryCarmedManager is answered with the managing CPAS's identification only", func(t *testing.T) {
			d := decision(num1, cpasB, Active, long)
			res := engine.QueryManager(QueryManagerCmd{Caller: cpasA, SSIN: ssinAlice, Date: NoDate}, facts(person(), d), today)
			if len(res.Messages) != 0 || !reflect.DeepEqual(res.Managers, []CPAS{cpasDir[cpasB]}) {
				t.Fatalf("got %+v", res)
			}
		}},
		{"R-VIEW-OTHER-CPAS/queryCarmedManager on a date outside every decision is answered with nobody", func(t *testing.T) {
			d := decision(num1, cpasB, Active, long)
			res := engine.QueryManager(QueryManagerCmd{Caller: cpasA, SSIN: ssinAlice, Date: MustDate("2025-06-01")}, facts(person(), d), today)
			if len(res.Managers) != 0 || len(res.Messages) != 0 {
				t.Fatalf("got %+v", res)
			}
		}},
		{"R-VIEW-OTHER-CPAS/queryCarmedManager ignores closed decisions and follows the next-day rule", func(t *testing.T) {
			res := engine.QueryManager(QueryManagerCmd{Caller: cpasA, SSIN: ssinAlice, Date: MustDate("2025-04-01")},
				facts(person(), restrictedToday()), today)
			if len(res.Managers) != 1 {
				t.Fatalf("today another CPAS still sees the manager: %+v", res)
			}
			res = engine.QueryManager(QueryManagerCmd{Caller: cpasA, SSIN: ssinAlice, Date: MustDate("2025-04-01")},
				facts(person(), restrictedToday()), today.AddDays(1))
			if len(res.Managers) != 0 {
				t.Fatalf("tomorrow the stop is seen: %+v", res)
			}
			closed := decision(num1, cpasB, Closed, content("2025-04-01", "2025-05-31"))
			if res := engine.QueryManager(QueryManagerCmd{Caller: cpasA, SSIN: ssinAlice, Date: MustDate("2025-04-01")},
				facts(person(), closed), today); len(res.Managers) != 0 {
				t.Fatalf("a closed decision names no manager: %+v", res)
			}
		}},
		{"R-VIEW-OTHER-CPAS/queryCarmedManager with an invalid SSIN is refused as a technical error", func(t *testing.T) {
			res := engine.QueryManager(QueryManagerCmd{Caller: cpasA, SSIN: "12345678901"}, facts(nil), today)
			expectMessages(t, res.Messages, []string{CodeSSINInvalid})
		}},

		{"R-CONSULT-CPAS/a consultation by SSIN and a given date is answered with the decision in force that day", func(t *testing.T) {
			d1 := decision("000000000001", cpasA, Active, content("2025-01-01", "2025-03-31"))
			d2 := decision("000000000002", cpasA, Active, content("2025-04-01", "2025-06-30"))
			res := consult(ConsultCmd{Mode: ByDate, Date: MustDate("2025-04-01")}, d1, d2)
			if got := numbers(res.Views); !reflect.DeepEqual(got, []string{"000000000002/1"}) {
				t.Fatalf("views = %v", got)
			}
		}},
		{"R-CONSULT-CPAS/a history from another CPAS is answered with the version it may see today", func(t *testing.T) {
			res := consult(ConsultCmd{Mode: History, Period: period("2025-01-01", "2025-12-31")}, restrictedToday())
			if len(res.Views) != 1 || res.Views[0].Version.Period.End != MustDate("2025-05-31") || res.Views[0].Full {
				t.Fatalf("views = %+v", res.Views)
			}
		}},
		{"R-CONSULT-CPAS/a consultation by number with a negative version is refused with the latest version", func(t *testing.T) {
			res := consult(ConsultCmd{Mode: ByNumber, Number: num1, Version: -1}, decision(num1, cpasA, Active, long, longer))
			expectMessages(t, res.Messages, []string{CodeVersionUnknown}, Info{"latestVersion", "2"})
		}},

		{"R-NO-SEARCH-BY-NAME/a consultation by SSIN is accepted: the SSIN is the person key", func(t *testing.T) {
			res := consult(ConsultCmd{Mode: ByDate, Date: NoDate}, decision(num1, cpasA, Active, long))
			if len(res.Views) != 1 || res.Views[0].Version.Beneficiary.SSIN != ssinAlice {
				t.Fatalf("views = %+v", res.Views)
			}
		}},
		{"R-NO-SEARCH-BY-NAME/a search by name is refused: no consultation command has a name criterion", func(t *testing.T) {
			for _, typ := range []reflect.Type{reflect.TypeOf(ConsultCmd{}), reflect.TypeOf(QueryManagerCmd{})} {
				for i := 0; i < typ.NumField(); i++ {
					if strings.Contains(strings.ToLower(typ.Field(i).Name), "name") {
						t.Fatalf("%s has a name criterion %s", typ.Name(), typ.Field(i).Name)
					}
				}
			}
		}},
		{"R-NO-SEARCH-BY-NAME/a search by name is refused: the schema's selection criteria have no name element", func(t *testing.T) {
			var names []string
			for _, typ := range []string{"SelectionCriteriaType", "BySsinType", "ByNumberType", "HistoryType"} {
				xsdType(t, typ).walk(func(n *xsdNode) {
					if n.XMLName.Local == "element" {
						names = append(names, n.attr("name"))
					}
				})
			}
			if len(names) < 6 {
				t.Fatalf("found only %v: the schema changed shape", names)
			}
			for _, n := range names {
				if strings.Contains(strings.ToLower(n), "name") {
					t.Fatalf("selection criterion %q searches by name", n)
				}
			}
		}},
	}
}
