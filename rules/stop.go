package rules

import "time"

// Stop ends a decision at a stop date (R-STOP): the stop date is today or later and lies
// inside the validity; the decision end and every cover end beyond it become the stop date,
// covers starting after it are removed, and the status becomes STOPPED. A retroactive stop
// is never allowed here (the mutation-driven exception is R-STOP-SUSPENDED, a later rule).
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
		return reject(NewMessage(CodeStopRetro, infoDate("stopDate", stop), infoDate("today", today)))
	}
	v := nextVersion(d, cmd.Caller, CauseStop, now)
	v.Content = stoppedContent(v.Content, stop)
	v.Status = Stopped
	v.Suspension = nil
	return Result{Version: v}
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
