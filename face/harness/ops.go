package harness

import (
	"fmt"
	"strconv"

	"github.com/carmed/carmed/agreement"
	"github.com/carmed/carmed/face"
	gh "github.com/carmed/carmed/gen/harness"
	"github.com/carmed/carmed/rules"
	"github.com/carmed/carmed/server"
	"github.com/carmed/carmed/store"
)

// loadRegistry adds persons to the registry, all or none. A person already stored with the same
// data is counted unchanged; one stored with other data refuses the whole load (PERSON_EXISTS):
// only mutations change a person.
func (s *service) loadRegistry(c *server.Call) (*server.Answer, error) {
	var req gh.LoadRegistryRequestType
	if err := c.Decode(&req); err != nil {
		return nil, err
	}
	ps := make([]rules.Person, 0, len(req.Person))
	for i := range req.Person {
		p, err := personFromWire(&req.Person[i])
		if err != nil {
			return nil, server.SchemaFault(fmt.Errorf("person %d: %w", i, err))
		}
		ps = append(ps, p)
	}
	wrap := func(b gh.ResponseBaseType) any { return &gh.LoadRegistryResponseType{ResponseBaseType: b} }
	const name = "loadRegistryResponse"
	return c.Once(string(req.Ticket), reused(name, req.Ticket, wrap), func(w store.Writer) (*server.Answer, error) {
		loaded, unchanged, conflict, err := face.LoadPersonsInTx(w, ps)
		if err != nil {
			return nil, err
		}
		if conflict >= 0 {
			ms := []rules.Message{rules.NewMessage(rules.CodePersonExists, rules.Info{Name: "person", Value: strconv.Itoa(conflict)})}
			return reject(name, rules.CodePersonExists, wrap(harnessBase(req.Ticket, face.StatusRejected, ms)))
		}
		resp := &gh.LoadRegistryResponseType{Loaded: int32(loaded), Unchanged: int32(unchanged)}
		resp.ResponseBaseType = harnessBase(req.Ticket, face.StatusFound, nil)
		return answer(name, face.StatusFound, face.CodeOK, resp)
	})
}

// applyMutation applies one registry mutation and its effects on the person's decisions in one
// transaction (rules.md §5): person records, versions, their audit, notices and the mutation log.
func (s *service) applyMutation(c *server.Call) (*server.Answer, error) {
	var req gh.ApplyMutationRequestType
	if err := c.Decode(&req); err != nil {
		return nil, err
	}
	m, err := mutationFromWire(&req)
	if err != nil {
		return nil, server.SchemaFault(err)
	}
	const name = "applyMutationResponse"
	wrap := func(b gh.ResponseBaseType) any { return &gh.ApplyMutationResponseType{ResponseBaseType: b} }
	return c.Once(string(req.Ticket), reused(name, req.Ticket, wrap), func(w store.Writer) (*server.Answer, error) {
		res, err := face.MutateInTx(w, s.Rules, &m, face.CPASLookup(s.trust), c.Today(), c.Received())
		if err != nil {
			return nil, err
		}
		if err := server.TechnicalFault(res.Messages); err != nil {
			return nil, err
		}
		if res.Rejected() {
			return reject(name, face.FirstError(res.Messages).Code, wrap(harnessBase(req.Ticket, face.StatusRejected, res.Messages)))
		}
		a, err := answer(name, face.StatusFound, face.CodeOK, mutationAnswer(req.Ticket, m, res))
		if err != nil {
			return nil, err
		}
		// Each version a mutation made is audited with the request and the signed answer, as CPAS writes are.
		for _, v := range res.Versions {
			a.Audits = append(a.Audits, server.Written{Number: v.Number, Version: v.Version})
		}
		return a, nil
	})
}

// mutationAnswer lists what a mutation did: its id, kind, the SSIN flavour and each version made
// with the notice sent for it.
func mutationAnswer(ticket gh.TicketType, m rules.Mutation, res rules.MutationResult) *gh.ApplyMutationResponseType {
	out := &gh.ApplyMutationResponseType{ResponseBaseType: harnessBase(ticket, face.StatusFound, res.Messages)}
	mr := &gh.MutationResultType{MutationId: gh.MutationIdType(strconv.FormatUint(m.Seq, 10)), Kind: gh.MutationCauseType(m.Kind)}
	if res.Change != "" {
		ch := gh.SsinChangeType(res.Change)
		mr.SsinChange = &ch
	}
	for i, v := range res.Versions {
		a := gh.AffectedType{CarmedNumber: gh.CarmedNumberType(v.Number), VersionNumber: gh.VersionNumberType(v.Version),
			Status: gh.CarmedStatusType(v.Status), ManagerCbe: gh.CbeNumberType(v.Manager)}
		if i < len(res.Notices) && res.Notices[i].ID != "" {
			id := gh.NoticeIdType(res.Notices[i].ID)
			a.NoticeId = &id
		}
		mr.Affected = append(mr.Affected, a)
	}
	out.Mutation = mr
	return out
}

// listNotices lists notices for one CPAS or all, pending only unless asked (harness view).
func (s *service) listNotices(c *server.Call) (*server.Answer, error) {
	var req gh.ListNoticesRequestType
	if err := c.Decode(&req); err != nil {
		return nil, err
	}
	q := store.NoticeQuery{}
	if req.CbeNumber != nil {
		q.Manager = string(*req.CbeNumber)
	}
	if req.IncludeAcknowledged != nil {
		q.IncludeAcknowledged = *req.IncludeAcknowledged
	}
	if req.MaxNotices != nil {
		q.Limit = int(*req.MaxNotices)
	}
	var ns []rules.Notice
	var more bool
	if err := s.store.View(func(r store.Reader) error {
		var err error
		ns, more, err = r.Notices(q)
		return err
	}); err != nil {
		return nil, err
	}
	value := face.ReadValue(nil, len(ns))
	resp := &gh.ListNoticesResponseType{ResponseBaseType: harnessBase(req.Ticket, value, nil)}
	for _, n := range ns {
		resp.Notice = append(resp.Notice, ghNotice(n))
	}
	if more {
		resp.MoreNotices = &more
	}
	return answer("listNoticesResponse", value, string(resp.Status.Code), resp)
}

// verifyAgreement checks an agreement number and answers what it guarantees (R-AGREEMENT-30):
// the conditions of the version the provider saw — its covers the provider may invoice, cut to
// the guarantee window, and its State part — whatever the CPAS changed since. The reading is the
// one the CPAS face's consultCarmedAtAgreementDate makes (face.ConsultAgreement); the admin
// checks any number.
func (s *service) verifyAgreement(c *server.Call) (*server.Answer, error) {
	var req gh.VerifyAgreementRequestType
	if err := c.Decode(&req); err != nil {
		return nil, err
	}
	const name = "verifyAgreementResponse"
	var ag face.Agreement
	if err := s.store.View(func(r store.Reader) error {
		var err error
		ag, err = face.ConsultAgreement(r, s.Agreements, string(req.AgreementNumber), rules.Asker{Kind: rules.AskHarness})
		return err
	}); err != nil {
		return nil, err
	}
	if ag.Version == nil {
		code := face.FirstError(ag.Messages).Code
		return answer(name, face.StatusRejected, code,
			&gh.VerifyAgreementResponseType{ResponseBaseType: harnessBase(req.Ticket, face.StatusRejected, ag.Messages)})
	}
	resp := &gh.VerifyAgreementResponseType{ResponseBaseType: harnessBase(req.Ticket, face.StatusFound, nil),
		Agreement: agreementConditions(ag.Claims, ag.KeyID, *ag.Version)}
	return answer(name, face.StatusFound, face.CodeOK, resp)
}

// agreementConditions is what an agreement guarantees: the claims plus the conditions of the
// version, whose covers the rules already cut to the guarantee and the provider.
func agreementConditions(cl agreement.Claims, keyID string, v rules.Version) *gh.AgreementType {
	g := cl.Guarantee()
	out := &gh.AgreementType{CarmedNumber: gh.CarmedNumberType(cl.Number), VersionNumber: gh.VersionNumberType(cl.Version),
		ProviderId: gh.ProviderIdType(cl.Provider), PeriodStart: ghDate(cl.PeriodStart), ConsultationDate: ghDate(cl.Consulted),
		GuaranteedFrom: ghDate(g.Start), GuaranteedTo: ghDate(g.End), KeyId: keyID, ManagerCbe: gh.CbeNumberType(v.Manager),
		Ssin: gh.SsinType(v.Beneficiary.SSIN), Status: gh.CarmedStatusType(v.Status),
		ValidityPeriod: &gh.PeriodType{BeginDate: ghDate(v.Period.Start), EndDate: ghDate(v.Period.End)},
		RefundCode:     int32(v.State.RefundCode),
		StatePart: &gh.StatePartType{Hospitalization: ghPart(v.State.Hospital), Ambulatory: ghPart(v.State.Ambulatory),
			Other: ghPart(v.State.Other)}}
	for _, cv := range v.Covers {
		ac := gh.AgreementCoverType{Kind: gh.CoverKindType(cv.Kind), BeginDate: ghDate(cv.Period.Start),
			EndDate: ghDate(cv.Period.End), AmiPart: gh.ShareType(cv.Support.AmiPart),
			PatientPart: gh.ShareType(cv.Support.PatientPart), Supplement: gh.ShareType(cv.Support.Supplement)}
		if cv.MaxPatientPart != nil {
			a := gh.AmountCentsType(*cv.MaxPatientPart)
			ac.MaxPatientPart = &a
		}
		if cv.MaxSupplement != nil {
			a := gh.AmountCentsType(*cv.MaxSupplement)
			ac.MaxSupplement = &a
		}
		for _, p := range cv.Providers {
			ac.Provider = append(ac.Provider, gh.ProviderNumberType(p))
		}
		out.Cover = append(out.Cover, ac)
	}
	return out
}

func ghPart(p rules.Percent) *gh.PartType {
	return &gh.PartType{AmiPart: gh.PercentType(p.AmiPart), PatientPart: gh.PercentType(p.PatientPart)}
}
