package cpas

import (
	"github.com/carmed/carmed/face"
	"github.com/carmed/carmed/gen"
	"github.com/carmed/carmed/rules"
	"github.com/carmed/carmed/server"
)

// Mapping between the CPAS wire types (gen) and the rules' domain types. Decoding has already
// checked lexical forms; here we check presence of required parts and convert.

func date(d gen.Date) (rules.Date, error) {
	t, err := d.Parse()
	if err != nil {
		return rules.NoDate, err
	}
	return rules.DateOf(t), nil
}

func period(p *gen.PeriodType) (rules.Period, error) {
	if p == nil {
		return rules.Period{}, face.ErrMissing
	}
	s, err := date(p.StartDate)
	if err != nil {
		return rules.Period{}, err
	}
	e, err := date(p.EndDate)
	if err != nil {
		return rules.Period{}, err
	}
	return rules.Period{Start: s, End: e}, nil
}

func genDate(d rules.Date) gen.Date { return gen.MakeDate(d.Time()) }

func genPeriod(p rules.Period) *gen.PeriodType {
	return &gen.PeriodType{StartDate: genDate(p.Start), EndDate: genDate(p.End)}
}

// content converts a DecisionType into rules.Content.
func content(d *gen.DecisionType) (rules.Content, error) {
	var c rules.Content
	if d == nil {
		return c, face.ErrMissing
	}
	var err error
	if c.DecisionDate, err = date(d.DecisionDate); err != nil {
		return c, err
	}
	if c.Period, err = period(d.ValidityPeriod); err != nil {
		return c, err
	}
	c.JudicialDecision = d.JudicialDecision
	c.IncomeAboveRI = d.IncomeAboveIntegrationIncome
	c.NoStateIntervention = d.NoStateIntervention
	if mc := d.MedicalCover; mc != nil {
		add := func(k rules.CoverKind, common *gen.MedicalCoverCommonType, providers []string) error {
			cv, err := cover(k, common, providers)
			if err != nil {
				return err
			}
			c.Covers = append(c.Covers, cv)
			return nil
		}
		for _, x := range []struct {
			present bool
			kind    rules.CoverKind
			common  func() *gen.MedicalCoverCommonType
			provs   func() []string
		}{
			{mc.Doctor != nil, rules.Doctor, func() *gen.MedicalCoverCommonType { return &mc.Doctor.MedicalCoverCommonType },
				func() []string { return nihiis(mc.Doctor.HealthCareProviderList) }},
			{mc.Hospitalization != nil, rules.Hospitalization, func() *gen.MedicalCoverCommonType { return &mc.Hospitalization.MedicalCoverCommonType },
				func() []string { return nihiis(mc.Hospitalization.HospitalList) }},
			{mc.AmbulatoryHospitalization != nil, rules.AmbulatoryHospitalization, func() *gen.MedicalCoverCommonType { return &mc.AmbulatoryHospitalization.MedicalCoverCommonType },
				func() []string { return nihiis(mc.AmbulatoryHospitalization.HospitalList) }},
			{mc.MedicalTransportation != nil, rules.MedicalTransportation, func() *gen.MedicalCoverCommonType { return &mc.MedicalTransportation.MedicalCoverCommonType },
				func() []string { return cbes(mc.MedicalTransportation.CompanyList) }},
			{mc.Miscellaneous != nil, rules.Miscellaneous, func() *gen.MedicalCoverCommonType { return &mc.Miscellaneous.MedicalCoverCommonType },
				func() []string { return nil }},
			{mc.Paramedic != nil, rules.Paramedic, func() *gen.MedicalCoverCommonType { return &mc.Paramedic.MedicalCoverCommonType },
				func() []string { return nihiis(mc.Paramedic.ProviderList) }},
			{mc.PharmaceuticalDrug != nil, rules.PharmaceuticalDrug, func() *gen.MedicalCoverCommonType { return &mc.PharmaceuticalDrug.MedicalCoverCommonType },
				func() []string { return nihiis(mc.PharmaceuticalDrug.PharmacyList) }},
			{mc.Prosthesis != nil, rules.Prosthesis, func() *gen.MedicalCoverCommonType { return &mc.Prosthesis.MedicalCoverCommonType },
				func() []string { return cbes(mc.Prosthesis.CompanyList) }},
		} {
			if x.present {
				if err := add(x.kind, x.common(), x.provs()); err != nil {
					return c, err
				}
			}
		}
	}
	return c, nil
}

func cover(k rules.CoverKind, m *gen.MedicalCoverCommonType, providers []string) (rules.Cover, error) {
	cv := rules.Cover{Kind: k, Providers: providers}
	if m == nil || m.PswcSupport == nil {
		return cv, face.ErrMissing
	}
	var err error
	if cv.Period, err = period(m.ValidityPeriod); err != nil {
		return cv, err
	}
	ps := m.PswcSupport
	cv.Support = rules.Support{AmiPart: rules.Share(ps.ZivAmiPart), PatientPart: rules.Share(ps.PatientPart),
		Supplement: rules.Share(ps.Supplement), Convention: ps.Convention, Prescription: ps.Prescription}
	if m.AmountPatientPartMax != nil {
		v := int64(*m.AmountPatientPartMax)
		cv.MaxPatientPart = &v
	}
	if as := m.AllowedSupplements; as != nil {
		if as.AmountMaxAllowed != nil {
			v := int64(*as.AmountMaxAllowed)
			cv.MaxSupplement = &v
		}
		if as.SupplementTypeList != nil {
			cv.SupplementTypes = append([]string(nil), as.SupplementTypeList.SupplementType...)
		}
	}
	return cv, nil
}

func nihiis(l *gen.NihiiNumberListType) []string {
	if l == nil {
		return nil
	}
	out := make([]string, len(l.NihiiNumber))
	for i, n := range l.NihiiNumber {
		out[i] = string(n)
	}
	return out
}

func cbes(l *gen.CompanyListType) []string {
	if l == nil {
		return nil
	}
	out := make([]string, len(l.CbeNumber))
	for i, n := range l.CbeNumber {
		out[i] = string(n)
	}
	return out
}

// ---- domain → wire ----

func genCommon(cv *rules.Cover) *gen.MedicalCoverCommonType {
	m := &gen.MedicalCoverCommonType{
		ValidityPeriod: genPeriod(cv.Period),
		PswcSupport: &gen.PswcSupportType{ZivAmiPart: gen.ShareType(cv.Support.AmiPart),
			PatientPart: gen.ShareType(cv.Support.PatientPart), Supplement: gen.ShareType(cv.Support.Supplement),
			Convention: cv.Support.Convention, Prescription: cv.Support.Prescription},
	}
	if cv.MaxPatientPart != nil {
		v := gen.AmountCentsType(*cv.MaxPatientPart)
		m.AmountPatientPartMax = &v
	}
	if cv.MaxSupplement != nil || len(cv.SupplementTypes) > 0 {
		as := &gen.AllowedSupplementsType{}
		if cv.MaxSupplement != nil {
			v := gen.AmountCentsType(*cv.MaxSupplement)
			as.AmountMaxAllowed = &v
		}
		if len(cv.SupplementTypes) > 0 {
			as.SupplementTypeList = &gen.SupplementTypeListType{SupplementType: cv.SupplementTypes}
		}
		m.AllowedSupplements = as
	}
	return m
}

func genNihiis(ps []string) *gen.NihiiNumberListType {
	if len(ps) == 0 {
		return nil
	}
	l := &gen.NihiiNumberListType{}
	for _, p := range ps {
		l.NihiiNumber = append(l.NihiiNumber, gen.NihiiNumberType(p))
	}
	return l
}

func genCbes(ps []string) *gen.CompanyListType {
	if len(ps) == 0 {
		return nil
	}
	l := &gen.CompanyListType{}
	for _, p := range ps {
		l.CbeNumber = append(l.CbeNumber, gen.CbeNumberType(p))
	}
	return l
}

func genCovers(covers []rules.Cover) *gen.MedicalCoverType {
	if len(covers) == 0 {
		return nil
	}
	mc := &gen.MedicalCoverType{}
	for i := range covers {
		cv := &covers[i]
		m := genCommon(cv)
		switch cv.Kind {
		case rules.Doctor:
			mc.Doctor = &gen.DoctorType{MedicalCoverCommonType: *m, HealthCareProviderList: genNihiis(cv.Providers)}
		case rules.Hospitalization:
			mc.Hospitalization = &gen.HospitalizationType{MedicalCoverCommonType: *m, HospitalList: genNihiis(cv.Providers)}
		case rules.AmbulatoryHospitalization:
			mc.AmbulatoryHospitalization = &gen.HospitalizationType{MedicalCoverCommonType: *m, HospitalList: genNihiis(cv.Providers)}
		case rules.MedicalTransportation:
			mc.MedicalTransportation = &gen.MedicalTransportationType{MedicalCoverCommonType: *m, CompanyList: genCbes(cv.Providers)}
		case rules.Miscellaneous:
			mc.Miscellaneous = &gen.MiscellaneousType{MedicalCoverCommonType: *m}
		case rules.Paramedic:
			mc.Paramedic = &gen.ParamedicType{MedicalCoverCommonType: *m, ProviderList: genNihiis(cv.Providers)}
		case rules.PharmaceuticalDrug:
			mc.PharmaceuticalDrug = &gen.PharmaceuticalDrugType{MedicalCoverCommonType: *m, PharmacyList: genNihiis(cv.Providers)}
		case rules.Prosthesis:
			mc.Prosthesis = &gen.ProsthesisType{MedicalCoverCommonType: *m, CompanyList: genCbes(cv.Providers)}
		}
	}
	return mc
}

func genTexts(fr, nl string) []gen.TextType {
	return []gen.TextType{{Value: fr, Lang: "fr"}, {Value: nl, Lang: "nl"}}
}

func genPart(p rules.Percent) *gen.PartType {
	return &gen.PartType{ZivAmiPart: gen.PercentType(p.AmiPart), PatientPart: gen.PercentType(p.PatientPart)}
}

func genStatePart(sp rules.StatePart) *gen.RefundPodmiSppisType {
	return &gen.RefundPodmiSppisType{
		RefundCode:           int32(sp.RefundCode),
		AffiliedMutualityInd: sp.Mutuality,
		BeneficiaryStatus:    gen.BeneficiaryStatusType(sp.BeneficiaryStatus),
		Justification:        genTexts(sp.JustificationFr, sp.JustificationNl),
		PodmiSppisPart: &gen.PodmiSppisPartType{HospitalizationPart: genPart(sp.Hospital),
			AmbulatoryCarePart: genPart(sp.Ambulatory), OtherPart: genPart(sp.Other)},
		MedicalUrgencyInd: sp.AMU,
	}
}

func genPswc(c rules.CPAS) *gen.PswcType {
	return &gen.PswcType{CbeNumber: gen.CbeNumberType(c.CBE), MunicipalityIns: c.INS, Name: genTexts(c.NameFr, c.NameNl)}
}

func genBeneficiary(b rules.Beneficiary) *gen.BeneficiaryType {
	g := &gen.BeneficiaryType{Ssin: gen.SsinType(b.SSIN), LastName: b.LastName}
	if b.FirstName != "" {
		g.FirstName = &b.FirstName
	}
	if b.Gender != "" {
		x := gen.GenderType(b.Gender)
		g.Gender = &x
	}
	if b.BirthDate.Valid() {
		x := genDate(b.BirthDate)
		g.BirthDate = &x
	}
	if b.DeathDate.Valid() {
		x := genDate(b.DeathDate)
		g.DeathDate = &x
	}
	return g
}

// genCarmed renders a view: everything for the manager, identification only otherwise (R-VIEW-OTHER-CPAS).
func genCarmed(v rules.View) *gen.CarmedType {
	ver := &v.Version
	out := &gen.CarmedType{CarmedNumber: gen.CarmedNumberType(ver.Number), ValidityPeriod: genPeriod(ver.Period),
		Pswc: genPswc(v.Manager)}
	if !v.Full {
		return out
	}
	vn := gen.VersionNumberType(ver.Version)
	st := gen.CarmedStatusType(ver.Status)
	out.VersionNumber, out.Status = &vn, &st
	out.Beneficiary = genBeneficiary(ver.Beneficiary)
	cc := &gen.CarmedContentType{
		DecisionDate:                 genDate(ver.DecisionDate),
		JudicialDecision:             ver.JudicialDecision,
		IncomeAboveIntegrationIncome: ver.IncomeAboveRI,
		NoStateIntervention:          ver.NoStateIntervention,
		MedicalCover:                 genCovers(ver.Covers),
		RefundPodmiSppis:             genStatePart(ver.State),
		Cause:                        gen.CauseType(ver.Cause),
		CreationTime:                 gen.MakeDateTime(ver.Created),
		Author:                       ver.Author,
	}
	// Every pending suspension, in arrival order; R-MUT-ORDER picks the one the next action handles.
	for _, s := range ver.Suspensions {
		cc.Suspension = append(cc.Suspension, genSuspension(&s))
	}
	out.Content = cc
	return out
}

// genSuspension is one pending suspension on the wire.
func genSuspension(s *rules.Suspension) gen.SuspensionType {
	gs := gen.SuspensionType{Reason: s.Reason, Date: genDate(s.Date)}
	if s.Reason == rules.SuspendRefundCode {
		gs.OldRefundCode, gs.NewRefundCode = face.RefundCodes(s)
	}
	if s.OldSSIN != "" {
		old := gen.SsinType(s.OldSSIN)
		gs.OldSsin = &old
	}
	return gs
}

func genInfo(in []rules.Info) []gen.InformationType {
	var out []gen.InformationType
	for i, x := range in {
		if i == 5 { // wire maximum
			break
		}
		out = append(out, gen.InformationType{FieldName: face.Truncate(x.Name, 64), FieldValue: face.Truncate(x.Value, 256)})
	}
	return out
}

func genMessages(ms []rules.Message) []gen.MessageType {
	out := make([]gen.MessageType, 0, len(ms))
	for _, m := range ms {
		out = append(out, gen.MessageType{Severity: gen.SeverityType(m.Severity), ReasonCode: gen.ReasonCodeType(m.Code),
			RuleId: m.Rule, Communication: genTexts(m.Fr, m.Nl), Information: genInfo(m.Info)})
	}
	return out
}

// responseBase builds informationCustomer (echo), informationCBSS and status with the messages.
func responseBase(c *server.Call, ic *gen.InformationCustomerType, value string, ms []rules.Message) *gen.ResponseBaseType {
	code, desc, info := face.StatusOf(value, ms)
	st := &gen.StatusType{Value: gen.StatusValueType(value), Code: gen.ReasonCodeType(code), Description: desc,
		Information: genInfo(info)}
	return &gen.ResponseBaseType{
		InformationCustomer: ic,
		InformationCBSS: &gen.InformationCBSSType{TicketCBSS: face.NewTicketCBSS(),
			TimestampReceive: gen.MakeDateTime(c.Received()), TimestampReply: gen.MakeDateTime(c.Now())},
		Status:  st,
		Message: genMessages(ms),
	}
}
