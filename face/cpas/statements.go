package cpas

import (
	"encoding/base64"

	"github.com/carmed/carmed/face"
	"github.com/carmed/carmed/gen"
	"github.com/carmed/carmed/rules"
	"github.com/carmed/carmed/server"
	"github.com/carmed/carmed/store"
)

// The monthly statements of the CAAMI back office (R-DECOMPTE): a CPAS lists and fetches its
// own statements of the closed months. The months the business clock has finished are closed
// first, as on the CAAMI face.

func month(m gen.MonthType) (rules.Month, error) {
	out, err := rules.ParseMonth(string(m))
	if err != nil {
		return 0, server.SchemaFault(err)
	}
	return out, nil
}

func statementInfo(r *store.StatementRecord) gen.StatementInfoType {
	return gen.StatementInfoType{Month: gen.MonthType(r.Month.String()), Format: gen.StatementFormatType(r.Format),
		ClosingDate: gen.MakeDate(r.ClosedOn.Time()), Invoices: gen.StatementCountType(r.Invoices),
		Lines: gen.StatementCountType(r.Lines), StatePart: gen.AmountCentsType(r.Totals.State()),
		CpasPart: gen.AmountCentsType(r.Totals.CPAS)}
}

// listStatements answers the calling CPAS's statements of the closed months fromMonth..toMonth.
func (s *service) listStatements(c *server.Call) (*server.Answer, error) {
	var req gen.ListStatementsRequestType
	if err := c.Decode(&req); err != nil {
		return nil, err
	}
	ic, bad, err := checkCustomer(c, &req.RequestBaseType)
	if err != nil {
		return nil, err
	}
	const name = "listStatementsResponse"
	if bad != nil {
		return s.statementAnswer(c, name, ic, []rules.Message{*bad}, &gen.ListStatementsResponseType{}, 0)
	}
	var from, to rules.Month
	if req.FromMonth != nil {
		if from, err = month(*req.FromMonth); err != nil {
			return nil, err
		}
	}
	if req.ToMonth != nil {
		if to, err = month(*req.ToMonth); err != nil {
			return nil, err
		}
	}
	if err := face.CloseMonths(s.store, c.Today(), c.Received()); err != nil {
		return nil, err
	}
	resp := &gen.ListStatementsResponseType{}
	if err := s.store.View(func(r store.Reader) error {
		recs, err := r.Statements(c.Party().ID, from, to)
		for i := range recs {
			resp.Statement = append(resp.Statement, statementInfo(&recs[i]))
		}
		return err
	}); err != nil {
		return nil, err
	}
	return s.statementAnswer(c, name, ic, nil, resp, len(resp.Statement))
}

// getStatement answers one closed month's statement with its file (base64), in the one format
// the CPAS receives; a month not over is MONTH_OPEN.
func (s *service) getStatement(c *server.Call) (*server.Answer, error) {
	var req gen.GetStatementRequestType
	if err := c.Decode(&req); err != nil {
		return nil, err
	}
	ic, bad, err := checkCustomer(c, &req.RequestBaseType)
	if err != nil {
		return nil, err
	}
	const name = "getStatementResponse"
	if bad != nil {
		return s.statementAnswer(c, name, ic, []rules.Message{*bad}, &gen.GetStatementResponseType{}, 0)
	}
	m, err := month(req.Month)
	if err != nil {
		return nil, err
	}
	if ms := rules.CheckCloseMonth(m, c.Today()); len(ms) > 0 {
		return s.statementAnswer(c, name, ic, ms, &gen.GetStatementResponseType{}, 0)
	}
	if err := face.CloseMonths(s.store, c.Today(), c.Received()); err != nil {
		return nil, err
	}
	resp := &gen.GetStatementResponseType{}
	if err := s.store.View(func(r store.Reader) error {
		recs, err := r.Statements(c.Party().ID, m, m)
		if err != nil || len(recs) == 0 {
			return err
		}
		f, err := face.StatementFile(r, recs[0])
		if err != nil {
			return err
		}
		info := statementInfo(&recs[0])
		resp.Statement = &info
		resp.File = &gen.StatementFileType{FileName: f.Name, MediaType: f.MediaType,
			Content: gen.Base64Type(base64.StdEncoding.EncodeToString(f.Content))}
		return nil
	}); err != nil {
		return nil, err
	}
	found := 0
	if resp.Statement != nil {
		found = 1
	}
	return s.statementAnswer(c, name, ic, nil, resp, found)
}

// statementAnswer fills the response base of a statements answer (resp is a *List… or *Get…
// response) and marshals it.
func (s *service) statementAnswer(c *server.Call, name string, ic *gen.InformationCustomerType, ms []rules.Message, resp any, found int) (*server.Answer, error) {
	value := face.ReadValue(ms, found)
	base := responseBase(c, ic, value, ms)
	switch r := resp.(type) {
	case *gen.ListStatementsResponseType:
		r.ResponseBaseType = *base
	case *gen.GetStatementResponseType:
		r.ResponseBaseType = *base
	}
	body, err := server.MarshalBytes(NS, name, resp)
	if err != nil {
		return nil, err
	}
	return &server.Answer{Body: body, Outcome: value, Code: string(base.Status.Code)}, nil
}
