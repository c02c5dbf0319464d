package rules

import (
	"sort"
	"time"
)

// AuthorMediPrima is the author of versions written by registry mutations (R-VERSIONING).
const AuthorMediPrima = "MEDIPRIMA"

// Mutate applies one registry mutation (rules.md §5): it checks it, computes the person's new
// registry record, and the versions and notices it makes on the person's decisions. The store
// commits the whole result in one transaction, or nothing.
//
// Which decisions a mutation touches (000 §3.11), "current or future" meaning an end ≥ today and
// closed decisions never touched:
//   - NAME: current and future decisions get a version with the new name (R-MUT-NAME);
//   - GENDER, BIRTH_DATE: every decision, past ones too (R-MUT-MAJOR);
//   - SSIN: every decision moves to the new SSIN; decisions that then overlap are suspended (R-MUT-SSIN);
//   - SITUATION: current and future decisions running on or after the effective date whose refund
//     code changes are suspended from that date (R-MUT-REFUND);
//   - DEATH: current and future decisions ending after the death date are suspended from the
//     next day (R-MUT-DEATH).
//
// A decision already suspended keeps its pending suspensions and gets the new one after them
// (R-MUT-ORDER). Each version made yields a notice for the managing CPAS (R-NOTICE).
func (r *Rules) Mutate(m Mutation, f MutationFacts, today Date, now time.Time) MutationResult {
	if msgs := checkMutation(&m, &f, today); hasError(msgs) {
		return MutationResult{Messages: msgs}
	}
	mu := mutator{r: r, m: m, f: &f, today: today, now: now, old: f.Person}
	switch m.Kind {
	case MutName:
		mu.identity(func(p *Person) { p.LastName, p.FirstName = m.LastName, m.FirstName }, mu.current)
	case MutGender:
		mu.identity(func(p *Person) { p.Gender = m.Gender }, mu.any)
	case MutBirthDate:
		mu.identity(func(p *Person) { p.BirthDate = m.BirthDate }, mu.any)
	case MutDeath:
		mu.death()
	case MutSituation:
		mu.situation()
	case MutSSIN:
		mu.ssin()
	}
	return mu.res
}

// mutator carries one Mutate call.
type mutator struct {
	r     *Rules
	m     Mutation
	f     *MutationFacts
	today Date
	now   time.Time
	old   *Person
	res   MutationResult
}

// current is "a current or future decision" (end ≥ today), closed ones excluded.
func (mu *mutator) current(v *Version) bool { return holdsPeriod(v) && v.Period.End >= mu.today }

// any is every decision but closed ones (R-MUT-MAJOR: past, current and future).
func (mu *mutator) any(v *Version) bool { return holdsPeriod(v) }

// decisionsOf lists the decisions whose latest version is for ssin, in number order.
func (mu *mutator) decisionsOf(ssin string) []*Decision {
	var out []*Decision
	for i := range mu.f.Decisions {
		if d := &mu.f.Decisions[i]; len(d.Versions) > 0 && d.Latest().Beneficiary.SSIN == ssin {
			out = append(out, d)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Number() < out[j].Number() })
	return out
}

// identity applies a data change (name, gender, birth date): a version with the new
// beneficiary data on each decision concerned whose snapshot differs.
func (mu *mutator) identity(change func(*Person), concerned func(*Version) bool) {
	p := clonePerson(mu.old)
	change(&p)
	mu.res.Person = p
	for _, d := range mu.decisionsOf(p.SSIN) {
		lv := d.Latest()
		if !concerned(lv) || lv.Beneficiary == p.Beneficiary() {
			continue
		}
		mu.version(d, p.Beneficiary(), nil)
	}
}

// death suspends, from the day after the death, every current or future decision that ends
// after it (R-MUT-DEATH).
func (mu *mutator) death() {
	p := clonePerson(mu.old)
	p.DeathDate = mu.m.Effective
	mu.res.Person = p
	for _, d := range mu.decisionsOf(p.SSIN) {
		lv := d.Latest()
		if !mu.current(lv) || lv.Period.End <= p.DeathDate {
			continue
		}
		mu.version(d, p.Beneficiary(), &Suspension{Reason: SuspendDeath, Date: p.DeathDate.AddDays(1)})
	}
}

// situation records the new register situation from the effective date and suspends every
// current or future decision, running on or after that date, whose refund code it changes
// (R-MUT-REFUND). The code is compared on the first day the change touches the decision.
func (mu *mutator) situation() {
	p := clonePerson(mu.old)
	sit := mu.m.Situation
	sit.From = mu.m.Effective
	p.Situations = withSituation(p.Situations, sit)
	mu.res.Person = p
	for _, d := range mu.decisionsOf(p.SSIN) {
		lv := d.Latest()
		if !mu.current(lv) || lv.Period.End < sit.From {
			continue
		}
		day := max(sit.From, lv.Period.Start)
		ins := cpasOf(mu.f.CPAS, lv.Manager).INS
		before := mu.r.table.refundCodeOn(mu.old, day, lv.IncomeAboveRI, lv.NoStateIntervention, ins)
		after := mu.r.table.refundCodeOn(&p, day, lv.IncomeAboveRI, lv.NoStateIntervention, ins)
		if before == after {
			continue
		}
		mu.version(d, lv.Beneficiary, &Suspension{Reason: SuspendRefundCode, Date: sit.From,
			OldRefundCode: before, NewRefundCode: after})
	}
}

// ssin moves every decision of the old SSIN to the new one (a version each) and suspends the
// decisions that now overlap, on both sides, from their first shared day (R-MUT-SSIN).
func (mu *mutator) ssin() {
	oldSSIN, newSSIN := mu.old.SSIN, mu.m.NewSSIN
	replaced := clonePerson(mu.old)
	replaced.ReplacedBy = newSSIN
	mu.res.Replaced = &replaced
	var p Person
	if mu.f.Target != nil {
		// A merge: the surviving record is the one already under the new SSIN.
		p = clonePerson(mu.f.Target)
		mu.res.Change = SSINMerge
	} else {
		p = clonePerson(mu.old)
		p.SSIN = newSSIN
		mu.res.Change = SSINChange
	}
	mu.res.Person = p
	moved, staying := mu.decisionsOf(oldSSIN), mu.decisionsOf(newSSIN)
	firstShared := map[string]Date{} // decision number → first day it overlaps one from the other side
	note := func(d *Decision, day Date) {
		if old, ok := firstShared[d.Number()]; !ok || day < old {
			firstShared[d.Number()] = day
		}
	}
	for _, a := range moved {
		for _, b := range staying {
			va, vb := a.Latest(), b.Latest()
			if holdsPeriod(va) && holdsPeriod(vb) && va.Period.Overlaps(vb.Period) {
				day := max(va.Period.Start, vb.Period.Start)
				note(a, day)
				note(b, day)
			}
		}
	}
	for _, d := range moved {
		var s *Suspension
		if day, ok := firstShared[d.Number()]; ok {
			s = &Suspension{Reason: SuspendSSINOverlap, Date: day, OldSSIN: oldSSIN}
		}
		n := mu.version(d, p.Beneficiary(), s)
		n.OldSSIN = oldSSIN
	}
	for _, d := range staying {
		if day, ok := firstShared[d.Number()]; ok {
			mu.version(d, d.Latest().Beneficiary, &Suspension{Reason: SuspendSSINOverlap, Date: day})
		}
	}
}

// version writes the next version of d for this mutation: the beneficiary snapshot b and, when
// s is not nil, one more pending suspension (status SUSPENDED). It returns the notice made.
func (mu *mutator) version(d *Decision, b Beneficiary, s *Suspension) *Notice {
	v := nextVersion(d, AuthorMediPrima, CauseMutation, mu.today, mu.now)
	v.Beneficiary = b
	if s != nil {
		s.Mutation = mu.m.Seq
		v.Suspensions = append(v.Suspensions, *s)
		v.Status = Suspended
	}
	mu.res.Versions = append(mu.res.Versions, *v)
	n := Notice{Manager: v.Manager, SSIN: b.SSIN, Number: v.Number, Version: v.Version, Status: v.Status,
		Cause: mu.m.Kind, Mutation: mu.m.Seq, Effective: mu.m.Effective, Actions: nextActions(v, &mu.res.Person, mu.today),
		Created: mu.now, WrittenOn: mu.today}
	if s != nil {
		sc := *s
		n.Suspension = &sc
	}
	mu.res.Notices = append(mu.res.Notices, n)
	return &mu.res.Notices[len(mu.res.Notices)-1]
}

// refundCodeOn is the refund code a decision with these flags would get on day, or
// NoRefundCode when the person's situation then gives none (unknown, Fedasil).
func (t *RefundTable) refundCodeOn(p *Person, day Date, incomeAbove, noState bool, cpasINS string) int {
	sp, msgs := t.statePart(p, day, incomeAbove, noState, cpasINS)
	if hasError(msgs) {
		return NoRefundCode
	}
	return sp.RefundCode
}

// withSituation inserts s in date order, replacing a situation that starts the same day.
func withSituation(list []Situation, s Situation) []Situation {
	out := make([]Situation, 0, len(list)+1)
	placed := false
	for _, x := range list {
		switch {
		case x.From == s.From:
			continue
		case x.From > s.From && !placed:
			out = append(out, s)
			placed = true
		}
		out = append(out, x)
	}
	if !placed {
		out = append(out, s)
	}
	return out
}

func clonePerson(p *Person) Person {
	c := *p
	c.Situations = append([]Situation(nil), p.Situations...)
	return c
}

// nextActions lists what the managing CPAS may do next with a version a mutation made
// (R-NOTICE): for a suspension, the one action R-MUT-ORDER puts first (a stop in its window
// for a refund-code or death suspension, a reactivation for an overlap), and a close while
// the decision lies wholly in the future (R-CLOSE). Nothing for a data change.
func nextActions(v *Version, p *Person, today Date) []NextAction {
	s := v.FirstToHandle()
	if v.Status != Suspended || s == nil {
		return nil
	}
	var out []NextAction
	if s.Reason == SuspendSSINOverlap {
		out = append(out, NextAction{Action: NextActivate, MinStopDate: NoDate, MaxStopDate: NoDate})
	} else if lo, hi, ok := retroStopWindow(v, p); ok {
		out = append(out, NextAction{Action: NextStop, MinStopDate: lo, MaxStopDate: hi})
	}
	if v.Period.Start > today {
		out = append(out, NextAction{Action: NextClose, MinStopDate: NoDate, MaxStopDate: NoDate})
	}
	return out
}

// checkMutation refuses a mutation the register could not have sent: unknown or replaced
// person, missing effective date, or a value that is not a change the kind allows.
func checkMutation(m *Mutation, f *MutationFacts, today Date) []Message {
	p := f.Person
	switch {
	case p == nil:
		return []Message{NewMessage(CodePersonUnknown)}
	case p.ReplacedBy != "":
		return []Message{NewMessage(CodePersonReplaced, Info{"newSsin", p.ReplacedBy})}
	case !m.Effective.Valid():
		return []Message{NewMessage(CodeDateMissing, Info{"field", "effectiveDate"})}
	}
	bad := func(code, field string, info ...Info) []Message {
		return []Message{NewMessage(code, append([]Info{{"field", field}}, info...)...)}
	}
	switch m.Kind {
	case MutName:
		if m.LastName == "" {
			return bad(CodeNameInvalid, "lastName")
		}
	case MutGender:
		if m.Gender != "M" && m.Gender != "F" {
			return bad(CodeMajorInvalid, "gender")
		}
	case MutBirthDate:
		if !m.BirthDate.Valid() || m.BirthDate > today || (p.DeathDate.Valid() && m.BirthDate > p.DeathDate) {
			return bad(CodeMajorInvalid, "birthDate", infoDate("today", today))
		}
	case MutDeath:
		switch death := m.Effective; {
		case p.DeathDate.Valid():
			return bad(CodeDeathInvalid, "effectiveDate", infoDate("deathDate", p.DeathDate))
		case death > today || (p.BirthDate.Valid() && death < p.BirthDate):
			return bad(CodeDeathInvalid, "effectiveDate", infoDate("today", today))
		}
	case MutSituation:
		s := m.Situation
		if !KnownSituation(s.Kind) || (s.ResidenceINS != "" && !AllDigits(s.ResidenceINS, 5)) {
			return bad(CodeSituationBad, "situation")
		}
	case MutSSIN:
		switch {
		case !ValidSSIN(m.NewSSIN):
			return bad(CodeNewSSINInvalid, "newSsin")
		case m.NewSSIN == p.SSIN:
			return bad(CodeSSINSame, "newSsin")
		case f.Target != nil && f.Target.ReplacedBy != "":
			return bad(CodeNewSSINInvalid, "newSsin", Info{"replacedBy", f.Target.ReplacedBy})
		case f.Target != nil && f.Target.SSIN != m.NewSSIN:
			return bad(CodeNewSSINInvalid, "newSsin")
		}
	default:
		return bad(CodeMutationKind, "kind")
	}
	return nil
}

// SituationKinds lists the register situations the refund-code table knows (rules.md §8).
var SituationKinds = []SituationKind{SitIllegal, SitRegularised, Sit9ter, SitAsylum, SitStruckOff, SitInsured,
	SitResident, SitFedasil}

// KnownSituation reports a situation kind of SituationKinds.
func KnownSituation(k SituationKind) bool {
	for _, x := range SituationKinds {
		if x == k {
			return true
		}
	}
	return false
}
