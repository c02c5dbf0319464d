package rules

import (
	"math/rand/v2"
	"testing"
)

// For random sequences of modify and stop commands, some stale, the accepted versions are
// always numbered 1..n without gaps, keep number and manager, and stale ones are refused.
func TestVersionsStayGaplessUnderRandomModifyAndStop(t *testing.T) {
	rng := rand.New(rand.NewPCG(20250301, 97))
	day := func(from string, span int) Date { return MustDate(from).AddDays(rng.IntN(span)) }
	var modifies, stops, conflicts int
	for run := 0; run < 300; run++ {
		d := decision(num1, cpasA, Active, content("2025-02-15", "2025-08-31", cover(Doctor, "2025-02-15", "2025-08-31")))
		for step := 0; step < 25; step++ {
			lv := d.Latest()
			base := lv.Version
			if rng.IntN(6) == 0 {
				base = rng.IntN(lv.Version + 2)
			}
			var r Result
			isStop := rng.IntN(3) == 0
			if isStop {
				r = engine.Stop(StopCmd{Caller: cpasA, Number: num1, BaseVersion: base, StopDate: day("2025-02-20", 200)},
					facts(person(), d), today, now)
			} else {
				start := day("2025-01-10", 60)
				end := start.AddDays(rng.IntN(420))
				c := Content{DecisionDate: today, Period: Period{start, end}}
				if rng.IntN(2) == 0 {
					c.Covers = []Cover{{Kind: Paramedic, Period: Period{start, end}}}
				}
				r = engine.Modify(ModifyCmd{Caller: cpasA, Number: num1, BaseVersion: base, Content: c},
					facts(person(), d), today, now)
			}
			if r.Rejected() {
				if r.Version != nil {
					t.Fatal("a rejected command returned a version")
				}
				if base != lv.Version {
					conflicts++
					expectMessages(t, r.Messages, []string{CodeVersionConflict})
				}
				continue
			}
			if base != lv.Version {
				t.Fatalf("run %d: a command on stale version %d of %d was accepted", run, base, lv.Version)
			}
			if isStop {
				stops++
			} else {
				modifies++
			}
			d.Versions = append(d.Versions, *r.Version)
		}
		for i, v := range d.Versions {
			if v.Version != i+1 || v.Number != num1 || v.Manager != cpasA {
				t.Fatalf("run %d: version %d is %d/%s/%s", run, i+1, v.Version, v.Number, v.Manager)
			}
		}
	}
	if modifies < 100 || stops < 100 || conflicts < 100 {
		t.Fatalf("the random walk did not exercise the rules: %d modifies, %d stops, %d conflicts", modifies, stops, conflicts)
	}
}
