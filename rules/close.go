package rules

import "time"

// Close cancels a decision lying wholly in the future (R-CLOSE): active or suspended, with
// start > today. The closed version keeps its content for the manager's records but gives
// no rights and blocks nothing.
func (r *Rules) Close(cmd CloseCmd, f Facts, today Date, now time.Time) Result {
	d, msgs := target(&f, cmd.Caller, cmd.Number, cmd.BaseVersion)
	if d == nil {
		return reject(msgs...)
	}
	lv := d.Latest()
	if lv.Status != Active && lv.Status != Suspended {
		return reject(NewMessage(CodeCloseStatus, Info{"decisionNumber", d.Number()},
			Info{"status", string(lv.Status)}))
	}
	if lv.Period.Start <= today {
		return reject(NewMessage(CodeCloseStarted, Info{"decisionNumber", d.Number()},
			infoDate("decisionStart", lv.Period.Start), infoDate("today", today)))
	}
	v := nextVersion(d, cmd.Caller, CauseClose, today, now)
	v.Status = Closed
	v.Suspensions = nil
	return Result{Version: v}
}
