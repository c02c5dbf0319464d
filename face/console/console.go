// Package console is the web console of design §1 (GET /console/): WebConsult for providers and an
// inspector for CPAS and the admin — a person's decisions drawn as an SVG timeline, each version's
// content and the differences between two, the notices, the business clock — with the harness
// actions as forms for the admin. Pages are rendered on the server with html/template, in French,
// Dutch and English; there is no script.
//
// It never shows more than the SOAP faces would: a provider's consultation goes through
// face.ConsultProvider (the code of the eHealth Consult v2 face, agreement numbers included), a
// CPAS's through face.ConsultCPAS (its consultCarmed), and the admin's harness actions through
// face.MutateInTx and face.LoadPersonsInTx. Every consultation gets the request log line and the
// metrics of a SOAP one; every write is audited per version.
//
// Sign-in is by client certificate over TLS (mapped to a party by the trust file) or, in the demo
// only (Config.Demo), by picking a party, marked as such on every page. State-changing forms carry a
// CSRF token; cookies are HttpOnly and SameSite=Strict; every answer has a restrictive CSP.
package console

import (
	"bytes"
	"crypto/rand"
	"embed"
	"errors"
	"html/template"
	"io/fs"
	"net/http"
	"strings"
	"time"

	"github.com/rs/zerolog"

	"github.com/carmed/carmed/agreement"
	"github.com/carmed/carmed/rules"
	"github.com/carmed/carmed/server"
	"github.com/carmed/carmed/store"
	"github.com/carmed/carmed/trust"
)

// Path is where the console is served.
const Path = "/console/"

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// csp allows nothing but the console's own stylesheet and forms posted to itself.
const csp = "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; " +
	"frame-ancestors 'none'; base-uri 'none'"

// Config is what the console needs; the gateway gives it the pipeline's collaborators.
type Config struct {
	Store      store.Store
	Trust      *trust.Store
	Rules      rules.Engine
	Agreements *agreement.Keyring // a provider's consultation issues agreement numbers (R-AGREEMENT)
	// Today is the business date; Now the wall clock (nil = time.Now).
	Today func() rules.Date
	Now   func() time.Time
	// Clock is the harness's business clock: with it the admin gets the harness forms (set the
	// clock, apply a mutation, load persons); nil when the harness is off.
	Clock *server.BusinessClock
	// Demo turns on the party picker: anyone may sign in as any party of the trust file, with
	// no certificate. For demonstrations on a loopback address only.
	Demo bool
	// Observe counts a request in the gateway's metrics (server.Server.Observe); may be nil.
	Observe func(op, outcome string, d time.Duration)
	Logger  zerolog.Logger
}

// Console is the console's HTTP handler.
type Console struct {
	cfg      Config
	pages    map[string]*template.Template
	static   http.Handler
	sessions *sessions
	csrfKey  []byte // HMAC key of the certificate sign-ins' CSRF tokens, new at every start
	mux      *http.ServeMux
}

// New checks the configuration and parses the templates.
func New(cfg Config) (*Console, error) {
	if cfg.Store == nil || cfg.Trust == nil || cfg.Rules == nil || cfg.Agreements == nil || cfg.Today == nil {
		return nil, errors.New("console: Store, Trust, Rules, Agreements and Today are required")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	c := &Console{cfg: cfg, pages: map[string]*template.Template{}, sessions: newSessions(), csrfKey: make([]byte, 32)}
	if _, err := rand.Read(c.csrfKey); err != nil {
		return nil, err
	}
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		base := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if base == "layout" || base == "messages" {
			continue
		}
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/messages.html", n)
		if err != nil {
			return nil, err
		}
		c.pages[base] = t
	}
	sub, err := fs.Sub(staticFS, "static")
	if err != nil {
		return nil, err
	}
	c.static = http.StripPrefix(Path+"static/", http.FileServerFS(sub))
	c.routes()
	return c, nil
}

func (c *Console) routes() {
	m := http.NewServeMux()
	m.Handle("GET "+Path+"static/", c.static)
	m.HandleFunc("GET "+Path+"{$}", c.home)
	m.HandleFunc("POST "+Path+"signin", c.signIn)
	m.HandleFunc("POST "+Path+"signout", c.signOut)
	m.HandleFunc("GET "+Path+"consult", c.only(c.webConsult, trust.KindProvider))
	m.HandleFunc("GET "+Path+"person", c.only(c.inspectPerson, trust.KindCPAS, trust.KindAdmin))
	m.HandleFunc("GET "+Path+"decision/{number}", c.only(c.inspectVersion, trust.KindCPAS, trust.KindAdmin))
	m.HandleFunc("GET "+Path+"decision/{number}/diff", c.only(c.inspectDiff, trust.KindCPAS, trust.KindAdmin))
	m.HandleFunc("GET "+Path+"notices", c.only(c.notices, trust.KindCPAS, trust.KindAdmin))
	m.HandleFunc("GET "+Path+"admin", c.only(c.adminPage, trust.KindAdmin))
	m.HandleFunc("POST "+Path+"admin/clock", c.only(c.setClock, trust.KindAdmin))
	m.HandleFunc("POST "+Path+"admin/mutation", c.only(c.applyMutation, trust.KindAdmin))
	m.HandleFunc("POST "+Path+"admin/persons", c.only(c.loadPersons, trust.KindAdmin))
	c.mux = m
}

// ServeHTTP sets the security headers of every answer and dispatches.
func (c *Console) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", csp)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	if !strings.HasPrefix(r.URL.Path, Path+"static/") {
		h.Set("Cache-Control", "no-store") // pages hold personal data
	}
	if r.Method == http.MethodPost {
		r.Body = http.MaxBytesReader(w, r.Body, MaxFormBytes)
	}
	c.mux.ServeHTTP(w, r)
}

// only lets the signed-in parties of the given kinds through; anyone else gets the sign-in page
// (not signed in) or a refusal page (signed in as another kind).
func (c *Console) only(next func(http.ResponseWriter, *http.Request, *visit), kinds ...trust.Kind) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		v := c.visitOf(w, r)
		if !v.SignedIn {
			c.render(w, r, v, http.StatusUnauthorized, "signin", nil)
			return
		}
		ok := false
		for _, k := range kinds {
			ok = ok || v.Party.Kind == k
		}
		if !ok {
			v.Flash = v.T("err.forbidden")
			c.render(w, r, v, http.StatusForbidden, "home", nil)
			return
		}
		if r.Method == http.MethodPost && !c.checkCSRF(r, v) {
			v.Flash = v.T("err.csrf")
			c.render(w, r, v, http.StatusForbidden, "home", nil)
			return
		}
		next(w, r, v)
	}
}

// home is the landing page: the sign-in page, or the party's start page.
func (c *Console) home(w http.ResponseWriter, r *http.Request) {
	v := c.visitOf(w, r)
	if !v.SignedIn {
		c.render(w, r, v, http.StatusOK, "signin", nil)
		return
	}
	c.render(w, r, v, http.StatusOK, "home", nil)
}

// page is what every template gets: the visit (party, language, CSRF token, clock) and the page's data.
type page struct {
	*visit
	Data any
}

// render executes a page template; a failure is logged and answered with a bare 500.
func (c *Console) render(w http.ResponseWriter, r *http.Request, v *visit, status int, name string, data any) {
	t := c.pages[name]
	if t == nil {
		c.cfg.Logger.Error().Str("page", name).Msg("console: no such template")
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	v.Page = name
	if name == "signin" && data == nil {
		data = c.pickerData(w, v, "")
	}
	var b bytes.Buffer // rendered whole first, so a failure can still answer 500
	if err := t.Execute(&b, page{visit: v, Data: data}); err != nil {
		c.cfg.Logger.Error().Err(err).Str("page", name).Msg("console: rendering failed")
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = b.WriteTo(w)
}

// audit writes the request log line and the metrics of one console operation, as the pipeline
// does for a SOAP request: operation, party, outcome, reason code, decision, latency — never an
// SSIN or a name.
func (c *Console) audit(v *visit, op, outcome, code, number string, begin time.Time) {
	lat := time.Since(begin)
	if c.cfg.Observe != nil {
		c.cfg.Observe("console."+op, outcome, lat)
	}
	ev := c.cfg.Logger.Info().Str("face", "console").Str("op", op).Str("outcome", outcome).Str("code", code).
		Float64("latency_ms", float64(lat.Microseconds())/1000).
		Str("party", v.Party.ID).Str("party_kind", string(v.Party.Kind)).Str("signin", v.Via)
	if number != "" {
		ev = ev.Str("decision", number)
	}
	ev.Msg("request")
}
