package rules

// CoverDaysAMU is the longest cover for a person in illegal stay (R-COVER-92): urgent medical
// aid is re-examined every three months, "92 jours" in the manual; a prolongation adds at
// most as many days again, up to the decision's one-year limit.
const CoverDaysAMU = 92

// Effective dates of R-HOSP-AMB (002 FAQ), compared with today: requests processed from then on.
var (
	HospNeedsAmbFrom = MustDate("2018-02-01") // every hospitalisation cover needs an ambulatory one
	AmbNeedsHospFrom = MustDate("2021-01-29") // and every ambulatory cover a hospitalisation one
)

// Percent returns the State percentages for a care type.
func (s *StatePart) Percent(ct CareType) Percent {
	switch ct {
	case CareHospital:
		return s.Hospital
	case CareAmbulatory:
		return s.Ambulatory
	}
	return s.Other
}

// checkCovers applies the per-cover rules of a create or a new version: R-COVER-92 (prev is
// the version being modified, nil on create), R-HOSP-AMB, R-CPAS-PART, R-COMMENTS, R-NIHII and
// R-PROVIDERS. state is nil when the State part could not be computed (its error is reported
// elsewhere); the rules that need it are then skipped.
func checkCovers(c *Content, prev *Content, state *StatePart, today Date) []Message {
	var msgs []Message
	for i := range c.Covers {
		cv := &c.Covers[i]
		if c.Cover(cv.Kind) != cv {
			continue // a second period of the kind: R-COVER-CONTIGUOUS already reported it
		}
		if !usablePeriod(cv.Period) || !usablePeriod(c.Period) || !c.Period.Covers(cv.Period) {
			continue // R-DATES or R-COVER-IN-DECISION already reported it
		}
		if state != nil && state.AMU {
			var old *Cover
			if prev != nil {
				old = prev.Cover(cv.Kind)
			}
			msgs = append(msgs, checkCover92(cv, old)...)
		}
	}
	msgs = append(msgs, checkHospAmb(c, today)...)
	for i := range c.Covers {
		cv := &c.Covers[i]
		if c.Cover(cv.Kind) != cv {
			continue
		}
		msgs = append(msgs, checkShares(cv, state)...)
		msgs = append(msgs, checkComments(cv)...)
		msgs = append(msgs, checkProviders(cv)...)
	}
	return msgs
}

// checkCover92 is R-COVER-92. Reading of "92 jours à compter de la date de début … prolongée par
// périodes de maximum 92 jours" (000 §3.4) and of the 002 FAQ example (15/01 → 14/04 → 14/07
// … → 14/01, start untouched): a cover ends at most 92 days from its start (start + 91); a cover
// that continues the previous version's cover of the same kind may instead end at most 92 days
// after that cover's end. The decision's one-year limit (R-MAX-12M) bounds the prolongations.
func checkCover92(cv *Cover, old *Cover) []Message {
	maxEnd := cv.Period.Start.AddDays(CoverDaysAMU - 1)
	if old != nil && usablePeriod(old.Period) && touches(cv.Period, old.Period) {
		if e := old.Period.End.AddDays(CoverDaysAMU); e > maxEnd {
			maxEnd = e
		}
	}
	if cv.Period.End <= maxEnd {
		return nil
	}
	return []Message{NewMessage(CodeCoverTooLong, Info{"coverKind", string(cv.Kind)}, infoDate("coverStart", cv.Period.Start),
		infoDate("coverEnd", cv.Period.End), infoDate("maxCoverEnd", maxEnd))}
}

// touches reports periods that overlap or follow each other without a gap.
func touches(a, b Period) bool { return a.Start <= b.End.AddDays(1) && b.Start <= a.End.AddDays(1) }

// checkHospAmb is R-HOSP-AMB, with its two effective dates compared with today.
func checkHospAmb(c *Content, today Date) []Message {
	var msgs []Message
	pair := func(code string, from Date, need, with CoverKind) {
		cv := c.Cover(need)
		if today < from || cv == nil || !usablePeriod(cv.Period) {
			return
		}
		other := c.Cover(with)
		if other != nil && usablePeriod(other.Period) && other.Period.Covers(cv.Period) {
			return
		}
		info := []Info{infoDate("coverStart", cv.Period.Start), infoDate("coverEnd", cv.Period.End), infoDate("since", from)}
		if other != nil {
			info = append(info, infoDate(string(with)+"Start", other.Period.Start), infoDate(string(with)+"End", other.Period.End))
		}
		msgs = append(msgs, NewMessage(code, info...))
	}
	pair(CodeHospWithoutAmb, HospNeedsAmbFrom, Hospitalization, AmbulatoryHospitalization)
	pair(CodeAmbWithoutHosp, AmbNeedsHospFrom, AmbulatoryHospitalization, Hospitalization)
	return msgs
}

// shareLevel orders shares from the least to the most generous; -1 for an unknown value.
func shareLevel(s Share) int {
	switch s {
	case Nothing:
		return 0
	case Partial:
		return 1
	case Full:
		return 2
	}
	return -1
}

// part names one of the three CPAS shares of a cover, as on the wire.
type part struct {
	name  string
	share Share
}

func parts(s *Support) []part {
	return []part{{"zivAmiPart", s.AmiPart}, {"patientPart", s.PatientPart}, {"supplement", s.Supplement}}
}

// checkShares is R-CPAS-PART: each share is NOTHING, PARTIAL or FULL — the AMI part only
// NOTHING or FULL (000 §3.4.8.3 "Le CPAS prend en charge la part AMI : rien, tout") — and FULL
// is refused for a part the State already pays at 100 % for the cover's care type (supplements
// never are).
func checkShares(cv *Cover, state *StatePart) []Message {
	var msgs []Message
	kind := Info{"coverKind", string(cv.Kind)}
	for _, p := range parts(&cv.Support) {
		if shareLevel(p.share) < 0 {
			msgs = append(msgs, NewMessage(CodeShareInvalid, kind, Info{"part", p.name}, Info{"value", clip(string(p.share), 16)}))
		}
	}
	if cv.Support.AmiPart == Partial {
		msgs = append(msgs, NewMessage(CodeAmiPartial, kind, Info{"part", "zivAmiPart"}))
	}
	if state == nil {
		return msgs
	}
	pct := state.Percent(cv.Kind.CareType())
	for _, x := range []struct {
		name    string
		share   Share
		percent int
	}{{"zivAmiPart", cv.Support.AmiPart, pct.AmiPart}, {"patientPart", cv.Support.PatientPart, pct.PatientPart}} {
		if x.share == Full && x.percent >= 100 {
			msgs = append(msgs, NewMessage(CodeShareStatePaid, kind, Info{"part", x.name}, infoInt("statePercent", x.percent),
				infoInt("refundCode", state.RefundCode)))
		}
	}
	return msgs
}

// hospitalLike are the covers with structured conventions, prescriptions and supplement
// types (000 §3.4.8.3.1, .2, "liste différente par type de couverture").
func hospitalLike(k CoverKind) bool { return k == Hospitalization || k == AmbulatoryHospitalization }

// checkComments is R-COMMENTS. Readings: convention and prescription restrict "the patient
// part and/or the supplements", never the AMI part (which is NOTHING or FULL, R-CPAS-PART), so
// they are allowed when the patient part or the supplements are PARTIAL; the maximum
// patient-part amount belongs to the patient part, the maximum supplement amount and the
// supplement types to the supplements. A comment counts as given when present, whatever its
// value.
func checkComments(cv *Cover) []Message {
	var msgs []Message
	s := &cv.Support
	kind := Info{"coverKind", string(cv.Kind)}
	partial := func(x Share) bool { return x == Partial }
	anyPartial := partial(s.PatientPart) || partial(s.Supplement)
	comment := func(name string, given, allowedKind, matching bool) {
		switch {
		case !given:
		case !allowedKind:
			msgs = append(msgs, NewMessage(CodeCommentKind, kind, Info{"comment", name}))
		case !matching:
			msgs = append(msgs, NewMessage(CodeCommentNoPart, kind, Info{"comment", name}))
		}
	}
	hl := hospitalLike(cv.Kind)
	comment("convention", s.Convention != nil, hl, anyPartial)
	comment("prescription", s.Prescription != nil, hl, anyPartial)
	comment("amountPatientPartMax", cv.MaxPatientPart != nil, true, partial(s.PatientPart))
	comment("amountMaxAllowed", cv.MaxSupplement != nil, true, partial(s.Supplement))
	comment("supplementTypeList", len(cv.SupplementTypes) > 0, hl, partial(s.Supplement))
	for _, a := range []struct {
		name string
		v    *int64
	}{{"amountPatientPartMax", cv.MaxPatientPart}, {"amountMaxAllowed", cv.MaxSupplement}} {
		if a.v != nil && *a.v < 0 {
			msgs = append(msgs, NewMessage(CodeAmountNegative, kind, Info{"comment", a.name}))
		}
	}
	cond := (s.Convention != nil || s.Prescription != nil) && hl
	need := func(name string, share Share, own bool) {
		if share == Partial && !own && !cond {
			msgs = append(msgs, NewMessage(CodePartialNoCond, kind, Info{"part", name}))
		}
	}
	need("patientPart", s.PatientPart, cv.MaxPatientPart != nil)
	need("supplement", s.Supplement, cv.MaxSupplement != nil || (hl && len(cv.SupplementTypes) > 0))
	return msgs
}

// Identifier kinds of designated providers (R-NIHII), named in messages.
const (
	idHospitalNIHII = "NIHII_710_720"
	idNIHII         = "NIHII"
	idCBE           = "CBE"
)

// providerKind is the identifier a cover's designated-provider list takes; "" = no list.
func providerKind(k CoverKind) string {
	switch k {
	case Hospitalization, AmbulatoryHospitalization:
		return idHospitalNIHII
	case MedicalTransportation, Prosthesis:
		return idCBE
	case Doctor, Paramedic, PharmaceuticalDrug:
		return idNIHII
	}
	return ""
}

// ValidNIHII reports an 8- or 11-digit NIHII number (R-NIHII). Check digits are not verified:
// the sources give none, and refusing a real number would be worse than accepting a typo.
func ValidNIHII(s string) bool { return AllDigits(s, 8) || AllDigits(s, 11) }

// ValidCareEstablishment reports a NIHII number of a care establishment (R-NIHII): hospitals
// and other establishments are numbered from 710 or 720.
func ValidCareEstablishment(s string) bool {
	return ValidNIHII(s) && (s[:3] == "710" || s[:3] == "720")
}

// checkProviders applies R-NIHII (identifier kind per category) and R-PROVIDERS (a list only
// where the category has one; each provider once). One message per problem kind and cover.
func checkProviders(cv *Cover) []Message {
	if len(cv.Providers) == 0 {
		return nil
	}
	kind := Info{"coverKind", string(cv.Kind)}
	want := providerKind(cv.Kind)
	if want == "" {
		return []Message{NewMessage(CodeNoProviderList, kind)}
	}
	valid := map[string]func(string) bool{idHospitalNIHII: ValidCareEstablishment, idCBE: ValidCBE, idNIHII: ValidNIHII}[want]
	var msgs []Message
	seen := map[string]bool{}
	badDone, twiceDone := false, false
	for _, id := range cv.Providers {
		if !valid(id) && !badDone {
			badDone = true
			msgs = append(msgs, NewMessage(CodeProviderInvalid, kind, Info{"provider", clip(id, 32)}, Info{"expected", want}))
		}
		if seen[id] && !twiceDone {
			twiceDone = true
			msgs = append(msgs, NewMessage(CodeProviderTwice, kind, Info{"provider", clip(id, 32)}))
		}
		seen[id] = true
	}
	return msgs
}
