package console

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/carmed/carmed/face"
	"github.com/carmed/carmed/rules"
	"github.com/carmed/carmed/store"
)

// errRollback ends a write transaction the rules refused: nothing of it is kept.
var errRollback = errors.New("console: rolled back")

// adminPage is the harness forms and what the last one did.
type adminPage struct {
	Clock    clockForm
	Mutation mutationForm
	Persons  personsForm
	Done     string // translation key of what succeeded
	Result   *mutationResult
	Loaded   *[2]int // persons loaded, unchanged
	Messages []rules.Message
	Kinds    []rules.MutationKind
	Sits     []rules.SituationKind
}

type clockForm struct {
	Today, Advance string
	Errors         fieldErrors
}

type mutationForm struct {
	SSIN, Effective, Kind, LastName, FirstName, Gender, BirthDate, NewSSIN, Situation, ResidenceINS string
	Errors                                                                                          fieldErrors
}

type personsForm struct {
	JSON   string
	Errors fieldErrors
	Detail string // the parse error: names a person's index and field, never a value
}

// mutationResult is what a mutation did, as the harness's answer lists it.
type mutationResult struct {
	Seq      uint64
	Versions []rules.Version
	Notices  []rules.Notice
}

func (c *Console) newAdminPage(v *visit) *adminPage {
	return &adminPage{Clock: clockForm{Today: v.Today.String(), Errors: fieldErrors{}},
		Mutation: mutationForm{Effective: v.Today.String(), Errors: fieldErrors{}}, Persons: personsForm{Errors: fieldErrors{}},
		Kinds: rules.MutationKinds, Sits: rules.SituationKinds}
}

func (c *Console) adminPage(w http.ResponseWriter, r *http.Request, v *visit) {
	c.render(w, r, v, http.StatusOK, "admin", c.newAdminPage(v))
}

// harnessOff answers a harness form while the harness is off: its actions are the harness's.
func (c *Console) harnessOff(w http.ResponseWriter, r *http.Request, v *visit, pg *adminPage) bool {
	if c.cfg.Clock != nil {
		return false
	}
	v.Flash = v.T("admin.harnessoff")
	c.render(w, r, v, http.StatusForbidden, "admin", pg)
	return true
}

// setClock sets the business date, or moves it by some days, as the harness's setClock does.
func (c *Console) setClock(w http.ResponseWriter, r *http.Request, v *visit) {
	pg := c.newAdminPage(v)
	if c.harnessOff(w, r, v, pg) {
		return
	}
	begin := time.Now()
	f := &pg.Clock
	f.Today, f.Advance = r.PostFormValue("today"), strings.TrimSpace(r.PostFormValue("advance"))
	target := v.Today
	if f.Advance != "" {
		n, err := strconv.Atoi(f.Advance)
		if err != nil || n < -MaxClockDays || n > MaxClockDays {
			f.Errors["advance"] = "err.days"
		} else {
			target = target.AddDays(n)
		}
	} else {
		target = dateField(r.PostForm, "today", false, v.Today, f.Errors)
	}
	if len(f.Errors) > 0 {
		c.refuseForm(w, r, v, "setClock", "admin", pg, begin)
		return
	}
	since := c.cfg.Clock.Now()
	// Recorded in the store as the harness records it: the other gateways of a shared store follow.
	if err := c.cfg.Store.Update(func(w store.Writer) error {
		return w.PutClock(store.ClockRecord{Today: target, Since: since})
	}); err != nil {
		c.fail(w, r, v, "setClock", err, begin)
		return
	}
	c.cfg.Clock.SetAt(target, since)
	v.Today = c.cfg.Today()
	f.Today, f.Advance, pg.Mutation.Effective, pg.Done = v.Today.String(), "", v.Today.String(), "admin.clock.done"
	c.audit(v, "setClock", face.StatusFound, face.CodeOK, "", begin)
	c.render(w, r, v, http.StatusOK, "admin", pg)
}

// mutationFromForm reads the one change a mutation form carries; errors go next to the fields.
func mutationFromForm(r *http.Request, f *mutationForm) rules.Mutation {
	q := r.PostForm
	f.SSIN, f.Effective, f.Kind = q.Get("ssin"), q.Get("effective"), q.Get("kind")
	f.LastName, f.FirstName, f.Gender, f.BirthDate = q.Get("lastName"), q.Get("firstName"), q.Get("gender"), q.Get("birthDate")
	f.NewSSIN, f.Situation, f.ResidenceINS = q.Get("newSsin"), q.Get("situation"), strings.TrimSpace(q.Get("residenceIns"))
	m := rules.Mutation{SSIN: ssinField(q, "ssin", f.Errors), Effective: dateField(q, "effective", false, rules.NoDate, f.Errors),
		Kind: rules.MutationKind(f.Kind)}
	switch m.Kind {
	case rules.MutName:
		m.LastName, m.FirstName = strings.TrimSpace(f.LastName), strings.TrimSpace(f.FirstName)
		if m.LastName == "" {
			f.Errors["lastName"] = "err.required"
		}
	case rules.MutGender:
		m.Gender = f.Gender
		if m.Gender != "M" && m.Gender != "F" {
			f.Errors["gender"] = "err.gender"
		}
	case rules.MutBirthDate:
		m.BirthDate = dateField(q, "birthDate", false, rules.NoDate, f.Errors)
	case rules.MutSSIN:
		m.NewSSIN = ssinField(q, "newSsin", f.Errors)
	case rules.MutDeath:
	case rules.MutSituation:
		m.Situation = rules.Situation{From: m.Effective, Kind: rules.SituationKind(f.Situation), ResidenceINS: f.ResidenceINS}
		if !rules.KnownSituation(m.Situation.Kind) {
			f.Errors["situation"] = "err.required"
		}
		if f.ResidenceINS != "" && !rules.AllDigits(f.ResidenceINS, 5) {
			f.Errors["residenceIns"] = "err.ins"
		}
	default:
		f.Errors["kind"] = "err.required"
	}
	return m
}

// applyMutation applies one registry mutation and its effects on the person's decisions in one
// transaction, through face.MutateInTx as the harness's applyMutation does; each version it makes
// is audited with the form's mutation and the result.
func (c *Console) applyMutation(w http.ResponseWriter, r *http.Request, v *visit) {
	pg := c.newAdminPage(v)
	if c.harnessOff(w, r, v, pg) {
		return
	}
	begin := time.Now()
	m := mutationFromForm(r, &pg.Mutation)
	if len(pg.Mutation.Errors) > 0 {
		c.refuseForm(w, r, v, "applyMutation", "admin", pg, begin)
		return
	}
	now := c.cfg.Now()
	var res rules.MutationResult
	err := c.cfg.Store.Update(func(w store.Writer) error {
		var err error
		res, err = face.MutateInTx(w, c.cfg.Rules, &m, face.CPASLookup(c.cfg.Trust), v.Today, now)
		if err != nil {
			return err
		}
		if res.Rejected() {
			return errRollback
		}
		req, _ := json.Marshal(struct {
			Console  string
			Mutation rules.Mutation
		}{"applyMutation", m})
		ans, _ := json.Marshal(res)
		for _, ver := range res.Versions {
			if err := w.PutAudit(ver.Number, ver.Version, store.Audit{Request: req, Response: ans, Signer: v.Party.ID, At: now}); err != nil {
				return err
			}
		}
		return nil
	})
	switch {
	case errors.Is(err, errRollback):
		pg.Messages = res.Messages
		code := face.FirstError(res.Messages).Code
		c.audit(v, "applyMutation", face.StatusRejected, code, "", begin)
		c.render(w, r, v, http.StatusOK, "admin", pg)
		return
	case err != nil:
		c.fail(w, r, v, "applyMutation", err, begin)
		return
	}
	pg.Done, pg.Messages = "admin.mutation.done", res.Messages
	pg.Result = &mutationResult{Seq: m.Seq, Versions: res.Versions, Notices: res.Notices}
	number := ""
	if len(res.Versions) > 0 {
		number = res.Versions[0].Number
	}
	c.audit(v, "applyMutation", face.StatusFound, face.CodeOK, number, begin)
	c.render(w, r, v, http.StatusOK, "admin", pg)
}

// loadPersons adds the persons of fixture text to the registry, all or none, through
// face.LoadPersonsInTx as the harness's loadRegistry does.
func (c *Console) loadPersons(w http.ResponseWriter, r *http.Request, v *visit) {
	pg := c.newAdminPage(v)
	if c.harnessOff(w, r, v, pg) {
		return
	}
	begin := time.Now()
	f := &pg.Persons
	f.JSON = r.PostFormValue("persons")
	ps, err := store.ParseRegistry([]byte(f.JSON))
	switch {
	case strings.TrimSpace(f.JSON) == "":
		f.Errors["persons"] = "err.required"
	case err != nil:
		f.Errors["persons"], f.Detail = "err.persons", err.Error()
	case len(ps) == 0:
		f.Errors["persons"] = "err.required"
	}
	if len(f.Errors) > 0 {
		c.refuseForm(w, r, v, "loadPersons", "admin", pg, begin)
		return
	}
	var loaded, unchanged, conflict int
	err = c.cfg.Store.Update(func(w store.Writer) error {
		var err error
		loaded, unchanged, conflict, err = face.LoadPersonsInTx(w, ps)
		if err == nil && conflict >= 0 {
			return errRollback
		}
		return err
	})
	switch {
	case errors.Is(err, errRollback):
		pg.Messages = []rules.Message{rules.NewMessage(rules.CodePersonExists, rules.Info{Name: "person", Value: strconv.Itoa(conflict)})}
		c.audit(v, "loadPersons", face.StatusRejected, rules.CodePersonExists, "", begin)
		c.render(w, r, v, http.StatusOK, "admin", pg)
		return
	case err != nil:
		c.fail(w, r, v, "loadPersons", err, begin)
		return
	}
	f.JSON, pg.Done, pg.Loaded = "", "admin.persons.done", &[2]int{loaded, unchanged}
	c.audit(v, "loadPersons", face.StatusFound, face.CodeOK, "", begin)
	c.render(w, r, v, http.StatusOK, "admin", pg)
}
