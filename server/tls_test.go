package server_test

import (
	"context"
	"crypto/tls"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/carmed/carmed/client"
	"github.com/carmed/carmed/pki"
	"github.com/carmed/carmed/server"
)

// withClientTLS serves HTTPS with the env's gateway certificate and requires client certificates
// from the env's demo CA, as `serve --tls-cert gateway.crt --tls-key gateway.key --tls-client-ca ca.crt`.
func withClientTLS(t *testing.T) func(*envOpt) {
	return func(o *envOpt) {
		o.tls = func(dir string) *tls.Config {
			cfg, err := server.TLSConfig(filepath.Join(dir, pki.GatewayCertFile), filepath.Join(dir, pki.GatewayKeyFile),
				filepath.Join(dir, pki.CACertFile))
			if err != nil {
				t.Fatal(err)
			}
			return cfg
		}
	}
}

// tlsClient trusts the server certificates of the CA in pkiDir and, when party is set, presents
// that party's certificate (from certDir) as its client certificate.
func tlsClient(t *testing.T, pkiDir, certDir, party string, maxVersion uint16) *http.Client {
	t.Helper()
	roots, err := pki.LoadCertPool(filepath.Join(pkiDir, pki.CACertFile))
	if err != nil {
		t.Fatal(err)
	}
	cfg := &tls.Config{RootCAs: roots, MaxVersion: maxVersion}
	if maxVersion != 0 && maxVersion < tls.VersionTLS12 {
		cfg.MinVersion = maxVersion
	}
	if party != "" {
		c, err := tls.LoadX509KeyPair(filepath.Join(certDir, party+".crt"), filepath.Join(certDir, party+".key"))
		if err != nil {
			t.Fatal(err)
		}
		cfg.Certificates = []tls.Certificate{c}
	}
	return &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: cfg}}
}

// TestClientCertificateTLS serves over a real TLS listener on loopback that requires a client
// certificate from the demo CA: clients without one, with one from another CA or speaking TLS 1.1
// are refused at the handshake and never reach a handler; a client with one gets its signed request
// answered; and the TLS identity does not stand in for the WS-Security signature.
func TestClientCertificateTLS(t *testing.T) {
	e := newEnv(t, withClientTLS(t))
	otherCA := demoPKI(t, pki.GatewayRSA) // a second demo PKI: same party names, another CA
	if otherCA == e.pki {
		t.Fatal("the two demo PKIs share a directory")
	}
	create := readFixture(t, demoFile("create.xml"))
	callWith := func(hc *http.Client, ticket string) (*client.Answer, error) {
		c := e.client("cpas-namur")
		c.HTTP = hc
		b, err := client.Set([]byte(create), map[string]string{"ticket": ticket})
		if err != nil {
			t.Fatal(err)
		}
		return c.Call(context.Background(), b, "")
	}
	// refused checks that the call failed without an answer and that the server logged the
	// handshake it refused, for the reason given.
	refused := func(t *testing.T, hc *http.Client, ticket, serverReason string) {
		t.Helper()
		a, err := callWith(hc, ticket)
		if err == nil || a != nil {
			t.Fatalf("the call went through: answer %+v, err %v", a, err)
		}
		for deadline := time.Now().Add(3 * time.Second); ; time.Sleep(20 * time.Millisecond) {
			logs := e.logs.String()
			if strings.Contains(logs, "TLS handshake error") && strings.Contains(logs, serverReason) {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("client error %v; the server did not log a refused handshake (%q):\n%s", err, serverReason, logs)
			}
		}
	}

	t.Run("a client without a certificate is refused at the handshake", func(t *testing.T) {
		refused(t, tlsClient(t, e.pki, "", "", 0), "tls-no-cert", "didn't provide a certificate")
	})
	t.Run("a client with a certificate from another CA is refused at the handshake", func(t *testing.T) {
		refused(t, tlsClient(t, e.pki, otherCA, "cpas-namur", 0), "tls-other-ca", "unknown authority")
	})
	t.Run("a client offering at most TLS 1.1 is refused at the handshake", func(t *testing.T) {
		refused(t, tlsClient(t, e.pki, e.pki, "cpas-namur", tls.VersionTLS11), "tls-old-version", "unsupported versions")
	})
	t.Run("a client with a certificate from the CA gets its signed request answered", func(t *testing.T) {
		a, err := callWith(tlsClient(t, e.pki, e.pki, "cpas-namur", 0), "tls-good")
		if err != nil {
			t.Fatal(err)
		}
		wantOutcome(t, a, "DATA_FOUND", "OK")
		if !a.Verified {
			t.Fatal("the answer's signature was not verified")
		}
		// The refused calls above carried other tickets: had one reached the handler, this create
		// would not be the first decision.
		if n := text(a, "carmed/carmedNumber"); n != "000000000001" {
			t.Fatalf("decision number %s: a refused call was served", n)
		}
	})
	t.Run("over client-certificate TLS an unsigned request is still refused by WS-Security", func(t *testing.T) {
		env, err := client.Envelope([]byte(create), false)
		if err != nil {
			t.Fatal(err)
		}
		raw, err := env.WriteToBytes()
		if err != nil {
			t.Fatal(err)
		}
		c := e.client("cpas-namur")
		c.HTTP = tlsClient(t, e.pki, e.pki, "cpas-namur", 0)
		a, err := c.Post(context.Background(), raw, "urn:carmed:cpas:v1:createCarmed")
		if err != nil {
			t.Fatal(err)
		}
		if a.Outcome != client.Faulted || !strings.Contains(a.Code, "InvalidSecurity") {
			t.Fatalf("an unsigned request over mTLS got %s %s, want a wsse:InvalidSecurity fault", a.Outcome, a.Code)
		}
	})
}
