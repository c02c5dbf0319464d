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
// covers starting after it are removed, and the status becomes STOPPED. A retroactive stop is
// allowed only for a decision suspended by a refund-code or death mutation, at the one date
// R-STOP-SUSPENDED gives; the decision can then never get a later end (R-EXPIRED-EXTEND).
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
	case stop < today:
		if lo, hi, ok := retroStopWindow(lv, f.Person); ok {
			if stop < lo || stop > hi {
				return reject(NewMessage(CodeStopSuspDate, infoDate("stopDate", stop), infoDate("minStopDate", lo),
					infoDate("maxStopDate", hi), infoDate("suspensionDate", lv.FirstToHandle().Date),
					Info{"suspensionReason", lv.FirstToHandle().Reason}))
			}
			break
		}
		return reject(NewMessage(CodeStopRetro, infoDate("stopDate", stop), infoDate("today", today)))
	}
	v := nextVersion(d, cmd.Caller, CauseStop, today, now)
	v.Content = stoppedContent(v.Content, stop)
	v.Status = Stopped
	v.Suspensions = nil
	if stop < today {
		v.EverStoppedRetro = true
	}
	r.refreshState(&f, v)
	return Result{Version: v}
}

// retroStopWindow is R-STOP-SUSPENDED: the stop dates a retroactive stop of lv may take, when
// lv is suspended by a refund-code or death mutation. Refund code: the day before the
// suspension, or the start when the suspension is not after it (a one-day decision). Death:
// from the death date to the death date + 5, inside the validity. Several pending suspensions
// (R-MUT-ORDER) are the mutation issue's; here the version's suspension is the first one.
func retroStopWindow(lv *Version, p *Person) (lo, hi Date, ok bool) {
	s := lv.FirstToHandle()
	if lv.Status != Suspended || s == nil || !s.Date.Valid() {
		return NoDate, NoDate, false
	}
	switch s.Reason {
	case SuspendRefundCode:
		day := max(s.Date.AddDays(-1), lv.Period.Start)
		return day, day, true
	case SuspendDeath:
		death := s.Date
		if p != nil && p.DeathDate.Valid() {
			death = p.DeathDate
		}
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
