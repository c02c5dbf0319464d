package server

import (
	"errors"
	"net/http"

	"github.com/beevik/etree"

	gh "github.com/carmed/carmed/gen/harness"
	"github.com/carmed/carmed/rules"
	"github.com/carmed/carmed/store"
	"github.com/carmed/carmed/trust"
)

// NSHarness is the harness service namespace (design §1, §5).
const NSHarness = "urn:carmed:harness:v1"

// harnessFace lists the harness operations: admin-signed registry loads and mutations, clock
// control, notice listing, person lookup and agreement verification.
func (s *Server) harnessFace() (*face, error) {
	return newFace("harness", NSHarness, "xsd/carmed-harness-v1.xsd", trust.KindAdmin, harnessFaultDetail, []handler{
		{"loadRegistry", s.loadRegistry},
		{"applyMutation", s.applyMutation},
		{"setClock", s.setClock},
		{"listNotices", s.listNotices},
		{"consultPerson", s.consultPerson},
		{"verifyAgreement", s.verifyAgreement},
	})
}

func (s *Server) serveHarness(w http.ResponseWriter, r *http.Request) {
	s.serveFace(w, r, s.harness, "carmed-harness-v1.wsdl", "/harness/v1")
}

// harnessFaultDetail is the harnessFault element: the error with its reason code.
func harnessFaultDetail(c *call, f *Fault) *etree.Element {
	d := etree.NewElement("tns:harnessFault")
	d.CreateAttr("xmlns:tns", NSHarness)
	faultError(d, f)
	return d
}

// harnessBase is the ticket echo, the status and the messages of every harness answer.
func harnessBase(ticket gh.TicketType, value string, ms []rules.Message) gh.ResponseBaseType {
	code, desc, info := statusOf(value, ms)
	out := gh.ResponseBaseType{Ticket: ticket, Status: &gh.StatusType{Value: gh.StatusValueType(value),
		Code: gh.ReasonCodeType(code), Description: desc, Information: ghInfo(info)}}
	for _, m := range ms {
		out.Message = append(out.Message, gh.MessageType{Severity: gh.SeverityType(m.Severity), ReasonCode: gh.ReasonCodeType(m.Code),
			RuleId: m.Rule, Communication: []gh.TextType{{Value: m.Fr, Lang: gh.LangTypeFr}, {Value: m.Nl, Lang: gh.LangTypeNl}},
			Information: ghInfo(m.Info)})
	}
	return out
}

func ghInfo(in []rules.Info) []gh.InformationType {
	var out []gh.InformationType
	for _, i := range in {
		out = append(out, gh.InformationType{FieldName: i.Name, FieldValue: i.Value})
	}
	return out
}

// harnessAnswer marshals a harness response element.
func (c *call) harnessAnswer(name, value, code string, resp any) *reply {
	el, err := marshalPayload(NSHarness, name, resp)
	if err != nil {
		return &reply{fault: faultServer(c.in.version, err)}
	}
	return &reply{payload: el, outcome: value, code: string(code)}
}

// harnessWrite runs a harness write once per ticket (design §4): fn answers the response, its
// status value, its messages and whether to keep the writes (not when rejected). wrap puts a
// bare status into the operation's response type, for the TICKET_REUSED answer. A retried
// request gets the first answer and writes nothing.
func (c *call) harnessWrite(name string, ticket gh.TicketType, wrap func(gh.ResponseBaseType) any,
	fn func(w store.Writer) (resp any, value string, ms []rules.Message, then func(), err error)) *reply {
	return c.once(string(ticket), c.harnessReused(name, ticket, wrap), func(w store.Writer) (*reply, bool, func(), error) {
		resp, value, ms, then, err := fn(w)
		if err != nil {
			return nil, false, nil, err
		}
		if f := technicalFault(c.in.version, ms); f != nil {
			return &reply{fault: f}, false, nil, nil
		}
		code := codeOK
		if m := firstError(ms); m != nil {
			code = m.Code
		}
		rp := c.harnessAnswer(name, value, code, resp)
		return rp, value != statusRejected && rp.fault == nil, then, nil
	})
}

// harnessReused is the TICKET_REUSED answer of a harness write, in the operation's response type.
func (c *call) harnessReused(name string, ticket gh.TicketType, wrap func(gh.ResponseBaseType) any) func() *reply {
	return func() *reply {
		ms := []rules.Message{rules.MsgTicketReused(string(ticket))}
		return c.harnessAnswer(name, statusRejected, rules.CodeTicketReused, wrap(harnessBase(ticket, statusRejected, ms)))
	}
}

// consultPerson answers the registry record of one SSIN (with its situations and ReplacedBy).
func (s *Server) consultPerson(c *call) *reply {
	var req gh.ConsultPersonRequestType
	if f := decodePayload(c, &req); f != nil {
		return &reply{fault: f}
	}
	var p rules.Person
	found := false
	if err := s.cfg.Store.View(func(r store.Reader) error {
		var err error
		p, err = r.Person(string(req.Ssin))
		switch {
		case err == nil:
			found = true
		case errors.Is(err, store.ErrNotFound):
			err = nil
		}
		return err
	}); err != nil {
		return &reply{fault: faultServer(c.in.version, err)}
	}
	value := statusNotFound
	resp := &gh.ConsultPersonResponseType{}
	if found {
		value = statusFound
		resp.Person = HarnessPerson(p)
	}
	resp.ResponseBaseType = harnessBase(req.Ticket, value, nil)
	return c.harnessAnswer("consultPersonResponse", value, string(resp.Status.Code), resp)
}

// setClock sets or moves the business date (design §5). The clock lives in memory: a restart
// starts again from serve's --today.
func (s *Server) setClock(c *call) *reply {
	var req gh.SetClockRequestType
	if f := decodePayload(c, &req); f != nil {
		return &reply{fault: f}
	}
	clk := s.cfg.Clock
	target := clk.Today()
	switch {
	case req.Today != nil:
		d, err := harnessDate(*req.Today)
		if err != nil {
			return &reply{fault: faultSchema(c.in.version, err)}
		}
		target = d
	case req.AdvanceDays != nil:
		target = target.AddDays(int(*req.AdvanceDays))
	}
	answer := func(d rules.Date) *gh.SetClockResponseType {
		frozen := clk.Frozen()
		today := ghDate(d)
		return &gh.SetClockResponseType{ResponseBaseType: harnessBase(req.Ticket, statusFound, nil), Today: &today, Frozen: &frozen}
	}
	if req.Today == nil && req.AdvanceDays == nil {
		return c.harnessAnswer("setClockResponse", statusFound, codeOK, answer(target))
	}
	// Once per ticket: a retried "advance 3 days" must not advance 6.
	wrap := func(b gh.ResponseBaseType) any { return &gh.SetClockResponseType{ResponseBaseType: b} }
	return c.harnessWrite("setClockResponse", req.Ticket, wrap, func(store.Writer) (any, string, []rules.Message, func(), error) {
		return answer(target), statusFound, nil, func() { clk.Set(target) }, nil
	})
}

func harnessDate(d gh.Date) (rules.Date, error) {
	t, err := d.Parse()
	if err != nil {
		return rules.NoDate, err
	}
	return rules.DateOf(t), nil
}

func ghDate(d rules.Date) gh.Date { return gh.MakeDate(d.Time()) }
