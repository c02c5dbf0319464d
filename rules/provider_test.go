package rules

import (
	"fmt"
	"testing"
)

const (
	hospitalCHR  = "71012345"
	otherHosp    = "71099999"
	gpDupont     = "19912345004"
	providerDays = MaxProviderPeriodDays
)

func consultProvider(provider string, p Period, ds ...Decision) ProviderResult {
	return engine.ConsultProvider(ProviderConsultCmd{Provider: provider, SSIN: ssinAlice, Period: p}, facts(person(), ds...), today)
}

// designated is a hospitalisation cover whose content only the listed hospitals may see.
func designated(a, b string, hospitals ...string) Cover {
	c := cover(Hospitalization, a, b)
	c.Providers = hospitals
	return c
}

func TestProviderRules(t *testing.T) {
	active := decision("000000000001", cpasA, Active, content("2025-01-01", "2025-03-31", cover(Doctor, "2025-01-01", "2025-03-31")))
	cases := []ruleCase{
		{"R-CONSULT-PROVIDER/a period of 30 days is accepted", func(t *testing.T) {
			r := consultProvider(gpDupont, period("2025-02-01", "2025-03-02"), active)
			if len(r.Messages) != 0 || len(r.Views) != 1 {
				t.Fatalf("messages %v views %d", r.Messages, len(r.Views))
			}
		}},
		{"R-CONSULT-PROVIDER/a period of 31 days is rejected", func(t *testing.T) {
			r := consultProvider(gpDupont, period("2025-02-01", "2025-03-03"), active)
			expectMessages(t, r.Messages, []string{CodeProviderPeriod})
		}},
		{"R-CONSULT-PROVIDER/an invalid SSIN is rejected as a technical error", func(t *testing.T) {
			r := engine.ConsultProvider(ProviderConsultCmd{Provider: gpDupont, SSIN: "12345678901", Period: period("2025-03-01", "2025-03-01")}, facts(person()), today)
			if len(r.Messages) != 1 || !r.Messages[0].Technical {
				t.Fatalf("got %v", r.Messages)
			}
		}},
		{"R-CONSULT-PROVIDER/25 decisions in the period are accepted and 24 returned", func(t *testing.T) {
			var ds []Decision
			for i := 0; i < 25; i++ {
				d := MustDate("2025-02-05").AddDays(i).String()
				ds = append(ds, decision(fmt.Sprintf("%012d", i+1), cpasA, Active, content(d, d, cover(Doctor, d, d))))
			}
			r := consultProvider(gpDupont, period("2025-02-05", "2025-03-06"), ds...)
			if len(r.Views) != MaxProviderResults || r.Views[0].Version.Number != "000000000025" ||
				r.Views[MaxProviderResults-1].Version.Number != "000000000002" {
				t.Fatalf("got %d views, the newest 24 first", len(r.Views))
			}
		}},
		{"R-CONSULT-PROVIDER/a period across a version change is answered with both versions, newest first, each with the days it governs", func(t *testing.T) {
			r := consultProvider(gpDupont, period("2025-02-10", "2025-03-05"), changedOn20Feb())
			expectGoverned(t, r, "2:2025-02-20/2025-03-05", "1:2025-02-10/2025-02-19")
			if len(r.Views[0].Covers) != 2 || len(r.Views[1].Covers) != 1 {
				t.Fatalf("each version shows its own covers: %d, %d", len(r.Views[0].Covers), len(r.Views[1].Covers))
			}
		}},
		{"R-CONSULT-PROVIDER/a reference date before a version change is answered with the version in force that day", func(t *testing.T) {
			r := consultProvider(gpDupont, period("2025-02-15", "2025-02-15"), changedOn20Feb())
			expectGoverned(t, r, "1:2025-02-15/2025-02-15")
		}},
		{"R-CONSULT-PROVIDER/a period after the version change is answered with the new version only", func(t *testing.T) {
			r := consultProvider(gpDupont, period("2025-02-20", "2025-03-10"), changedOn20Feb())
			expectGoverned(t, r, "2:2025-02-20/2025-03-10")
		}},
		{"R-CONSULT-PROVIDER/two successive decisions are answered newest first", func(t *testing.T) {
			a := decision("000000000001", cpasA, Active, content("2025-01-01", "2025-02-20", cover(Doctor, "2025-01-01", "2025-02-20")))
			b := decision("000000000002", cpasA, Active, content("2025-02-21", "2025-05-31", cover(Doctor, "2025-02-21", "2025-05-31")))
			r := consultProvider(gpDupont, period("2025-02-10", "2025-03-05"), a, b)
			expectGoverned(t, r, "1:2025-02-21/2025-03-05", "1:2025-02-10/2025-02-20")
			if r.Views[0].Version.Number != "000000000002" || r.Views[1].Version.Number != "000000000001" {
				t.Fatalf("decisions %s, %s: want the later one first", r.Views[0].Version.Number, r.Views[1].Version.Number)
			}
		}},
		{"R-CONSULT-PROVIDER/26 versions in force in the period are accepted and the newest 24 returned", func(t *testing.T) {
			// one decision prolonged by one day on each of 26 days: every version governs a day
			var cs []Content
			for i := 0; i < 26; i++ {
				end := MustDate("2025-02-04").AddDays(i).String()
				cs = append(cs, content("2025-02-01", end, cover(Doctor, "2025-02-01", end)))
			}
			d := decision("000000000001", cpasA, Active, cs...)
			for i := range d.Versions {
				d.Versions[i].WrittenOn = MustDate("2025-02-04").AddDays(i)
			}
			r := consultProvider(gpDupont, period("2025-02-04", "2025-03-01"), d)
			if len(r.Views) != MaxProviderResults || r.Views[0].Version.Version != 26 || r.Views[23].Version.Version != 3 {
				t.Fatalf("got %d views, first version %d", len(r.Views), r.Views[0].Version.Version)
			}
		}},
		{"R-PROVIDERS/a designated hospital is accepted and sees the cover", func(t *testing.T) {
			d := decision("000000000001", cpasA, Active, content("2025-01-01", "2025-03-31", designated("2025-01-01", "2025-03-31", hospitalCHR)))
			r := consultProvider(hospitalCHR, period("2025-03-01", "2025-03-01"), d)
			if len(r.Views) != 1 || !r.Views[0].Full || len(r.Views[0].Covers) != 1 || !r.Views[0].Agreement {
				t.Fatalf("got %+v", r.Views)
			}
		}},
		{"R-PROVIDERS/a hospital not designated is refused the content and gets identification only", func(t *testing.T) {
			d := decision("000000000001", cpasA, Active, content("2025-01-01", "2025-03-31", designated("2025-01-01", "2025-03-31", hospitalCHR)))
			r := consultProvider(otherHosp, period("2025-03-01", "2025-03-01"), d)
			if len(r.Views) != 1 || r.Views[0].Full || r.Views[0].Agreement || len(r.Views[0].Version.Covers) != 0 {
				t.Fatalf("got %+v", r.Views)
			}
		}},
		{"R-SUSPENDED-VIEW/an active decision passes with its content", func(t *testing.T) {
			r := consultProvider(gpDupont, period("2025-03-01", "2025-03-01"), active)
			if !r.Views[0].Full {
				t.Fatal("content hidden")
			}
		}},
		{"R-SUSPENDED-VIEW/a suspended decision is refused the content: manager identification only", func(t *testing.T) {
			d := decision("000000000001", cpasA, Suspended, content("2025-01-01", "2025-03-31", cover(Doctor, "2025-01-01", "2025-03-31")))
			r := consultProvider(gpDupont, period("2025-03-01", "2025-03-01"), d)
			if len(r.Views) != 1 || r.Views[0].Full || r.Views[0].Agreement || r.Views[0].Manager.CBE != cpasA {
				t.Fatalf("got %+v", r.Views)
			}
		}},
		{"R-AGREEMENT/a period containing today is accepted with an agreement", func(t *testing.T) {
			r := consultProvider(gpDupont, period("2025-02-20", "2025-03-10"), active)
			if !r.Views[0].Agreement {
				t.Fatal("no agreement")
			}
		}},
		{"R-AGREEMENT/across a version change the version governing today is accepted with an agreement", func(t *testing.T) {
			r := consultProvider(gpDupont, period("2025-02-10", "2025-03-05"), changedOn20Feb())
			if len(r.Views) != 2 || r.Views[0].Version.Version != 2 || !r.Views[0].Agreement {
				t.Fatalf("got %+v", r.Views)
			}
		}},
		{"R-AGREEMENT/across a version change the older version governing past days is refused an agreement", func(t *testing.T) {
			r := consultProvider(gpDupont, period("2025-02-10", "2025-03-05"), changedOn20Feb())
			if len(r.Views) != 2 || r.Views[1].Version.Version != 1 || r.Views[1].Agreement {
				t.Fatalf("got %+v", r.Views)
			}
		}},
		{"R-AGREEMENT/a period wholly in the future is refused an agreement", func(t *testing.T) {
			r := consultProvider(gpDupont, period("2025-03-02", "2025-03-20"), active)
			if len(r.Views) != 1 || r.Views[0].Agreement {
				t.Fatalf("got %+v", r.Views)
			}
		}},
		{"R-AGREEMENT/a principle decision is refused an agreement", func(t *testing.T) {
			d := decision("000000000001", cpasA, Active, content("2025-01-01", "2025-03-31"))
			r := consultProvider(gpDupont, period("2025-03-01", "2025-03-01"), d)
			if len(r.Views) != 1 || r.Views[0].Full || r.Views[0].Agreement {
				t.Fatalf("got %+v", r.Views)
			}
		}},
		{"R-RESTRICTION-NEXT-DAY/a provider is refused a restriction made today and keeps the previous version", func(t *testing.T) {
			d := decision("000000000001", cpasA, Active,
				content("2025-01-01", "2025-03-31", cover(Doctor, "2025-01-01", "2025-03-31")),
				content("2025-01-01", "2025-03-10", cover(Doctor, "2025-01-01", "2025-03-10")))
			d.Versions[0].WrittenOn, d.Versions[1].WrittenOn = MustDate("2025-01-01"), today
			r := consultProvider(gpDupont, period("2025-03-01", "2025-03-01"), d)
			if r.Views[0].Version.Version != 1 {
				t.Fatalf("provider sees version %d today, want 1", r.Views[0].Version.Version)
			}
			next := engine.ConsultProvider(ProviderConsultCmd{Provider: gpDupont, SSIN: ssinAlice, Period: period("2025-03-02", "2025-03-02")},
				facts(person(), d), today.AddDays(1))
			if next.Views[0].Version.Version != 2 {
				t.Fatalf("provider sees version %d the next day, want 2", next.Views[0].Version.Version)
			}
		}},
		{"R-RESTRICTION-NEXT-DAY/a restriction made today governs no day of a period across today: it is refused to providers until tomorrow", func(t *testing.T) {
			d := decision("000000000001", cpasA, Active,
				content("2025-01-01", "2025-03-31", cover(Doctor, "2025-01-01", "2025-03-31")),
				content("2025-01-01", "2025-03-10", cover(Doctor, "2025-01-01", "2025-03-10")))
			d.Versions[0].WrittenOn, d.Versions[1].WrittenOn = MustDate("2025-01-01"), today
			expectGoverned(t, consultProvider(gpDupont, period("2025-02-20", "2025-03-15"), d), "1:2025-02-20/2025-03-15")
			next := engine.ConsultProvider(ProviderConsultCmd{Provider: gpDupont, SSIN: ssinAlice, Period: period("2025-02-20", "2025-03-15")},
				facts(person(), d), today.AddDays(1))
			expectGoverned(t, next, "2:2025-03-01/2025-03-10", "1:2025-02-20/2025-02-28") // from tomorrow it held from the day it was written
		}},
		{"R-RESTRICTION-NEXT-DAY/an extension made today is accepted at once for providers", func(t *testing.T) {
			d := decision("000000000001", cpasA, Active,
				content("2025-01-01", "2025-03-31", cover(Doctor, "2025-01-01", "2025-03-31")),
				content("2025-01-01", "2025-05-31", cover(Doctor, "2025-01-01", "2025-05-31")))
			d.Versions[0].WrittenOn, d.Versions[1].WrittenOn = MustDate("2025-01-01"), today
			r := consultProvider(gpDupont, period("2025-03-01", "2025-03-01"), d)
			if r.Views[0].Version.Version != 2 {
				t.Fatalf("provider sees version %d, want 2", r.Views[0].Version.Version)
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, c.run)
	}
}

// changedOn20Feb is a decision whose version 1 (a doctor cover) was written on 1 February and
// version 2 (a paramedic cover added) on 20 February, an extension seen at once.
func changedOn20Feb() Decision {
	d := decision("000000000001", cpasA, Active,
		content("2025-02-01", "2025-05-31", cover(Doctor, "2025-02-01", "2025-05-31")),
		content("2025-02-01", "2025-05-31", cover(Doctor, "2025-02-01", "2025-05-31"), cover(Paramedic, "2025-02-20", "2025-05-31")))
	d.Versions[0].WrittenOn, d.Versions[1].WrittenOn = MustDate("2025-02-01"), MustDate("2025-02-20")
	return d
}

// expectGoverned checks the views, in order, as "version:start/end" of the days each governs.
func expectGoverned(t *testing.T, r ProviderResult, want ...string) {
	t.Helper()
	var got []string
	for _, v := range r.Views {
		got = append(got, fmt.Sprintf("%d:%s", v.Version.Version, v.Governs))
	}
	if fmt.Sprint(got) != fmt.Sprint(want) || len(r.Messages) != 0 {
		t.Fatalf("views = %v, want %v (messages %v)", got, want, r.Messages)
	}
}
