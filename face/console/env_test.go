package console_test

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"net"
	"net/http"
	"net/http/cookiejar"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/carmed/carmed/agreement"
	"github.com/carmed/carmed/client"
	"github.com/carmed/carmed/gateway"
	"github.com/carmed/carmed/pki"
	"github.com/carmed/carmed/rules"
	"github.com/carmed/carmed/server"
	"github.com/carmed/carmed/store"
	"github.com/carmed/carmed/trust"
	"github.com/carmed/carmed/wssec"
)

// The demo fixtures the tests drive: the person of testdata/requests/demo, a person the registry
// knows without decisions, and the decision the first create makes.
const (
	ssinAdam = "85031412302"
	ssinBea  = "90072224663"
	decision = "000000000001"
)

var demoToday = rules.MustDate("2026-12-01")

// The demo PKI (ECDSA: fast) is made once per test binary.
var (
	pkiOnce sync.Once
	pkiDir  string
	pkiErr  error
)

func demoPKI(t testing.TB) string {
	t.Helper()
	pkiOnce.Do(func() {
		pkiDir, pkiErr = os.MkdirTemp("", "carmed-console-pki-")
		if pkiErr == nil {
			_, pkiErr = pki.Init(pki.Options{Dir: pkiDir, GatewayKey: pki.GatewayECDSA, PartyKey: pki.GatewayECDSA,
				Now: time.Now().Add(-time.Hour)})
		}
	})
	if pkiErr != nil {
		t.Fatalf("demo PKI: %v", pkiErr)
	}
	return pkiDir
}

// env is a gateway with the console on loopback, its own store and business clock.
type env struct {
	t     testing.TB
	url   string
	pki   string
	st    *store.Bolt
	biz   *server.BusinessClock
	logs  *syncBuffer
	trust *trust.Store
}

type envOpt struct {
	noConsole, noDemo bool
	tls               bool // HTTPS, a client certificate of the demo CA required
}

func newEnv(t testing.TB, opts ...func(*envOpt)) *env {
	t.Helper()
	var o envOpt
	for _, f := range opts {
		f(&o)
	}
	dir := demoPKI(t)
	e := &env{t: t, pki: dir, logs: &syncBuffer{}}
	ts, err := trust.Load(filepath.Join(dir, pki.TrustFile))
	if err != nil {
		t.Fatal(err)
	}
	e.trust = ts
	key, cert, err := pki.LoadKeyPair(filepath.Join(dir, pki.GatewayCertFile), filepath.Join(dir, pki.GatewayKeyFile))
	if err != nil {
		t.Fatal(err)
	}
	e.st, err = store.Open(filepath.Join(t.TempDir(), "carmed.db"), store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.st.Close() })
	ps, err := store.LoadRegistryFiles("../../testdata/registry")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.st.LoadRegistry(ps); err != nil {
		t.Fatal(err)
	}
	e.biz = server.NewBusinessClock(demoToday, false, nil)
	ring, err := agreement.NewKeyring("t1", map[string][]byte{"t1": bytes.Repeat([]byte{7}, 32)})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := gateway.New(gateway.Config{Store: e.st, Rules: rules.New(nil), Trust: ts, Signer: &wssec.Signer{Key: key, Cert: cert},
		Agreements: ring, Clock: e.biz, Harness: true, Console: !o.noConsole, ConsoleDemo: !o.noDemo, Logger: zerolog.New(e.logs)})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := srv.HTTPServer(ln.Addr().String())
	e.url = "http://" + ln.Addr().String()
	if o.tls {
		tc, err := server.TLSConfig(filepath.Join(dir, pki.GatewayCertFile), filepath.Join(dir, pki.GatewayKeyFile), filepath.Join(dir, pki.CACertFile))
		if err != nil {
			t.Fatal(err)
		}
		hs.TLSConfig = tc
		e.url = "https://" + ln.Addr().String()
		go func() { _ = hs.ServeTLS(ln, "", "") }()
	} else {
		go func() { _ = hs.Serve(ln) }()
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = hs.Shutdown(ctx)
	})
	return e
}

// soap signs a request file as a demo party, after replacing old with new in it, and posts it to
// the face at path.
func (e *env) soap(party, path, file string, replace ...string) *client.Answer {
	e.t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		e.t.Fatal(err)
	}
	body := strings.NewReplacer(replace...).Replace(string(b))
	key, cert, err := pki.LoadKeyPair(filepath.Join(e.pki, party+".crt"), filepath.Join(e.pki, party+".key"))
	if err != nil {
		e.t.Fatal(err)
	}
	gw, err := pki.LoadCert(filepath.Join(e.pki, pki.GatewayCertFile))
	if err != nil {
		e.t.Fatal(err)
	}
	c := &client.Client{URL: e.url + path, Signer: &wssec.Signer{Key: key, Cert: cert},
		Verifier: &wssec.Verifier{Trust: client.Pinned{Cert: gw}}}
	if strings.HasPrefix(e.url, "https:") {
		c.HTTP = e.tlsClient(party)
	}
	a, err := c.Call(context.Background(), []byte(body), "")
	if err != nil {
		e.t.Fatalf("%s: %v", path, err)
	}
	return a
}

// designateGP is the edit to the demo modify that designates Dr Dupont alone for the paramedic
// cover: the demo hospital may then not see that cover.
var designateGP = []string{
	"<paramedic>\n          <validityPeriod><startDate>2026-12-15</startDate><endDate>2027-02-28</endDate></validityPeriod>\n          <pswcSupport><zivAmiPart>NOTHING</zivAmiPart><patientPart>NOTHING</patientPart><supplement>NOTHING</supplement></pswcSupport>\n",
	"<paramedic>\n          <validityPeriod><startDate>2026-12-15</startDate><endDate>2027-02-28</endDate></validityPeriod>\n          <pswcSupport><zivAmiPart>NOTHING</zivAmiPart><patientPart>NOTHING</patientPart><supplement>NOTHING</supplement></pswcSupport>\n          <providerList><nihiiNumber>" + pki.DemoNIHIIGPDupont + "</nihiiNumber></providerList>\n",
}

// createAndModify is the demo's create (v1) and modify (v2, the paramedic cover for Dr Dupont
// only) by CPAS de Namur, through the SOAP face.
func (e *env) createAndModify() {
	e.t.Helper()
	if a := e.soap(pki.PartyCPASNamur, "/cpas/v1", "../../testdata/requests/demo/create.xml"); a.StatusValue != "DATA_FOUND" {
		e.t.Fatalf("create: %s %s", a.StatusValue, a.Raw)
	}
	if a := e.soap(pki.PartyCPASNamur, "/cpas/v1", "../../testdata/requests/demo/modify.xml", designateGP...); a.StatusValue != "DATA_FOUND" {
		e.t.Fatalf("modify: %s %s", a.StatusValue, a.Raw)
	}
}

// browserless is an HTTP client with a cookie jar, for the tests that need no browser.
func (e *env) httpClient() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return nil }}
}

// tlsClient presents a demo party's certificate (or none) and trusts the demo CA.
func (e *env) tlsClient(party string) *http.Client {
	e.t.Helper()
	ca, err := pki.LoadCert(filepath.Join(e.pki, pki.CACertFile))
	if err != nil {
		e.t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(ca)
	tc := &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	if party != "" {
		c, err := tls.LoadX509KeyPair(filepath.Join(e.pki, party+".crt"), filepath.Join(e.pki, party+".key"))
		if err != nil {
			e.t.Fatal(err)
		}
		tc.Certificates = []tls.Certificate{c}
	}
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, Transport: &http.Transport{TLSClientConfig: tc}}
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func (e *env) decision(n string) (rules.Decision, error) {
	var d rules.Decision
	err := e.st.View(func(r store.Reader) error {
		var err error
		d, err = r.Decision(n)
		return err
	})
	return d, err
}

func (e *env) audit(n string, v int) (store.Audit, error) {
	var a store.Audit
	err := e.st.View(func(r store.Reader) error {
		var err error
		a, err = r.Audit(n, v)
		return err
	})
	return a, err
}
