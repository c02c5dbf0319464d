package rules

import "sort"

// Provider consultation limits (R-CONSULT-PROVIDER).
const (
	MaxProviderPeriodDays = 30 // a consulted period spans at most 30 days, both ends included
	MaxProviderResults    = 24 // at most 24 decisions per answer
)

// ProviderConsultCmd is an eHealth ConsultCarmedIntervention: SSIN + reference date (a one-day
// period, ByDate) or SSIN + period, asked by a provider identified by its certificate.
type ProviderConsultCmd struct {
	Provider     string // NIHII or CBE of the provider
	ProviderKind string
	SSIN         string
	Period       Period
	ByDate       bool
}

// ProviderView is one version of a decision as a provider sees it: a version in force on some
// day of the consulted period (R-CONSULT-PROVIDER), Governs being those days (the days of the
// period it governs, inside its validity); its content only when Full, restricted to the covers
// the provider may use (R-PROVIDERS); and whether an agreement number (payment commitment) is
// due (R-AGREEMENT: only on the version that governs today).
type ProviderView struct {
	Version   Version
	Manager   CPAS
	Full      bool
	Covers    []Cover
	Agreement bool
	// AttestationNumber is, on a full view of an AMU-flagged decision, the number of an urgent
	// medical aid attestation valid on the consulted date or period start (R-UMA-NUMBER).
	AttestationNumber string
	Governs           Period
}

// ProviderResult is the answer: views (empty = no data) or rejection messages.
type ProviderResult struct {
	Views    []ProviderView
	Messages []Message
}

// ConsultProvider implements R-CONSULT-PROVIDER (every version in force on some day of the
// period, each with the days it governs, newest first, at most 24), R-PROVIDERS,
// R-SUSPENDED-VIEW, R-RESTRICTION-NEXT-DAY (a restriction made today governs no day before
// tomorrow), R-AGREEMENT (on the version that governs today, when today is in the period) and
// R-UMA-NUMBER.
func (r *Rules) ConsultProvider(cmd ProviderConsultCmd, f Facts, today Date) ProviderResult {
	if !ValidSSIN(cmd.SSIN) {
		return ProviderResult{Messages: []Message{MsgSSINInvalid()}}
	}
	p := cmd.Period
	if p.Start > p.End {
		return ProviderResult{Messages: []Message{NewMessage(CodePeriodInverted,
			Info{"startDate", p.Start.String()}, Info{"endDate", p.End.String()})}}
	}
	if p.Days() > MaxProviderPeriodDays {
		return ProviderResult{Messages: []Message{NewMessage(CodeProviderPeriod,
			infoInt("maxDays", MaxProviderPeriodDays), Info{"startDate", p.Start.String()}, Info{"endDate", p.End.String()})}}
	}
	var views []ProviderView
	for i := range f.Decisions {
		d := &f.Decisions[i]
		if len(d.Versions) == 0 {
			continue
		}
		for _, g := range governedDays(d, p, today) {
			views = append(views, providerView(cmd, f, g.v, g.days, p.Contains(today) && g.v == d.GoverningVersion(today, today)))
		}
	}
	// newest first: the version governing the latest days, then the later decision
	sort.SliceStable(views, func(i, j int) bool {
		a, b := &views[i], &views[j]
		switch {
		case a.Governs.Start != b.Governs.Start:
			return a.Governs.Start > b.Governs.Start
		case a.Version.Number != b.Version.Number:
			return a.Version.Number > b.Version.Number
		}
		return a.Version.Version > b.Version.Version
	})
	if len(views) > MaxProviderResults {
		views = views[:MaxProviderResults]
	}
	return ProviderResult{Views: views}
}

// governed is one version and the days of a consulted period it governs.
type governed struct {
	v    *Version
	days Period
}

// governedDays lists, oldest first, the versions of d in force on some day of p: the version
// governing each day (GoverningVersion) when the day lies in that version's validity and the
// version is not closed. A version governs one run of days: versions take over in order.
func governedDays(d *Decision, p Period, today Date) []governed {
	var out []governed
	for day := p.Start; day <= p.End; day++ {
		v := d.GoverningVersion(day, today)
		if v.Status == Closed || !v.Period.Contains(day) {
			continue
		}
		if n := len(out); n > 0 && out[n-1].v == v {
			out[n-1].days.End = day
			continue
		}
		out = append(out, governed{v: v, days: Period{Start: day, End: day}})
	}
	return out
}

// providerView is version v as the provider sees it, governing days of the consulted period;
// agreementDay says v governs today and today is in the period (R-AGREEMENT).
func providerView(cmd ProviderConsultCmd, f Facts, v *Version, days Period, agreementDay bool) ProviderView {
	pv := ProviderView{Version: *v, Governs: days}
	if f.CPAS != nil {
		pv.Manager, _ = f.CPAS(v.Manager)
	}
	if pv.Manager.CBE == "" {
		pv.Manager.CBE = v.Manager
	}
	var inPeriod bool
	for _, c := range v.Covers {
		if c.AllowsProvider(cmd.Provider) {
			pv.Covers = append(pv.Covers, c)
			inPeriod = inPeriod || c.Period.Overlaps(cmd.Period)
		}
	}
	// suspended, principle or not designated: the manager's identification only
	pv.Full = v.Status != Suspended && !v.IsPrinciple() && len(pv.Covers) > 0
	if !pv.Full {
		pv.Covers = nil
		pv.Version.Content = Content{Period: v.Period}
		pv.Version.State = StatePart{}
	}
	pv.Agreement = pv.Full && agreementDay && inPeriod && (v.Status == Active || v.Status == Stopped)
	if pv.Full {
		pv.AttestationNumber = AttestationNumber(v, f.Attestations, cmd.Period.Start)
	}
	return pv
}
