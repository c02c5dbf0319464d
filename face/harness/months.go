package harness

import (
	"encoding/base64"
	"errors"

	"github.com/carmed/carmed/face"
	gh "github.com/carmed/carmed/gen/harness"
	"github.com/carmed/carmed/rules"
	"github.com/carmed/carmed/server"
	"github.com/carmed/carmed/store"
	"github.com/carmed/carmed/trust"
)

// The CAAMI back office's months and statements (R-DECOMPTE, R-DECOMPTE-SPP): the operator
// closes a month, chooses a CPAS's statement format, and fetches the SPP IS file.

func harnessMonth(m gh.MonthType) (rules.Month, error) {
	out, err := rules.ParseMonth(string(m))
	if err != nil {
		return 0, server.SchemaFault(err)
	}
	return out, nil
}

// closeMonth closes a month that is over on the business clock (earlier ones the clock finished
// are closed first, as on every CAAMI request) and answers its statements, one per CPAS.
func (s *service) closeMonth(c *server.Call) (*server.Answer, error) {
	var req gh.CloseMonthRequestType
	if err := c.Decode(&req); err != nil {
		return nil, err
	}
	const name = "closeMonthResponse"
	m, err := harnessMonth(req.Month)
	if err != nil {
		return nil, err
	}
	if ms := rules.CheckCloseMonth(m, c.Today()); len(ms) > 0 {
		return answer(name, face.StatusRejected, ms[0].Code,
			&gh.CloseMonthResponseType{ResponseBaseType: harnessBase(req.Ticket, face.StatusRejected, ms)})
	}
	if err := face.CloseMonths(s.store, c.Today(), c.Received()); err != nil {
		return nil, err
	}
	wrap := func(b gh.ResponseBaseType) any { return &gh.CloseMonthResponseType{ResponseBaseType: b} }
	return c.Once(string(req.Ticket), reused(name, req.Ticket, wrap), func(w store.Writer) (*server.Answer, error) {
		mc, err := w.CloseMonth(m, c.Today(), c.Received())
		if err != nil {
			return nil, err
		}
		var recs []store.StatementRecord
		for _, p := range s.trust.Parties() { // the statements are filed per CPAS
			if p.Kind != trust.KindCPAS {
				continue
			}
			rs, err := w.Statements(p.ID, m, m)
			if err != nil {
				return nil, err
			}
			recs = append(recs, rs...)
		}
		month, closed := gh.MonthType(m.String()), ghDate(mc.ClosedOn)
		resp := &gh.CloseMonthResponseType{ResponseBaseType: harnessBase(req.Ticket, face.StatusFound, nil), Month: &month, ClosingDate: &closed}
		for _, r := range recs {
			resp.Statement = append(resp.Statement, gh.MonthStatementType{CpasCbe: gh.CbeNumberType(r.CPAS),
				Format: gh.StatementFormatType(r.Format), Invoices: int32(r.Invoices), Lines: int32(r.Lines),
				StatePart: gh.CentsType(r.Totals.State()), CpasPart: gh.CentsType(r.Totals.CPAS)})
		}
		return answer(name, face.StatusFound, face.CodeOK, resp)
	})
}

// setStatementFormat records the one format a CPAS receives its statements in (R-DECOMPTE),
// from the next closing on.
func (s *service) setStatementFormat(c *server.Call) (*server.Answer, error) {
	var req gh.SetStatementFormatRequestType
	if err := c.Decode(&req); err != nil {
		return nil, err
	}
	const name = "setStatementFormatResponse"
	cbe := string(req.CbeNumber)
	if _, ok := s.trust.CPAS(cbe); !ok {
		ms := []rules.Message{rules.MsgCBEInvalid(cbe)}
		return answer(name, face.StatusRejected, ms[0].Code,
			&gh.SetStatementFormatResponseType{ResponseBaseType: harnessBase(req.Ticket, face.StatusRejected, ms)})
	}
	wrap := func(b gh.ResponseBaseType) any { return &gh.SetStatementFormatResponseType{ResponseBaseType: b} }
	return c.Once(string(req.Ticket), reused(name, req.Ticket, wrap), func(w store.Writer) (*server.Answer, error) {
		if err := w.SetStatementFormat(cbe, rules.StatementFormat(req.Format)); err != nil {
			return nil, err
		}
		format := req.Format
		return answer(name, face.StatusFound, face.CodeOK, &gh.SetStatementFormatResponseType{
			ResponseBaseType: harnessBase(req.Ticket, face.StatusFound, nil), CbeNumber: &req.CbeNumber, Format: &format})
	})
}

// getSppFile answers the SPP IS file of a closed month (R-DECOMPTE-SPP), base64.
func (s *service) getSppFile(c *server.Call) (*server.Answer, error) {
	var req gh.GetSppFileRequestType
	if err := c.Decode(&req); err != nil {
		return nil, err
	}
	const name = "getSppFileResponse"
	m, err := harnessMonth(req.Month)
	if err != nil {
		return nil, err
	}
	if ms := rules.CheckCloseMonth(m, c.Today()); len(ms) > 0 {
		return answer(name, face.StatusRejected, ms[0].Code,
			&gh.GetSppFileResponseType{ResponseBaseType: harnessBase(req.Ticket, face.StatusRejected, ms)})
	}
	if err := face.CloseMonths(s.store, c.Today(), c.Received()); err != nil {
		return nil, err
	}
	var file *gh.StatementFileType
	if err := s.store.View(func(r store.Reader) error {
		mc, err := r.MonthClosing(m)
		if errors.Is(err, store.ErrNotFound) {
			return nil // over but never closed: before the first closing the gateway made
		}
		if err != nil {
			return err
		}
		f, err := face.SPPFile(r, mc)
		if err != nil {
			return err
		}
		file = &gh.StatementFileType{FileName: f.Name, MediaType: f.MediaType, Content: gh.Base64Type(base64.StdEncoding.EncodeToString(f.Content))}
		return nil
	}); err != nil {
		return nil, err
	}
	value := face.StatusFound
	if file == nil {
		value = face.StatusNotFound
	}
	resp := &gh.GetSppFileResponseType{ResponseBaseType: harnessBase(req.Ticket, value, nil), File: file}
	return answer(name, value, string(resp.Status.Code), resp)
}
