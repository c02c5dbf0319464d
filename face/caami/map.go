package caami

import (
	"github.com/carmed/carmed/agreement"
	gc "github.com/carmed/carmed/gen/caami"
	"github.com/carmed/carmed/rules"
	"github.com/carmed/carmed/server"
)

// wireDate reads an xs:date the schema already checked; a bad one is a schema fault.
func wireDate(d gc.Date) (rules.Date, error) {
	t, err := d.Parse()
	if err != nil {
		return rules.NoDate, server.SchemaFault(err)
	}
	return rules.DateOf(t), nil
}

func dateOut(d rules.Date) gc.Date { return gc.MakeDate(d.Time()) }

// agreements verifies the agreement numbers of one request with the keyring, once per number:
// a line holds only the claims (R-CAAMI-AGREEMENT; the rules hold no keys).
type agreements struct {
	ring *agreement.Keyring
	seen map[string]*rules.AgreementCheck
}

func (a *agreements) check(n *gc.AgreementNumberType) *rules.AgreementCheck {
	if n == nil {
		return nil
	}
	if a.seen == nil {
		a.seen = map[string]*rules.AgreementCheck{}
	}
	if c, ok := a.seen[string(*n)]; ok {
		return c
	}
	out := &rules.AgreementCheck{}
	if cl, err := a.ring.Verify(string(*n)); err == nil {
		*out = rules.AgreementCheck{Valid: true, Number: cl.Number, Version: cl.Version, Provider: cl.Provider,
			Guarantee: cl.Guarantee()}
	}
	a.seen[string(*n)] = out
	return out
}

func exceptions(in []gc.GpExceptionType) []rules.GPException {
	var out []rules.GPException
	for _, e := range in {
		out = append(out, rules.GPException(e))
	}
	return out
}

func cents(a *gc.AmountCentsType) int64 {
	if a == nil {
		return 0
	}
	return int64(*a)
}

// tarifyLine maps a line to tarify; nothing of an invoice is stated (RefundCode -1).
func tarifyLine(l *gc.TarifyLineType, ag *agreements) (rules.InvoiceLine, error) {
	d, err := wireDate(l.CareDate)
	if err != nil {
		return rules.InvoiceLine{}, err
	}
	out := rules.InvoiceLine{CareDate: d, CareType: rules.CoverKind(l.CareType), Nomenclature: string(l.NomenclatureCode),
		Supplements: cents(l.Supplements), RefundCode: -1, Agreement: ag.check(l.AgreementNumber),
		Exceptions: exceptions(l.GpException)}
	if l.LineRef != nil {
		out.Ref = string(*l.LineRef)
	}
	return out, nil
}

// invoiceLine maps an invoice line with what it states (amounts, refund code, percentages).
func invoiceLine(l *gc.InvoiceLineType, ag *agreements) (rules.InvoiceLine, error) {
	d, err := wireDate(l.CareDate)
	if err != nil {
		return rules.InvoiceLine{}, err
	}
	out := rules.InvoiceLine{Ref: string(l.LineRef), CareDate: d, CareType: rules.CoverKind(l.CareType),
		Nomenclature: string(l.NomenclatureCode), Supplements: cents(l.Supplements),
		Stated:     &rules.StatedAmounts{Fee: int64(l.Fee), AmiPart: int64(l.AmiPart), PatientPart: int64(l.PatientPart)},
		RefundCode: int(l.RefundCode), Agreement: ag.check(l.AgreementNumber), Exceptions: exceptions(l.GpException)}
	if p := l.StatePercentage; p != nil {
		out.StatePercent = &rules.Percent{AmiPart: int(p.ZivAmiPart), PatientPart: int(p.PatientPart)}
	}
	return out, nil
}

// lineAnswer is one line's answer: accepted with its decision, tarification and GP route, or
// rejected with the control's message (and the decision when the control got that far).
func lineAnswer(r *rules.LineResult, withInvoice bool) gc.LineAnswerType {
	out := gc.LineAnswerType{Result: "REJECTED", Message: wireMessages(r.Messages)}
	if withInvoice && r.InvoiceRef != "" {
		ref := gc.ReferenceType(r.InvoiceRef)
		out.InvoiceRef = &ref
	}
	if r.Ref != "" {
		ref := gc.ReferenceType(r.Ref)
		out.LineRef = &ref
	}
	if r.Decision != "" {
		out.Decision = &gc.GoverningDecisionType{CarmedNumber: gc.CarmedNumberType(r.Decision),
			VersionNumber: gc.VersionNumberType(r.Version), CpasCbe: gc.CbeNumberType(r.CPAS)}
	}
	if !r.Accepted {
		return out
	}
	out.Result = "ACCEPTED"
	a := &r.Amounts
	out.Tarification = &gc.TarificationType{Fee: gc.AmountCentsType(a.Fee), AmiPart: gc.AmountCentsType(a.AmiPart),
		PatientPart: gc.AmountCentsType(a.PatientPart), Supplements: gc.AmountCentsType(a.Supplements),
		RefundCode:      gc.RefundCodeType(a.RefundCode),
		StatePercentage: &gc.PartType{ZivAmiPart: gc.PercentType(a.Percent.AmiPart), PatientPart: gc.PercentType(a.Percent.PatientPart)},
		StateAmiPart:    gc.AmountCentsType(a.StateAmi), StatePatientPart: gc.AmountCentsType(a.StatePatient),
		StatePart: gc.AmountCentsType(a.State()), CpasPart: gc.AmountCentsType(a.CPAS),
		PatientPays: gc.AmountCentsType(a.Patient), CpasConditional: a.CPASConditional}
	if rt := r.Route; rt != nil {
		out.GpRoute = &gc.GpRouteType{Route: gc.RouteType(rt.Route), Reason: gc.RouteReasonType(rt.Reason)}
		if rt.Exception != "" {
			e := gc.GpExceptionType(rt.Exception)
			out.GpRoute.Exception = &e
		}
	}
	return out
}

func wireMessages(ms []rules.Message) []gc.MessageType {
	out := make([]gc.MessageType, 0, len(ms))
	for _, m := range ms {
		out = append(out, gc.MessageType{Severity: gc.SeverityType(m.Severity), ReasonCode: gc.ReasonCodeType(m.Code),
			RuleId: m.Rule, Communication: []gc.TextType{{Value: m.Fr, Lang: "fr"}, {Value: m.Nl, Lang: "nl"}},
			Information: wireInfo(m.Info)})
	}
	return out
}

func wireInfo(in []rules.Info) []gc.InformationType {
	var out []gc.InformationType
	for _, i := range in {
		out = append(out, gc.InformationType{FieldName: i.Name, FieldValue: i.Value})
	}
	return out
}

// payment is a stored payment on the wire.
func payment(p *rules.Payment) gc.PaymentType {
	out := gc.PaymentType{SendId: gc.TicketType(p.SendID), PaymentDate: dateOut(p.PaidOn), AmountPaid: gc.AmountCentsType(p.Amount),
		AcceptedLines: gc.CountType(p.Accepted), RejectedLines: gc.CountType(p.Rejected)}
	for _, r := range p.RejectedLines {
		out.RejectedLine = append(out.RejectedLine, gc.RejectedLineType{InvoiceRef: gc.ReferenceType(r.InvoiceRef),
			LineRef: gc.ReferenceType(r.LineRef), ReasonCode: gc.ReasonCodeType(r.Code)})
	}
	return out
}
