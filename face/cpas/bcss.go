package cpas

import (
	"github.com/carmed/carmed/face"
	"github.com/carmed/carmed/gen"
	"github.com/carmed/carmed/rules"
	"github.com/carmed/carmed/server"
	"github.com/carmed/carmed/store"
)

// The two BCSS MediPrima v2 operations that are reads on the CPAS face:
// EvaluateModifiedCarmed (simulateModify) and ConsultCarmedAtAgreementDate.

// simulateModify answers what modifyCarmed would answer to the same request (R-SIMULATE-MODIFY):
// the same checks on the same snapshot, and the version it would write or the NO_RESULT
// messages. It runs outside Call.Once on a read-only snapshot, so nothing is stored, no version
// number is used up and the ticket is not recorded: the real modify may use the same ticket.
func (s *service) simulateModify(c *server.Call) (*server.Answer, error) {
	var req gen.ModifyCarmedRequestType
	if err := c.Decode(&req); err != nil {
		return nil, err
	}
	cmd, err := modifyCmd(c, &req)
	if err != nil {
		return nil, err
	}
	ic, bad, err := checkCustomer(c, &req.RequestBaseType)
	if err != nil {
		return nil, err
	}
	const name = "simulateModifyResponse"
	if bad != nil {
		return s.answerWrite(c, name, ic, rules.Result{Messages: []rules.Message{*bad}})
	}
	var res rules.Result
	run := s.modifyRun(c, cmd)
	if err := s.store.View(func(r store.Reader) error {
		var err error
		res, err = run(r)
		return err
	}); err != nil {
		return nil, err
	}
	if err := server.TechnicalFault(res.Messages); err != nil {
		return nil, err
	}
	return s.answerWrite(c, name, ic, res)
}

// consultCarmedAtAgreementDate answers what an agreement number guarantees to the decision's
// managing CPAS (R-CONSULT-AT-AGREEMENT): the claims it carries, and the version it names as it
// was written, its covers cut to the guaranteed days and to those the provider may invoice. The
// reading is the harness's verifyAgreement's (face.ConsultAgreement); another CPAS, or a number
// that is not authentic, gets no content.
func (s *service) consultCarmedAtAgreementDate(c *server.Call) (*server.Answer, error) {
	var req gen.ConsultCarmedAtAgreementDateRequestType
	if err := c.Decode(&req); err != nil {
		return nil, err
	}
	ic, bad, err := checkCustomer(c, &req.RequestBaseType)
	if err != nil {
		return nil, err
	}
	var ag face.Agreement
	ms, err := s.read(bad, func(r store.Reader) ([]rules.Message, error) {
		var err error
		ag, err = face.ConsultAgreement(r, s.Agreements, string(req.AgreementNumber),
			rules.Asker{Kind: rules.AskManager, ID: c.Party().ID})
		return ag.Messages, err
	})
	if err != nil {
		return nil, err
	}
	value := face.ReadValue(ms, 1)
	resp := &gen.ConsultCarmedAtAgreementDateResponseType{ResponseBaseType: *responseBase(c, ic, value, ms)}
	if value == face.StatusFound && ag.Version != nil {
		cl := ag.Claims
		resp.Agreement = &gen.AgreementType{CarmedNumber: gen.CarmedNumberType(cl.Number),
			VersionNumber: gen.VersionNumberType(cl.Version), Provider: gen.ProviderNumberType(cl.Provider),
			ConsultationDate: genDate(cl.Consulted), GuaranteedPeriod: genPeriod(cl.Guarantee())}
		mgr, _ := face.CPASLookup(s.trust)(ag.Version.Manager)
		resp.Carmed = genCarmed(rules.View{Full: true, Version: *ag.Version, Manager: mgr})
	}
	return answerRead("consultCarmedAtAgreementDateResponse", value, resp, resp.Status.Code)
}
