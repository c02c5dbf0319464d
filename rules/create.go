package rules

import "time"

// Create checks a createCarmed request and returns version 1 of a new decision (the
// store assigns the number). Identity errors stop at once; content, overlap and State-part
// errors are reported together.
func (r *Rules) Create(cmd CreateCmd, f Facts, today Date, now time.Time) Result {
	if !ValidSSIN(cmd.SSIN) {
		return reject(MsgSSINInvalid())
	}
	if f.Person == nil {
		return reject(NewMessage(CodePersonUnknown))
	}
	c := &cmd.Content
	msgs := checkGender(f.Person)
	msgs = append(msgs, checkContent(c)...)
	var state StatePart
	if usablePeriod(c.Period) {
		msgs = append(msgs, checkOverlap(&f, cmd.Caller, c.Period, "", nil)...)
		var sm []Message
		state, sm = r.table.statePart(f.Person, c.Period.Start, c.IncomeAboveRI, c.NoStateIntervention,
			callerINS(&f, cmd.Caller))
		msgs = append(msgs, sm...)
	}
	if hasError(msgs) {
		return Result{Messages: msgs}
	}
	v := &Version{
		Version:     1,
		Manager:     cmd.Caller,
		Beneficiary: f.Person.Beneficiary(),
		Content:     cloneContent(cmd.Content),
		State:       state,
		Status:      Active,
		Cause:       CauseCreate,
		Author:      cmd.Caller,
		Created:     now,
	}
	return Result{Version: v, Messages: msgs}
}

// usablePeriod reports a period whose dates the overlap and State rules can compare.
func usablePeriod(p Period) bool { return p.Start.Valid() && p.End.Valid() && p.Start <= p.End }
