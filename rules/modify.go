package rules

import "time"

// Modify writes a new version of a decision (action MODIFY) or reactivates a suspended one
// (action ACTIVATE). R-MANAGER and R-VERSIONING come first; then the life-cycle gates
// (R-NO-REVIVAL, R-SUSPENDED-FROZEN, R-EXPIRED-EXTEND, R-ONE-PERSON); then the content rules
// of a create and the comparison with the version modified (R-NO-PAST-REDUCTION,
// R-PROVIDER-LIST, R-COVER-CONTIGUOUS), all reported at once.
func (r *Rules) Modify(cmd ModifyCmd, f Facts, today Date, now time.Time) Result {
	d, msgs := target(&f, cmd.Caller, cmd.Number, cmd.BaseVersion)
	if d == nil {
		return reject(msgs...)
	}
	switch cmd.Action {
	case ActionActivate:
		return r.activate(cmd, &f, d, today, now)
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
	later := c.Period.End.Valid() && c.Period.End > lv.Period.End
	// R-EXPIRED-EXTEND: a decision stopped retroactively never gets a later end again.
	if lv.EverStoppedRetro && later {
		return reject(NewMessage(CodeRetroStopped, number, infoDate("decisionEnd", lv.Period.End),
			infoDate("requestedEnd", c.Period.End)))
	}
	// R-NO-REVIVAL: a stopped or expired decision never comes back into force. Its covers may
	// still be added or extended inside its validity (R-EXPIRED-EXTEND).
	if ended := lv.Status == Stopped || lv.Period.End < today; ended && later {
		return reject(NewMessage(CodeNoRevival, number, Info{"status", string(lv.Status)},
			infoDate("decisionEnd", lv.Period.End)))
	}
	if f.Person == nil {
		return reject(NewMessage(CodePersonUnknown))
	}
	// R-ONE-PERSON: a version is for the decision's own beneficiary.
	if f.Person.SSIN != lv.Beneficiary.SSIN {
		return reject(NewMessage(CodePersonMismatch, number))
	}
	msgs = checkGender(f.Person)
	msgs = append(msgs, checkContent(c, lv.Period.Start)...)
	state, sm := r.decide(&f, cmd.Caller, c, &lv.Content, d.Number(), today)
	msgs = append(msgs, sm...)
	msgs = append(msgs, pastReductions(&lv.Content, c, today)...)
	if hasError(msgs) {
		return Result{Messages: msgs}
	}
	v := nextVersion(d, cmd.Caller, CauseModify, today, now)
	v.Content = cloneContent(cmd.Content)
	v.Beneficiary = f.Person.Beneficiary()
	if state != nil {
		v.State = *state // R-STATE-PART: recomputed at every modify
	}
	v.Status = lv.Status
	v.Suspensions = nil
	return Result{Version: v, Messages: msgs}
}

// activate returns a suspended decision to ACTIVE without changing its content. Other
// decisions still suspended do not block it: the first decision reactivated after an
// overlap keeps its period (R-REACTIVATE); active ones do.
func (r *Rules) activate(cmd ModifyCmd, f *Facts, d *Decision, today Date, now time.Time) Result {
	lv := d.Latest()
	if lv.Status != Suspended {
		return reject(NewMessage(CodeNotSuspended, Info{"decisionNumber", d.Number()},
			Info{"status", string(lv.Status)}))
	}
	stillSuspended := func(v *Version) bool { return v.Status == Suspended }
	if msgs := checkOverlap(f, cmd.Caller, lv.Period, d.Number(), stillSuspended); hasError(msgs) {
		return reject(msgs...)
	}
	v := nextVersion(d, cmd.Caller, CauseActivate, today, now)
	v.Status = Active
	v.Suspensions = nil
	r.refreshState(f, v)
	return Result{Version: v}
}

// refreshState recomputes the State part of a version written by stop or reactivation from
// the registry (R-STATE-PART: "recalculé" at every version). Those actions must stay possible
// whatever the registry says now, so the previous State part is kept when none can be computed.
func (r *Rules) refreshState(f *Facts, v *Version) {
	if f.Person == nil || f.Person.SSIN != v.Beneficiary.SSIN || !usablePeriod(v.Period) {
		return
	}
	if st, msgs := r.table.statePart(f.Person, v.Period.Start, v.IncomeAboveRI, v.NoStateIntervention,
		callerINS(f, v.Manager)); !hasError(msgs) {
		v.State = st
	}
}

func suspendedFrozen(d *Decision) Message {
	info := []Info{{"decisionNumber", d.Number()}}
	if s := d.Latest().FirstToHandle(); s != nil {
		info = append(info, infoDate("suspensionDate", s.Date), Info{"suspensionReason", s.Reason})
	}
	return NewMessage(CodeSuspendedFrozen, info...)
}
