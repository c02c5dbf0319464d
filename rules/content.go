package rules

// RetroDays is how far before the decision date a decision may start (R-RETRO-60): the
// State only pays care at most 60 days older than the CPAS decision.
const RetroDays = 60

// RegistrationDays is the deadline to register a decision after the council decided
// (000 §3.4, "maximum 8 jours"): MediPrima does not enforce it, the gateway only warns
// (rules.md §9).
const RegistrationDays = 8

// checkContent applies the content rules of a create or of a new version (rules.md §2)
// and returns every independent error at once, so a CPAS fixes a request in one round.
// prevStart is the start of the version being modified (NoDate on create): a new version is
// held to R-RETRO-60 only when it moves the start earlier (R-RETRO-INCREASE) — adapting a
// decision does not re-run the 60-day check (000 §3.9 "pas de nouveau contrôle du délai").
func checkContent(c *Content, prevStart Date) []Message {
	var msgs []Message
	if !c.DecisionDate.Valid() {
		msgs = append(msgs, NewMessage(CodeDateMissing, Info{"field", "decisionDate"}))
	}
	periodOK := checkPeriod(c.Period, &msgs)
	if periodOK {
		// R-MAX-12M: at most one year, i.e. end ≤ start + 1 year − 1 day.
		if maxEnd := c.Period.Start.AddYears(1).AddDays(-1); c.Period.End > maxEnd {
			msgs = append(msgs, NewMessage(CodePeriodTooLong, infoDate("startDate", c.Period.Start),
				infoDate("endDate", c.Period.End), infoDate("maxEndDate", maxEnd)))
		}
	}
	retroCheck := !prevStart.Valid() || (periodOK && c.Period.Start < prevStart)
	if periodOK && retroCheck && c.DecisionDate.Valid() && !c.JudicialDecision && !c.NoStateIntervention {
		if minStart := c.DecisionDate.AddDays(-RetroDays); c.Period.Start < minStart {
			msgs = append(msgs, retroMessage(NewMessage, c.DecisionDate, c.Period.Start))
		}
	}
	seen := make(map[CoverKind]bool, len(c.Covers))
	for i := range c.Covers {
		cv := &c.Covers[i]
		kind := Info{"coverKind", string(cv.Kind)}
		if seen[cv.Kind] {
			msgs = append(msgs, NewMessage(CodeCoverDuplicate, kind))
			continue
		}
		seen[cv.Kind] = true
		switch {
		case !cv.Period.Start.Valid():
			msgs = append(msgs, NewMessage(CodeDateMissing, Info{"field", "coverStartDate"}, kind))
		case !cv.Period.End.Valid():
			msgs = append(msgs, NewMessage(CodeDateMissing, Info{"field", "coverEndDate"}, kind))
		case cv.Period.Start > cv.Period.End:
			msgs = append(msgs, NewMessage(CodeCoverInverted, kind,
				infoDate("coverStart", cv.Period.Start), infoDate("coverEnd", cv.Period.End)))
		case periodOK && !c.Period.Covers(cv.Period):
			msgs = append(msgs, NewMessage(CodeCoverOutside, kind,
				infoDate("coverStart", cv.Period.Start), infoDate("coverEnd", cv.Period.End),
				infoDate("decisionStart", c.Period.Start), infoDate("decisionEnd", c.Period.End)))
		}
	}
	return msgs
}

// checkPeriod reports R-DATES errors of a requested period into msgs and whether the
// period is usable by the rules that compare dates.
func checkPeriod(p Period, msgs *[]Message) bool {
	ok := true
	if !p.Start.Valid() {
		*msgs = append(*msgs, NewMessage(CodeDateMissing, Info{"field", "startDate"}))
		ok = false
	}
	if !p.End.Valid() {
		*msgs = append(*msgs, NewMessage(CodeDateMissing, Info{"field", "endDate"}))
		ok = false
	}
	if ok && p.Start > p.End {
		*msgs = append(*msgs, NewMessage(CodePeriodInverted, infoDate("startDate", p.Start),
			infoDate("endDate", p.End)))
		ok = false
	}
	return ok
}

// retroMessage builds the R-RETRO-60 message as an error or (simulation) a warning.
func retroMessage(build func(string, ...Info) Message, decisionDate, start Date) Message {
	return build(CodeStartTooEarly, infoDate("decisionDate", decisionDate), infoDate("startDate", start),
		infoDate("minStartDate", decisionDate.AddDays(-RetroDays)))
}

// lateRegistration is R-DEADLINE-8 (rules.md §2, §9): a decision registered more than
// RegistrationDays after the council decision is accepted, with a WARNING that says how many
// days after; never an error (MediPrima leaves the deadline to the inspection).
func lateRegistration(c *Content, today Date) []Message {
	if !c.DecisionDate.Valid() || c.DecisionDate >= today.AddDays(-RegistrationDays) {
		return nil
	}
	return []Message{NewWarning(CodeLateRegister, infoDate("decisionDate", c.DecisionDate),
		infoDate("deadline", c.DecisionDate.AddDays(RegistrationDays)), infoDate("today", today),
		infoInt("daysAfterDecision", int(today-c.DecisionDate)))}
}

// checkGender applies R-GENDER to the registry record.
func checkGender(p *Person) []Message {
	if p.Gender == "" {
		return []Message{NewMessage(CodeGenderMissing)}
	}
	return nil
}

// cloneContent deep-copies c so a new version never shares mutable slices with an old one.
func cloneContent(c Content) Content {
	out := c
	if c.Covers != nil {
		out.Covers = make([]Cover, len(c.Covers))
		for i, cv := range c.Covers {
			out.Covers[i] = cloneCover(cv)
		}
	}
	return out
}

func cloneCover(cv Cover) Cover {
	out := cv
	out.Support.Convention = cloneBool(cv.Support.Convention)
	out.Support.Prescription = cloneBool(cv.Support.Prescription)
	out.MaxPatientPart = cloneInt(cv.MaxPatientPart)
	out.MaxSupplement = cloneInt(cv.MaxSupplement)
	out.SupplementTypes = append([]string(nil), cv.SupplementTypes...)
	out.Providers = append([]string(nil), cv.Providers...)
	return out
}

func cloneBool(p *bool) *bool {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

func cloneInt(p *int64) *int64 {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}
