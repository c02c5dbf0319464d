package rules

import "time"

// Create checks a createCarmed request and returns version 1 of a new decision (the
// store assigns the number). Identity errors stop at once; content, overlap, registry and
// cover errors are reported together. A late registration rides along as a warning.
func (r *Rules) Create(cmd CreateCmd, f Facts, today Date, now time.Time) Result {
	if !ValidSSIN(cmd.SSIN) {
		return reject(MsgSSINInvalid())
	}
	if f.Person == nil {
		return reject(NewMessage(CodePersonUnknown))
	}
	// R-MUT-SSIN: a replaced SSIN (BIS → national number, merge) takes no new decision.
	if f.Person.ReplacedBy != "" {
		return reject(NewMessage(CodePersonReplaced, Info{"newSsin", f.Person.ReplacedBy}))
	}
	// R-ONE-PERSON: the decision is for the one person the request names.
	if f.Person.SSIN != cmd.SSIN {
		return reject(NewMessage(CodePersonMismatch))
	}
	c := &cmd.Content
	msgs := checkGender(f.Person)
	msgs = append(msgs, checkContent(c, NoDate)...)
	state, sm := r.decide(&f, cmd.Caller, c, nil, "", today)
	msgs = append(msgs, sm...)
	if hasError(msgs) {
		return Result{Messages: msgs}
	}
	msgs = append(msgs, lateRegistration(c, today)...)
	v := &Version{
		Version:     1,
		Manager:     cmd.Caller,
		Beneficiary: f.Person.Beneficiary(),
		Content:     cloneContent(cmd.Content),
		State:       *state,
		Status:      Active,
		Cause:       CauseCreate,
		Author:      cmd.Caller,
		Created:     now,
		WrittenOn:   today,
	}
	return Result{Version: v, Messages: msgs}
}

// decide applies the rules a create and a new version share once the period is usable:
// R-OVERLAP, the registry rules with the State part (R-STATE-PART, R-FEDASIL,
// R-STATUS-CHANGE, R-DEATH-5) and the cover rules. prev is the version being modified (nil on
// create) and exclude its decision number. The State part is nil when it could not be computed.
func (r *Rules) decide(f *Facts, caller string, c *Content, prev *Content, exclude string, today Date) (*StatePart, []Message) {
	if !usablePeriod(c.Period) {
		return nil, checkCovers(c, prev, nil, today)
	}
	msgs := checkOverlap(f, caller, c.Period, exclude, nil)
	state, sm := r.table.registryState(f.Person, c, callerINS(f, caller))
	msgs = append(msgs, sm...)
	msgs = append(msgs, checkCovers(c, prev, state, today)...)
	return state, msgs
}

// usablePeriod reports a period whose dates the overlap and State rules can compare.
func usablePeriod(p Period) bool { return p.Start.Valid() && p.End.Valid() && p.Start <= p.End }
