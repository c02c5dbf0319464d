package rules

// Simulate returns the State part a decision with this input would get (R-SIMULATE),
// computed exactly as at create (R-STATE-PART). Nothing is stored and the answer depends
// only on the input and the facts. A start more than 60 days before the decision date is
// reported as a warning: the simulation still answers, but the create would be refused; so
// are a situation change, a Fedasil stay or a death inside the period.
func (r *Rules) Simulate(cmd SimulateCmd, f Facts, today Date) SimulateResult {
	if !ValidSSIN(cmd.SSIN) {
		return SimulateResult{Messages: []Message{MsgSSINInvalid()}}
	}
	if f.Person == nil {
		return SimulateResult{Messages: []Message{NewMessage(CodePersonUnknown)}}
	}
	if f.Person.ReplacedBy != "" {
		return SimulateResult{Messages: []Message{NewMessage(CodePersonReplaced, Info{"newSsin", f.Person.ReplacedBy})}}
	}
	p := cmd.Period
	if p.Start.Valid() && !p.End.Valid() {
		p.End = p.Start // a single day is enough to read the situation
	}
	var msgs []Message
	if !checkPeriod(p, &msgs) {
		return SimulateResult{Messages: msgs}
	}
	state, sm := r.table.statePart(f.Person, p.Start, cmd.IncomeAboveRI, cmd.NoStateIntervention,
		callerINS(&f, cmd.Caller))
	if hasError(sm) {
		return SimulateResult{Messages: sm}
	}
	if cmd.DecisionDate.Valid() && !cmd.JudicialDecision && !cmd.NoStateIntervention &&
		p.Start < cmd.DecisionDate.AddDays(-RetroDays) {
		msgs = append(msgs, retroMessage(NewWarning, cmd.DecisionDate, p.Start))
	}
	// What the create would refuse over the rest of the period rides along as warnings: the
	// simulation still gives the State part of the start (R-STATUS-CHANGE, R-FEDASIL, R-DEATH-5).
	sit, _ := f.Person.SituationOn(p.Start)
	ins := callerINS(&f, cmd.Caller)
	if start, ok := r.table.Lookup(sit.Kind, cmd.IncomeAboveRI, residesInside(sit, ins)); ok {
		msgs = append(msgs, r.table.periodChanges(f.Person, p, start, cmd.IncomeAboveRI, ins, NewWarning)...)
	}
	msgs = append(msgs, checkDeath(f.Person, p, NewWarning)...)
	return SimulateResult{State: state, Messages: msgs}
}
