package rules

import "sort"

// DeathGraceDays is how long after a registered death a decision may still run (R-DEATH-5):
// the manual lets the CPAS cover the days up to the death date + 5.
const DeathGraceDays = 5

// changeDays lists, in order and once each, the days inside p after its start on which the
// person's registry situation changes.
func changeDays(person *Person, p Period) []Date {
	var days []Date
	seen := map[Date]bool{}
	for _, s := range person.Situations {
		if s.From > p.Start && s.From <= p.End && !seen[s.From] {
			seen[s.From] = true
			days = append(days, s.From)
		}
	}
	sort.Slice(days, func(i, j int) bool { return days[i] < days[j] })
	return days
}

// periodChanges applies to the days after the start of p the registry rules that statePart
// applies to the start itself: R-FEDASIL (no day of the period in a Fedasil centre) and
// R-STATUS-CHANGE (the refund code of every day is the one of the start). Only the first
// problem is reported: it bounds the period the CPAS can decide now. build makes an error
// (create, modify) or a warning (simulation). start is the code computed for p.Start.
func (t *RefundTable) periodChanges(person *Person, p Period, start RefundCode, incomeAbove bool, cpasINS string,
	build func(string, ...Info) Message) []Message {
	for _, day := range changeDays(person, p) {
		sit, _ := person.SituationOn(day)
		if sit.Kind == SitFedasil {
			return []Message{build(CodeFedasilHoused, infoDate("fedasilFrom", day), infoDate("startDate", p.Start),
				infoDate("maxEndDate", day.AddDays(-1)))}
		}
		rc, ok := t.Lookup(sit.Kind, incomeAbove, residesInside(sit, cpasINS))
		if !ok {
			return []Message{build(CodeRefundUnknown, infoDate("changeDate", day))}
		}
		if rc.Code != start.Code {
			return []Message{build(CodeStatusChange, infoDate("changeDate", day), infoDate("maxEndDate", day.AddDays(-1)),
				infoInt("refundCode", start.Code), infoInt("newRefundCode", rc.Code), infoDate("startDate", p.Start))}
		}
	}
	return nil
}

// checkDeath applies R-DEATH-5: no decision or version runs past the death date + 5 days.
func checkDeath(person *Person, p Period, build func(string, ...Info) Message) []Message {
	if !person.DeathDate.Valid() {
		return nil
	}
	if last := person.DeathDate.AddDays(DeathGraceDays); p.End > last {
		return []Message{build(CodeAfterDeath, infoDate("deathDate", person.DeathDate), infoDate("maxEndDate", last),
			infoDate("endDate", p.End))}
	}
	return nil
}

// registryState is R-STATE-PART over a whole requested period: the State part from the
// situation on the start, then R-FEDASIL and R-STATUS-CHANGE on the later days and R-DEATH-5.
// The State part is nil when the start itself gives none.
func (t *RefundTable) registryState(person *Person, c *Content, cpasINS string) (*StatePart, []Message) {
	state, msgs := t.statePart(person, c.Period.Start, c.IncomeAboveRI, c.NoStateIntervention, cpasINS)
	var sp *StatePart
	if !hasError(msgs) {
		sp = &state
		sit, _ := person.SituationOn(c.Period.Start)
		start, _ := t.Lookup(sit.Kind, c.IncomeAboveRI, residesInside(sit, cpasINS))
		msgs = append(msgs, t.periodChanges(person, c.Period, start, c.IncomeAboveRI, cpasINS, NewMessage)...)
	}
	msgs = append(msgs, checkDeath(person, c.Period, NewMessage)...)
	return sp, msgs
}

// residesInside reads an asylum seeker's residence against the deciding CPAS: outside only when
// both municipalities are known and differ (the reading that does not cut the State part on
// missing data).
func residesInside(sit Situation, cpasINS string) bool {
	return cpasINS == "" || sit.ResidenceINS == "" || sit.ResidenceINS == cpasINS
}
