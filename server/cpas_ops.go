package server

import (
	"bytes"
	"crypto/sha256"
	"errors"

	"github.com/carmed/carmed/gen"
	"github.com/carmed/carmed/rules"
	"github.com/carmed/carmed/store"
)

// facts gathers what the rules may read about one beneficiary.
func (c *call) facts(r store.Reader, ssin string) (rules.Facts, error) {
	f := rules.Facts{CPAS: c.s.cpasInfo}
	p, err := r.Person(ssin)
	switch {
	case err == nil:
		f.Person = &p
	case !errors.Is(err, store.ErrNotFound):
		return f, err
	}
	if f.Decisions, err = r.DecisionsBySSIN(ssin); err != nil {
		return f, err
	}
	return f, nil
}

// cpasInfo resolves a CBE to the CPAS's names from the trust file (for messages and views).
func (s *Server) cpasInfo(cbe string) (rules.CPAS, bool) {
	p, ok := s.cfg.Trust.CPAS(cbe)
	if !ok {
		return rules.CPAS{CBE: cbe}, false
	}
	return rules.CPAS{CBE: p.ID, NameFr: p.NameFr, NameNl: p.NameNl, INS: p.INS}, true
}

// checkCustomer enforces R-CBE: the CPAS named in informationCustomer is the signer's.
func (c *call) checkCustomer(base *gen.RequestBaseType) (*gen.InformationCustomerType, *rules.Message, *Fault) {
	if base == nil || base.InformationCustomer == nil || base.InformationCustomer.CustomerIdentification == nil {
		return nil, nil, faultSchema(c.in.version, errMissing)
	}
	ic := base.InformationCustomer
	cbe := string(ic.CustomerIdentification.CbeNumber)
	if !rules.ValidCBE(cbe) || cbe != c.party.ID {
		m := rules.MsgCBEMismatch()
		return ic, &m, nil
	}
	return ic, nil, nil
}

// payloadHash identifies a request body for idempotency: the verified canonical bytes inside the
// Body element, so a re-signed retry (new Timestamp, new Ids on the Body) still matches.
func payloadHash(canonicalBody []byte) [32]byte {
	inner := canonicalBody
	if i := bytes.IndexByte(inner, '>'); i >= 0 {
		inner = inner[i+1:]
	}
	if j := bytes.LastIndex(inner, []byte("</")); j >= 0 {
		inner = inner[:j]
	}
	return sha256.Sum256(inner)
}

// write runs a CPAS write in one store transaction: idempotency on (CBE, ticket), the rules on the
// current state, then the version, the reply (the answer's Body, sealed again for a retry) and the
// audit (the signed answer) committed together. Only a durable write is acknowledged; a rejection
// writes nothing.
func (c *call) write(respName string, base *gen.RequestBaseType, run func(r store.Reader) (rules.Result, error)) *reply {
	ic, bad, f := c.checkCustomer(base)
	if f != nil {
		return &reply{fault: f}
	}
	if bad != nil {
		return c.answerWrite(respName, ic, rules.Result{Messages: []rules.Message{*bad}})
	}
	ticket := string(ic.Ticket)
	reused := func() *reply {
		return c.answerWrite(respName, ic, rules.Result{Messages: []rules.Message{rules.MsgTicketReused(ticket)}})
	}
	return c.once(ticket, reused, func(tx store.Writer) (*reply, bool, func(), error) {
		res, err := run(tx)
		if err != nil {
			return nil, false, nil, err
		}
		if f := technicalFault(c.in.version, res.Messages); f != nil {
			return &reply{fault: f}, false, nil, nil
		}
		if res.Rejected() || res.Version == nil {
			return c.answerWrite(respName, ic, res), false, nil, nil
		}
		v := res.Version
		if v.Number == "" {
			if v.Number, err = tx.NextNumber(); err != nil {
				return nil, false, nil, err
			}
		}
		if err := tx.PutVersion(*v); err != nil {
			return nil, false, nil, err
		}
		out := c.answerWrite(respName, ic, res)
		if out.fault != nil {
			return nil, false, nil, out.fault
		}
		out.version = v.Version
		out.audits = []written{{v.Number, v.Version}}
		return out, true, nil, nil
	})
}

// answerWrite renders the answer to a write: the new version in full, or the rejection messages.
func (c *call) answerWrite(respName string, ic *gen.InformationCustomerType, res rules.Result) *reply {
	value := statusFound
	if res.Rejected() {
		value = statusRejected
	}
	resp := &gen.WriteCarmedResponseType{ResponseBaseType: *responseBase(c, ic, value, res.Messages)}
	rp := &reply{outcome: value, code: string(resp.Status.Code)}
	if value == statusFound && res.Version != nil {
		mgr, _ := c.s.cpasInfo(res.Version.Manager)
		resp.Carmed = genCarmed(rules.View{Full: true, Version: *res.Version, Manager: mgr})
		rp.number = res.Version.Number
	}
	el, err := marshalPayload(NSCpas, respName, resp)
	if err != nil {
		return &reply{fault: faultServer(c.in.version, err)}
	}
	rp.payload = el
	return rp
}

func (s *Server) createCarmed(c *call) *reply {
	var req gen.CreateCarmedRequestType
	if f := decodePayload(c, &req); f != nil {
		return &reply{fault: f}
	}
	ct, err := content(req.Decision)
	if err != nil {
		return &reply{fault: faultSchema(c.in.version, err)}
	}
	cmd := rules.CreateCmd{Caller: c.party.ID, SSIN: string(req.Ssin), Content: ct}
	return c.write("createCarmedResponse", &req.RequestBaseType, func(r store.Reader) (rules.Result, error) {
		f, err := c.facts(r, cmd.SSIN)
		if err != nil {
			return rules.Result{}, err
		}
		return s.cfg.Rules.Create(cmd, f, c.today, c.received), nil
	})
}

// decisionFacts loads the facts for the beneficiary of an existing decision (empty when unknown:
// the rules answer "not found").
func (c *call) decisionFacts(r store.Reader, number string) (rules.Facts, error) {
	d, err := r.Decision(number)
	if errors.Is(err, store.ErrNotFound) {
		return rules.Facts{CPAS: c.s.cpasInfo}, nil
	}
	if err != nil {
		return rules.Facts{}, err
	}
	return c.facts(r, d.Latest().Beneficiary.SSIN)
}

func (s *Server) modifyCarmed(c *call) *reply {
	var req gen.ModifyCarmedRequestType
	if f := decodePayload(c, &req); f != nil {
		return &reply{fault: f}
	}
	cmd := rules.ModifyCmd{Caller: c.party.ID, Number: string(req.CarmedNumber), BaseVersion: int(req.VersionNumber),
		Action: rules.Action(req.Action)}
	if cmd.Action == rules.ActionModify || req.Decision != nil {
		ct, err := content(req.Decision)
		if err != nil {
			return &reply{fault: faultSchema(c.in.version, err)}
		}
		cmd.Content = ct
		if cmd.Action == rules.ActionActivate {
			p := ct.Period // a reactivation reads only the validity (R-REACTIVATE)
			cmd.Period = &p
		}
	}
	return c.write("modifyCarmedResponse", &req.RequestBaseType, func(r store.Reader) (rules.Result, error) {
		f, err := c.decisionFacts(r, cmd.Number)
		if err != nil {
			return rules.Result{}, err
		}
		return s.cfg.Rules.Modify(cmd, f, c.today, c.received), nil
	})
}

func (s *Server) stopCarmed(c *call) *reply {
	var req gen.StopCarmedRequestType
	if f := decodePayload(c, &req); f != nil {
		return &reply{fault: f}
	}
	d, err := date(req.EndDate)
	if err != nil {
		return &reply{fault: faultSchema(c.in.version, err)}
	}
	cmd := rules.StopCmd{Caller: c.party.ID, Number: string(req.CarmedNumber), BaseVersion: int(req.VersionNumber), StopDate: d}
	return c.write("stopCarmedResponse", &req.RequestBaseType, func(r store.Reader) (rules.Result, error) {
		f, err := c.decisionFacts(r, cmd.Number)
		if err != nil {
			return rules.Result{}, err
		}
		return s.cfg.Rules.Stop(cmd, f, c.today, c.received), nil
	})
}

func (s *Server) closeCarmed(c *call) *reply {
	var req gen.CloseCarmedRequestType
	if f := decodePayload(c, &req); f != nil {
		return &reply{fault: f}
	}
	cmd := rules.CloseCmd{Caller: c.party.ID, Number: string(req.CarmedNumber), BaseVersion: int(req.VersionNumber)}
	return c.write("closeCarmedResponse", &req.RequestBaseType, func(r store.Reader) (rules.Result, error) {
		f, err := c.decisionFacts(r, cmd.Number)
		if err != nil {
			return rules.Result{}, err
		}
		return s.cfg.Rules.Close(cmd, f, c.today, c.received), nil
	})
}

func (s *Server) consultCarmed(c *call) *reply {
	var req gen.ConsultCarmedRequestType
	if f := decodePayload(c, &req); f != nil {
		return &reply{fault: f}
	}
	ic, bad, f := c.checkCustomer(&req.RequestBaseType)
	if f != nil {
		return &reply{fault: f}
	}
	cmd := rules.ConsultCmd{Caller: c.party.ID, Date: rules.NoDate}
	sc := req.SelectionCriteria
	var err error
	switch {
	case sc == nil:
		err = errMissing
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
		err = errMissing
	}
	if err != nil {
		return &reply{fault: faultSchema(c.in.version, err)}
	}
	var res rules.ConsultResult
	ms, rp := c.read(bad, func(r store.Reader) ([]rules.Message, error) {
		var f rules.Facts
		var err error
		if cmd.Mode == rules.ByNumber {
			f, err = c.decisionFacts(r, cmd.Number)
		} else {
			f, err = c.facts(r, cmd.SSIN)
		}
		if err != nil {
			return nil, err
		}
		res = s.cfg.Rules.Consult(cmd, f, c.today)
		return res.Messages, nil
	})
	if rp != nil {
		return rp
	}
	value := readValue(ms, len(res.Views))
	resp := &gen.ConsultCarmedResponseType{ResponseBaseType: *responseBase(c, ic, value, ms)}
	if value == statusFound {
		for _, v := range res.Views {
			resp.Carmed = append(resp.Carmed, *genCarmed(v))
		}
		if res.More {
			more := true
			resp.MoreResults = &more
		}
	}
	return c.answerRead("consultCarmedResponse", value, resp, resp.Status.Code)
}

func (s *Server) simulate(c *call) *reply {
	var req gen.SimulateRequestType
	if f := decodePayload(c, &req); f != nil {
		return &reply{fault: f}
	}
	ic, bad, f := c.checkCustomer(&req.RequestBaseType)
	if f != nil {
		return &reply{fault: f}
	}
	cmd := rules.SimulateCmd{Caller: c.party.ID, SSIN: string(req.Ssin), IncomeAboveRI: req.IncomeAboveIntegrationIncome,
		JudicialDecision: req.JudicialDecision, NoStateIntervention: req.NoStateIntervention}
	var err error
	if cmd.DecisionDate, err = date(req.DecisionDate); err == nil {
		cmd.Period, err = period(req.ValidityPeriod)
	}
	if err != nil {
		return &reply{fault: faultSchema(c.in.version, err)}
	}
	var res rules.SimulateResult
	ms, rp := c.read(bad, func(r store.Reader) ([]rules.Message, error) {
		f, err := c.facts(r, cmd.SSIN)
		if err != nil {
			return nil, err
		}
		res = s.cfg.Rules.Simulate(cmd, f, c.today)
		return res.Messages, nil
	})
	if rp != nil {
		return rp
	}
	value := readValue(ms, 1)
	resp := &gen.SimulateResponseType{ResponseBaseType: *responseBase(c, ic, value, ms)}
	if value == statusFound {
		resp.RefundPodmiSppis = genStatePart(res.State)
	}
	return c.answerRead("simulateResponse", value, resp, resp.Status.Code)
}

func (s *Server) queryCarmedManager(c *call) *reply {
	var req gen.QueryCarmedManagerRequestType
	if f := decodePayload(c, &req); f != nil {
		return &reply{fault: f}
	}
	ic, bad, f := c.checkCustomer(&req.RequestBaseType)
	if f != nil {
		return &reply{fault: f}
	}
	cmd := rules.QueryManagerCmd{Caller: c.party.ID, SSIN: string(req.Ssin), Date: rules.NoDate}
	if req.ReferenceDate != nil {
		d, err := date(*req.ReferenceDate)
		if err != nil {
			return &reply{fault: faultSchema(c.in.version, err)}
		}
		cmd.Date = d
	}
	var res rules.QueryManagerResult
	ms, rp := c.read(bad, func(r store.Reader) ([]rules.Message, error) {
		f, err := c.facts(r, cmd.SSIN)
		if err != nil {
			return nil, err
		}
		res = s.cfg.Rules.QueryManager(cmd, f, c.today)
		return res.Messages, nil
	})
	if rp != nil {
		return rp
	}
	value := readValue(ms, len(res.Views))
	resp := &gen.QueryCarmedManagerResponseType{ResponseBaseType: *responseBase(c, ic, value, ms)}
	if value == statusFound {
		resp.Carmed = genCarmed(res.Views[0])
	}
	return c.answerRead("queryCarmedManagerResponse", value, resp, resp.Status.Code)
}

// read runs a read-only operation on a store snapshot after the R-CBE check (bad); a technical
// message (e.g. an invalid SSIN) becomes a fault.
func (c *call) read(bad *rules.Message, run func(r store.Reader) ([]rules.Message, error)) ([]rules.Message, *reply) {
	if bad != nil {
		return []rules.Message{*bad}, nil
	}
	var ms []rules.Message
	if err := c.s.cfg.Store.View(func(r store.Reader) error {
		var err error
		ms, err = run(r)
		return err
	}); err != nil {
		return nil, &reply{fault: faultServer(c.in.version, err)}
	}
	if f := technicalFault(c.in.version, ms); f != nil {
		return nil, &reply{fault: f}
	}
	return ms, nil
}

// readValue is the status of a read: NO_RESULT on an error, NO_DATA_FOUND when nothing was found.
func readValue(ms []rules.Message, found int) string {
	switch {
	case (rules.Result{Messages: ms}).Rejected():
		return statusRejected
	case found == 0:
		return statusNotFound
	}
	return statusFound
}

// answerRead renders a read's response element.
func (c *call) answerRead(name, value string, resp any, code gen.ReasonCodeType) *reply {
	el, err := marshalPayload(NSCpas, name, resp)
	if err != nil {
		return &reply{fault: faultServer(c.in.version, err)}
	}
	return &reply{payload: el, outcome: value, code: string(code)}
}
