package rules

import "time"

// Modify writes a new version of a decision (action MODIFY) or reactivates a suspended one
// (action ACTIVATE). R-MANAGER and R-VERSIONING come first; then the life-cycle gates
// (R-NO-REVIVAL, R-SUSPENDED-FROZEN); then the content rules of a create, all reported at once.
func (r *Rules) Modify(cmd ModifyCmd, f Facts, today Date, now time.Time) Result {
	d, msgs := target(&f, cmd.Caller, cmd.Number, cmd.BaseVersion)
	if d == nil {
		return reject(msgs...)
	}
	switch cmd.Action {
	case ActionActivate:
		return activate(cmd, &f, d, now)
	case ActionModify, "":
	default:
		return reject(NewMessage(CodeActionInvalid, Info{"action", clip(string(cmd.Action), 32)}))
	}
	lv := d.Latest()
	number := Info{"decisionNumber", d.Number()}
	switch lv.Status {
	case Closed:
		return reject(NewMessage(CodeNoRevival, number, Info{"status", string(lv.Status)}))
	case Suspended:
		return reject(suspendedFrozen(d))
	}
	c := &cmd.Content
	// R-NO-REVIVAL: a stopped or expired decision keeps its end date. Its covers may still
	// change inside the validity (room for R-EXPIRED-EXTEND), but it never comes back into force.
	if ended := lv.Status == Stopped || lv.Period.End < today; ended && c.Period.End.Valid() && c.Period.End != lv.Period.End {
		return reject(NewMessage(CodeNoRevival, number, Info{"status", string(lv.Status)},
			infoDate("decisionEnd", lv.Period.End)))
	}
	if f.Person == nil {
		return reject(NewMessage(CodePersonUnknown))
	}
	msgs = checkGender(f.Person)
	msgs = append(msgs, checkContent(c)...)
	var state StatePart
	if usablePeriod(c.Period) {
		msgs = append(msgs, checkOverlap(&f, cmd.Caller, c.Period, d.Number(), nil)...)
		var sm []Message
		state, sm = r.table.statePart(f.Person, c.Period.Start, c.IncomeAboveRI, c.NoStateIntervention,
			callerINS(&f, cmd.Caller))
		msgs = append(msgs, sm...)
	}
	if hasError(msgs) {
		return Result{Messages: msgs}
	}
	v := nextVersion(d, cmd.Caller, CauseModify, now)
	v.Content = cloneContent(cmd.Content)
	v.Beneficiary = f.Person.Beneficiary()
	v.State = state // R-STATE-PART: recomputed at every modify
	v.Status = lv.Status
	v.Suspension = nil
	return Result{Version: v, Messages: msgs}
}

// activate returns a suspended decision to ACTIVE without changing its content. Other
// decisions still suspended do not block it: the first decision reactivated after an
// overlap keeps its period (R-REACTIVATE); active ones do.
func activate(cmd ModifyCmd, f *Facts, d *Decision, now time.Time) Result {
	lv := d.Latest()
	if lv.Status != Suspended {
		return reject(NewMessage(CodeNotSuspended, Info{"decisionNumber", d.Number()},
			Info{"status", string(lv.Status)}))
	}
	stillSuspended := func(v *Version) bool { return v.Status == Suspended }
	if msgs := checkOverlap(f, cmd.Caller, lv.Period, d.Number(), stillSuspended); hasError(msgs) {
		return reject(msgs...)
	}
	v := nextVersion(d, cmd.Caller, CauseActivate, now)
	v.Status = Active
	v.Suspension = nil
	return Result{Version: v}
}

func suspendedFrozen(d *Decision) Message {
	info := []Info{{"decisionNumber", d.Number()}}
	if s := d.Latest().Suspension; s != nil {
		info = append(info, infoDate("suspensionDate", s.Date), Info{"suspensionReason", s.Reason})
	}
	return NewMessage(CodeSuspendedFrozen, info...)
}
