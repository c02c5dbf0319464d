package server_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/tls"
	"crypto/x509"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/rs/zerolog"

	"github.com/carmed/carmed/agreement"
	"github.com/carmed/carmed/client"
	"github.com/carmed/carmed/gateway"
	"github.com/carmed/carmed/internal/needtool"
	"github.com/carmed/carmed/pki"
	"github.com/carmed/carmed/rules"
	"github.com/carmed/carmed/server"
	"github.com/carmed/carmed/store"
	"github.com/carmed/carmed/trust"
	"github.com/carmed/carmed/wssec"
)

// demoToday is the business date the demo request files are written for.
var demoToday = rules.MustDate("2026-12-01")

// testClock is a wall clock that moves one second at every reading, so two signatures made in a
// test never share a Timestamp (an RSA signature over the same bytes would be a replay).
type testClock struct {
	mu     sync.Mutex
	t      time.Time
	frozen bool // benchmarks: pre-signed requests must stay fresh (their ECDSA signatures never repeat)
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.frozen {
		c.t = c.t.Add(time.Second)
	}
	return c.t
}

// demoPKI is made once per test binary: RSA key generation is slow.
var (
	pkiOnce sync.Once
	pkiDir  string
	pkiErr  error
)

func demoPKI(t testing.TB, gatewayKey string) string {
	t.Helper()
	pkiOnce.Do(func() {
		dir, err := os.MkdirTemp("", "carmed-pki-")
		if err != nil {
			pkiErr = err
			return
		}
		pkiDir = dir
		// The parties' keys are of the gateway key's kind, except cpas-namur, always RSA: so the
		// default (ECDSA) PKI has RSA and P-256 clients side by side, and the RSA one is all RSA.
		for _, k := range []string{pki.GatewayRSA, pki.GatewayECDSA} {
			if _, pkiErr = pki.Init(pki.Options{Dir: filepath.Join(dir, k), GatewayKey: k, PartyKey: k,
				PartyKeys: map[string]string{pki.PartyCPASNamur: pki.PartyRSA},
				Now:       time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}); pkiErr != nil {
				return
			}
		}
	})
	if pkiErr != nil {
		t.Fatalf("demo PKI: %v", pkiErr)
	}
	return filepath.Join(pkiDir, gatewayKey)
}

// env is a running gateway on loopback with the demo PKI and registry.
type env struct {
	t     testing.TB
	pki   string
	url   string
	srv   *server.Server
	st    *store.Bolt
	clock *testClock
	logs  *syncBuffer
	gw    *x509.Certificate
	ring  *agreement.Keyring
	// biz is the business clock, the one the harness face sets; tests move it with setToday.
	biz *server.BusinessClock
}

func (e *env) setToday(d string) { e.biz.Set(rules.MustDate(d)) }

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

type envOpt struct {
	gatewayKey string
	today      rules.Date
	noHarness  bool                          // serve without the harness face (its default off state)
	pki        string                        // a fixed PKI directory instead of the test binary's demo PKI
	wrap       func(store.Store) store.Store // e.g. fault injection around the real store
	// tls serves HTTPS with the configuration it makes from the env's PKI directory.
	tls func(pkiDir string) *tls.Config
	// stsAllowSHA1 turns the legacy SHA-1 switch on for the token service alone.
	stsAllowSHA1 bool
}

func newEnv(t testing.TB, opts ...func(*envOpt)) *env {
	t.Helper()
	o := envOpt{gatewayKey: pki.GatewayECDSA, today: demoToday}
	for _, f := range opts {
		f(&o)
	}
	dir := o.pki
	if dir == "" {
		dir = demoPKI(t, o.gatewayKey)
	}
	e := &env{t: t, pki: dir, clock: &testClock{t: time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)}, logs: &syncBuffer{}}
	ts, err := trust.Load(filepath.Join(dir, pki.TrustFile))
	if err != nil {
		t.Fatal(err)
	}
	key, cert, err := pki.LoadKeyPair(filepath.Join(dir, pki.GatewayCertFile), filepath.Join(dir, pki.GatewayKeyFile))
	if err != nil {
		t.Fatal(err)
	}
	e.gw = cert
	var stsSigner *wssec.Signer
	if k, c, err := pki.LoadKeyPair(filepath.Join(dir, pki.STSCertFile), filepath.Join(dir, pki.STSKeyFile)); err == nil {
		stsSigner = &wssec.Signer{Key: k, Cert: c, Now: e.clock.Now}
	}
	e.st, err = store.Open(filepath.Join(t.TempDir(), "carmed.db"), store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.st.Close() })
	ps, err := store.LoadRegistryFiles("../testdata/registry")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.st.LoadRegistry(ps); err != nil {
		t.Fatal(err)
	}
	e.biz = server.NewBusinessClock(o.today, false, e.clock.Now)
	ring, err := agreement.NewKeyring("t1", map[string][]byte{"t1": bytes.Repeat([]byte{7}, 32)})
	if err != nil {
		t.Fatal(err)
	}
	e.ring = ring
	var st store.Store = e.st
	if o.wrap != nil {
		st = o.wrap(st)
	}
	e.srv, err = gateway.New(gateway.Config{Store: st, Rules: rules.New(nil), Trust: ts, Signer: &wssec.Signer{Key: key, Cert: cert}, Agreements: ring,
		Now: e.clock.Now, Clock: e.biz, Harness: !o.noHarness, Logger: zerolog.New(e.logs),
		STS: stsSigner, STSAllowSHA1: o.stsAllowSHA1})
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := e.srv.HTTPServer(ln.Addr().String())
	e.url = "http://" + ln.Addr().String()
	if o.tls != nil {
		hs.TLSConfig = o.tls(dir)
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

// client signs as a demo party and verifies answers against the gateway certificate.
func (e *env) client(party string) *client.Client { return e.clientAt(party, "/cpas/v1") }

// clientAt signs as a demo party for the face at path.
func (e *env) clientAt(party, path string) *client.Client {
	e.t.Helper()
	key, cert, err := pki.LoadKeyPair(filepath.Join(e.pki, party+".crt"), filepath.Join(e.pki, party+".key"))
	if err != nil {
		e.t.Fatal(err)
	}
	return &client.Client{URL: e.url + path, Signer: &wssec.Signer{Key: key, Cert: cert, Now: e.clock.Now},
		Verifier: &wssec.Verifier{Trust: client.Pinned{Cert: e.gw}, Now: e.clock.Now}}
}

// call sends a request file (after --set style replacements) as party and fails the test on transport errors.
func (e *env) call(party, file string, sets map[string]string) *client.Answer {
	e.t.Helper()
	return e.send(party, "/cpas/v1", readFixture(e.t, file), sets)
}

// harness sends a harness request file as the demo admin.
func (e *env) harness(file string, sets map[string]string) *client.Answer {
	e.t.Helper()
	return e.send("admin", "/harness/v1", readFixture(e.t, file), sets)
}

// send signs a payload as party after --set replacements, posts it to the face at path and fails
// the test on transport errors.
func (e *env) send(party, path, payload string, sets map[string]string) *client.Answer {
	e.t.Helper()
	b, err := client.Set([]byte(payload), sets)
	if err != nil {
		e.t.Fatal(err)
	}
	a, err := e.clientAt(party, path).Call(context.Background(), b, "")
	if err != nil {
		e.t.Fatalf("%s: %v", path, err)
	}
	return a
}

func readFixture(t testing.TB, file string) string {
	t.Helper()
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// needTool finds an external tool: a test without it fails under CI and is skipped elsewhere.
func needTool(t testing.TB, name string) string {
	t.Helper()
	return needtool.Path(t, name)
}

// demoFile is a request file of the demo round trip.
func demoFile(name string) string { return filepath.Join("..", "testdata", "requests", "demo", name) }

// xmllintPayload validates an answer's operation element against the CPAS XSD.
func xmllintPayload(t testing.TB, a *client.Answer) {
	t.Helper()
	lint := needTool(t, "xmllint")
	doc := a.Payload.Copy()
	f := filepath.Join(t.TempDir(), "payload.xml")
	d := newDoc(doc)
	if err := d.WriteToFile(f); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(lint, "--noout", "--schema", "../xsd/carmed-cpas-v1.xsd", f).CombinedOutput()
	if err != nil {
		t.Fatalf("answer does not validate against the XSD: %s", out)
	}
}

func loadPair(t testing.TB, dir, party string) (crypto.Signer, *x509.Certificate) {
	t.Helper()
	k, c, err := pki.LoadKeyPair(filepath.Join(dir, party+".crt"), filepath.Join(dir, party+".key"))
	if err != nil {
		t.Fatal(err)
	}
	return k, c
}

// TestMain removes the demo PKI shared by the package's tests.
func TestMain(m *testing.M) {
	code := m.Run()
	if pkiDir != "" {
		_ = os.RemoveAll(pkiDir)
	}
	os.Exit(code)
}
