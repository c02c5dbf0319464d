package gateway_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/x509"
	"encoding/json"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/carmed/carmed/agreement"
	"github.com/carmed/carmed/client"
	"github.com/carmed/carmed/conformance"
	"github.com/carmed/carmed/gateway"
	"github.com/carmed/carmed/pki"
	"github.com/carmed/carmed/rules"
	"github.com/carmed/carmed/server"
	"github.com/carmed/carmed/store"
	"github.com/carmed/carmed/trust"
	"github.com/carmed/carmed/wssec"
)

// tenv is a gateway with the harness and tenants on loopback, with a demo PKI and the demo registry.
type tenv struct {
	t       *testing.T
	pki     string
	data    string
	url     string
	gw      *x509.Certificate
	tenants *gateway.Tenants
	stop    func() // shuts the gateway down and closes its stores (also at the test's end)
}

var demoDay = rules.MustDate("2026-12-01")

// update rewrites the scenario's golden answer (go test ./gateway -run Reset -update).
var update = flag.Bool("update", false, "rewrite the golden answers of testdata/fresh-world")

func newTenantEnv(t *testing.T, maxConcurrent int) *tenv {
	t.Helper()
	dir := t.TempDir()
	pkiDir := filepath.Join(dir, "pki")
	if _, err := pki.Init(pki.Options{Dir: pkiDir, GatewayKey: pki.GatewayECDSA, PartyKey: pki.PartyECDSA}); err != nil {
		t.Fatal(err)
	}
	return startTenantEnv(t, pkiDir, filepath.Join(dir, "data"), maxConcurrent)
}

// startTenantEnv starts a gateway on a PKI and a data directory (a new one, or a stopped gateway's).
func startTenantEnv(t *testing.T, pkiDir, data string, maxConcurrent int) *tenv {
	return startTenantEnvOn(t, pkiDir, data, maxConcurrent, nil)
}

// startTenantEnvOn is startTenantEnv with its store, worlds and tenants on etcd (nil: bbolt).
func startTenantEnvOn(t *testing.T, pkiDir, data string, maxConcurrent int, etcd *store.EtcdOptions) *tenv {
	t.Helper()
	e := &tenv{t: t, pki: pkiDir, data: data}
	ts, err := trust.Load(filepath.Join(e.pki, pki.TrustFile))
	if err != nil {
		t.Fatal(err)
	}
	key, cert, err := pki.LoadKeyPair(filepath.Join(e.pki, pki.GatewayCertFile), filepath.Join(e.pki, pki.GatewayKeyFile))
	if err != nil {
		t.Fatal(err)
	}
	e.gw = cert
	o := gateway.TenantOptions{Dir: filepath.Join(e.data, "tenants"), MaxConcurrent: maxConcurrent,
		Store: store.Options{NoSync: true}}
	var st gateway.WorldStore
	if etcd != nil {
		root, err := store.OpenEtcd(*etcd)
		if err != nil {
			t.Fatal(err)
		}
		st, o.Worlds, o.Catalog = root, gateway.EtcdWorlds{Root: root}, &gateway.EtcdCatalog{Root: root}
	} else if st, err = store.Open(filepath.Join(e.data, "carmed.db"), store.Options{NoSync: true}); err != nil {
		t.Fatal(err)
	}
	ps, err := store.LoadRegistryFiles("../testdata/registry")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.LoadRegistry(ps); err != nil {
		t.Fatal(err)
	}
	o.Registry = ps
	e.tenants, err = gateway.OpenTenants(o, zerolog.Nop())
	if err != nil {
		t.Fatal(err)
	}
	ring, err := agreement.NewKeyring("t1", map[string][]byte{"t1": bytes.Repeat([]byte{7}, 32)})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := gateway.New(gateway.Config{Store: st, Rules: rules.New(nil), Trust: ts, Signer: &wssec.Signer{Key: key, Cert: cert},
		Agreements: ring, Clock: server.NewBusinessClock(demoDay, false, nil), Harness: true, Tenants: e.tenants,
		Logger: zerolog.Nop()})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := srv.HTTPServer(ln.Addr().String())
	go func() { _ = hs.Serve(ln) }()
	stopped := false
	e.stop = func() {
		if stopped {
			return
		}
		stopped = true
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = hs.Shutdown(ctx)
		e.tenants.Close()
		st.Close()
	}
	t.Cleanup(e.stop)
	e.url = "http://" + ln.Addr().String()
	return e
}

// client signs as a demo party for the face at path (a tenant's prefix included).
func (e *tenv) client(party, path string) *client.Client {
	e.t.Helper()
	key, cert, err := pki.LoadKeyPair(filepath.Join(e.pki, party+".crt"), filepath.Join(e.pki, party+".key"))
	if err != nil {
		e.t.Fatal(err)
	}
	return &client.Client{URL: e.url + path, Signer: &wssec.Signer{Key: key, Cert: cert},
		Verifier: &wssec.Verifier{Trust: client.Pinned{Cert: e.gw}}}
}

// call signs payload as party, sends it to path and fails the test on a transport error.
func (e *tenv) call(party, path, payload string) *client.Answer {
	e.t.Helper()
	a, err := e.client(party, path).Call(context.Background(), []byte(payload), "")
	if err != nil {
		e.t.Fatalf("%s: %v", path, err)
	}
	return a
}

// harness sends a harness operation of the gateway's own harness as the admin.
func (e *tenv) harness(op, inner string) *client.Answer {
	e.t.Helper()
	return e.call("admin", "/harness/v1", fmt.Sprintf(`<h:%sRequest xmlns:h="urn:carmed:harness:v1"><ticket>%s</ticket>%s</h:%sRequest>`,
		op, ticket(), inner, op))
}

// create makes tenant name with the gateway's registry and business date.
func (e *tenv) create(name string) {
	e.t.Helper()
	if a := e.harness("createTenant", "<name>"+name+"</name>"); a.Outcome != client.Success {
		e.t.Fatalf("createTenant %s: %s %s\n%s", name, a.StatusValue, a.Code, a.Raw)
	}
}

var tickets int

// ticket is a fresh idempotency key.
func ticket() string {
	tickets++
	return fmt.Sprintf("tn-%d-%d", time.Now().UnixNano()%1e9, tickets)
}

func fixture(t *testing.T, name string, repl ...string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "requests", "demo", name))
	if err != nil {
		t.Fatal(err)
	}
	return strings.NewReplacer(repl...).Replace(string(b))
}

// createFor is the demo create (person 85031412302) with its own ticket and validity end.
func createFor(t *testing.T, end string) string {
	return fixture(t, "create.xml", "demo-create-0001", ticket(), "2027-02-28", end)
}

func consult(t *testing.T) string { return fixture(t, "consult.xml", "demo-consult-0001", ticket()) }

// endDates are the validity ends of the decisions a consultation answers.
func endDates(t *testing.T, a *client.Answer) []string {
	t.Helper()
	var out []string
	for _, el := range a.Payload.FindElements("./carmed/validityPeriod/endDate") {
		out = append(out, el.Text())
	}
	return out
}

// TestTwoTenantsWithTheSameSSINDoNotSeeEachOther: two tenants create a decision for the same person
// with different ends; each consultation finds its own decision only, and the default tenant none.
func TestTwoTenantsWithTheSameSSINDoNotSeeEachOther(t *testing.T) {
	e := newTenantEnv(t, 0)
	e.create("alpha")
	e.create("beta")
	for name, end := range map[string]string{"alpha": "2027-01-31", "beta": "2027-02-28"} {
		if a := e.call("cpas-namur", "/t/"+name+"/cpas/v1", createFor(t, end)); a.Outcome != client.Success {
			t.Fatalf("create in %s: %s %s", name, a.StatusValue, a.Code)
		}
	}
	for name, want := range map[string]string{"alpha": "2027-01-31", "beta": "2027-02-28"} {
		a := e.call("cpas-namur", "/t/"+name+"/cpas/v1", consult(t))
		if got := endDates(t, a); len(got) != 1 || got[0] != want {
			t.Errorf("%s sees decisions ending %v, want only its own (%s)", name, got, want)
		}
	}
	if a := e.call("cpas-namur", "/cpas/v1", consult(t)); a.StatusValue != "NO_DATA_FOUND" {
		t.Errorf("the default tenant sees %s %v, want NO_DATA_FOUND", a.StatusValue, endDates(t, a))
	}
	// The provider face follows the prefix too: the hospital sees alpha's decision in alpha.
	wsdl := httpGet(t, e.url+"/t/beta/MediPrima/Consult/v2?wsdl")
	if !strings.Contains(wsdl, `location="`+e.url+`/t/beta/MediPrima/Consult/v2"`) {
		t.Errorf("a tenant's WSDL does not give its prefixed address:\n%.600s", wsdl)
	}
}

func httpGet(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", url, resp.StatusCode, b)
	}
	return string(b)
}

// runScenario runs the fresh-world conformance case against base with the conformance runner.
func (e *tenv) runScenario(base string) *conformance.Summary {
	e.t.Helper()
	cases, err := conformance.Discover([]string{"testdata/fresh-world"}, *update)
	if err != nil {
		e.t.Fatal(err)
	}
	r := &conformance.Runner{URL: base, Gateway: e.gw, Admin: "admin", Parallel: 1, Update: *update,
		Signer: func(party string) (*wssec.Signer, error) {
			k, c, err := pki.LoadKeyPair(filepath.Join(e.pki, party+".crt"), filepath.Join(e.pki, party+".key"))
			return &wssec.Signer{Key: k, Cert: c}, err
		}}
	sum, err := r.Run(context.Background(), cases)
	if err != nil {
		e.t.Fatal(err)
	}
	return sum
}

// TestResetBetweenTwoRunsGivesTheSameAnswers: a scenario that needs a fresh world passes on a new
// tenant, fails run again on the same world, and passes again after a reset — which also puts the
// tenant's clock back where it was created.
func TestResetBetweenTwoRunsGivesTheSameAnswers(t *testing.T) {
	e := newTenantEnv(t, 0)
	e.create("acme")
	base := e.url + "/t/acme"
	if sum := e.runScenario(base); sum.Passed != 1 {
		t.Fatalf("first run on a new tenant: %+v", sum.Results[0])
	}
	if sum := e.runScenario(base); sum.Failed != 1 {
		t.Fatalf("second run without a reset passed: the scenario does not depend on the world")
	}
	a := e.call("admin", "/t/acme/harness/v1", `<h:setClockRequest xmlns:h="urn:carmed:harness:v1"><ticket>`+ticket()+
		`</ticket><advanceDays>40</advanceDays></h:setClockRequest>`)
	if a.Outcome != client.Success {
		t.Fatalf("setClock in the tenant: %s", a.Raw)
	}
	r := e.harness("resetTenant", "<name>acme</name>")
	if r.Outcome != client.Success || r.Payload.FindElement("./tenant/today").Text() != "2026-12-01" {
		t.Fatalf("resetTenant: %s", r.Raw)
	}
	if sum := e.runScenario(base); sum.Passed != 1 {
		t.Fatalf("run after a reset: %+v", sum.Results[0])
	}
	// The default tenant's clock never moved.
	if got := e.harness("setClock", "").Payload.FindElement("./today").Text(); got != "2026-12-01" {
		t.Errorf("the default tenant's date is %s after a tenant's clock moved", got)
	}
}

// TestReplayAndIdempotencyArePerTenant: a signed message is refused as a replay in the tenant that
// saw it, not in another; a ticket is one tenant's: reused with another body in that tenant it is
// refused (TICKET_REUSED), in another tenant it is a new request.
func TestReplayAndIdempotencyArePerTenant(t *testing.T) {
	e := newTenantEnv(t, 0)
	e.create("alpha")
	e.create("beta")
	c := e.client("cpas-namur", "/t/alpha/cpas/v1")
	doc, err := client.Envelope([]byte(consult(t)), false)
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Signer.SignEnvelope(doc); err != nil {
		t.Fatal(err)
	}
	raw, _ := doc.WriteToBytes()
	post := func(path string) *client.Answer {
		c.URL = e.url + path
		a, err := c.Post(context.Background(), raw, "")
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	if a := post("/t/alpha/cpas/v1"); a.Outcome == client.Faulted {
		t.Fatalf("first send: %s", a.Code)
	}
	if a := post("/t/alpha/cpas/v1"); a.Outcome != client.Faulted || !strings.Contains(a.Code, "InvalidSecurity") {
		t.Errorf("the same message again in alpha: %v %s, want the replay refused", a.Outcome, a.Code)
	}
	if a := post("/t/beta/cpas/v1"); a.Outcome == client.Faulted {
		t.Errorf("the message in beta, which never saw it, was refused: %s", a.Code)
	}

	tk := ticket()
	create := func(path, end string) *client.Answer {
		return e.call("cpas-namur", path, fixture(t, "create.xml", "demo-create-0001", tk, "2027-02-28", end))
	}
	if a := create("/t/alpha/cpas/v1", "2027-01-31"); a.Outcome != client.Success {
		t.Fatalf("create in alpha: %s", a.Code)
	}
	if a := create("/t/alpha/cpas/v1", "2027-01-15"); a.Code != "TICKET_REUSED" {
		t.Errorf("the ticket with another body in alpha: %s %s, want TICKET_REUSED", a.StatusValue, a.Code)
	}
	if a := create("/t/beta/cpas/v1", "2027-01-15"); a.Outcome != client.Success {
		t.Errorf("the ticket in beta, which never saw it: %s %s, want a new decision", a.StatusValue, a.Code)
	}
}

// TestATenantsBurstIsBoundedAndDoesNotStarveAnother: with a bound of 2, two requests of alpha that
// hold the gateway (their bodies still coming) make a third answer 503 with Retry-After at once,
// while beta and the default tenant are served; when they end, alpha is served again.
func TestATenantsBurstIsBoundedAndDoesNotStarveAnother(t *testing.T) {
	e := newTenantEnv(t, 2)
	e.create("alpha")
	e.create("beta")
	wsdl := e.url + "/t/alpha/cpas/v1?wsdl"
	if code := status(t, wsdl); code != http.StatusOK {
		t.Fatalf("alpha idle: %d", code)
	}
	var held []net.Conn
	for range 2 {
		held = append(held, e.holdRequest("/t/alpha/cpas/v1"))
	}
	resp := waitStatus(t, wsdl, http.StatusServiceUnavailable)
	if resp.Header.Get("Retry-After") == "" {
		t.Errorf("the 503 has no Retry-After")
	}
	for _, path := range []string{"/t/beta/cpas/v1?wsdl", "/cpas/v1?wsdl"} {
		if code := status(t, e.url+path); code != http.StatusOK {
			t.Errorf("%s while alpha is full: %d, want 200", path, code)
		}
	}
	if a := e.call("cpas-namur", "/t/beta/cpas/v1", consult(t)); a.Outcome == client.Faulted {
		t.Errorf("a signed request to beta while alpha is full: %s", a.Code)
	}
	for _, c := range held {
		c.Close()
	}
	waitStatus(t, wsdl, http.StatusOK) // alpha is served again once its requests ended
}

// holdRequest sends a POST's headers and the start of its body, and no more: the request holds
// its tenant's slot and world until the connection is closed.
func (e *tenv) holdRequest(path string) net.Conn { return e.holdRequestLen(path, 100000) }

// holdRequestLen is holdRequest for a body of n bytes whose first is '<'. A request answered
// before the previous one's slot was given back (the client may read an answer before the
// handler's deferred release runs) gets a 503 at once: then it is sent again, until one is held.
func (e *tenv) holdRequestLen(path string, n int) net.Conn {
	e.t.Helper()
	for try := 0; ; try++ {
		c, err := net.Dial("tcp", strings.TrimPrefix(e.url, "http://"))
		if err != nil {
			e.t.Fatal(err)
		}
		if _, err := fmt.Fprintf(c, "POST %s HTTP/1.1\r\nHost: x\r\nContent-Type: text/xml; charset=utf-8\r\nContent-Length: %d\r\n\r\n<", path, n); err != nil {
			e.t.Fatal(err)
		}
		_ = c.SetReadDeadline(time.Now().Add(time.Second)) // a refusal comes at once; a held request never answers
		if _, err := c.Read(make([]byte, 1)); err != nil {
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() { // nothing came back: the request is held
				_ = c.SetReadDeadline(time.Time{})
				e.t.Cleanup(func() { c.Close() })
				return c
			}
		}
		c.Close()
		if try == 50 {
			e.t.Fatal("no request could be held: every one was answered at once")
		}
	}
}

// waitStatus polls GET url until it answers want.
func waitStatus(t *testing.T, url string, want int) *http.Response {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for {
		r, err := http.Get(url)
		if err != nil {
			t.Fatal(err)
		}
		r.Body.Close()
		if r.StatusCode == want {
			return r
		}
		if time.Now().After(deadline) {
			t.Fatalf("GET %s still answers %d, want %d", url, r.StatusCode, want)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func status(t *testing.T, url string) int {
	t.Helper()
	r, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	return r.StatusCode
}

// TestARequestInFlightDuringAResetSeesTheOldWorld: a consultation whose body is still coming when
// the tenant is reset is answered from the world it started in (the decision made before); the next
// one from the new world (none). It never sees a mix, and the old world's store is closed only after.
func TestARequestInFlightDuringAResetSeesTheOldWorld(t *testing.T) {
	e := newTenantEnv(t, 1)
	e.create("acme")
	if a := e.call("cpas-namur", "/t/acme/cpas/v1", createFor(t, "2027-01-31")); a.Outcome != client.Success {
		t.Fatalf("create: %s", a.Code)
	}
	c := e.client("cpas-namur", "/t/acme/cpas/v1")
	doc, _ := client.Envelope([]byte(consult(t)), false)
	if err := c.Signer.SignEnvelope(doc); err != nil {
		t.Fatal(err)
	}
	raw, _ := doc.WriteToBytes()
	// The request's headers are in; its body comes after the reset. With a bound of 1, a 503 to
	// anything else of acme tells it holds its world.
	conn := e.holdRequestLen("/t/acme/cpas/v1", len(raw))
	waitStatus(t, e.url+"/t/acme/cpas/v1?wsdl", http.StatusServiceUnavailable)
	if r := e.harness("resetTenant", "<name>acme</name>"); r.Outcome != client.Success {
		t.Fatalf("reset: %s", r.Raw)
	}
	if _, err := conn.Write(raw[1:]); err != nil {
		t.Fatal(err)
	}
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	a, err := c.Read(resp.StatusCode, b)
	if err != nil || len(endDates(t, a)) != 1 {
		t.Fatalf("the request in flight during the reset: %v %s, want the old world's decision", err, b)
	}
	waitStatus(t, e.url+"/t/acme/cpas/v1?wsdl", http.StatusOK)
	if a := e.call("cpas-namur", "/t/acme/cpas/v1", consult(t)); a.StatusValue != "NO_DATA_FOUND" {
		t.Errorf("after the reset a new request sees %s %v, want NO_DATA_FOUND", a.StatusValue, endDates(t, a))
	}
}

// TestTenantsSurviveARestart: a tenant's decision is there after the gateway stops and starts again
// on the same data directory, and its clock is back at its initial date (as the default's is).
func TestTenantsSurviveARestart(t *testing.T) {
	e := newTenantEnv(t, 0)
	e.create("acme")
	if a := e.call("cpas-namur", "/t/acme/cpas/v1", createFor(t, "2027-01-31")); a.Outcome != client.Success {
		t.Fatalf("create: %s", a.Code)
	}
	e.call("admin", "/t/acme/harness/v1", `<h:setClockRequest xmlns:h="urn:carmed:harness:v1"><ticket>`+ticket()+
		`</ticket><advanceDays>5</advanceDays></h:setClockRequest>`)
	e.stop()
	e = startTenantEnv(t, e.pki, e.data, 0)
	if got := endDates(t, e.call("cpas-namur", "/t/acme/cpas/v1", consult(t))); len(got) != 1 || got[0] != "2027-01-31" {
		t.Errorf("acme after a restart sees %v, want its decision", got)
	}
	if got := e.harness("listTenants", "").Payload.FindElement("./tenant[name='acme']/today"); got == nil || got.Text() != "2026-12-01" {
		t.Errorf("acme's date after a restart: %v, want its initial 2026-12-01", got)
	}
}

// TestTenantAdministration: the default tenant cannot be deleted or reset, a taken or bad name is
// refused, a deleted tenant's paths answer 404 and its files go, and a tenant with its own parties
// refuses a signer only the gateway trusts.
func TestTenantAdministration(t *testing.T) {
	e := newTenantEnv(t, 0)
	for _, op := range []string{"deleteTenant", "resetTenant"} {
		if a := e.harness(op, "<name>default</name>"); a.Code != "TENANT_DEFAULT" {
			t.Errorf("%s default: %s %s, want TENANT_DEFAULT", op, a.StatusValue, a.Code)
		}
	}
	e.create("acme")
	if a := e.harness("createTenant", "<name>acme</name>"); a.Code != "TENANT_EXISTS" {
		t.Errorf("acme again: %s", a.Code)
	}
	if a := e.harness("createTenant", "<name>-bad</name>"); a.Outcome != client.Faulted {
		t.Errorf("a name starting with a hyphen: %v %s, want a schema fault", a.Outcome, a.Code)
	}
	list := e.harness("listTenants", "")
	var names []string
	for _, n := range list.Payload.FindElements("./tenant/name") {
		names = append(names, n.Text())
	}
	if strings.Join(names, ",") != "default,acme" {
		t.Errorf("listTenants: %v", names)
	}
	// A tenant created without a date starts at the default tenant's business date.
	for _, tn := range list.Payload.FindElements("./tenant") {
		for _, f := range []string{"today", "initialToday"} {
			if got := tn.FindElement("./" + f).Text(); got != demoDay.String() {
				t.Errorf("listTenants: %s's %s is %s, want the default tenant's %s", tn.FindElement("./name").Text(), f, got, demoDay)
			}
		}
	}
	if a := e.harness("deleteTenant", "<name>acme</name>"); a.Outcome != client.Success {
		t.Fatalf("delete acme: %s", a.Raw)
	}
	if code := status(t, e.url+"/t/acme/cpas/v1?wsdl"); code != http.StatusNotFound {
		t.Errorf("a deleted tenant's WSDL: %d, want 404", code)
	}
	if a := e.harness("deleteTenant", "<name>acme</name>"); a.Code != "TENANT_UNKNOWN" {
		t.Errorf("delete acme twice: %s", a.Code)
	}
	deadline := time.Now().Add(5 * time.Second)
	for {
		ents, _ := os.ReadDir(filepath.Join(e.data, "tenants"))
		if len(ents) == 1 { // the index only
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("a deleted tenant's files stay: %v", ents)
		}
		time.Sleep(10 * time.Millisecond)
	}

	// Own parties: the demo trust file without CPAS de Namur.
	b, err := os.ReadFile(filepath.Join(e.pki, pki.TrustFile))
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	var kept []any
	for _, p := range doc["parties"].([]any) {
		m := p.(map[string]any)["match"].(map[string]any)
		if p.(map[string]any)["id"] != "0212345668" && m["spkiSha256"] != nil {
			kept = append(kept, p)
		}
	}
	doc["parties"] = kept
	delete(doc, "certificates") // file names: a tenant's trust file names none
	delete(doc, "tokenIssuers")
	own, _ := json.Marshal(doc)
	var esc bytes.Buffer
	_ = xml.EscapeText(&esc, own)
	if a := e.harness("createTenant", "<name>own</name><trust>"+esc.String()+"</trust>"); a.Outcome != client.Success {
		t.Fatalf("create with own trust: %s", a.Raw)
	}
	if a := e.call("cpas-namur", "/t/own/cpas/v1", consult(t)); !strings.Contains(a.Code, "FailedAuthentication") {
		t.Errorf("Namur, unknown to the tenant's parties: %v %s, want wsse:FailedAuthentication", a.Outcome, a.Code)
	}
	liege := fixture(t, "consult-as-liege.xml", "demo-consult-liege-0001", ticket())
	if a := e.call("cpas-liege", "/t/own/cpas/v1", liege); a.Outcome == client.Faulted {
		t.Errorf("Liège, one of the tenant's parties: %s", a.Code)
	}
}
