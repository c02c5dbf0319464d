package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"github.com/carmed/carmed/client"
	"github.com/carmed/carmed/pki"
	"github.com/carmed/carmed/wssec"
)

// callTimeout bounds one signed round trip: the gateway answers in milliseconds, so a minute
// only ever ends a hung connection.
const callTimeout = 60 * time.Second

// signingFlags pick who signs a request and which gateway certificate must have signed the answer,
// and the HTTPS options of a gateway served with TLS; `call`, `harness` and `agreement verify --url`
// share them.
type signingFlags struct {
	as, pki, cert, key, gwCert *string
	tlsCA, tlsCert, tlsKey     *string
}

func addSigningFlags(fs *flag.FlagSet, defaultAs string) *signingFlags {
	return &signingFlags{
		as:     fs.String("as", defaultAs, "sign as demo party NAME from --pki (NAME.crt, NAME.key); --cert and --key win over it"),
		pki:    fs.String("pki", filepath.Join("demo", "pki"), "PKI directory for --as and the gateway certificate"),
		cert:   fs.String("cert", "", "signing certificate (PEM)"),
		key:    fs.String("key", "", "signing key (PEM, RSA or ECDSA)"),
		gwCert: fs.String("gateway-cert", "", "certificate that must have signed the answer (default PKI/gateway.crt)"),
		tlsCA:  fs.String("tls-ca", "", "https: CA bundle (PEM) the gateway's TLS certificate must chain to (default: the system's roots)"),
		tlsCert: fs.String("tls-cert", "", "https: client certificate (PEM) for a gateway served with --tls-client-ca; "+
			"TLS only, requests are still signed with --as or --cert/--key"),
		tlsKey: fs.String("tls-key", "", "https: the key of --tls-cert (PEM)"),
	}
}

// client is a signing client for url that accepts only answers signed by the gateway certificate.
func (f *signingFlags) client(url string, soap12 bool) (*client.Client, error) {
	certFile, keyFile := *f.cert, *f.key
	if certFile == "" && keyFile == "" && *f.as != "" {
		certFile, keyFile = filepath.Join(*f.pki, *f.as+".crt"), filepath.Join(*f.pki, *f.as+".key")
	}
	if certFile == "" || keyFile == "" {
		return nil, errors.New("needs --as NAME or --cert and --key")
	}
	gwCert := *f.gwCert
	if gwCert == "" {
		gwCert = filepath.Join(*f.pki, "gateway.crt")
	}
	key, cert, err := pki.LoadKeyPair(certFile, keyFile)
	if err != nil {
		return nil, fmt.Errorf("signing key: %w", err)
	}
	gw, err := pki.LoadCert(gwCert)
	if err != nil {
		return nil, fmt.Errorf("gateway certificate: %w", err)
	}
	hc, err := f.httpClient()
	if err != nil {
		return nil, err
	}
	return &client.Client{URL: url, SOAP12: soap12, HTTP: hc,
		Signer:   &wssec.Signer{Key: key, Cert: cert},
		Verifier: &wssec.Verifier{Trust: client.Pinned{Cert: gw}}}, nil
}

// httpClient is the HTTP client of the --tls-* flags (TLS 1.2 at least); nil, the client
// package's default, when none is given.
func (f *signingFlags) httpClient() (*http.Client, error) {
	if *f.tlsCA == "" && *f.tlsCert == "" && *f.tlsKey == "" {
		return nil, nil
	}
	cfg := &tls.Config{MinVersion: tls.VersionTLS12}
	if *f.tlsCA != "" {
		pool, err := pki.LoadCertPool(*f.tlsCA)
		if err != nil {
			return nil, fmt.Errorf("--tls-ca: %w", err)
		}
		cfg.RootCAs = pool
	}
	if *f.tlsCert != "" || *f.tlsKey != "" {
		if *f.tlsCert == "" || *f.tlsKey == "" {
			return nil, errors.New("--tls-cert and --tls-key go together")
		}
		c, err := tls.LoadX509KeyPair(*f.tlsCert, *f.tlsKey)
		if err != nil {
			return nil, fmt.Errorf("--tls-cert/--tls-key: %w", err)
		}
		cfg.Certificates = []tls.Certificate{c}
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = cfg
	// HTTP/1.1 as every SOAP stack speaks it; over HTTP/2 a refused handshake reads
	// "http2: client conn could not be established" instead of the TLS alert that says why.
	tr.ForceAttemptHTTP2 = false
	return &http.Client{Transport: tr}, nil // the call's context bounds it (callTimeout)
}

// send signs payload, posts it and verifies the answer. An answer that does not verify is never
// shown: only its HTTP status is, on stderr.
func send(c *client.Client, payload []byte, action string) (*client.Answer, error) {
	ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
	defer cancel()
	ans, err := c.Call(ctx, payload, action)
	if err != nil && ans != nil && len(ans.Raw) > 0 && !ans.Verified {
		fmt.Fprintf(os.Stderr, "carmed: HTTP %d, unverified answer not shown\n", ans.HTTPStatus)
	}
	return ans, err
}

// parseArgs parses flags wherever they stand among the positional arguments
// (`carmed agreement verify TOKEN --url URL`), which flag.Parse alone stops at; everything after
// "--" is positional.
func parseArgs(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			return append(pos, rest...), nil
		}
		if len(rest) == 0 {
			return pos, nil
		}
		pos, args = append(pos, rest[0]), rest[1:]
	}
}
