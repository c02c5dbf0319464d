package console_test

import (
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/carmed/carmed/pki"
	"github.com/carmed/carmed/rules"
	"github.com/carmed/carmed/trust"
)

var (
	preRE  = regexp.MustCompile(`name="pre" value="([^"]+)"`)
	csrfRE = regexp.MustCompile(`name="csrf" value="([^"]+)"`)
)

// get fetches a console page and returns its status and body.
func get(t *testing.T, c *http.Client, u string) (int, string) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// post sends a form with the headers a browser adds to a same-origin post.
func post(t *testing.T, c *http.Client, u string, form url.Values, site string) (int, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, u, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if site != "" {
		req.Header.Set("Sec-Fetch-Site", site)
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

// signIn picks a party on the demo sign-in page and returns the CSRF token of its pages.
func (e *env) signIn(t *testing.T, c *http.Client, kind trust.Kind, id string) string {
	t.Helper()
	_, page := get(t, c, e.url+"/console/")
	m := preRE.FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("no sign-in form on the demo page")
	}
	status, page := post(t, c, e.url+"/console/signin", url.Values{"pre": {m[1]}, "kind": {string(kind)}, "id": {id}}, "same-origin")
	if status != http.StatusOK || !strings.Contains(page, `id="party"`) {
		t.Fatalf("sign-in as %s %s: HTTP %d", kind, id, status)
	}
	tok := csrfRE.FindStringSubmatch(page)
	if tok == nil {
		t.Fatal("a signed-in page without the sign-out form's token")
	}
	return tok[1]
}

func TestEveryAnswerCarriesARestrictivePolicyAndStrictCookies(t *testing.T) {
	e := newEnv(t)
	resp, err := e.httpClient().Get(e.url + "/console/")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	csp := resp.Header.Get("Content-Security-Policy")
	for _, want := range []string{"default-src 'none'", "style-src 'self'", "form-action 'self'", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe") || strings.Contains(csp, "script-src") {
		t.Errorf("CSP %q allows scripts or inline code", csp)
	}
	if len(resp.Cookies()) == 0 {
		t.Fatal("the demo sign-in page sets no form cookie")
	}
	for _, ck := range resp.Cookies() {
		if !ck.HttpOnly || ck.SameSite != http.SameSiteStrictMode || ck.Path != "/console/" {
			t.Errorf("cookie %s: HttpOnly=%v SameSite=%v Path=%q", ck.Name, ck.HttpOnly, ck.SameSite, ck.Path)
		}
	}
}

func TestAFormPostedWithoutItsTokenChangesNothing(t *testing.T) {
	e := newEnv(t)
	c := e.httpClient()
	// the sign-in itself: no double-submit token, no session
	if status, _ := post(t, c, e.url+"/console/signin", url.Values{"kind": {"admin"}, "id": {pki.DemoAdminID}}, ""); status != http.StatusForbidden {
		t.Errorf("sign-in without the form's token: HTTP %d, want 403", status)
	}
	// the sign-in with its token, but sent from another site
	_, page := get(t, c, e.url+"/console/")
	if m := preRE.FindStringSubmatch(page); m == nil {
		t.Fatal("no sign-in form on the demo page")
	} else if status, page := post(t, c, e.url+"/console/signin", url.Values{"pre": {m[1]}, "kind": {"admin"}, "id": {pki.DemoAdminID}}, "cross-site"); status != http.StatusForbidden || strings.Contains(page, `id="party"`) {
		t.Errorf("sign-in from another site: HTTP %d, want 403 and no session", status)
	}
	tok := e.signIn(t, c, trust.KindAdmin, pki.DemoAdminID)
	for _, c2 := range []struct {
		name       string
		form       url.Values
		site       string
		wantStatus int
		wantToday  string
	}{
		{"no token", url.Values{"today": {"2027-01-01"}}, "same-origin", http.StatusForbidden, "2026-12-01"},
		{"another token", url.Values{"today": {"2027-01-01"}, "csrf": {"x" + tok}}, "same-origin", http.StatusForbidden, "2026-12-01"},
		{"from another site", url.Values{"today": {"2027-01-01"}, "csrf": {tok}}, "cross-site", http.StatusForbidden, "2026-12-01"},
		{"the page's own form", url.Values{"today": {"2027-01-01"}, "csrf": {tok}}, "same-origin", http.StatusOK, "2027-01-01"},
	} {
		status, _ := post(t, c, e.url+"/console/admin/clock", c2.form, c2.site)
		if status != c2.wantStatus || e.biz.Today().String() != c2.wantToday {
			t.Errorf("%s: HTTP %d, business date %s; want %d and %s", c2.name, status, e.biz.Today(), c2.wantStatus, c2.wantToday)
		}
	}
}

func TestEachPartyKindReachesOnlyItsPages(t *testing.T) {
	e := newEnv(t)
	e.createAndModify()
	cases := []struct {
		kind  trust.Kind
		id    string
		paths map[string]int
	}{
		{trust.KindProvider, pki.DemoNIHIIHospitalCHR, map[string]int{"/console/consult": 200, "/console/person": 403,
			"/console/decision/" + decision: 403, "/console/notices": 403, "/console/admin": 403}},
		{trust.KindCPAS, "0212345668", map[string]int{"/console/consult": 403, "/console/person": 200,
			"/console/decision/" + decision: 200, "/console/notices": 200, "/console/admin": 403}},
		{trust.KindAdmin, pki.DemoAdminID, map[string]int{"/console/consult": 403, "/console/person": 200,
			"/console/decision/" + decision: 200, "/console/admin": 200}},
	}
	for _, cs := range cases {
		c := e.httpClient()
		e.signIn(t, c, cs.kind, cs.id)
		for p, want := range cs.paths {
			if status, _ := get(t, c, e.url+p); status != want {
				t.Errorf("%s %s: GET %s: HTTP %d, want %d", cs.kind, cs.id, p, status, want)
			}
		}
	}
	// nobody signed in: the sign-in page
	if status, page := get(t, e.httpClient(), e.url+"/console/person?ssin="+ssinAdam); status != http.StatusUnauthorized || strings.Contains(page, "Exemple") {
		t.Errorf("anonymous inspector: HTTP %d", status)
	}
}

// A direct URL to another CPAS's decision gets the answer the CPAS face gives to consultCarmed by
// number: the same reason code, and no content.
func TestAnotherCPASsDecisionGetsTheSOAPFacesAnswer(t *testing.T) {
	e := newEnv(t)
	e.createAndModify()
	soap := e.soap(pki.PartyCPASLiege, "/cpas/v1", "../../testdata/requests/demo/consult-as-liege.xml",
		"<bySsin><ssin>85031412302</ssin><referenceDate>2026-12-01</referenceDate></bySsin>",
		"<byNumber><carmedNumber>"+decision+"</carmedNumber></byNumber>")
	if soap.StatusValue != "NO_RESULT" || soap.Code == "" {
		t.Fatalf("SOAP by number as another CPAS: %s %s", soap.StatusValue, soap.Code)
	}
	c := e.httpClient()
	e.signIn(t, c, trust.KindCPAS, "0207456769")
	for _, p := range []string{"/console/decision/" + decision + "?v=2", "/console/decision/" + decision + "/diff?a=1&b=2"} {
		status, page := get(t, c, e.url+p)
		if status != http.StatusOK || !strings.Contains(page, "<code>"+soap.Code+"</code>") {
			t.Errorf("%s: HTTP %d, want the SOAP face's %s", p, status, soap.Code)
		}
		if strings.Contains(page, "Exemple") || strings.Contains(page, `class="cover"`) {
			t.Errorf("%s shows the decision's content to another CPAS", p)
		}
	}
	// the manager sees it whole
	c = e.httpClient()
	e.signIn(t, c, trust.KindCPAS, "0212345668")
	if _, page := get(t, c, e.url+"/console/decision/"+decision+"?v=2"); !strings.Contains(page, `data-kind="paramedic"`) {
		t.Error("the managing CPAS does not see version 2's paramedic cover")
	}
	// version 1 leads to version 2, the latest, which leads nowhere
	if _, page := get(t, c, e.url+"/console/decision/"+decision+"?v=1"); !strings.Contains(page, `?v=2" rel="next"`) {
		t.Error("the managing CPAS's version 1 has no link to version 2")
	}
	if _, page := get(t, c, e.url+"/console/decision/"+decision+"?v=2"); strings.Contains(page, `rel="next"`) {
		t.Error("the managing CPAS's version 2, the latest, links to a next version")
	}
}

func TestBadInputGetsAFormErrorAndAnUnknownPersonNoData(t *testing.T) {
	e := newEnv(t)
	c := e.httpClient()
	e.signIn(t, c, trust.KindProvider, pki.DemoNIHIIHospitalCHR)
	for _, cs := range []struct{ query, field string }{
		{"ssin=123&mode=date&date=2026-12-01", "ssin-err"},
		{"ssin=85031412303&mode=date&date=2026-12-01", "ssin-err"}, // check digits
		{"ssin=" + ssinAdam + "&mode=date&date=2026-13-01", "date-err"},
		{"ssin=" + ssinAdam + "&mode=period&start=2026-12-10&end=2026-12-01", "end-err"},
	} {
		status, page := get(t, c, e.url+"/console/consult?"+cs.query)
		i := strings.Index(page, `id="`+cs.field+`"`)
		if status != http.StatusBadRequest || i < 0 || !strings.HasPrefix(page[i+len(cs.field)+6:], `<span class="field-error"`) {
			t.Errorf("%s: HTTP %d, want 400 with an error in #%s", cs.query, status, cs.field)
		}
	}
	status, page := get(t, c, e.url+"/console/consult?mode=date&date=2026-12-01&ssin="+ssinBea)
	if status != http.StatusOK || !strings.Contains(page, `id="nodata"`) {
		t.Errorf("a person without decisions: HTTP %d, want 200 and no data", status)
	}
}

func TestOperatorsCanTurnTheConsoleAndThePickerOff(t *testing.T) {
	off := newEnv(t, func(o *envOpt) { o.noConsole = true })
	if status, _ := get(t, off.httpClient(), off.url+"/console/"); status != http.StatusNotFound {
		t.Errorf("console off: GET /console/ HTTP %d, want 404", status)
	}
	noDemo := newEnv(t, func(o *envOpt) { o.noDemo = true })
	c := noDemo.httpClient()
	_, page := get(t, c, noDemo.url+"/console/")
	if strings.Contains(page, `name="pre"`) || strings.Contains(page, "demo-banner") {
		t.Error("without the demo switch the sign-in page still offers the picker")
	}
	if status, _ := post(t, c, noDemo.url+"/console/signin", url.Values{"kind": {"admin"}, "id": {pki.DemoAdminID}}, "same-origin"); status != http.StatusForbidden {
		t.Errorf("picker sign-in without the demo switch: HTTP %d, want 403", status)
	}
}

func TestAClientCertificateSignsInAsItsParty(t *testing.T) {
	e := newEnv(t, func(o *envOpt) { o.tls, o.noDemo = true, true })
	e.createAndModify()
	c := e.tlsClient(pki.PartyCPASNamur)
	status, page := get(t, c, e.url+"/console/person?ssin="+ssinAdam)
	if status != http.StatusOK || !strings.Contains(page, "CPAS de Namur") || !strings.Contains(page, `id="timeline"`) {
		t.Fatalf("cpas-namur's certificate: HTTP %d, want its inspector", status)
	}
	if strings.Contains(page, "demo-banner") || strings.Contains(page, "demo-picker") {
		t.Error("a certificate sign-in is marked as the demo's")
	}
	// its forms carry a token bound to the certificate, which another certificate's page lacks
	tok := csrfRE.FindStringSubmatch(page)
	_, other := get(t, e.tlsClient(pki.PartyAdmin), e.url+"/console/")
	if tok == nil || strings.Contains(other, tok[1]) {
		t.Error("the CSRF token is missing or shared between certificates")
	}
	if status, _ := get(t, e.tlsClient(pki.PartyHospitalCHR), e.url+"/console/person?ssin="+ssinAdam); status != http.StatusForbidden {
		t.Errorf("a provider's certificate on the inspector: HTTP %d, want 403", status)
	}
}

// A WebConsult consultation is logged and counted as the SOAP one is — operation, party,
// outcome, code — and the log never holds the SSIN.
func TestEachConsultationIsAuditedAsASOAPOne(t *testing.T) {
	e := newEnv(t)
	e.createAndModify()
	c := e.httpClient()
	e.signIn(t, c, trust.KindProvider, pki.DemoNIHIIHospitalCHR)
	if status, _ := get(t, c, e.url+"/console/consult?mode=date&date=2026-12-01&ssin="+ssinAdam); status != http.StatusOK {
		t.Fatalf("consult: HTTP %d", status)
	}
	var line string
	for _, l := range strings.Split(e.logs.String(), "\n") {
		if strings.Contains(l, `"op":"webConsult"`) {
			line = l
		}
	}
	for _, want := range []string{`"face":"console"`, `"party":"` + pki.DemoNIHIIHospitalCHR + `"`, `"outcome":"DATA_FOUND"`, `"code":"OK"`, `"decision":"` + decision + `"`} {
		if !strings.Contains(line, want) {
			t.Errorf("the consultation's log line %q lacks %s", line, want)
		}
	}
	if strings.Contains(e.logs.String(), ssinAdam) {
		t.Error("an SSIN is in the log")
	}
	_, metrics := get(t, c, e.url+"/metrics")
	if !strings.Contains(metrics, `carmed_requests_total{operation="console.webConsult",outcome="DATA_FOUND"} 1`) {
		t.Error("the consultation is not counted in /metrics")
	}
}

// The admin's mutation form goes through the harness's code: the decision is suspended, the
// manager gets a notice, and the version is audited.
func TestTheMutationFormSuspendsAndNotifiesAsTheHarnessDoes(t *testing.T) {
	e := newEnv(t)
	e.createAndModify()
	c := e.httpClient()
	tok := e.signIn(t, c, trust.KindAdmin, pki.DemoAdminID)
	status, page := post(t, c, e.url+"/console/admin/mutation", url.Values{"csrf": {tok}, "ssin": {ssinAdam},
		"effective": {"2026-12-10"}, "kind": {string(rules.MutSituation)}, "situation": {string(rules.SitRegularised)}}, "same-origin")
	if status != http.StatusOK || !strings.Contains(page, `id="mutation-result"`) {
		t.Fatalf("mutation: HTTP %d\n%s", status, page)
	}
	d, err := e.decision(decision)
	if err != nil {
		t.Fatal(err)
	}
	lv := d.Latest()
	if lv.Status != rules.Suspended || lv.Cause != rules.CauseMutation {
		t.Fatalf("after the mutation: v%d %s %s, want a suspension by mutation", lv.Version, lv.Status, lv.Cause)
	}
	if _, err := e.audit(decision, lv.Version); err != nil {
		t.Errorf("the mutation's version is not audited: %v", err)
	}
	_, notices := get(t, c, e.url+"/console/notices")
	if !strings.Contains(notices, `class="pending"`) {
		t.Error("no pending notice listed after the suspension")
	}
	// bad input: a form error, nothing applied
	status, page = post(t, c, e.url+"/console/admin/mutation", url.Values{"csrf": {tok}, "ssin": {ssinAdam},
		"effective": {"2026-12-40"}, "kind": {string(rules.MutDeath)}}, "same-origin")
	if status != http.StatusBadRequest || !strings.Contains(page, `id="mut-effective-err"><span class="field-error"`) {
		t.Errorf("a bad effective date: HTTP %d, want 400 with the error by the field", status)
	}
	if d2, _ := e.decision(decision); len(d2.Versions) != len(d.Versions) {
		t.Error("a refused form wrote a version")
	}
}

// The admin's persons form loads a new person into the registry, all or none, as the harness's
// loadRegistry does: the inspector then knows the person, and a person already there with other
// data is refused without writing anything.
func TestThePersonsFormLoadsTheRegistry(t *testing.T) {
	e := newEnv(t)
	c := e.httpClient()
	tok := e.signIn(t, c, trust.KindAdmin, pki.DemoAdminID)
	const ssinNew = "70010100188"
	load := func(js string) (int, string) {
		return post(t, c, e.url+"/console/admin/persons", url.Values{"csrf": {tok}, "persons": {js}}, "same-origin")
	}
	before, page := get(t, c, e.url+"/console/person?ssin="+ssinNew)
	if before != http.StatusOK || strings.Contains(page, "Nouveau") {
		t.Fatalf("the person is known before the load: HTTP %d", before)
	}
	status, page := load(`{"persons":[{"ssin":"` + ssinNew + `","lastName":"Nouveau","firstName":"Zoé","gender":"F","birthDate":"1970-01-01","situations":[{"from":"2020-01-01","kind":"ILLEGAL"}]}]}`)
	if status != http.StatusOK || !strings.Contains(page, `id="loaded"`) || !strings.Contains(page, `id="done"`) {
		t.Fatalf("loading a new person: HTTP %d", status)
	}
	if _, page := get(t, c, e.url+"/console/person?ssin="+ssinNew); !strings.Contains(page, "Nouveau") {
		t.Error("the inspector does not know the person just loaded")
	}
	// the same SSIN with another name: refused with the rules' code, nothing written
	status, page = load(`{"persons":[{"ssin":"` + ssinNew + `","lastName":"Autre","firstName":"Zoé","gender":"F","birthDate":"1970-01-01","situations":[{"from":"2020-01-01","kind":"ILLEGAL"}]}]}`)
	if strings.Contains(page, `id="done"`) || !strings.Contains(page, "<code>"+rules.CodePersonExists+"</code>") {
		t.Errorf("a person already there with other data: HTTP %d, want the %s message", status, rules.CodePersonExists)
	}
	if _, page := get(t, c, e.url+"/console/person?ssin="+ssinNew); strings.Contains(page, "Autre") {
		t.Error("a refused load changed the person")
	}
	// not JSON: a form error by the field
	if status, page := load("not json"); status != http.StatusBadRequest || !strings.Contains(page, `id="persons-err"><span class="field-error"`) {
		t.Errorf("text that is not persons: HTTP %d, want 400 with the error by the field", status)
	}
}
