package console

import (
	"errors"
	"net/http"
	"slices"
	"strconv"
	"time"

	"github.com/carmed/carmed/face"
	"github.com/carmed/carmed/rules"
	"github.com/carmed/carmed/store"
	"github.com/carmed/carmed/trust"
)

// decisionRow is one decision of a person as the visitor may see it: every version (oldest
// first) when the visitor manages it or is the admin, else the one version and the
// identification its consultation shows (R-VIEW-OTHER-CPAS).
type decisionRow struct {
	Number   string
	Manager  rules.CPAS
	Full     bool
	Versions []rules.Version
}

// Latest is the newest version the visitor sees.
func (d *decisionRow) Latest() *rules.Version { return &d.Versions[len(d.Versions)-1] }

// personPage is the inspector's page for one person.
type personPage struct {
	Form      consultForm // SSIN, Start, End (the CPAS's history period)
	Asked     bool
	Outcome   string
	Person    *rules.Person // the registry record: the admin only
	Decisions []decisionRow
	More      bool // the CPAS's history was cut at rules.MaxHistory
	Mutations []rules.Mutation
	Notices   []rules.Notice
	Messages  []rules.Message
	Timeline  *timeline
}

// inspectPerson shows one person: for the admin everything the store holds; for a CPAS what its
// consultCarmed history shows (face.ConsultCPAS): its own decisions whole, another CPAS's as
// identification, and the notices addressed to it.
func (c *Console) inspectPerson(w http.ResponseWriter, r *http.Request, v *visit) {
	q := r.URL.Query()
	pg := personPage{Form: consultForm{SSIN: q.Get("ssin"), Start: q.Get("start"), End: q.Get("end"), Errors: fieldErrors{}}}
	if !q.Has("ssin") {
		c.render(w, r, v, http.StatusOK, "person", &pg)
		return
	}
	begin := time.Now()
	errs := pg.Form.Errors
	ssin := ssinField(q, "ssin", errs)
	period := rules.Period{Start: dateField(q, "start", true, v.Today.AddYears(-HistoryYears), errs),
		End: dateField(q, "end", true, v.Today.AddYears(HistoryYears), errs)}
	if len(errs) == 0 && period.Start > period.End {
		errs["end"] = "err.period.inverted"
	}
	if len(errs) > 0 {
		c.refuseForm(w, r, v, "inspectPerson", "person", &pg, begin)
		return
	}
	var err error
	if v.Party.Kind == trust.KindAdmin {
		err = c.adminPerson(ssin, &pg)
	} else {
		err = c.cpasPerson(v, ssin, period, &pg)
	}
	if err != nil {
		c.fail(w, r, v, "inspectPerson", err, begin)
		return
	}
	pg.Asked = true
	pg.Outcome = face.ReadValue(pg.Messages, len(pg.Decisions)+len(pg.Notices)+len(pg.Mutations))
	if pg.Person != nil && pg.Outcome == face.StatusNotFound {
		pg.Outcome = face.StatusFound // the registry knows the person
	}
	code := outcomeCode(pg.Outcome, pg.Messages)
	if len(pg.Decisions) > 0 || len(pg.Mutations) > 0 {
		pg.Timeline = drawTimeline(pg.Decisions, pg.Mutations, v.Today, v)
	}
	c.audit(v, "inspectPerson", pg.Outcome, code, "", begin)
	c.render(w, r, v, http.StatusOK, "person", &pg)
}

// adminPerson is everything the store holds on ssin.
func (c *Console) adminPerson(ssin string, pg *personPage) error {
	lookup := face.CPASLookup(c.cfg.Trust)
	return c.cfg.Store.View(func(r store.Reader) error {
		p, err := r.Person(ssin)
		switch {
		case err == nil:
			pg.Person = &p
		case !errors.Is(err, store.ErrNotFound):
			return err
		}
		ds, err := r.DecisionsBySSIN(ssin)
		if err != nil {
			return err
		}
		for _, d := range ds {
			m, _ := lookup(d.Latest().Manager)
			pg.Decisions = append(pg.Decisions, decisionRow{Number: d.Number(), Manager: m, Full: true, Versions: d.Versions})
		}
		if pg.Mutations, err = r.MutationsBySSIN(ssin); err != nil {
			return err
		}
		pg.Notices, err = noticesOf(r, "", ssin)
		return err
	})
}

// cpasPerson is what the CPAS's history consultation shows, grouped by decision, and its notices.
func (c *Console) cpasPerson(v *visit, ssin string, period rules.Period, pg *personPage) error {
	res, err := face.ConsultCPAS(c.cfg.Store, c.cfg.Trust, c.cfg.Rules,
		rules.ConsultCmd{Caller: v.Party.ID, Mode: rules.History, SSIN: ssin, Period: period}, v.Today)
	if err != nil {
		return err
	}
	pg.Messages, pg.More = res.Messages, res.More
	byNumber := map[string]int{}
	for _, view := range res.Views {
		n := view.Version.Number
		i, ok := byNumber[n]
		if !ok {
			i = len(pg.Decisions)
			byNumber[n] = i
			pg.Decisions = append(pg.Decisions, decisionRow{Number: n, Manager: view.Manager, Full: view.Full})
		}
		pg.Decisions[i].Versions = append(pg.Decisions[i].Versions, view.Version)
	}
	for i := range pg.Decisions {
		slices.SortFunc(pg.Decisions[i].Versions, func(a, b rules.Version) int { return a.Version - b.Version })
	}
	slices.SortFunc(pg.Decisions, func(a, b decisionRow) int {
		if a.Number < b.Number {
			return -1
		}
		return 1
	})
	return c.cfg.Store.View(func(r store.Reader) error {
		var err error
		pg.Notices, err = noticesOf(r, v.Party.ID, ssin)
		return err
	})
}

// noticesOf lists the notices of one person (as its SSIN now is, or was before an SSIN
// mutation), pending and acknowledged, addressed to manager ("" = every CPAS: the admin).
func noticesOf(r store.Reader, manager, ssin string) ([]rules.Notice, error) {
	ns, _, err := r.Notices(store.NoticeQuery{Manager: manager, IncludeAcknowledged: true, Limit: store.MaxNoticeLimit})
	if err != nil {
		return nil, err
	}
	var out []rules.Notice
	for _, n := range ns {
		if n.SSIN == ssin || n.OldSSIN == ssin {
			out = append(out, n)
		}
	}
	return out, nil
}

// versionPage shows one version whole, with the form of a diff against another.
type versionPage struct {
	Number   string
	Manager  rules.CPAS
	Version  *rules.Version
	Latest   int
	Messages []rules.Message
	Outcome  string
}

// diffPage shows the differences between two versions of a decision.
type diffPage struct {
	Number   string
	A, B     int
	Rows     []diffRow
	Messages []rules.Message
	Outcome  string
}

// readVersion fetches version n (0 = latest) of a decision as the visitor may see it: the admin
// from the store, a CPAS through its consultCarmed by number (manager only: another CPAS gets the
// NOT_MANAGER answer the SOAP face gives). ver is nil when there is none to show, with the
// answer's messages if the rules refused. latest is the newest version's number when it came
// with the read (the admin, or n = 0), else 0: see latestVersion.
func (c *Console) readVersion(v *visit, number string, n int) (ver *rules.Version, m rules.CPAS, latest int, ms []rules.Message, err error) {
	if v.Party.Kind == trust.KindAdmin {
		err = c.cfg.Store.View(func(r store.Reader) error {
			d, err := r.Decision(number)
			if errors.Is(err, store.ErrNotFound) {
				return nil
			}
			if err != nil {
				return err
			}
			latest = len(d.Versions)
			if n == 0 {
				n = latest
			}
			if n < 1 || n > latest {
				ms = []rules.Message{rules.NewMessage(rules.CodeVersionUnknown, rules.Info{Name: "decisionNumber", Value: number},
					rules.Info{Name: "latestVersion", Value: strconv.Itoa(latest)}, rules.Info{Name: "requestedVersion", Value: strconv.Itoa(n)})}
				return nil
			}
			x := d.Versions[n-1]
			ver = &x
			m, _ = face.CPASLookup(c.cfg.Trust)(d.Latest().Manager)
			return nil
		})
		return ver, m, latest, ms, err
	}
	res, err := face.ConsultCPAS(c.cfg.Store, c.cfg.Trust, c.cfg.Rules,
		rules.ConsultCmd{Caller: v.Party.ID, Mode: rules.ByNumber, Number: number, Version: n}, v.Today)
	if err != nil || len(res.Views) == 0 {
		return nil, m, 0, res.Messages, err
	}
	view := res.Views[0]
	if n == 0 {
		latest = view.Version.Version
	}
	return &view.Version, view.Manager, latest, nil, nil
}

// latestVersion is the newest version's number for a CPAS, for the version page's "next" link:
// the by-number consultation of version 0. Only that page asks, so the diff makes no extra read.
func (c *Console) latestVersion(v *visit, number string) int {
	l, err := face.ConsultCPAS(c.cfg.Store, c.cfg.Trust, c.cfg.Rules,
		rules.ConsultCmd{Caller: v.Party.ID, Mode: rules.ByNumber, Number: number}, v.Today)
	if err != nil || len(l.Views) == 0 {
		return 0
	}
	return l.Views[0].Version.Version
}

// inspectVersion shows one version of a decision (?v=N, default the latest).
func (c *Console) inspectVersion(w http.ResponseWriter, r *http.Request, v *visit) {
	begin := time.Now()
	number := r.PathValue("number")
	n, _ := strconv.Atoi(r.URL.Query().Get("v"))
	ver, m, latest, ms, err := c.readVersion(v, number, n)
	if err != nil {
		c.fail(w, r, v, "inspectVersion", err, begin)
		return
	}
	if ver != nil && latest == 0 {
		latest = c.latestVersion(v, number)
	}
	pg := versionPage{Number: number, Manager: m, Version: ver, Latest: latest, Messages: ms}
	found := 0
	if ver != nil {
		found = 1
	}
	pg.Outcome = face.ReadValue(ms, found)
	c.audit(v, "inspectVersion", pg.Outcome, outcomeCode(pg.Outcome, ms), number, begin)
	c.render(w, r, v, http.StatusOK, "version", &pg)
}

// inspectDiff compares two versions of a decision (?a=N&b=M), each read as inspectVersion reads it.
func (c *Console) inspectDiff(w http.ResponseWriter, r *http.Request, v *visit) {
	begin := time.Now()
	number := r.PathValue("number")
	q := r.URL.Query()
	a, _ := strconv.Atoi(q.Get("a"))
	b, _ := strconv.Atoi(q.Get("b"))
	pg := diffPage{Number: number, A: a, B: b}
	va, _, _, ms, err := c.readVersion(v, number, a)
	var vb *rules.Version
	if err == nil && va != nil {
		vb, _, _, ms, err = c.readVersion(v, number, b)
	}
	if err != nil {
		c.fail(w, r, v, "inspectDiff", err, begin)
		return
	}
	pg.Messages = ms
	found := 0
	if va != nil && vb != nil {
		pg.A, pg.B = va.Version, vb.Version
		pg.Rows = diffVersions(versionLines(va, v), versionLines(vb, v))
		found = 1
	}
	pg.Outcome = face.ReadValue(ms, found)
	c.audit(v, "inspectDiff", pg.Outcome, outcomeCode(pg.Outcome, ms), number, begin)
	c.render(w, r, v, http.StatusOK, "diff", &pg)
}

// noticesPage lists notices: a CPAS's own, every CPAS's for the admin.
type noticesPage struct {
	Notices []rules.Notice
	More    bool
}

func (c *Console) notices(w http.ResponseWriter, r *http.Request, v *visit) {
	begin := time.Now()
	q := store.NoticeQuery{IncludeAcknowledged: true, Limit: store.MaxNoticeLimit}
	if v.Party.Kind != trust.KindAdmin {
		q.Manager = v.Party.ID
	}
	var pg noticesPage
	if err := c.cfg.Store.View(func(r store.Reader) error {
		var err error
		pg.Notices, pg.More, err = r.Notices(q)
		return err
	}); err != nil {
		c.fail(w, r, v, "notices", err, begin)
		return
	}
	slices.Reverse(pg.Notices) // newest first
	outcome := face.ReadValue(nil, len(pg.Notices))
	c.audit(v, "notices", outcome, outcomeCode(outcome, nil), "", begin)
	c.render(w, r, v, http.StatusOK, "notices", &pg)
}

// outcomeCode is the status code of an outcome, as the SOAP faces log it.
func outcomeCode(outcome string, ms []rules.Message) string {
	switch outcome {
	case face.StatusRejected:
		return face.FirstError(ms).Code
	case face.StatusNotFound:
		return face.CodeNoData
	}
	return face.CodeOK
}
