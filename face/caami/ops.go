package caami

import (
	"errors"

	"github.com/carmed/carmed/face"
	gc "github.com/carmed/carmed/gen/caami"
	"github.com/carmed/carmed/rules"
	"github.com/carmed/carmed/server"
	"github.com/carmed/carmed/store"
)

// errRollback ends a send's transaction that must write nothing (a replay, a reused ticket).
var errRollback = errors.New("rollback")

// technical is a business message answered as a SOAP Fault: a send with an invalid SSIN or CBE is
// malformed, refused whole before anything is read (R-SSIN, R-CBE).
func technical(m rules.Message) error {
	m.Technical = true
	return server.TechnicalFault([]rules.Message{m})
}

// invoiceFacts loads what the controls read for the beneficiaries of ssins: their decisions and
// attestations, and the provider's accepted line references (R-INVOICE-ONCE), all in r's snapshot.
func invoiceFacts(r store.Reader, provider string, ssins []string) (rules.InvoiceFacts, func() error, error) {
	f := rules.InvoiceFacts{Decisions: make(map[string][]rules.Decision, len(ssins)),
		Attestations: make(map[string][]rules.Attestation, len(ssins))}
	for _, ssin := range ssins {
		if _, ok := f.Decisions[ssin]; ok {
			continue
		}
		ds, err := r.DecisionsBySSIN(ssin)
		if err != nil {
			return f, nil, err
		}
		as, err := r.AttestationsBySSIN(ssin)
		if err != nil {
			return f, nil, err
		}
		f.Decisions[ssin], f.Attestations[ssin] = ds, as
	}
	var readErr error
	f.Accepted = func(ref string) bool {
		ok, err := r.LineAccepted(provider, ref)
		if err != nil && readErr == nil {
			readErr = err
		}
		return ok
	}
	return f, func() error { return readErr }, nil
}

// tarify answers, line by line, what each party pays and where a GP bills (R-TARIFF,
// R-GP-ROUTE). It reads only.
func (s *service) tarify(c *server.Call) (*server.Answer, error) {
	var req gc.TarifyRequestType
	if err := c.Decode(&req); err != nil {
		return nil, err
	}
	const name = "tarifyResponse"
	ic, prov, bad, err := s.checkCustomer(c, &req.RequestBaseType)
	if err != nil {
		return nil, err
	}
	if bad != nil {
		ms := []rules.Message{*bad}
		return answer(name, face.StatusRejected, bad.Code, &gc.TarifyResponseType{ResponseBaseType: responseBase(c, ic, face.StatusRejected, ms)})
	}
	ssin := string(req.Ssin)
	if !rules.ValidSSIN(ssin) {
		return nil, technical(rules.MsgSSINInvalid())
	}
	ag := &agreements{ring: s.Agreements}
	cmd := rules.TarifyCmd{Provider: prov, SSIN: ssin}
	for i := range req.Line {
		l, err := tarifyLine(&req.Line[i], ag)
		if err != nil {
			return nil, err
		}
		cmd.Lines = append(cmd.Lines, l)
	}
	if err := s.closeMonths(c); err != nil {
		return nil, err
	}
	var res rules.TarifyResult
	if err := s.store.View(func(r store.Reader) error {
		f, _, err := invoiceFacts(r, prov.ID, []string{ssin})
		if err != nil {
			return err
		}
		f.Accepted = nil // a tarification is not an invoice: R-INVOICE-ONCE does not apply
		res = s.Caami.Tarify(cmd, f, c.Today())
		return nil
	}); err != nil {
		return nil, err
	}
	resp := &gc.TarifyResponseType{ResponseBaseType: responseBase(c, ic, face.StatusFound, nil)}
	for i := range res.Lines {
		resp.Line = append(resp.Line, lineAnswer(&res.Lines[i], false))
	}
	return answer(name, face.StatusFound, face.CodeOK, resp)
}

// sendInvoices controls one send line by line and pays its accepted lines (R-CAAMI-*,
// R-INVOICE-*, R-PAYMENT), in one durable transaction: the send record (with the answer's Body),
// every paid line, the accepted references and the payment commit together or not at all. The
// ticket is the send's id: the same ticket with the same Body is answered with the first answer
// and writes nothing; with another Body it is TICKET_REUSED.
func (s *service) sendInvoices(c *server.Call) (*server.Answer, error) {
	var req gc.SendInvoicesRequestType
	if err := c.Decode(&req); err != nil {
		return nil, err
	}
	const name = "sendInvoicesResponse"
	ic, prov, bad, err := s.checkCustomer(c, &req.RequestBaseType)
	if err != nil {
		return nil, err
	}
	rejected := func(ms []rules.Message) (*server.Answer, error) {
		return answer(name, face.StatusRejected, ms[0].Code,
			&gc.SendInvoicesResponseType{ResponseBaseType: responseBase(c, ic, face.StatusRejected, ms)})
	}
	if bad != nil {
		return rejected([]rules.Message{*bad})
	}
	// A malformed send is refused whole, before anything is read.
	cmd := rules.SendCmd{Provider: prov, SendID: string(ic.Ticket), Invoices: make([]rules.Invoice, 0, len(req.Invoice))}
	ssins := make([]string, 0, len(req.Invoice))
	ag := &agreements{ring: s.Agreements}
	for i := range req.Invoice {
		in := &req.Invoice[i]
		if !rules.ValidSSIN(string(in.Ssin)) {
			return nil, technical(rules.MsgSSINInvalid())
		}
		if !rules.ValidCBE(string(in.CpasCbe)) {
			return nil, technical(rules.MsgCBEInvalid(string(in.CpasCbe)))
		}
		inv := rules.Invoice{Ref: string(in.InvoiceRef), SSIN: string(in.Ssin), CPAS: string(in.CpasCbe),
			Lines: make([]rules.InvoiceLine, 0, len(in.Line))}
		for j := range in.Line {
			l, err := invoiceLine(&in.Line[j], ag)
			if err != nil {
				return nil, err
			}
			inv.Lines = append(inv.Lines, l)
		}
		cmd.Invoices = append(cmd.Invoices, inv)
		ssins = append(ssins, inv.SSIN)
	}
	if err := s.closeMonths(c); err != nil {
		return nil, err
	}
	today, hash := c.Today(), c.BodyHash()
	var out *server.Answer
	err = s.store.Update(func(tx store.Writer) error {
		prev, err := tx.Send(prov.ID, cmd.SendID)
		switch {
		case err == nil && prev.BodyHash != hash:
			out, err = rejected([]rules.Message{rules.MsgTicketReused(cmd.SendID)})
			if err != nil {
				return err
			}
			return errRollback
		case err == nil:
			out = &server.Answer{Body: prev.Body, Outcome: face.StatusFound, Code: "REPLAYED_TICKET"}
			return errRollback
		case !errors.Is(err, store.ErrNotFound):
			return err
		}
		f, readErr, err := invoiceFacts(tx, prov.ID, ssins)
		if err != nil {
			return err
		}
		res := s.Caami.ControlSend(cmd, f, today)
		if err := readErr(); err != nil {
			return err
		}
		pay, paid := rules.Pay(cmd, res, today)
		resp := &gc.SendInvoicesResponseType{ResponseBaseType: responseBase(c, ic, face.StatusFound, nil),
			Send: &gc.SendSummaryType{SendId: ic.Ticket, AcceptedLines: gc.CountType(res.Accepted),
				RejectedLines: gc.CountType(res.Rejected), AmountPaid: gc.AmountCentsType(pay.Amount), PaymentDate: dateOut(today)},
			Line: make([]gc.LineAnswerType, 0, len(res.Lines))}
		for i := range res.Lines {
			resp.Line = append(resp.Line, lineAnswer(&res.Lines[i], true))
		}
		body, err := server.MarshalBytes(NS, name, resp)
		if err != nil {
			return err
		}
		a := &server.Answer{Body: body, Outcome: face.StatusFound, Code: face.CodeOK}
		if err := tx.PutSend(prov.ID, cmd.SendID, store.SendRecord{BodyHash: hash, Body: body, Payment: pay, At: c.Received()}, paid); err != nil {
			return err
		}
		out = a
		return nil
	})
	if err != nil && !errors.Is(err, errRollback) {
		return nil, err
	}
	return out, nil
}

// consultPayments answers the provider's payments: of one send, or of the sends paid in a period.
func (s *service) consultPayments(c *server.Call) (*server.Answer, error) {
	var req gc.ConsultPaymentsRequestType
	if err := c.Decode(&req); err != nil {
		return nil, err
	}
	const name = "consultPaymentsResponse"
	ic, prov, bad, err := s.checkCustomer(c, &req.RequestBaseType)
	if err != nil {
		return nil, err
	}
	reply := func(value string, ms []rules.Message, ps []rules.Payment) (*server.Answer, error) {
		resp := &gc.ConsultPaymentsResponseType{ResponseBaseType: responseBase(c, ic, value, ms)}
		var total int64
		for i := range ps {
			resp.Payment = append(resp.Payment, payment(&ps[i]))
			total += ps[i].Amount
		}
		if len(ps) > 0 {
			t := gc.AmountCentsType(total)
			resp.TotalPaid = &t
		}
		return answer(name, value, string(resp.Status.Code), resp)
	}
	if bad != nil {
		return reply(face.StatusRejected, []rules.Message{*bad}, nil)
	}
	sel := req.Selection
	if sel == nil || (sel.SendId == nil && sel.Period == nil) {
		return nil, server.SchemaFault(face.ErrMissing)
	}
	var period rules.Period
	if p := sel.Period; p != nil {
		if period.Start, err = wireDate(p.StartDate); err != nil {
			return nil, err
		}
		if period.End, err = wireDate(p.EndDate); err != nil {
			return nil, err
		}
		if period.End < period.Start {
			ms := []rules.Message{rules.NewMessage(rules.CodePeriodInverted)}
			return reply(face.StatusRejected, ms, nil)
		}
	}
	if err := s.closeMonths(c); err != nil {
		return nil, err
	}
	var ps []rules.Payment
	if err := s.store.View(func(r store.Reader) error {
		if sel.SendId != nil {
			rec, err := r.Send(prov.ID, string(*sel.SendId))
			switch {
			case err == nil:
				ps = []rules.Payment{rec.Payment}
			case !errors.Is(err, store.ErrNotFound):
				return err
			}
			return nil
		}
		var err error
		ps, err = r.Payments(prov.ID, period)
		return err
	}); err != nil {
		return nil, err
	}
	return reply(face.ReadValue(nil, len(ps)), nil, ps)
}
