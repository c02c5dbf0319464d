// Package provider is the provider consultation face (design §1): exactly the public eHealth
// MediPrima Consult v2 message on POST /MediPrima/Consult/v2, signed by a provider certificate, so
// existing provider clients work unchanged. It maps the gen/provider types to rules commands and
// back; the pipeline (package server) does the bytes, the signatures and the faults.
package provider

import (
	"encoding/xml"
	"errors"

	"github.com/carmed/carmed/agreement"
	"github.com/carmed/carmed/face"
	pv "github.com/carmed/carmed/gen/provider"
	"github.com/carmed/carmed/rules"
	"github.com/carmed/carmed/server"
	"github.com/carmed/carmed/store"
	"github.com/carmed/carmed/trust"
)

// The provider face speaks exactly the public eHealth MediPrima Consult v2 message.
const (
	NSMediprimaProtocol = "urn:be:fgov:ehealth:mediprima:protocol:v2"
	NSMediprimaCore     = "urn:be:fgov:ehealth:mediprima:core:v2"
	ActionConsultV2     = "urn:be:fgov:ehealth:mediprima:protocol:v2:consultCarmedIntervention"

	// eHealth 2.0 status codes: a client counts only Success as success.
	StatusSuccess   = face.EHealthSuccess
	StatusRequester = face.EHealthRequester
	StatusInvalid   = face.EHealthInvalid
	StatusNoData    = face.EHealthNoData
	messageSource   = face.EHealthOrigin // MedicalCardRegistryMessage/Source is always ECARMED
)

// Config is what the provider face needs besides the pipeline.
type Config struct {
	Rules rules.Engine
	// Agreements issues the payment-commitment numbers (R-AGREEMENT-30).
	Agreements *agreement.Keyring
}

// service serves the provider operation with the pipeline's store and trust file.
type service struct {
	Config
	store store.Store
	trust *trust.Store
}

// Register adds the provider face to the pipeline.
func Register(srv *server.Server, cfg Config) error {
	if cfg.Rules == nil || cfg.Agreements == nil {
		return errors.New("provider: Rules and Agreements are required")
	}
	s := &service{Config: cfg, store: srv.Store(), trust: srv.Trust()}
	return srv.Register(server.Face{Name: "provider", Path: "/MediPrima/Consult/v2", WSDL: "ehealth-mediprima-consult-v2.wsdl",
		Schema: "xsd/ehealth-mediprima-protocol-v2.xsd", SAML: true,
		Operations: []server.Operation{{Element: xml.Name{Space: NSMediprimaProtocol, Local: "ConsultCarmedInterventionRequest"},
			Name: "consultCarmedIntervention", Action: ActionConsultV2, Kind: trust.KindProvider, Handle: s.consultCarmedIntervention}}})
}

func (s *service) consultCarmedIntervention(c *server.Call) (*server.Answer, error) {
	var req pv.ConsultCarmedInterventionRequestType
	if err := c.Decode(&req); err != nil {
		return nil, err
	}
	resp := &pv.ConsultCarmedInterventionResponseType{SelectionCriteria: req.SelectionCriteria}
	resp.Id = pv.ID("ID" + face.NewTicketCBSS())
	resp.IssueInstant = pv.MakeDateTime(c.Now())
	if req.Id != nil {
		irt := string(*req.Id)
		resp.InResponseTo = &irt
	}
	cmd, err := providerCmd(c, &req)
	if err != nil {
		return nil, server.SchemaFault(err)
	}
	res, err := face.ConsultProvider(s.store, s.trust, s.Rules, s.Agreements, cmd, c.Today())
	if err != nil {
		return nil, err
	}
	// The outcome and code recorded for the answer are the project faces' (face.ReadValue,
	// face.StatusOf); only the eHealth status block on the wire is this face's own.
	outcome := face.ReadValue(res.Messages, len(res.Views))
	code, _, _ := face.StatusOf(outcome, res.Messages)
	switch outcome {
	case face.StatusRejected:
		resp.Status = ehealthStatus(StatusRequester, StatusInvalid, res.Messages)
	case face.StatusNotFound:
		resp.Status = ehealthStatus(StatusSuccess, StatusNoData, res.Messages)
	default:
		resp.Status = ehealthStatus(StatusSuccess, "", res.Messages)
		list := &pv.CarmedAttributedListType{}
		for i, v := range res.Views {
			list.Carmed = append(list.Carmed, providerCarmed(v, res.Agreements[i]))
		}
		resp.Result = list
	}
	body, err := server.MarshalBytes(NSMediprimaProtocol, "ConsultCarmedInterventionResponse", resp)
	if err != nil {
		return nil, err
	}
	return &server.Answer{Body: body, Outcome: outcome, Code: code}, nil
}

// providerCmd reads the selection criteria: SSIN + reference date, or SSIN + period.
func providerCmd(c *server.Call, req *pv.ConsultCarmedInterventionRequestType) (rules.ProviderConsultCmd, error) {
	cmd := rules.ProviderConsultCmd{Provider: c.Party().ID, ProviderKind: c.Party().ProviderKind}
	if req.SelectionCriteria == nil || req.SelectionCriteria.BySsin == nil {
		return cmd, face.ErrMissing
	}
	by := req.SelectionCriteria.BySsin
	cmd.SSIN = by.Ssin
	switch {
	case by.ReferenceDate != nil:
		t, err := by.ReferenceDate.Parse()
		if err != nil {
			return cmd, err
		}
		d := rules.DateOf(t)
		cmd.Period, cmd.ByDate = rules.Period{Start: d, End: d}, true
	case by.Period != nil:
		st, err := by.Period.StartDate.Parse()
		if err != nil {
			return cmd, err
		}
		en, err := by.Period.EndDate.Parse()
		if err != nil {
			return cmd, err
		}
		cmd.Period = rules.Period{Start: rules.DateOf(st), End: rules.DateOf(en)}
	default:
		return cmd, errors.New("neither Period nor ReferenceDate")
	}
	return cmd, nil
}

// ehealthStatus builds core:Status; messages travel as MedicalCardRegistryStatus in StatusDetail.
func ehealthStatus(top, sub string, ms []rules.Message) *pv.StatusType {
	st := &pv.StatusType{StatusCode: &pv.StatusCodeType{Value: pv.AnyURI(top)}}
	if sub != "" {
		st.StatusCode.StatusCode = &pv.StatusCodeType{Value: pv.AnyURI(sub)}
	}
	if len(ms) == 0 {
		return st
	}
	reg := pv.MedicalCardRegistryStatusType{}
	for _, m := range ms {
		reg.MedicalCardRegistryMessage = append(reg.MedicalCardRegistryMessage, pv.MedicalCardRegistryMessageType{
			Severity: string(m.Severity), ReasonCode: m.Code, Source: messageSource,
			Communication: []pv.NameType{{Value: m.Fr, Lang: "fr"}, {Value: m.Nl, Lang: "nl"}}})
	}
	inner, err := pv.AnyElement(NSMediprimaCore, "MedicalCardRegistryStatus", &reg)
	if err == nil {
		st.StatusDetail = &pv.StatusDetailType{InnerXML: inner}
		if first := ms[0]; first.Severity == rules.SevError {
			msg := face.Truncate(first.Fr, 256)
			st.StatusMessage = &msg
		}
	}
	return st
}

// providerCarmed renders one decision for a provider: identification always, content only when the
// provider may see it, and the agreement number issued for it, if any (R-AGREEMENT).
func providerCarmed(v rules.ProviderView, agreementNumber string) pv.ConsultCarmedInterventionResultType {
	ver := &v.Version
	b := ver.Beneficiary
	ben := &pv.BeneficiaryType{Ssin: b.SSIN, LastName: b.LastName}
	if b.FirstName != "" {
		ben.FirstName = &b.FirstName
	}
	if b.Gender != "" {
		ben.Gender = &b.Gender
	}
	if b.BirthDate.Valid() {
		x := b.BirthDate.String()
		ben.BirthDate = &x
	}
	if b.DeathDate.Valid() {
		x := b.DeathDate.String()
		ben.DeathDate = &x
	}
	out := pv.ConsultCarmedInterventionResultType{CarmedIdentifier: &pv.CarmedIdentifierType{
		CarmedNumber: ver.Number, VersionNumber: pv.MakeInteger(int64(ver.Version)), Beneficiary: ben,
		ValidityPeriod: pvPeriod(ver.Period),
		Pswc: &pv.OcmwCpasType{CbeNumber: v.Manager.CBE, MunicipalityIns: v.Manager.INS,
			Name: []pv.NameType{{Value: v.Manager.NameFr, Lang: "fr"}, {Value: v.Manager.NameNl, Lang: "nl"}}},
	}}
	if !v.Full {
		return out
	}
	out.CarmedContent = &pv.CarmedContentCareType{MedicalCover: pvCovers(v.Covers), RefundPodmiSppis: pvRefund(ver.State)}
	if agreementNumber != "" {
		out.AgreementNumber = &agreementNumber
	}
	if n := v.AttestationNumber; n != "" {
		out.UrgentMedicalAidAttestationNumber = &n
	}
	return out
}

func pvDate(d rules.Date) pv.Date { return pv.MakeDate(d.Time()) }

func pvPeriod(p rules.Period) *pv.PeriodType {
	return &pv.PeriodType{StartDate: pvDate(p.Start), EndDate: pvDate(p.End)}
}

func pvPart(p rules.Percent) *pv.ZivAmiPatientPartType {
	return &pv.ZivAmiPatientPartType{ZivAmiPart: pv.MakeDecimal(int64(p.AmiPart)*10, 1),
		PatientPart: pv.MakeDecimal(int64(p.PatientPart)*10, 1)}
}

func pvRefund(sp rules.StatePart) *pv.RefundPodmiSppisType {
	return &pv.RefundPodmiSppisType{
		RefundCode: pv.MakeInteger(int64(sp.RefundCode)), AffiliedMutualityInd: sp.Mutuality,
		BeneficiaryStatus: sp.BeneficiaryStatus,
		Justification:     []pv.NameType{{Value: sp.JustificationFr, Lang: "fr"}, {Value: sp.JustificationNl, Lang: "nl"}},
		PodmiSppisPart: &pv.PodmiSppisPartType{HospitalizationPart: pvPart(sp.Hospital),
			AmbulatoryCarePart: pvPart(sp.Ambulatory), OtherPart: pvPart(sp.Other)},
		MedicalUrgencyInd: sp.AMU,
	}
}

func pvCommon(cv *rules.Cover) pv.MedicalCoverCommonInformationType {
	m := pv.MedicalCoverCommonInformationType{ValidityPeriod: pvPeriod(cv.Period),
		PswcSupport: &pv.PswcSupportType{ZivAmiPart: string(cv.Support.AmiPart), PatientPart: string(cv.Support.PatientPart),
			Supplement: string(cv.Support.Supplement), Convention: cv.Support.Convention, Prescription: cv.Support.Prescription}}
	if cv.MaxPatientPart != nil {
		x := clampInt32(*cv.MaxPatientPart)
		m.AmountPatientPartMax = &x
	}
	if cv.MaxSupplement != nil || len(cv.SupplementTypes) > 0 {
		as := &pv.AllowedSupplementsType{}
		if cv.MaxSupplement != nil {
			x := clampInt32(*cv.MaxSupplement)
			as.AmountMaxAllowed = &x
		}
		if len(cv.SupplementTypes) > 0 {
			as.SupplementTypeList = &pv.SupplementTypeListType{SupplementType: cv.SupplementTypes}
		}
		m.AllowedSupplements = as
	}
	return m
}

// clampInt32: the eHealth schema types amounts as xs:int; ours are int64 cents.
func clampInt32(v int64) int32 {
	if v > 1<<31-1 {
		return 1<<31 - 1
	}
	return int32(v)
}

func pvNihii(ps []string) *pv.NihiiNumberListType {
	if len(ps) == 0 {
		return nil
	}
	return &pv.NihiiNumberListType{NihiiNumber: ps}
}

func pvCompanies(ps []string) *pv.CompanyListType {
	if len(ps) == 0 {
		return nil
	}
	return &pv.CompanyListType{CbeNumber: ps}
}

func pvCovers(covers []rules.Cover) *pv.MedicalCoverType {
	if len(covers) == 0 {
		return nil
	}
	mc := &pv.MedicalCoverType{}
	for i := range covers {
		cv := &covers[i]
		m := pvCommon(cv)
		switch cv.Kind {
		case rules.Doctor:
			mc.Doctor = &pv.DoctorType{MedicalCoverCommonInformationType: m, HealthCareProviderList: pvNihii(cv.Providers)}
		case rules.Hospitalization:
			mc.Hospitalization = &pv.HospitalizationType{MedicalCoverCommonInformationType: m, HospitalList: pvNihii(cv.Providers)}
		case rules.AmbulatoryHospitalization:
			mc.AmbulatoryHospitalization = &pv.HospitalizationType{MedicalCoverCommonInformationType: m, HospitalList: pvNihii(cv.Providers)}
		case rules.MedicalTransportation:
			mc.MedicalTransportation = &pv.MedicalTransportationType{MedicalCoverCommonInformationType: m, CompanyList: pvCompanies(cv.Providers)}
		case rules.Miscellaneous:
			mc.Miscellaneous = &pv.MiscellaneousType{MedicalCoverCommonInformationType: m}
		case rules.Paramedic:
			mc.Paramedic = &pv.ParamedicType{MedicalCoverCommonInformationType: m, ProviderList: pvNihii(cv.Providers)}
		case rules.PharmaceuticalDrug:
			mc.PharmaceuticalDrug = &pv.PharmaceuticalDrugType{MedicalCoverCommonInformationType: m, PharmacyList: pvNihii(cv.Providers)}
		case rules.Prosthesis:
			mc.Prosthesis = &pv.ProsthesisType{MedicalCoverCommonInformationType: m, CompanyList: pvCompanies(cv.Providers)}
		}
	}
	return mc
}
