package rules

// Dates of the GP billing routes (R-GP-ROUTE; 001 §2 and §3, 003), compared as the rule says:
// the care date and the decision date for the old regime, the business date (the day the GP
// tarifies or invoices) for the transition and the derogations.
var (
	GPMediPrimaFrom       = MustDate("2025-09-01") // decisions for GP care are registered in MediPrima
	GPTransitionLastDay   = MustDate("2025-10-31") // the old route to the CPAS stays open until then
	FamilyPlanningLastDay = MustDate("2026-01-14") // 003: the derogation runs "jusqu'au 15 janvier 2026"
	GPAgeReferenceDay     = MustDate("2023-01-01") // the age exception is the age on that day
)

// GPAgeYears is the age exception of R-GP-ROUTE: 67 or more on 2023-01-01.
const GPAgeYears = 67

// gpRoute is R-GP-ROUTE for a GP's line (nil for other providers and care types): where the
// care is billed. It refuses an exception the GP cannot invoke: the age exception against the
// provider record's birth date, the family-planning derogation after 2026-01-14, and any
// exception on the line of a provider that is not a GP.
//
// Order (001 §3): care before 2025-09-01, or under a decision taken before it and kept → the
// CPAS as before (MediPrima allowed); billed up to 2025-10-31 → either route; from 2025-11-01
// → MediPrima, unless an exception applies (the CPAS with a written justification) or the
// family-planning derogation (either route, until 2026-01-14).
func gpRoute(p *ProviderInfo, l *InvoiceLine, v *Version, today Date) (*GPRoute, *Message) {
	isGP := p.Kind == ProviderDoctor && l.CareType == Doctor
	if !isGP {
		if len(l.Exceptions) > 0 {
			m := NewMessage(CodeGPException, Info{"exception", string(l.Exceptions[0])}, Info{"reason", "notGeneralPractitioner"})
			return nil, &m
		}
		return nil, nil
	}
	var exc GPException
	familyPlanning := false
	for _, e := range append(append([]GPException(nil), p.Exceptions...), l.Exceptions...) {
		switch e {
		case ExcAge67:
			if !p.BirthDate.Valid() {
				m := NewMessage(CodeGPException, Info{"exception", string(e)}, Info{"reason", "birthDateUnknown"})
				return nil, &m
			}
			if !aged67(p.BirthDate) {
				m := NewMessage(CodeGPException, Info{"exception", string(e)}, Info{"reason", "under67"},
					infoDate("referenceDate", GPAgeReferenceDay))
				return nil, &m
			}
		case ExcFamilyPlanning:
			if today > FamilyPlanningLastDay {
				m := NewMessage(CodeGPException, Info{"exception", string(e)}, Info{"reason", "derogationEnded"},
					infoDate("lastDay", FamilyPlanningLastDay))
				return nil, &m
			}
			familyPlanning = true
			continue
		case ExcOutsidePractice, ExcForceMajeure, ExcGPPost, ExcMedicalHouse:
		default:
			m := NewMessage(CodeGPException, Info{"exception", clip(string(e), 32)}, Info{"reason", "unknown"})
			return nil, &m
		}
		if exc == "" {
			exc = e
		}
	}
	if exc == "" && p.BirthDate.Valid() && aged67(p.BirthDate) {
		exc = ExcAge67 // from the provider record, declared or not
	}
	switch {
	case l.CareDate < GPMediPrimaFrom:
		return &GPRoute{Route: RouteCPAS, Reason: "BEFORE_2025_09"}, nil
	case v.DecisionDate.Valid() && v.DecisionDate < GPMediPrimaFrom:
		return &GPRoute{Route: RouteCPAS, Reason: "DECISION_BEFORE_2025_09"}, nil
	case today <= GPTransitionLastDay:
		return &GPRoute{Route: RouteEither, Reason: "TRANSITION"}, nil
	case exc != "":
		return &GPRoute{Route: RouteCPASJustified, Reason: "EXCEPTION", Exception: exc}, nil
	case familyPlanning:
		return &GPRoute{Route: RouteEither, Reason: "FAMILY_PLANNING", Exception: ExcFamilyPlanning}, nil
	}
	return &GPRoute{Route: RouteMediPrima, Reason: "MANDATORY"}, nil
}

// aged67 reports a doctor born on or before 1956-01-01: 67 or more on 2023-01-01.
func aged67(birth Date) bool { return birth.AddYears(GPAgeYears) <= GPAgeReferenceDay }
