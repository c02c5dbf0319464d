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
	f := facts(person(), ds...)
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
