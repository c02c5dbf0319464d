package console

import (
	"net/http"
	"time"

	"github.com/carmed/carmed/face"
	"github.com/carmed/carmed/rules"
)

// consultForm is WebConsult's form as sent, echoed back with its errors.
type consultForm struct {
	SSIN, Mode, Date, Start, End string
	Errors                       fieldErrors
}

// consultPage is WebConsult's page: the form and, once asked, the answer.
type consultPage struct {
	Form     consultForm
	Asked    bool
	Outcome  string // DATA_FOUND, NO_DATA_FOUND or NO_RESULT
	Views    []providerView
	Messages []rules.Message
}

// providerView is one decision version as the provider face shows it, with its agreement number.
type providerView struct {
	rules.ProviderView
	AgreementNumber string
}

// webConsult is WebConsult (000 §4.1): SSIN + reference date or period, answered by
// face.ConsultProvider — the provider face's own code — so the page shows exactly what Consult v2
// would: identification only when the provider is not designated or the decision is suspended,
// the restriction of today not before tomorrow, an agreement number when due.
func (c *Console) webConsult(w http.ResponseWriter, r *http.Request, v *visit) {
	q := r.URL.Query()
	pg := consultPage{Form: consultForm{SSIN: q.Get("ssin"), Mode: q.Get("mode"), Date: q.Get("date"),
		Start: q.Get("start"), End: q.Get("end"), Errors: fieldErrors{}}}
	if pg.Form.Mode != "period" {
		pg.Form.Mode = "date"
	}
	if pg.Form.Date == "" && pg.Form.Start == "" {
		pg.Form.Date = v.Today.String()
	}
	if !q.Has("ssin") {
		c.render(w, r, v, http.StatusOK, "consult", &pg)
		return
	}
	begin := time.Now()
	cmd := rules.ProviderConsultCmd{Provider: v.Party.ID, ProviderKind: v.Party.ProviderKind}
	errs := pg.Form.Errors
	cmd.SSIN = ssinField(q, "ssin", errs)
	if pg.Form.Mode == "period" {
		cmd.Period = rules.Period{Start: dateField(q, "start", false, rules.NoDate, errs), End: dateField(q, "end", false, rules.NoDate, errs)}
		if len(errs) == 0 && cmd.Period.Start > cmd.Period.End {
			errs["end"] = "err.period.inverted"
		}
	} else {
		d := dateField(q, "date", false, rules.NoDate, errs)
		cmd.Period, cmd.ByDate = rules.Period{Start: d, End: d}, true
	}
	if len(errs) > 0 {
		c.refuseForm(w, r, v, "webConsult", "consult", &pg, begin)
		return
	}
	res, err := face.ConsultProvider(c.cfg.Store, c.cfg.Trust, c.cfg.Rules, c.cfg.Agreements, cmd, v.Today)
	if err != nil {
		c.fail(w, r, v, "webConsult", err, begin)
		return
	}
	pg.Asked, pg.Messages = true, res.Messages
	outcome := face.ReadValue(res.Messages, len(res.Views))
	code := outcomeCode(outcome, res.Messages)
	pg.Outcome = outcome
	number := ""
	for i, pv := range res.Views {
		pg.Views = append(pg.Views, providerView{ProviderView: pv, AgreementNumber: res.Agreements[i]})
		if number == "" {
			number = pv.Version.Number
		}
	}
	c.audit(v, "webConsult", outcome, code, number, begin)
	c.render(w, r, v, http.StatusOK, "consult", &pg)
}

// fail answers a server error: its cause to the log, a plain page to the visitor.
func (c *Console) fail(w http.ResponseWriter, r *http.Request, v *visit, op string, err error, begin time.Time) {
	c.cfg.Logger.Error().Err(err).Str("face", "console").Str("op", op).Msg("console: server error")
	c.audit(v, op, "ERROR", "SERVER", "", begin)
	v.Flash = v.T("err.server")
	c.render(w, r, v, http.StatusInternalServerError, "home", nil)
}

// refuseForm answers a form with errors: logged and counted as FORM_ERROR, the page shown again
// with the errors next to the fields.
func (c *Console) refuseForm(w http.ResponseWriter, r *http.Request, v *visit, op, name string, data any, begin time.Time) {
	c.audit(v, op, "FORM_ERROR", "", "", begin)
	c.render(w, r, v, http.StatusBadRequest, name, data)
}
