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

// ProviderView is one decision as a provider sees it: the version public today (R-RESTRICTION-NEXT-DAY),
// its content only when Full, restricted to the covers the provider may use (R-PROVIDERS), and
// whether an agreement number (payment commitment) is due (R-AGREEMENT).
type ProviderView struct {
	Version   Version
	Manager   CPAS
	Full      bool
	Covers    []Cover
	Agreement bool
	// AttestationNumber is, on a full view of an AMU-flagged decision, the number of an urgent
	// medical aid attestation valid on the consulted date or period start (R-UMA-NUMBER).
	AttestationNumber string
}

// ProviderResult is the answer: views (empty = no data) or rejection messages.
type ProviderResult struct {
	Views    []ProviderView
	Messages []Message
}

// ConsultProvider implements R-CONSULT-PROVIDER, R-PROVIDERS, R-SUSPENDED-VIEW, R-RESTRICTION-NEXT-DAY
// (providers see a restriction from the next day), R-AGREEMENT and R-UMA-NUMBER.
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
	todayInPeriod := p.Contains(today)
	var views []ProviderView
	for i := range f.Decisions {
		v := f.Decisions[i].PublicVersion(today)
		if v.Status == Closed || !v.Period.Overlaps(p) {
			continue
		}
		pv := ProviderView{Version: *v}
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
				inPeriod = inPeriod || c.Period.Overlaps(p)
			}
		}
		// suspended, principle or not designated: the manager's identification only
		pv.Full = v.Status != Suspended && !v.IsPrinciple() && len(pv.Covers) > 0
		if !pv.Full {
			pv.Covers = nil
			pv.Version.Content = Content{Period: v.Period}
			pv.Version.State = StatePart{}
		}
		pv.Agreement = pv.Full && todayInPeriod && inPeriod && (v.Status == Active || v.Status == Stopped)
		if pv.Full {
			pv.AttestationNumber = AttestationNumber(v, f.Attestations, p.Start)
		}
		views = append(views, pv)
	}
	sort.SliceStable(views, func(i, j int) bool { return views[i].Version.Period.Start < views[j].Version.Period.Start })
	if len(views) > MaxProviderResults {
		views = views[:MaxProviderResults]
	}
	return ProviderResult{Views: views}
}
