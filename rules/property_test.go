package rules

import (
	"math/rand/v2"
	"testing"
)

// walk draws random decision histories: a create, then modify and stop commands (some on a
// stale version) while the business day moves on. Both properties below run over it.
type walk struct {
	rng   *rand.Rand
	today Date
}

func (w *walk) days(n int) int { return w.rng.IntN(n) }

// person is either an illegal stay (AMU: 92-day covers) or a regularised person.
func (w *walk) person() *Person {
	p := person()
	p.Situations = []Situation{{From: MustDate("2020-01-01"), Kind: SitIllegal}}
	if w.rng.IntN(2) == 0 {
		p.Situations[0].Kind = SitRegularised
	}
	return p
}

var walkKinds = []CoverKind{Doctor, Paramedic, PharmaceuticalDrug, Hospitalization, Prosthesis}

// content draws a content around base: the validity moved by a few days at each end, covers
// kept, moved, dropped or added, shares changed.
func (w *walk) content(base *Content) Content {
	c := Content{DecisionDate: w.today, Period: Period{w.today.AddDays(w.days(60) - 40), NoDate}}
	if base != nil {
		c = cloneContent(*base)
		c.DecisionDate = w.today
		c.Period.Start = c.Period.Start.AddDays(w.days(16) - 10)
	}
	c.Period.End = c.Period.Start.AddDays(w.days(200))
	if base != nil && w.rng.IntN(2) == 0 {
		c.Period.End = base.Period.End.AddDays(w.days(41) - 20)
	}
	var covers []Cover
	for _, k := range walkKinds {
		old := c.Cover(k)
		switch {
		case old != nil && w.rng.IntN(8) > 0:
			cv := cloneCover(*old)
			cv.Period.Start = cv.Period.Start.AddDays(w.days(8) - 5)
			cv.Period.End = cv.Period.End.AddDays(w.days(31) - 10)
			covers = append(covers, cv)
		case old == nil && w.rng.IntN(3) == 0:
			s := c.Period.Start.AddDays(w.days(30))
			covers = append(covers, Cover{Kind: k, Period: Period{s, s.AddDays(w.days(95))}})
		default:
			continue
		}
		cv := &covers[len(covers)-1]
		cv.Support = Support{AmiPart: Nothing, PatientPart: Nothing, Supplement: []Share{Nothing, Full}[w.rng.IntN(2)]}
		if k == Hospitalization { // R-HOSP-AMB: the ambulatory cover goes with it
			amb := *cv
			amb.Kind = AmbulatoryHospitalization
			covers = append(covers, amb)
		}
	}
	// Most requests keep their covers inside the validity, so the walk reaches the later rules.
	for i := range covers {
		if cv := &covers[i].Period; w.rng.IntN(10) > 0 {
			cv.Start, cv.End = max(cv.Start, c.Period.Start), min(cv.End, c.Period.End)
		}
	}
	c.Covers = covers
	return c
}

// lostPastDay returns a day on or before today that a granted and b no longer grants, for the
// decision validity and for each cover, or NoDate.
func lostPastDay(a, b *Version, today Date) (Date, string) {
	for d := a.Period.Start; d <= min(a.Period.End, today); d++ {
		if !b.Period.Contains(d) {
			return d, "decision"
		}
	}
	for _, cv := range a.Covers {
		nc := b.Cover(cv.Kind)
		for d := cv.Period.Start; d <= min(cv.Period.End, today); d++ {
			if nc == nil || !nc.Period.Contains(d) {
				return d, string(cv.Kind)
			}
		}
	}
	return NoDate, ""
}

// For random histories and random modify requests: no accepted version removes a day at or
// before today that the previous version granted (decision validity or cover), no accepted
// version lowers a CPAS share of a cover started by today, version numbers are 1..n without
// gaps, and stale versions are refused as conflicts.
func TestPropertyNoAcceptedVersionTakesBackThePastAndVersionsHaveNoGaps(t *testing.T) {
	w := &walk{rng: rand.New(rand.NewPCG(20250301, 97))}
	var modifies, stops, conflicts, refusedReductions int
	for run := 0; run < 400; run++ {
		w.today = MustDate("2025-03-01").AddDays(w.days(30))
		p := w.person()
		var d Decision
		for try := 0; try < 20 && len(d.Versions) == 0; try++ {
			r := engine.Create(CreateCmd{Caller: cpasA, SSIN: ssinAlice, Content: w.content(nil)}, facts(p), w.today, now)
			if !r.Rejected() {
				v := *r.Version
				v.Number = num1
				d.Versions = append(d.Versions, v)
			}
		}
		if len(d.Versions) == 0 {
			t.Fatalf("run %d: no random create was accepted", run)
		}
		for step := 0; step < 20; step++ {
			w.today = w.today.AddDays(w.days(15))
			lv := d.Latest()
			base := lv.Version
			if w.rng.IntN(8) == 0 {
				base = w.rng.IntN(lv.Version + 2)
			}
			isStop := w.rng.IntN(5) == 0
			var r Result
			if isStop {
				r = engine.Stop(StopCmd{Caller: cpasA, Number: num1, BaseVersion: base,
					StopDate: w.today.AddDays(w.days(60) - 10)}, facts(p, d), w.today, now)
			} else {
				r = engine.Modify(ModifyCmd{Caller: cpasA, Number: num1, BaseVersion: base, Action: ActionModify,
					Content: w.content(&lv.Content)}, facts(p, d), w.today, now)
			}
			if r.Rejected() {
				if r.Version != nil {
					t.Fatal("a rejected command returned a version")
				}
				if base != lv.Version {
					conflicts++
					expectMessages(t, r.Messages, []string{CodeVersionConflict})
				}
				for _, m := range r.Messages {
					if m.Rule == "R-NO-PAST-REDUCTION" {
						refusedReductions++
						break
					}
				}
				continue
			}
			if base != lv.Version {
				t.Fatalf("run %d: a command on stale version %d of %d was accepted", run, base, lv.Version)
			}
			nv := r.Version
			if day, what := lostPastDay(lv, nv, w.today); day.Valid() {
				t.Fatalf("run %d step %d (today %s): accepted version %d drops %s of %s granted by version %d\nold %+v\nnew %+v",
					run, step, w.today, nv.Version, day, what, lv.Version, lv.Content, nv.Content)
			}
			for _, cv := range lv.Covers {
				if nc := nv.Cover(cv.Kind); cv.Period.Start <= w.today && nc != nil &&
					shareLevel(nc.Support.Supplement) < shareLevel(cv.Support.Supplement) {
					t.Fatalf("run %d: accepted version %d lowers the supplement share of a started %s cover", run, nv.Version, cv.Kind)
				}
			}
			if isStop {
				stops++
			} else {
				modifies++
			}
			d.Versions = append(d.Versions, *nv)
		}
		for i, v := range d.Versions {
			if v.Version != i+1 || v.Number != num1 || v.Manager != cpasA {
				t.Fatalf("run %d: version %d is %d/%s/%s", run, i+1, v.Version, v.Number, v.Manager)
			}
		}
	}
	// The walk must reach both sides of the rule, or the property says nothing.
	if modifies < 250 || stops < 100 || conflicts < 100 || refusedReductions < 300 {
		t.Fatalf("the random walk did not exercise the rules: %d modifies, %d stops, %d conflicts, %d refused reductions",
			modifies, stops, conflicts, refusedReductions)
	}
}
