// Package harness is the harness face (design §1, §5): admin-signed registry loads and mutations,
// clock control, notice listing, person lookup and agreement verification on POST /harness/v1,
// served only when enabled. It maps the gen/harness types to rules commands and back; the
// pipeline (package server) does the bytes, the signatures and the faults.
package harness

import (
	"errors"

	"github.com/carmed/carmed/agreement"
	"github.com/carmed/carmed/face"
	gh "github.com/carmed/carmed/gen/harness"
	"github.com/carmed/carmed/rules"
	"github.com/carmed/carmed/server"
	"github.com/carmed/carmed/store"
	"github.com/carmed/carmed/trust"
)

// NS is the harness service namespace (design §1, §5).
const NS = "urn:carmed:harness:v1"

// Config is what the harness face needs besides the pipeline.
type Config struct {
	Rules      rules.Engine
	Agreements *agreement.Keyring // verifyAgreement checks the provider face's numbers
	// Clock is the business clock setClock moves; the pipeline's Today must read it.
	Clock *server.BusinessClock
	// Tenants is the gateway's tenant registry (createTenant, listTenants, resetTenant,
	// deleteTenant); nil on a tenant's own harness and on a gateway without tenants.
	Tenants Tenants
}

// service serves the harness operations with the pipeline's store and trust file.
type service struct {
	Config
	store store.Store
	trust *trust.Store
}

// Register adds the harness face to the pipeline (only when the harness is enabled: it is off by
// default, design §1).
func Register(srv *server.Server, cfg Config) error {
	if cfg.Rules == nil || cfg.Agreements == nil || cfg.Clock == nil {
		return errors.New("harness: Rules, Agreements and Clock are required")
	}
	s := &service{Config: cfg, store: srv.Store(), trust: srv.Trust()}
	return srv.Register(server.Face{Name: "harness", Path: "/harness/v1", WSDL: "carmed-harness-v1.wsdl",
		Schema: "xsd/carmed-harness-v1.xsd", Detail: faultDetail,
		Operations: face.ProjectOperations(NS, trust.KindAdmin,
			face.Op{Name: "loadRegistry", Handle: s.loadRegistry},
			face.Op{Name: "applyMutation", Handle: s.applyMutation},
			face.Op{Name: "setClock", Handle: s.setClock},
			face.Op{Name: "listNotices", Handle: s.listNotices},
			face.Op{Name: "consultPerson", Handle: s.consultPerson},
			face.Op{Name: "verifyAgreement", Handle: s.verifyAgreement},
			face.Op{Name: "createTenant", Handle: s.createTenant},
			face.Op{Name: "listTenants", Handle: s.listTenants},
			face.Op{Name: "resetTenant", Handle: s.resetTenant},
			face.Op{Name: "deleteTenant", Handle: s.deleteTenant},
			// The CAAMI back office's months and statements (months.go).
			face.Op{Name: "closeMonth", Handle: s.closeMonth},
			face.Op{Name: "setStatementFormat", Handle: s.setStatementFormat},
			face.Op{Name: "getSppFile", Handle: s.getSppFile},
		)})
}

// faultDetail is the harnessFault element: the error with its reason code.
var faultDetail = face.FaultDetail(NS, "harnessFault", false)

// harnessBase is the ticket echo, the status and the messages of every harness answer.
func harnessBase(ticket gh.TicketType, value string, ms []rules.Message) gh.ResponseBaseType {
	code, desc, info := face.StatusOf(value, ms)
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

// answer marshals a harness response element.
func answer(name, value, code string, resp any) (*server.Answer, error) {
	body, err := server.MarshalBytes(NS, name, resp)
	if err != nil {
		return nil, err
	}
	return &server.Answer{Body: body, Outcome: value, Code: code}, nil
}

// reject is a refusal answer: sent as any answer, and inside Once it writes nothing.
func reject(name, code string, resp any) (*server.Answer, error) {
	a, err := answer(name, face.StatusRejected, code, resp)
	if err != nil {
		return nil, err
	}
	return nil, server.Reject(a)
}

// reused is the TICKET_REUSED answer of a harness write, in the operation's response type (wrap
// puts a bare status into it).
func reused(name string, ticket gh.TicketType, wrap func(gh.ResponseBaseType) any) func() (*server.Answer, error) {
	return func() (*server.Answer, error) {
		ms := []rules.Message{rules.MsgTicketReused(string(ticket))}
		return answer(name, face.StatusRejected, rules.CodeTicketReused, wrap(harnessBase(ticket, face.StatusRejected, ms)))
	}
}

// consultPerson answers the registry record of one SSIN (with its situations and ReplacedBy).
func (s *service) consultPerson(c *server.Call) (*server.Answer, error) {
	var req gh.ConsultPersonRequestType
	if err := c.Decode(&req); err != nil {
		return nil, err
	}
	var p rules.Person
	found := false
	if err := s.store.View(func(r store.Reader) error {
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
		return nil, err
	}
	value := face.StatusNotFound
	resp := &gh.ConsultPersonResponseType{}
	if found {
		value = face.StatusFound
		resp.Person = WirePerson(p)
	}
	resp.ResponseBaseType = harnessBase(req.Ticket, value, nil)
	return answer("consultPersonResponse", value, string(resp.Status.Code), resp)
}

// setClock sets or moves the business date (design §5). The clock lives in memory, recorded in
// the store for the other gateways of a shared (etcd) store; a bbolt gateway's restart starts
// again from serve's --today.
func (s *service) setClock(c *server.Call) (*server.Answer, error) {
	var req gh.SetClockRequestType
	if err := c.Decode(&req); err != nil {
		return nil, err
	}
	clk := s.Clock
	target := clk.Today()
	switch {
	case req.Today != nil:
		d, err := harnessDate(*req.Today)
		if err != nil {
			return nil, server.SchemaFault(err)
		}
		target = d
	case req.AdvanceDays != nil:
		target = target.AddDays(int(*req.AdvanceDays))
	}
	clockAnswer := func(d rules.Date) *gh.SetClockResponseType {
		frozen := clk.Frozen()
		today := ghDate(d)
		return &gh.SetClockResponseType{ResponseBaseType: harnessBase(req.Ticket, face.StatusFound, nil), Today: &today, Frozen: &frozen}
	}
	const name = "setClockResponse"
	if req.Today == nil && req.AdvanceDays == nil {
		return answer(name, face.StatusFound, face.CodeOK, clockAnswer(target))
	}
	// Once per ticket: a retried "advance 3 days" must not advance 6.
	wrap := func(b gh.ResponseBaseType) any { return &gh.SetClockResponseType{ResponseBaseType: b} }
	since := clk.Now()
	return c.Once(string(req.Ticket), reused(name, req.Ticket, wrap), func(w store.Writer) (*server.Answer, error) {
		// Recorded with the request: the other gateways of a shared store follow it (design §5).
		if err := w.PutClock(store.ClockRecord{Today: target, Since: since}); err != nil {
			return nil, err
		}
		a, err := answer(name, face.StatusFound, face.CodeOK, clockAnswer(target))
		if err != nil {
			return nil, err
		}
		a.Then = func() {
			clk.SetAt(target, since)
			// A clock moved across a month end closes the months it finished (R-DECOMPTE); a
			// failure here is retried by the next CAAMI or statement request, which closes too.
			_ = face.CloseMonths(s.store, target, c.Received())
		}
		return a, nil
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
