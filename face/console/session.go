package console

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"net/url"
	"sync"
	"time"

	"github.com/carmed/carmed/rules"
	"github.com/carmed/carmed/trust"
)

// Cookie names. All are HttpOnly, SameSite=Strict, limited to the console's path, and Secure over TLS.
const (
	sessionCookie = "carmed_console"
	preCookie     = "carmed_console_pre" // the sign-in form's double-submit token
	langCookie    = "carmed_console_lang"
)

// How a visitor signed in.
const (
	viaCertificate = "certificate"
	viaDemo        = "demo-picker"
)

// visit is one request's visitor: who (if signed in), how, in which language, and its CSRF token.
type visit struct {
	SignedIn bool
	Party    trust.Party
	Via      string
	Demo     bool // the demo picker is on: every page says so
	Lang     string
	CSRF     string
	Today    rules.Date
	Harness  bool   // the admin's harness forms are available
	Flash    string // a message shown on top of the page
	Page     string // the template being rendered
	path     string
	query    url.Values
	secure   bool
}

// T is a template's translation of key in the visit's language.
func (v *visit) T(key string) string { return translate(v.Lang, key) }

// LangURL is the current page in another language.
func (v *visit) LangURL(lang string) string {
	q := url.Values{}
	for k, vs := range v.query {
		q[k] = vs
	}
	q.Set("lang", lang)
	return v.path + "?" + q.Encode()
}

// Langs are the console's languages, in the order of the switcher.
func (v *visit) Langs() []string { return languages }

// session is a demo sign-in.
type session struct {
	party   trust.Party
	csrf    string
	expires time.Time
}

// sessions are the demo sign-ins, in memory: a restart signs everybody out.
type sessions struct {
	mu sync.Mutex
	m  map[string]*session
}

func newSessions() *sessions { return &sessions{m: map[string]*session{}} }

func (s *sessions) get(id string, now time.Time) *session {
	s.mu.Lock()
	defer s.mu.Unlock()
	ss := s.m[id]
	if ss == nil || now.After(ss.expires) {
		delete(s.m, id)
		return nil
	}
	return ss
}

// add stores a new session and returns its id; expired sessions are dropped first, and
// beyond MaxSessions the oldest goes.
func (s *sessions) add(p trust.Party, now time.Time) (string, *session) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.m) >= MaxSessions {
		var oldest string
		for id, ss := range s.m {
			if now.After(ss.expires) {
				delete(s.m, id)
			} else if oldest == "" || ss.expires.Before(s.m[oldest].expires) {
				oldest = id
			}
		}
		if len(s.m) >= MaxSessions {
			delete(s.m, oldest)
		}
	}
	id, ss := randomToken(), &session{party: p, csrf: randomToken(), expires: now.Add(SessionTTL)}
	s.m[id] = ss
	return id, ss
}

func (s *sessions) remove(id string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.m, id)
}

func randomToken() string {
	var b [32]byte
	_, _ = rand.Read(b[:])
	return base64.RawURLEncoding.EncodeToString(b[:])
}

// visitOf finds who is visiting: a trusted client certificate wins; else, in the demo only, the
// session cookie of a picked party. It also settles the language (?lang= kept in a cookie).
func (c *Console) visitOf(w http.ResponseWriter, r *http.Request) *visit {
	now := c.cfg.Now()
	v := &visit{Demo: c.cfg.Demo, Today: c.cfg.Today(), path: r.URL.Path, query: r.URL.Query(), secure: r.TLS != nil}
	v.Lang = c.language(w, r, v)
	if r.TLS != nil && len(r.TLS.PeerCertificates) > 0 {
		certs := r.TLS.PeerCertificates
		p, err := c.cfg.Trust.PartyWithPath(certs[0], certs[1:], now)
		if err != nil {
			c.cfg.Logger.Warn().Err(err).Str("face", "console").Msg("console: client certificate not trusted")
			return v
		}
		v.SignedIn, v.Party, v.Via = true, p, viaCertificate
		v.CSRF = c.certCSRF(p)
	} else if c.cfg.Demo {
		if ck, err := r.Cookie(sessionCookie); err == nil {
			if ss := c.sessions.get(ck.Value, now); ss != nil {
				v.SignedIn, v.Party, v.Via, v.CSRF = true, ss.party, viaDemo, ss.csrf
			}
		}
	}
	v.Harness = v.SignedIn && v.Party.Kind == trust.KindAdmin && c.cfg.Clock != nil
	return v
}

// certCSRF is the CSRF token of a certificate sign-in: a MAC of the certificate under the
// console's key, so it needs no server state and no other certificate's page can forge it.
func (c *Console) certCSRF(p trust.Party) string {
	m := hmac.New(sha256.New, c.csrfKey)
	m.Write([]byte("csrf\x00" + p.CertSHA256 + "\x00" + p.ID))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// checkCSRF accepts a POST only from a page of the console: the form's token must match the
// visit's, and a browser that says where the request came from must say this site.
func (c *Console) checkCSRF(r *http.Request, v *visit) bool {
	if crossSite(r) {
		return false
	}
	got := r.PostFormValue("csrf")
	return v.CSRF != "" && subtle.ConstantTimeCompare([]byte(got), []byte(v.CSRF)) == 1
}

// crossSite is true when the browser says the request came from another site (Sec-Fetch-Site);
// a browser that says nothing is judged by the token alone.
func crossSite(r *http.Request) bool {
	site := r.Header.Get("Sec-Fetch-Site")
	return site != "" && site != "same-origin"
}

func (c *Console) setCookie(w http.ResponseWriter, v *visit, name, value string, maxAge int) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: value, Path: Path, MaxAge: maxAge, HttpOnly: true,
		Secure: v.secure, SameSite: http.SameSiteStrictMode})
}

// language is ?lang= (remembered in a cookie), else the cookie, else the browser's first
// language the console speaks, else English.
func (c *Console) language(w http.ResponseWriter, r *http.Request, v *visit) string {
	if l := r.URL.Query().Get("lang"); known(l) {
		c.setCookie(w, v, langCookie, l, 365*24*3600)
		return l
	}
	if ck, err := r.Cookie(langCookie); err == nil && known(ck.Value) {
		return ck.Value
	}
	return fromAcceptLanguage(r.Header.Get("Accept-Language"))
}

// signInPage is the picker's data: the parties of the trust file and the form's token.
type signInPage struct {
	Parties []trust.Party
	Pre     string
	Error   string
}

// pickerData lists the parties to pick from, and sets the double-submit token of the form.
func (c *Console) pickerData(w http.ResponseWriter, v *visit, errMsg string) *signInPage {
	if !c.cfg.Demo {
		return &signInPage{Error: errMsg}
	}
	pre := randomToken()
	c.setCookie(w, v, preCookie, pre, 3600)
	return &signInPage{Parties: c.cfg.Trust.Parties(), Pre: pre, Error: errMsg}
}

// signIn is the demo picker's POST: the party picked, checked against the trust file.
func (c *Console) signIn(w http.ResponseWriter, r *http.Request) {
	v := c.visitOf(w, r)
	if !c.cfg.Demo {
		v.Flash = v.T("signin.needcert")
		c.render(w, r, v, http.StatusForbidden, "signin", nil)
		return
	}
	pre, err := r.Cookie(preCookie)
	form := r.PostFormValue("pre")
	if err != nil || form == "" || subtle.ConstantTimeCompare([]byte(pre.Value), []byte(form)) != 1 || crossSite(r) {
		v.Flash = v.T("err.csrf")
		c.render(w, r, v, http.StatusForbidden, "signin", nil)
		return
	}
	kind, id := trust.Kind(r.PostFormValue("kind")), r.PostFormValue("id")
	var picked *trust.Party
	for _, p := range c.cfg.Trust.Parties() {
		if p.Kind == kind && p.ID == id {
			picked = &p
			break
		}
	}
	if picked == nil {
		v.Flash = v.T("signin.unknown")
		c.render(w, r, v, http.StatusBadRequest, "signin", nil)
		return
	}
	sid, _ := c.sessions.add(*picked, c.cfg.Now())
	c.setCookie(w, v, sessionCookie, sid, int(SessionTTL/time.Second))
	c.setCookie(w, v, preCookie, "", -1)
	c.cfg.Logger.Info().Str("face", "console").Str("op", "signIn").Str("party", picked.ID).
		Str("party_kind", string(picked.Kind)).Str("signin", viaDemo).Msg("request")
	http.Redirect(w, r, Path, http.StatusSeeOther)
}

// signOut ends a demo session (a certificate sign-in ends when the browser drops the certificate).
func (c *Console) signOut(w http.ResponseWriter, r *http.Request) {
	v := c.visitOf(w, r)
	if v.SignedIn && !c.checkCSRF(r, v) {
		v.Flash = v.T("err.csrf")
		c.render(w, r, v, http.StatusForbidden, "home", nil)
		return
	}
	if ck, err := r.Cookie(sessionCookie); err == nil {
		c.sessions.remove(ck.Value)
	}
	c.setCookie(w, v, sessionCookie, "", -1)
	http.Redirect(w, r, Path, http.StatusSeeOther)
}
