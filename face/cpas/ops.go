package cpas

import (
	"github.com/carmed/carmed/face"
	"github.com/carmed/carmed/gen"
	"github.com/carmed/carmed/rules"
	"github.com/carmed/carmed/server"
	"github.com/carmed/carmed/store"
)

// checkCustomer enforces R-CBE: the CPAS named in informationCustomer is the signer's.
func checkCustomer(c *server.Call, base *gen.RequestBaseType) (*gen.InformationCustomerType, *rules.Message, error) {
	if base == nil || base.InformationCustomer == nil || base.InformationCustomer.CustomerIdentification == nil {
		return nil, nil, server.SchemaFault(face.ErrMissing)
	}
	ic := base.InformationCustomer
	cbe := string(ic.CustomerIdentification.CbeNumber)
	if !rules.ValidCBE(cbe) || cbe != c.Party().ID {
		m := rules.MsgCBEMismatch()
		return ic, &m, nil
	}
	return ic, nil, nil
}

// write runs a CPAS write in one store transaction: idempotency on (CBE, ticket), the rules on the
// current state, then the version, the reply (the answer's Body, sealed again for a retry) and the
// audit (the signed answer) committed together. Only a durable write is acknowledged; a rejection
// writes nothing.
func (s *service) write(c *server.Call, respName string, base *gen.RequestBaseType, run func(r store.Reader) (rules.Result, error)) (*server.Answer, error) {
	ic, bad, err := checkCustomer(c, base)
	if err != nil {
		return nil, err
	}
	if bad != nil {
		return s.answerWrite(c, respName, ic, rules.Result{Messages: []rules.Message{*bad}})
	}
	ticket := string(ic.Ticket)
	reused := func() (*server.Answer, error) {
		return s.answerWrite(c, respName, ic, rules.Result{Messages: []rules.Message{rules.MsgTicketReused(ticket)}})
	}
	return c.Once(ticket, reused, func(tx store.Writer) (*server.Answer, error) {
		res, err := run(tx)
		if err != nil {
			return nil, err
		}
		if err := server.TechnicalFault(res.Messages); err != nil {
			return nil, err
		}
		if res.Rejected() || res.Version == nil {
			a, err := s.answerWrite(c, respName, ic, res)
			if err != nil {
				return nil, err
			}
			return nil, server.Reject(a)
		}
		v := res.Version
		if v.Number == "" {
			if v.Number, err = tx.NextNumber(); err != nil {
				return nil, err
			}
		}
		if err := tx.PutVersion(*v); err != nil {
			return nil, err
		}
		out, err := s.answerWrite(c, respName, ic, res)
		if err != nil {
			return nil, err
		}
		out.Version = v.Version
		out.Audits = []server.Written{{Number: v.Number, Version: v.Version}}
		return out, nil
	})
}

// answerWrite renders the answer to a write: the new version in full, or the rejection messages.
func (s *service) answerWrite(c *server.Call, respName string, ic *gen.InformationCustomerType, res rules.Result) (*server.Answer, error) {
	value := face.StatusFound
	if res.Rejected() {
		value = face.StatusRejected
	}
	resp := &gen.WriteCarmedResponseType{ResponseBaseType: *responseBase(c, ic, value, res.Messages)}
	a := &server.Answer{Outcome: value, Code: string(resp.Status.Code)}
	if value == face.StatusFound && res.Version != nil {
		mgr, _ := face.CPASLookup(s.trust)(res.Version.Manager)
		resp.Carmed = genCarmed(rules.View{Full: true, Version: *res.Version, Manager: mgr})
		a.Number = res.Version.Number
	}
	body, err := server.MarshalBytes(NS, respName, resp)
	if err != nil {
		return nil, err
	}
	a.Body = body
	return a, nil
}

func (s *service) createCarmed(c *server.Call) (*server.Answer, error) {
	var req gen.CreateCarmedRequestType
	if err := c.Decode(&req); err != nil {
		return nil, err
	}
	ct, err := content(req.Decision)
	if err != nil {
		return nil, server.SchemaFault(err)
	}
	cmd := rules.CreateCmd{Caller: c.Party().ID, SSIN: string(req.Ssin), Content: ct}
	return s.write(c, "createCarmedResponse", &req.RequestBaseType, func(r store.Reader) (rules.Result, error) {
		f, err := s.facts(r, cmd.SSIN)
		if err != nil {
			return rules.Result{}, err
		}
		return s.Rules.Create(cmd, f, c.Today(), c.Received()), nil
	})
}

func (s *service) modifyCarmed(c *server.Call) (*server.Answer, error) {
	var req gen.ModifyCarmedRequestType
	if err := c.Decode(&req); err != nil {
		return nil, err
	}
	cmd, err := modifyCmd(c, &req)
	if err != nil {
		return nil, err
	}
	return s.write(c, "modifyCarmedResponse", &req.RequestBaseType, s.modifyRun(c, cmd))
}

// modifyRun is modifyCarmed's rules run on a snapshot; simulateModify runs the very same one
// read-only, so its answer cannot drift from the real modify's (R-SIMULATE-MODIFY).
func (s *service) modifyRun(c *server.Call, cmd rules.ModifyCmd) func(r store.Reader) (rules.Result, error) {
	return func(r store.Reader) (rules.Result, error) {
		f, err := s.decisionFacts(r, cmd.Number)
		if err != nil {
			return rules.Result{}, err
		}
		return s.Rules.Modify(cmd, f, c.Today(), c.Received()), nil
	}
}

// modifyCmd maps a modifyCarmed (or simulateModify) request to the rules' command.
func modifyCmd(c *server.Call, req *gen.ModifyCarmedRequestType) (rules.ModifyCmd, error) {
	cmd := rules.ModifyCmd{Caller: c.Party().ID, Number: string(req.CarmedNumber), BaseVersion: int(req.VersionNumber),
		Action: rules.Action(req.Action)}
	if cmd.Action == rules.ActionModify || req.Decision != nil {
		ct, err := content(req.Decision)
		if err != nil {
			return cmd, server.SchemaFault(err)
		}
		cmd.Content = ct
		if cmd.Action == rules.ActionActivate {
			p := ct.Period // a reactivation reads only the validity (R-REACTIVATE)
			cmd.Period = &p
		}
	}
	return cmd, nil
}

func (s *service) stopCarmed(c *server.Call) (*server.Answer, error) {
	var req gen.StopCarmedRequestType
	if err := c.Decode(&req); err != nil {
		return nil, err
	}
	d, err := date(req.EndDate)
	if err != nil {
		return nil, server.SchemaFault(err)
	}
	cmd := rules.StopCmd{Caller: c.Party().ID, Number: string(req.CarmedNumber), BaseVersion: int(req.VersionNumber), StopDate: d}
	return s.write(c, "stopCarmedResponse", &req.RequestBaseType, func(r store.Reader) (rules.Result, error) {
		f, err := s.decisionFacts(r, cmd.Number)
		if err != nil {
			return rules.Result{}, err
		}
		return s.Rules.Stop(cmd, f, c.Today(), c.Received()), nil
	})
}

func (s *service) closeCarmed(c *server.Call) (*server.Answer, error) {
	var req gen.CloseCarmedRequestType
	if err := c.Decode(&req); err != nil {
		return nil, err
	}
	cmd := rules.CloseCmd{Caller: c.Party().ID, Number: string(req.CarmedNumber), BaseVersion: int(req.VersionNumber)}
	return s.write(c, "closeCarmedResponse", &req.RequestBaseType, func(r store.Reader) (rules.Result, error) {
		f, err := s.decisionFacts(r, cmd.Number)
		if err != nil {
			return rules.Result{}, err
		}
		return s.Rules.Close(cmd, f, c.Today(), c.Received()), nil
	})
}

func (s *service) consultCarmed(c *server.Call) (*server.Answer, error) {
	var req gen.ConsultCarmedRequestType
	if err := c.Decode(&req); err != nil {
		return nil, err
	}
	ic, bad, err := checkCustomer(c, &req.RequestBaseType)
	if err != nil {
		return nil, err
	}
	cmd := rules.ConsultCmd{Caller: c.Party().ID, Date: rules.NoDate}
	sc := req.SelectionCriteria
	switch {
	case sc == nil:
		err = face.ErrMissing
	case sc.BySsin != nil:
		cmd.SSIN = string(sc.BySsin.Ssin)
		switch {
		case sc.BySsin.Period != nil:
			cmd.Mode = rules.ByPeriod
			cmd.Period, err = period(sc.BySsin.Period)
		case sc.BySsin.ReferenceDate != nil:
			cmd.Mode = rules.ByDate
			cmd.Date, err = date(*sc.BySsin.ReferenceDate)
		default:
			cmd.Mode = rules.ByDate
		}
	case sc.ByNumber != nil:
		cmd.Mode, cmd.Number = rules.ByNumber, string(sc.ByNumber.CarmedNumber)
		if sc.ByNumber.VersionNumber != nil {
			cmd.Version = int(*sc.ByNumber.VersionNumber)
		}
	case sc.History != nil:
		cmd.Mode, cmd.SSIN = rules.History, string(sc.History.Ssin)
		cmd.Period, err = period(sc.History.Period)
	default:
		err = face.ErrMissing
	}
	if err != nil {
		return nil, server.SchemaFault(err)
	}
	var res rules.ConsultResult
	ms, err := s.read(bad, func(r store.Reader) ([]rules.Message, error) {
		var err error
		res, err = face.ConsultCPASIn(r, s.trust, s.Rules, cmd, c.Today())
		return res.Messages, err
	})
	if err != nil {
		return nil, err
	}
	value := face.ReadValue(ms, len(res.Views))
	resp := &gen.ConsultCarmedResponseType{ResponseBaseType: *responseBase(c, ic, value, ms)}
	if value == face.StatusFound {
		for _, v := range res.Views {
			resp.Carmed = append(resp.Carmed, *genCarmed(v))
		}
		if res.More {
			more := true
			resp.MoreResults = &more
		}
	}
	return answerRead("consultCarmedResponse", value, resp, resp.Status.Code)
}

func (s *service) simulate(c *server.Call) (*server.Answer, error) {
	var req gen.SimulateRequestType
	if err := c.Decode(&req); err != nil {
		return nil, err
	}
	ic, bad, err := checkCustomer(c, &req.RequestBaseType)
	if err != nil {
		return nil, err
	}
	cmd := rules.SimulateCmd{Caller: c.Party().ID, SSIN: string(req.Ssin), IncomeAboveRI: req.IncomeAboveIntegrationIncome,
		JudicialDecision: req.JudicialDecision, NoStateIntervention: req.NoStateIntervention}
	if cmd.DecisionDate, err = date(req.DecisionDate); err == nil {
		cmd.Period, err = period(req.ValidityPeriod)
	}
	if err != nil {
		return nil, server.SchemaFault(err)
	}
	var res rules.SimulateResult
	ms, err := s.read(bad, func(r store.Reader) ([]rules.Message, error) {
		f, err := s.facts(r, cmd.SSIN)
		if err != nil {
			return nil, err
		}
		res = s.Rules.Simulate(cmd, f, c.Today())
		return res.Messages, nil
	})
	if err != nil {
		return nil, err
	}
	value := face.ReadValue(ms, 1)
	resp := &gen.SimulateResponseType{ResponseBaseType: *responseBase(c, ic, value, ms)}
	if value == face.StatusFound {
		resp.RefundPodmiSppis = genStatePart(res.State)
	}
	return answerRead("simulateResponse", value, resp, resp.Status.Code)
}

func (s *service) queryCarmedManager(c *server.Call) (*server.Answer, error) {
	var req gen.QueryCarmedManagerRequestType
	if err := c.Decode(&req); err != nil {
		return nil, err
	}
	ic, bad, err := checkCustomer(c, &req.RequestBaseType)
	if err != nil {
		return nil, err
	}
	cmd := rules.QueryManagerCmd{Caller: c.Party().ID, SSIN: string(req.Ssin), Date: rules.NoDate}
	if req.ReferenceDate != nil {
		d, err := date(*req.ReferenceDate)
		if err != nil {
			return nil, server.SchemaFault(err)
		}
		cmd.Date = d
	}
	var res rules.QueryManagerResult
	ms, err := s.read(bad, func(r store.Reader) ([]rules.Message, error) {
		f, err := s.facts(r, cmd.SSIN)
		if err != nil {
			return nil, err
		}
		res = s.Rules.QueryManager(cmd, f, c.Today())
		return res.Messages, nil
	})
	if err != nil {
		return nil, err
	}
	value := face.ReadValue(ms, len(res.Views))
	resp := &gen.QueryCarmedManagerResponseType{ResponseBaseType: *responseBase(c, ic, value, ms)}
	if value == face.StatusFound {
		resp.Carmed = genCarmed(res.Views[0])
	}
	return answerRead("queryCarmedManagerResponse", value, resp, resp.Status.Code)
}

// read runs a read-only operation on a store snapshot after the R-CBE check (bad); a technical
// message (e.g. an invalid SSIN) becomes a fault.
func (s *service) read(bad *rules.Message, run func(r store.Reader) ([]rules.Message, error)) ([]rules.Message, error) {
	if bad != nil {
		return []rules.Message{*bad}, nil
	}
	var ms []rules.Message
	if err := s.store.View(func(r store.Reader) error {
		var err error
		ms, err = run(r)
		return err
	}); err != nil {
		return nil, err
	}
	if err := server.TechnicalFault(ms); err != nil {
		return nil, err
	}
	return ms, nil
}

// answerRead renders a read's response element.
func answerRead(name, value string, resp any, code gen.ReasonCodeType) (*server.Answer, error) {
	body, err := server.MarshalBytes(NS, name, resp)
	if err != nil {
		return nil, err
	}
	return &server.Answer{Body: body, Outcome: value, Code: string(code)}, nil
}
