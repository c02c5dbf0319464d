package main

import (
	"crypto/tls"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/carmed/carmed/pki"
)

// TestClientCertificateTLSCommands serves with client-certificate TLS (certificate and key as flags,
// the client CA from the environment, as a deployment would) and drives it with `carmed call` and
// `carmed harness`: with --tls-ca/--tls-cert/--tls-key they are answered; without a client
// certificate the call fails at the transport and nothing is served.
func TestClientCertificateTLSCommands(t *testing.T) {
	bin := carmedBinary(t)
	run := runner(t, bin)
	dir := t.TempDir()
	pkiDir := filepath.Join(dir, "pki")
	if code, _, errs := run("pki", "init", "--dir", pkiDir); code != 0 {
		t.Fatalf("pki init: %s", errs)
	}
	ca := filepath.Join(pkiDir, pki.CACertFile)
	roots, err := pki.LoadCertPool(ca)
	if err != nil {
		t.Fatal(err)
	}
	// The readiness probe is a TLS client like any other: it needs a certificate from the CA.
	probeCert, err := tls.LoadX509KeyPair(filepath.Join(pkiDir, "admin.crt"), filepath.Join(pkiDir, "admin.key"))
	if err != nil {
		t.Fatal(err)
	}
	probe := &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{
		RootCAs: roots, Certificates: []tls.Certificate{probeCert}}}}
	srv := startServeWith(t, bin, probe, "https", []string{"CARMED_TLS_CLIENT_CA=" + ca},
		"--data", filepath.Join(dir, "data"), "--pki", pkiDir, "--registry", "testdata/registry",
		"--today", "2026-12-01", "--harness",
		"--tls-cert", filepath.Join(pkiDir, pki.GatewayCertFile), "--tls-key", filepath.Join(pkiDir, pki.GatewayKeyFile))

	base := "https://" + srv.addr
	// The TLS identity (the Liège CPAS here) is independent of the WS-Security signer (Namur).
	tlsFlags := []string{"--tls-ca", ca, "--tls-cert", filepath.Join(pkiDir, "cpas-liege.crt"),
		"--tls-key", filepath.Join(pkiDir, "cpas-liege.key")}
	call := func(extra ...string) (int, string, string) {
		args := append([]string{"call", "--url=" + base + "/cpas/v1", "--pki", pkiDir, "--as", "cpas-namur"}, extra...)
		return run(append(args, "testdata/requests/demo/create.xml")...)
	}

	// The client's message depends on timing (the TLS alert, or a reset connection when the gateway
	// closes first); the gateway's log, checked at the end, says why.
	if code, out, errs := call("--tls-ca", ca, "--set", "ticket=tls-cli-nocert"); code != exitError || out != "" {
		t.Fatalf("call without a client certificate: exit %d\n%s%s", code, out, errs)
	}
	if code, out, errs := call(tlsFlags...); code != exitOK || !strings.Contains(out, "<carmedNumber>000000000001</carmedNumber>") ||
		!strings.Contains(errs, "signature verified") {
		t.Fatalf("call with a client certificate: exit %d\n%s%s", code, out, errs)
	}
	harness := append([]string{"harness", "clock", "--url=" + base, "--pki", pkiDir}, tlsFlags...)
	if code, out, errs := run(harness...); code != exitOK || out != "business date 2026-12-01 (frozen)\n" {
		t.Fatalf("harness clock with a client certificate: exit %d %q %s", code, out, errs)
	}
	if code, _, errs := call("--tls-ca", ca, "--tls-cert", filepath.Join(pkiDir, "cpas-liege.crt")); code != exitError ||
		!strings.Contains(errs, "--tls-cert and --tls-key go together") {
		t.Fatalf("--tls-cert without --tls-key: exit %d %s", code, errs)
	}
	if !strings.Contains(srv.logs.String(), "didn't provide a certificate") {
		t.Fatalf("the gateway did not log the refused handshake:\n%s", srv.logs.String())
	}
}

// TestServeRefusesBadTransportFlags: --tls-client-ca alone would be silently plain HTTP, and a
// trusted-proxy list that does not parse would silently trust nobody (or not whom it meant).
func TestServeRefusesBadTransportFlags(t *testing.T) {
	run := runner(t, carmedBinary(t))
	for _, tc := range []struct{ flag, value, want string }{
		{"--tls-client-ca", "ca.crt", "--tls-client-ca needs --tls-cert"},
		{"--trusted-proxy", "10.0.0.0/8,proxy.example", `--trusted-proxy: trusted proxy "proxy.example"`},
	} {
		code, _, errs := run("serve", "--listen", "127.0.0.1:0", "--data", t.TempDir(), "--pki", "nowhere", tc.flag, tc.value)
		if code != exitError || !strings.Contains(errs, tc.want) {
			t.Errorf("serve %s %s: exit %d %s", tc.flag, tc.value, code, errs)
		}
	}
}
