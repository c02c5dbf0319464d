package rules

import "time"

// Suspension reasons set by the registry mutations (rules.md §5).
const (
	SuspendRefundCode  = "REFUND_CODE"
	SuspendDeath       = "DEATH"
	SuspendSSINOverlap = "SSIN_OVERLAP"
)

// Stop ends a decision at a stop date (R-STOP): the stop date is today or later and lies
// inside the validity; the decision end and every cover end beyond it become the stop date,
// covers starting after it are removed, and the status becomes STOPPED. A suspended decision
// is stopped only at the date R-STOP-SUSPENDED gives for the suspension R-MUT-ORDER puts first
// — the only retroactive stops —; it stays SUSPENDED while other suspensions remain. A decision
// stopped retroactively can never get a later end (R-EXPIRED-EXTEND).
func (r *Rules) Stop(cmd StopCmd, f Facts, today Date, now time.Time) Result {
	d, msgs := target(&f, cmd.Caller, cmd.Number, cmd.BaseVersion)
	if d == nil {
		return reject(msgs...)
	}
	lv := d.Latest()
	if lv.Status == Closed {
		return reject(NewMessage(CodeDecisionClosed, Info{"decisionNumber", d.Number()}))
	}
	stop := cmd.StopDate
	switch {
	case !stop.Valid():
		return reject(NewMessage(CodeDateMissing, Info{"field", "stopDate"}))
	case !lv.Period.Contains(stop):
		return reject(NewMessage(CodeStopOutside, infoDate("stopDate", stop),
			infoDate("decisionStart", lv.Period.Start), infoDate("decisionEnd", lv.Period.End)))
	case lv.Status == Suspended:
		if msgs := checkSuspendedStop(lv, f.Person, stop); hasError(msgs) {
			return reject(msgs...)
		}
	case stop < today:
		return reject(NewMessage(CodeStopRetro, infoDate("stopDate", stop), infoDate("today", today)))
	}
	v := nextVersion(d, cmd.Caller, CauseStop, today, now)
	v.Content = stoppedContent(v.Content, stop)
	v.Suspensions = stillPending(lv, f.Person, stop)
	v.Status = Stopped
	if len(v.Suspensions) > 0 {
		v.Status = Suspended
	}
	if stop < today {
		v.EverStoppedRetro = true
	}
	r.refreshState(&f, v)
	return Result{Version: v}
}

// checkSuspendedStop is R-STOP-SUSPENDED and R-MUT-ORDER for a suspended decision: the stop
// handles the refund-code or death suspension that comes first, and only at the date (or in
// the window) that suspension allows, whether that date is past or not. An overlap
// suspension is handled by reactivation, not by a stop.
func checkSuspendedStop(lv *Version, p *Person, stop Date) []Message {
	s := lv.FirstToHandle()
	if s == nil {
		return nil
	}
	if s.Reason == SuspendSSINOverlap {
		return []Message{NewMessage(CodeStopOverlap, Info{"decisionNumber", lv.Number},
			infoDate("suspensionDate", s.Date), Info{"suspensionReason", s.Reason})}
	}
	lo, hi, _ := retroStopWindow(lv, p)
	if stop < lo || stop > hi {
		code := CodeStopSuspDate // one date: the day before the suspension, or the start
		if s.Reason == SuspendDeath {
			code = CodeStopDeathDate // a window: death … death + 5
		}
		return []Message{NewMessage(code, infoDate("stopDate", stop), infoDate("minStopDate", lo),
			infoDate("maxStopDate", hi), infoDate("suspensionDate", s.Date), Info{"suspensionReason", s.Reason})}
	}
	return nil
}

// stillPending lists the suspensions a stop at stop leaves to handle: a refund-code suspension
// is settled when the decision now ends by the date it allows — the day before it, or the start
// when it is dated on or before the start (R-STOP-SUSPENDED's one-day decision) —, a death one
// when it ends by the death date + 5 (000 §3.11.4: "les autres mutations s'annuleront
// automatiquement"); overlaps stay for the reactivation.
func stillPending(lv *Version, p *Person, stop Date) []Suspension {
	var out []Suspension
	for _, s := range lv.Suspensions {
		switch s.Reason {
		case SuspendRefundCode:
			if stop <= max(s.Date.AddDays(-1), lv.Period.Start) {
				continue
			}
		case SuspendDeath:
			if stop <= deathOf(s, p).AddDays(DeathGraceDays) {
				continue
			}
		}
		out = append(out, s)
	}
	return out
}

// deathOf is the death date behind a death suspension: the registry's, else the day before
// the suspension.
func deathOf(s Suspension, p *Person) Date {
	if p != nil && p.DeathDate.Valid() {
		return p.DeathDate
	}
	return s.Date.AddDays(-1)
}

// retroStopWindow is R-STOP-SUSPENDED: the stop dates a stop of suspended lv may take, from
// the suspension R-MUT-ORDER puts first. Refund code: the day before the earliest pending
// refund-code suspension (several refund-code mutations: the first − 1, 000 §3.11.4.1.2), or
// the start when that is not after it (a one-day decision). Death: from the death date to the
// death date + 5, inside the validity. ok is false for an overlap suspension (no stop).
func retroStopWindow(lv *Version, p *Person) (lo, hi Date, ok bool) {
	s := lv.FirstToHandle()
	if lv.Status != Suspended || s == nil || !s.Date.Valid() {
		return NoDate, NoDate, false
	}
	switch s.Reason {
	case SuspendRefundCode:
		first := s.Date
		for _, x := range lv.Suspensions {
			if x.Reason == SuspendRefundCode && x.Date < first {
				first = x.Date
			}
		}
		day := min(max(first.AddDays(-1), lv.Period.Start), lv.Period.End)
		return day, day, true
	case SuspendDeath:
		death := deathOf(*s, p)
		switch last := death.AddDays(DeathGraceDays); {
		case last < lv.Period.Start: // died more than five days before the start: a one-day decision
			return lv.Period.Start, lv.Period.Start, true
		case death > lv.Period.End:
			return lv.Period.End, lv.Period.End, true
		default:
			return max(death, lv.Period.Start), min(last, lv.Period.End), true
		}
	}
	return NoDate, NoDate, false
}

// stoppedContent cuts a content at stop: covers ending later end at stop, covers
// starting later disappear.
func stoppedContent(c Content, stop Date) Content {
	c.Period.End = stop
	kept := c.Covers[:0]
	for _, cv := range c.Covers {
		if cv.Period.Start > stop {
			continue
		}
		if cv.Period.End > stop {
			cv.Period.End = stop
		}
		kept = append(kept, cv)
	}
	if len(kept) == 0 {
		kept = nil
	}
	c.Covers = kept
	return c
}
