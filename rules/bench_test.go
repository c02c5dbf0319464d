package rules

import "testing"

// BenchmarkCreate measures a create against a beneficiary with a realistic history: a few
// past decisions of two CPAS, each with several versions and covers.
func BenchmarkCreate(b *testing.B) {
	all := func(a, e string) []Cover {
		var cs []Cover
		for _, k := range CoverKinds {
			cs = append(cs, cover(k, a, e))
		}
		return cs
	}
	var ds []Decision
	for i, p := range [][2]string{{"2023-01-01", "2023-06-30"}, {"2023-07-01", "2023-12-31"}, {"2024-01-01", "2024-12-31"}} {
		c := content(p[0], p[1], all(p[0], p[1])...)
		mgr := cpasA
		if i%2 == 1 {
			mgr = cpasB
		}
		ds = append(ds, decision(mkNumber(i+1), mgr, Active, c, c, c))
	}
	f := facts(legal(), ds...) // a legal resident: year-long covers (R-COVER-92 is for illegal stays)
	cmd := CreateCmd{Caller: cpasA, SSIN: ssinAlice, Content: content("2025-03-01", "2026-02-28", all("2025-03-01", "2026-02-28")...)}
	b.ReportAllocs()
	for b.Loop() {
		if r := engine.Create(cmd, f, today, now); r.Rejected() {
			b.Fatal(codes(r.Messages))
		}
	}
}

func mkNumber(i int) string {
	s := "000000000000" + string(rune('0'+i))
	return s[len(s)-12:]
}

// BenchmarkModify measures a new version compared element by element with the one it replaces
// (R-NO-PAST-REDUCTION and the cover rules), all eight covers present.
func BenchmarkModify(b *testing.B) {
	var cs []Cover
	for _, k := range CoverKinds {
		cs = append(cs, cover(k, "2025-02-01", "2025-12-31"))
	}
	d := decision(num1, cpasA, Active, content("2025-02-01", "2025-12-31", cs...))
	f := facts(legal(), d)
	cmd := ModifyCmd{Caller: cpasA, Number: num1, BaseVersion: 1, Action: ActionModify,
		Content: content("2025-01-15", "2026-01-14", cs...)}
	b.ReportAllocs()
	for b.Loop() {
		if r := engine.Modify(cmd, f, today, now); r.Rejected() {
			b.Fatal(codes(r.Messages))
		}
	}
}

// BenchmarkMutateSSINMerge measures the widest mutation: a merge moving ten decisions, two of
// which overlap the target's, with their notices.
func BenchmarkMutateSSINMerge(b *testing.B) {
	var ds []Decision
	day := MustDate("2024-01-01")
	for i := range 10 {
		start := day.AddDays(40 * i)
		c := Content{DecisionDate: start, Period: Period{Start: start, End: start.AddDays(29)},
			Covers: []Cover{{Kind: Doctor, Period: Period{Start: start, End: start.AddDays(29)}}}}
		ds = append(ds, decision(mkNumber(i+1), cpasA, Active, c, c))
	}
	for i, p := range [][2]string{{"2024-01-10", "2024-01-20"}, {"2024-12-01", "2024-12-31"}} {
		ds = append(ds, onSSIN(decision("0000000001"+string(rune('0'+i))+"0", cpasB, Active, content(p[0], p[1])), ssinBob))
	}
	f := MutationFacts{Person: person(), Target: bobPerson(), Decisions: ds, CPAS: lookupCPAS}
	m := Mutation{Seq: 1, Kind: MutSSIN, SSIN: ssinAlice, Effective: today, NewSSIN: ssinBob}
	b.ReportAllocs()
	for b.Loop() {
		if r := engine.Mutate(m, f, today, now); r.Rejected() || len(r.Versions) < 11 {
			b.Fatal(codes(r.Messages), len(r.Versions))
		}
	}
}
