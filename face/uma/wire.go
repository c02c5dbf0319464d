package uma

import (
	"github.com/carmed/carmed/face"
	um "github.com/carmed/carmed/gen/uma"
	"github.com/carmed/carmed/rules"
	"github.com/carmed/carmed/server"
)

// maxStatusMessage is the longest StatusMessage we write: the first error's French text, cut as
// the provider face cuts it.
const maxStatusMessage = 256

// statusResponse is the common part of every answer: its own Id, the request's Id echoed as
// InResponseTo, the issue time and the status.
func statusResponse(c *server.Call, id string, st *um.StatusType) um.StatusResponseType {
	r := um.StatusResponseType{Status: st}
	r.Id = um.ID("ID" + face.NewTicketCBSS())
	r.IssueInstant = um.MakeDateTime(c.Now())
	if id != "" {
		r.InResponseTo = &id
	}
	return r
}

// success is the Success status, refined by sub when given (DataNotFound).
func success(sub string) *um.StatusType {
	st := &um.StatusType{StatusCode: &um.StatusCodeType{Value: face.EHealthSuccess}}
	if sub != "" {
		st.StatusCode.StatusCode = &um.StatusCodeType{Value: um.AnyURI(sub)}
	}
	return st
}

// refused is the status of a refusal: Requester refined by InvalidInput, the first error's French
// text as StatusMessage, and UMA's own detail, RegistryStatus, with one ErrorDetail per message.
func refused(ms []rules.Message) (*um.StatusType, error) {
	st := &um.StatusType{StatusCode: &um.StatusCodeType{Value: face.EHealthRequester,
		StatusCode: &um.StatusCodeType{Value: face.EHealthInvalid}}}
	if m := face.FirstError(ms); m != nil {
		msg := face.Truncate(m.Fr, maxStatusMessage)
		st.StatusMessage = &msg
	}
	var reg um.RegistryStatusType
	for _, m := range ms {
		reg.ErrorDetail = append(reg.ErrorDetail, um.ErrorType{Origin: face.EHealthOrigin, Code: m.Code,
			Message: []um.NameType{{Value: m.Fr, Lang: "fr"}, {Value: m.Nl, Lang: "nl"}}})
	}
	inner, err := um.AnyElement(NSCore, "RegistryStatus", &reg)
	if err != nil {
		return nil, err
	}
	st.StatusDetail = &um.StatusDetailType{InnerXML: inner}
	return st, nil
}

// refusal is the answer to a refused request: the operation's response element with the refused
// status and nothing else.
func refusal(c *server.Call, id, name string, ms ...rules.Message) (*server.Answer, error) {
	st, err := refused(ms)
	if err != nil {
		return nil, err
	}
	code := ""
	if m := face.FirstError(ms); m != nil {
		code = m.Code
	}
	// Every UMA response is a StatusResponseType and one optional element, which a refusal leaves out.
	resp := statusResponse(c, id, st)
	return answer(name, &resp, face.StatusRejected, code)
}

// rejectAll is a refusal inside Call.Once: answered, and nothing written.
func rejectAll(c *server.Call, id, name string, ms []rules.Message) error {
	a, err := refusal(c, id, name, ms...)
	if err != nil {
		return err
	}
	return server.Reject(a)
}

// answer marshals a response as the operation element name of the protocol namespace.
func answer(name string, resp any, outcome, code string) (*server.Answer, error) {
	body, err := server.MarshalBytes(NSProtocol, name, resp)
	if err != nil {
		return nil, err
	}
	return &server.Answer{Body: body, Outcome: outcome, Code: code}, nil
}

// attestation renders a stored attestation: the Author as sent, the validity with its end always
// written (the start day when the send gave none), the cover and the number.
func attestation(a *rules.Attestation) *um.AttestationType {
	author := &um.AuthorType{}
	for _, p := range a.Parties {
		ap := um.ActorType{FirstName: p.FirstNames, Name: p.Name}
		for _, id := range p.IDs {
			ap.Id = append(ap.Id, um.IdType{Type: um.AnyURI(id.Type), Value: id.Value})
		}
		author.HcParty = append(author.HcParty, ap)
	}
	end := umDate(a.Period.End)
	return &um.AttestationType{Author: author, BeneficiarySsin: a.SSIN,
		ValidityPeriod: &um.PeriodType{StartDate: umDate(a.Period.Start), EndDate: &end},
		MedicalCover:   um.MedicalCoverType(a.Cover), AttestationNumber: a.Number}
}

func umDate(d rules.Date) um.Date { return um.MakeDate(d.Time()) }
