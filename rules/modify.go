package rules

import (
	"strings"
	"time"
)

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
		return reject(NewMessage(CodeNoRevival, number, Info{"status", string(lv.Status)},
			infoDate("decisionEnd", lv.Period.End)))
	case Suspended:
		return reject(suspensionMessage(lv, f.Person, today))
	}
	c := &cmd.Content
	later := c.Period.End.Valid() && c.Period.End > lv.Period.End
	// R-EXPIRED-EXTEND: a decision stopped retroactively never gets a later end again.
	if lv.EverStoppedRetro && later {
		return reject(NewMessage(CodeRetroStopped, number, infoDate("decisionEnd", lv.Period.End),
			infoDate("requestedEnd", c.Period.End)))
	}
	// R-NO-REVIVAL: a stopped decision never comes back into force; its covers may still be
	// added or extended inside its validity. A decision that reached its end without a stop
	// (expired, still ACTIVE) is not stopped: it is prolonged by this new version, as the
	// manual's 000 §3.5 procedure prescribes (R-EXPIRED-EXTEND); the content rules below
	// (R-NO-PAST-REDUCTION for a start moved later, R-MAX-12M, R-COVER-92) still apply.
	if lv.Status == Stopped && later {
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

// activate returns a suspended decision to the status it had before its suspension, without
// changing its content (R-REACTIVATE). It handles the SSIN-overlap suspensions, all at once
// (000 §3.11.4.1.1); refund-code and death ones must be stopped first (R-MUT-ORDER). The
// request may carry a new validity period — the only thing a reactivation may change: the
// first decision reactivated after an overlap may only keep or prolong it; later ones may
// shorten it to remove the overlap, but no day that was covered may become uncovered.
func (r *Rules) activate(cmd ModifyCmd, f *Facts, d *Decision, today Date, now time.Time) Result {
	lv := d.Latest()
	number := Info{"decisionNumber", d.Number()}
	if lv.Status != Suspended {
		return reject(NewMessage(CodeNotSuspended, number, Info{"status", string(lv.Status)}))
	}
	if s := lv.FirstToHandle(); s != nil && s.Reason != SuspendSSINOverlap {
		// R-MUT-ORDER: a refund-code or death suspension is handled by a stop. With an overlap
		// suspension pending too, the message says the order; alone, what the cause allows.
		if !pendingOverlap(lv) {
			return reject(suspensionMessage(lv, f.Person, today))
		}
		info := []Info{number, infoDate("suspensionDate", s.Date), Info{"suspensionReason", s.Reason}}
		if lo, hi, ok := retroStopWindow(lv, f.Person); ok {
			info = append(info, infoDate("minStopDate", lo), infoDate("maxStopDate", hi))
		}
		return reject(NewMessage(CodeActivateOrder, info...))
	}
	p := lv.Period
	if cmd.Period != nil {
		p = *cmd.Period
		var msgs []Message
		if !checkPeriod(p, &msgs) {
			return reject(msgs...)
		}
	}
	stillSuspended := func(v *Version) bool { return v.Status == Suspended }
	if msgs := checkOverlap(f, cmd.Caller, p, d.Number(), stillSuspended); hasError(msgs) {
		return reject(msgs...)
	}
	if firstReactivated(f, d) {
		if p.Start > lv.Period.Start || p.End < lv.Period.End {
			return reject(NewMessage(CodeReactShorten, number, infoDate("decisionStart", lv.Period.Start),
				infoDate("decisionEnd", lv.Period.End)))
		}
	} else if day, ok := uncoveredDay(f, d, lv.Period, p); ok {
		return reject(NewMessage(CodeReactGap, number, infoDate("uncoveredDay", day)))
	}
	if f.Person != nil {
		if msgs := checkDeath(f.Person, p, NewMessage); p.End > lv.Period.End && hasError(msgs) {
			return reject(msgs...)
		}
	}
	v := nextVersion(d, cmd.Caller, CauseActivate, today, now)
	v.Content = periodContent(v.Content, p)
	v.Status = statusBeforeSuspension(d)
	v.Suspensions = nil
	r.refreshState(f, v)
	return Result{Version: v}
}

// firstReactivated reports whether d is the first of its overlap to be reactivated: no other
// decision overlapping it has left its overlap suspension yet.
func firstReactivated(f *Facts, d *Decision) bool {
	p := d.Latest().Period
	for i := range f.Decisions {
		o := &f.Decisions[i]
		if len(o.Versions) == 0 || o.Number() == d.Number() {
			continue
		}
		if ov := o.Latest(); holdsPeriod(ov) && ov.Status != Suspended && ov.Period.Overlaps(p) && wasOverlapSuspended(o) {
			return false
		}
	}
	return true
}

// wasOverlapSuspended reports whether some version of d was suspended for an SSIN overlap.
func wasOverlapSuspended(d *Decision) bool {
	for i := range d.Versions {
		for _, s := range d.Versions[i].Suspensions {
			if s.Reason == SuspendSSINOverlap {
				return true
			}
		}
	}
	return false
}

// uncoveredDay finds a day of old that neither p nor another non-suspended decision of the
// person covers (R-REACTIVATE: "il ne pourra pas y avoir de période non couverte").
func uncoveredDay(f *Facts, d *Decision, old, p Period) (Date, bool) {
	for day := old.Start; day <= old.End; day++ {
		if p.Contains(day) {
			continue
		}
		covered := false
		for i := range f.Decisions {
			o := &f.Decisions[i]
			if len(o.Versions) == 0 || o.Number() == d.Number() {
				continue
			}
			if ov := o.Latest(); holdsPeriod(ov) && ov.Status != Suspended && ov.Period.Contains(day) {
				covered = true
				break
			}
		}
		if !covered {
			return day, true
		}
	}
	return NoDate, false
}

// periodContent sets a new validity: covers are cut to it, never lengthened (a reactivation
// does not change content; the CPAS extends covers by a later modify).
func periodContent(c Content, p Period) Content {
	c.Period = p
	kept := c.Covers[:0]
	for _, cv := range c.Covers {
		if cv.Period.Start > p.End || cv.Period.End < p.Start {
			continue
		}
		cv.Period.Start = max(cv.Period.Start, p.Start)
		cv.Period.End = min(cv.Period.End, p.End)
		kept = append(kept, cv)
	}
	if len(kept) == 0 {
		kept = nil
	}
	c.Covers = kept
	return c
}

// statusBeforeSuspension is the status d goes back to when its last suspension is handled:
// STOPPED when it was stopped before or during the suspension, ACTIVE otherwise.
func statusBeforeSuspension(d *Decision) Status {
	for i := len(d.Versions) - 1; i >= 0; i-- {
		v := &d.Versions[i]
		if v.Cause == CauseStop || v.Status == Stopped {
			return Stopped
		}
		if v.Status != Suspended {
			return Active
		}
	}
	return Active
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

// pendingOverlap reports whether v still has an SSIN-overlap suspension to handle.
func pendingOverlap(v *Version) bool {
	for _, s := range v.Suspensions {
		if s.Reason == SuspendSSINOverlap {
			return true
		}
	}
	return false
}

// suspensionMessage answers a modify (R-SUSPENDED-FROZEN) or a reactivation the suspension does
// not allow (R-MUT-ORDER) with what suspended lv allows next, for the cause of the suspension to
// handle first: the actions (the ones a notice lists, R-NOTICE) and the dates they need — the
// stop dates for a refund-code or death suspension, the current validity for an overlap one.
func suspensionMessage(lv *Version, p *Person, today Date) Message {
	number := Info{"decisionNumber", lv.Number}
	s := lv.FirstToHandle()
	if s == nil { // a suspended version always records its suspension; kept for old records
		return NewMessage(CodeSuspendedFrozen, number)
	}
	acts := nextActions(lv, p, today)
	names := make([]string, len(acts))
	for i, a := range acts {
		names[i] = a.Action
	}
	next := Info{"nextActions", strings.Join(names, " ")}
	since := infoDate("suspensionDate", s.Date)
	switch s.Reason {
	case SuspendSSINOverlap:
		return NewMessage(CodeSuspOverlap, number, since, next,
			infoDate("decisionStart", lv.Period.Start), infoDate("decisionEnd", lv.Period.End))
	case SuspendDeath, SuspendRefundCode:
		code := CodeSuspRefund
		if s.Reason == SuspendDeath {
			code = CodeSuspDeath
		}
		lo, hi, _ := retroStopWindow(lv, p)
		return NewMessage(code, number, since, infoDate("minStopDate", lo), infoDate("maxStopDate", hi), next)
	}
	return NewMessage(CodeSuspendedFrozen, number, since, Info{"suspensionReason", s.Reason})
}
