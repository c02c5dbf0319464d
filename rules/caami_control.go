package rules

// Caami is the CAAMI back office's rules engine (rules.md §11, §12): tarification and the
// invoice controls. Pure like Rules; it holds only the tariff table and is safe for concurrent use.
type Caami struct {
	tariffs *TariffTable
}

// NewCaami returns the CAAMI rules with tariff table t (nil = DefaultTariffTable()).
func NewCaami(t *TariffTable) *Caami {
	if t == nil {
		t = DefaultTariffTable()
	}
	return &Caami{tariffs: t}
}

// Tariffs is the tariff table in use.
func (c *Caami) Tariffs() *TariffTable { return c.tariffs }

// InvoiceMaxAgeYears is R-INVOICE-2Y: care more than two years before the send is not paid
// (article 174, the hospitals' two-year delay).
const InvoiceMaxAgeYears = 2

// Tarify answers, line by line, what each party pays (R-TARIFF) and for a GP where the care is
// billed (R-GP-ROUTE). It runs the controls a send would, except those of the invoice itself
// (line references, stated amounts, refund code and debtor CPAS). Nothing is stored: the same
// lines on the same day give the same answer.
func (c *Caami) Tarify(cmd TarifyCmd, f InvoiceFacts, today Date) TarifyResult {
	res := TarifyResult{Lines: make([]LineResult, 0, len(cmd.Lines))}
	for i := range cmd.Lines {
		x := lineCtx{prov: &cmd.Provider, ssin: cmd.SSIN, line: &cmd.Lines[i], facts: &f, today: today}
		res.Lines = append(res.Lines, c.control(&x))
	}
	return res
}

// ControlSend applies every control of §11 to each line of a send and answers line by line
// (R-CAAMI-*, R-INVOICE-*, R-TARIFF, R-GP-ROUTE). Accepted lines carry the State amount paid
// (R-PAYMENT). The result does not depend on anything but its arguments.
func (c *Caami) ControlSend(cmd SendCmd, f InvoiceFacts, today Date) SendResult {
	n := 0
	for i := range cmd.Invoices {
		n += len(cmd.Invoices[i].Lines)
	}
	res := SendResult{Lines: make([]LineResult, 0, n)}
	seen := make(map[string]bool, n)
	for i := range cmd.Invoices {
		inv := &cmd.Invoices[i]
		for j := range inv.Lines {
			l := &inv.Lines[j]
			var r LineResult
			switch {
			case seen[l.Ref]: // R-INVOICE-ONCE: a reference is once per send
				r = LineResult{Ref: l.Ref, Messages: []Message{NewMessage(CodeLineTwice, Info{"lineRef", l.Ref})}}
			case f.Accepted != nil && f.Accepted(l.Ref): // and once ever when accepted
				r = LineResult{Ref: l.Ref, Messages: []Message{NewMessage(CodeLinePaid, Info{"lineRef", l.Ref})}}
			default:
				x := lineCtx{prov: &cmd.Provider, ssin: inv.SSIN, invoiceCPAS: inv.CPAS, line: l, facts: &f,
					today: today, send: true}
				r = c.control(&x)
			}
			seen[l.Ref] = true
			r.InvoiceRef = inv.Ref
			if r.Accepted {
				res.Accepted++
				res.State += r.Amounts.State()
			} else {
				res.Rejected++
			}
			res.Lines = append(res.Lines, r)
		}
	}
	return res
}

// lineCtx is one line under control.
type lineCtx struct {
	prov        *ProviderInfo
	ssin        string
	invoiceCPAS string // the debtor CPAS the invoice names; "" in a tarification
	line        *InvoiceLine
	facts       *InvoiceFacts
	today       Date
	send        bool // sendInvoices: the invoice's own statements are checked too
}

// control runs the controls in the order of the manual (000 §5.3) after the checks of the line
// itself, and stops at the first that fails: a rejected line carries one reason code.
func (c *Caami) control(x *lineCtx) LineResult {
	l := x.line
	r := LineResult{Ref: l.Ref}
	fail := func(m Message) LineResult {
		r.Messages = []Message{m}
		return r
	}
	// R-CAAMI-PERIOD (the care has happened) and R-INVOICE-2Y.
	if l.CareDate > x.today {
		return fail(NewMessage(CodeCareFuture, infoDate("careDate", l.CareDate), infoDate("today", x.today)))
	}
	if oldest := x.today.AddYears(-InvoiceMaxAgeYears); l.CareDate < oldest {
		return fail(NewMessage(CodeCareTooOld, infoDate("careDate", l.CareDate), infoDate("oldestCareDate", oldest)))
	}
	// R-TARIFF: a code of the tariff for that care type, and the amounts it gives.
	tf, ok := c.tariffs.Lookup(l.Nomenclature)
	if !ok || tf.CareType != l.CareType {
		return fail(NewMessage(CodeTariffUnknown, Info{"nomenclatureCode", clip(l.Nomenclature, 16)},
			Info{"careType", string(l.CareType)}))
	}
	if s := l.Stated; x.send && s != nil && (s.Fee != tf.Fee || s.AmiPart != tf.AmiPart() || s.PatientPart != tf.PatientPart) {
		return fail(NewMessage(CodeAmountsDiffer, Info{"nomenclatureCode", tf.Code}, infoCents("fee", tf.Fee),
			infoCents("amiPart", tf.AmiPart()), infoCents("patientPart", tf.PatientPart)))
	}
	// R-CAAMI-PATIENT
	ds := x.facts.Decisions[x.ssin]
	if !knownInRegister(ds) {
		return fail(NewMessage(CodeLineNoPatient))
	}
	// R-CAAMI-AGREEMENT, R-CAAMI-PERIOD: the version that governs the care date.
	v, d, msg := governing(ds, l, x.prov.ID, x.today)
	if msg != nil {
		return fail(*msg)
	}
	r.Decision, r.Version, r.CPAS = d.Number(), v.Version, v.Manager
	// R-CAAMI-CARE-TYPE: a cover of that care type on the day, from a provider of its kind.
	cv := v.Cover(l.CareType)
	if cv == nil || !cv.Period.Contains(l.CareDate) {
		return fail(NewMessage(CodeCareTypeNoCov, Info{"careType", string(l.CareType)}, infoDate("careDate", l.CareDate),
			Info{"decisionNumber", r.Decision}))
	}
	if !providerMayBill(x.prov.Kind, l.CareType) {
		return fail(NewMessage(CodeProviderKind, Info{"careType", string(l.CareType)}, Info{"providerKind", x.prov.Kind}))
	}
	// R-CAAMI-PROVIDER
	if !cv.AllowsProvider(x.prov.ID) {
		return fail(NewMessage(CodeNotDesignated, Info{"careType", string(l.CareType)}, Info{"decisionNumber", r.Decision}))
	}
	// R-CAAMI-COVER-CODE: what the invoice states of the State part is the governing version's.
	pct := v.State.Percent(l.CareType.CareType())
	if x.send && (l.RefundCode != v.State.RefundCode || (l.StatePercent != nil && *l.StatePercent != pct)) {
		return fail(NewMessage(CodeRefundMismatch, infoInt("refundCode", v.State.RefundCode),
			infoInt("amiPercent", pct.AmiPart), infoInt("patientPercent", pct.PatientPart),
			Info{"decisionNumber", r.Decision}, infoInt("versionNumber", v.Version)))
	}
	// R-CAAMI-UMA
	if v.State.AMU && !attested(x.facts.Attestations[x.ssin], x.ssin, l.CareDate) {
		return fail(NewMessage(CodeUMAMissing, infoDate("careDate", l.CareDate)))
	}
	// R-INVOICE-SPLIT: the CPAS charged is the governing decision's manager.
	if x.send && x.invoiceCPAS != v.Manager {
		info := []Info{{"cpasCbe", v.Manager}, Info{"decisionNumber", r.Decision}}
		if l.Agreement != nil {
			info = append(info, infoDate("guaranteedTo", l.Agreement.Guarantee.End))
		}
		return fail(NewMessage(CodeCPASSplit, info...))
	}
	// R-GP-ROUTE
	route, msg := gpRoute(x.prov, l, v, x.today)
	if msg != nil {
		return fail(*msg)
	}
	r.Route = route
	r.Amounts = tarify(tf, l.Supplements, &v.State, cv)
	if r.Amounts.CPASConditional {
		r.Messages = append(r.Messages, NewWarning(CodeCPASConditional, Info{"careType", string(l.CareType)}))
	}
	r.Accepted = true
	return r
}

// knownInRegister is R-CAAMI-PATIENT: the beneficiary has a decision (closed ones give nothing).
func knownInRegister(ds []Decision) bool {
	for i := range ds {
		if ds[i].Latest().Status != Closed {
			return true
		}
	}
	return false
}

// governing finds the version a line is judged on. With an agreement number, the version it
// guarantees, for care inside its 30 days (R-CAAMI-AGREEMENT); otherwise the version the
// provider sees today of the decision in force on the care date (R-CAAMI-PERIOD): not closed,
// not suspended on that day, and not a principle decision.
func governing(ds []Decision, l *InvoiceLine, provider string, today Date) (*Version, *Decision, *Message) {
	day := infoDate("careDate", l.CareDate)
	if a := l.Agreement; a != nil {
		if !a.Valid {
			m := NewMessage(CodeAgreementForged)
			return nil, nil, &m
		}
		if a.Provider != provider {
			m := NewMessage(CodeAgreementOther, Info{"reason", "provider"})
			return nil, nil, &m
		}
		d := findDecision(ds, a.Number)
		if d == nil || a.Version < 1 || a.Version > len(d.Versions) {
			m := NewMessage(CodeAgreementOther, Info{"reason", "beneficiary"}, Info{"decisionNumber", a.Number})
			return nil, nil, &m
		}
		if !a.Guarantee.Contains(l.CareDate) {
			m := NewMessage(CodeAgreementWindow, day, infoDate("guaranteedFrom", a.Guarantee.Start),
				infoDate("guaranteedTo", a.Guarantee.End))
			return nil, nil, &m
		}
		v := &d.Versions[a.Version-1]
		if !v.Period.Contains(l.CareDate) {
			m := NewMessage(CodeCareUncovered, day, Info{"reason", "outsideAgreedVersion"})
			return nil, nil, &m
		}
		return v, d, nil
	}
	reason := "noDecision"
	for i := range ds {
		v := ds[i].PublicVersion(today)
		if v.Status == Closed || !v.Period.Contains(l.CareDate) {
			continue
		}
		if from := suspendedFrom(v); from.Valid() && l.CareDate >= from {
			reason = "suspended"
			continue
		}
		if v.IsPrinciple() {
			reason = "principle"
			continue
		}
		return v, &ds[i], nil
	}
	m := NewMessage(CodeCareUncovered, day, Info{"reason", reason})
	return nil, nil, &m
}

func findDecision(ds []Decision, number string) *Decision {
	for i := range ds {
		if ds[i].Number() == number {
			return &ds[i]
		}
	}
	return nil
}

// suspendedFrom is the first day a suspended version no longer guarantees (NoDate when active).
func suspendedFrom(v *Version) Date {
	if v.Status != Suspended {
		return NoDate
	}
	from := NoDate
	for _, s := range v.Suspensions {
		if !from.Valid() || s.Date < from {
			from = s.Date
		}
	}
	if !from.Valid() {
		from = v.Period.Start // suspended without a recorded date: nothing is guaranteed
	}
	return from
}

// providerMayBill is the provider half of R-CAAMI-CARE-TYPE: who bills each care type.
func providerMayBill(kind string, ct CoverKind) bool {
	switch ct {
	case Doctor:
		return kind == ProviderDoctor
	case Hospitalization, AmbulatoryHospitalization:
		return kind == ProviderHospital
	case Paramedic:
		return kind == ProviderParamedic
	case PharmaceuticalDrug:
		return kind == ProviderPharmacy || kind == ProviderHospital // a hospital's own pharmacy
	case MedicalTransportation:
		return kind == ProviderTransport
	case Prosthesis:
		return kind == ProviderProsthesis
	}
	return kind != "" // miscellaneous care: any provider
}

// attested is R-CAAMI-UMA: an attestation of the beneficiary, not deleted, valid on the day.
func attested(as []Attestation, ssin string, day Date) bool {
	for _, a := range as {
		if !a.Deleted && a.SSIN == ssin && a.Period.Contains(day) {
			return true
		}
	}
	return false
}
