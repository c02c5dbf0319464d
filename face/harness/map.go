package harness

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/carmed/carmed/face"
	gh "github.com/carmed/carmed/gen/harness"
	"github.com/carmed/carmed/rules"
)

// personFromWire turns a harness person into a registry record; errors name the field only.
func personFromWire(p *gh.PersonType) (rules.Person, error) {
	out := rules.Person{SSIN: string(p.Ssin), LastName: p.LastName, DeathDate: rules.NoDate}
	if !rules.ValidSSIN(out.SSIN) {
		return out, errors.New("ssin fails its check digits")
	}
	if p.FirstName != nil {
		out.FirstName = *p.FirstName
	}
	if p.Gender != nil {
		out.Gender = string(*p.Gender)
	}
	var err error
	if out.BirthDate, err = harnessDate(p.BirthDate); err != nil {
		return out, errors.New("birthDate is not a date")
	}
	if p.DeathDate != nil {
		if out.DeathDate, err = harnessDate(*p.DeathDate); err != nil || out.DeathDate < out.BirthDate {
			return out, errors.New("deathDate is not a date after birthDate")
		}
	}
	for i, s := range p.Situation {
		from, err := harnessDate(s.From)
		if err != nil {
			return out, fmt.Errorf("situation %d: from is not a date", i)
		}
		// SituationOn takes the last with From ≤ day: the order is the meaning.
		if i > 0 && from <= out.Situations[i-1].From {
			return out, fmt.Errorf("situation %d: from must follow the previous situation's", i)
		}
		sit := rules.Situation{From: from, Kind: rules.SituationKind(s.Kind)}
		if s.ResidenceIns != nil {
			sit.ResidenceINS = string(*s.ResidenceIns)
		}
		out.Situations = append(out.Situations, sit)
	}
	return out, nil
}

// WirePerson is a registry record on the harness wire (consultPerson answers, loadRegistry
// requests built by carmed harness load).
func WirePerson(p rules.Person) *gh.PersonType {
	out := &gh.PersonType{Ssin: gh.SsinType(p.SSIN), LastName: p.LastName, BirthDate: ghDate(p.BirthDate)}
	if p.FirstName != "" {
		fn := p.FirstName
		out.FirstName = &fn
	}
	if p.Gender != "" {
		g := gh.GenderType(p.Gender)
		out.Gender = &g
	}
	if p.DeathDate.Valid() {
		d := ghDate(p.DeathDate)
		out.DeathDate = &d
	}
	for _, s := range p.Situations {
		st := gh.SituationType{From: ghDate(s.From), Kind: gh.SituationKindType(s.Kind)}
		if s.ResidenceINS != "" {
			ins := gh.InsCodeType(s.ResidenceINS)
			st.ResidenceIns = &ins
		}
		out.Situation = append(out.Situation, st)
	}
	if p.ReplacedBy != "" {
		r := gh.SsinType(p.ReplacedBy)
		out.ReplacedBy = &r
	}
	return out
}

// mutationFromWire reads the one change an applyMutation request carries (the schema's choice).
func mutationFromWire(req *gh.ApplyMutationRequestType) (rules.Mutation, error) {
	eff, err := harnessDate(req.EffectiveDate)
	if err != nil {
		return rules.Mutation{}, errors.New("effectiveDate is not a date")
	}
	m := rules.Mutation{SSIN: string(req.Ssin), Effective: eff}
	switch {
	case req.Name != nil:
		m.Kind, m.LastName = rules.MutName, req.Name.LastName
		if req.Name.FirstName != nil {
			m.FirstName = *req.Name.FirstName
		}
	case req.Gender != nil:
		m.Kind, m.Gender = rules.MutGender, string(*req.Gender)
	case req.BirthDate != nil:
		m.Kind = rules.MutBirthDate
		if m.BirthDate, err = harnessDate(*req.BirthDate); err != nil {
			return m, errors.New("birthDate is not a date")
		}
	case req.NewSsin != nil:
		m.Kind, m.NewSSIN = rules.MutSSIN, string(*req.NewSsin)
	case req.Death != nil:
		m.Kind = rules.MutDeath
	case req.Situation != nil:
		m.Kind = rules.MutSituation
		m.Situation = rules.Situation{From: eff, Kind: rules.SituationKind(req.Situation.Kind)}
		if req.Situation.ResidenceIns != nil {
			m.Situation.ResidenceINS = string(*req.Situation.ResidenceIns)
		}
	default:
		return m, face.ErrMissing
	}
	return m, nil
}

// ghNotice is a notice as the harness lists it (the CPAS face's notice plus addressee and state).
func ghNotice(n rules.Notice) gh.HarnessNoticeType {
	out := gh.HarnessNoticeType{NoticeId: gh.NoticeIdType(n.ID), ManagerCbe: gh.CbeNumberType(n.Manager),
		CreationTime: gh.MakeDateTime(n.Created), Ssin: gh.SsinType(n.SSIN), CarmedNumber: gh.CarmedNumberType(n.Number),
		VersionNumber: gh.VersionNumberType(n.Version), Status: gh.CarmedStatusType(n.Status),
		Cause: gh.MutationCauseType(n.Cause), MutationId: gh.MutationIdType(strconv.FormatUint(n.Mutation, 10)),
		EffectiveDate: ghDate(n.Effective), Acknowledged: n.Acknowledged}
	if n.OldSSIN != "" {
		o := gh.SsinType(n.OldSSIN)
		out.OldSsin = &o
	}
	if s := n.Suspension; s != nil {
		out.Suspension = &gh.SuspensionType{Reason: s.Reason, Date: ghDate(s.Date)}
		if s.Reason == rules.SuspendRefundCode {
			out.Suspension.OldRefundCode, out.Suspension.NewRefundCode = face.RefundCodes(s)
		}
		if s.OldSSIN != "" {
			o := gh.SsinType(s.OldSSIN)
			out.Suspension.OldSsin = &o
		}
	}
	for _, a := range n.Actions {
		na := gh.NextActionType{Action: gh.NextActionKindType(a.Action)}
		if a.MinStopDate.Valid() {
			d, e := ghDate(a.MinStopDate), ghDate(a.MaxStopDate)
			na.MinStopDate, na.MaxStopDate = &d, &e
		}
		out.NextAction = append(out.NextAction, na)
	}
	return out
}
