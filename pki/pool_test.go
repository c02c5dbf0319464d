package pki

import (
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDemoCertificatesServeTLS pins what `serve --tls-client-ca ca.crt` relies on: the CA bundle
// loads, the gateway certificate chains to it as a TLS server for 127.0.0.1 and localhost, and
// every demo party's certificate chains to it as a TLS client.
func TestDemoCertificatesServeTLS(t *testing.T) {
	res := sharedPKI(t)
	pool, err := LoadCertPool(res.CACert)
	if err != nil {
		t.Fatal(err)
	}
	gw, err := LoadCert(res.GatewayCert)
	if err != nil {
		t.Fatal(err)
	}
	for _, host := range []string{"127.0.0.1", "localhost", "::1"} {
		if _, err := gw.Verify(x509.VerifyOptions{DNSName: host, Roots: pool, CurrentTime: testNow,
			KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth}}); err != nil {
			t.Errorf("gateway certificate as TLS server for %s: %v", host, err)
		}
	}
	for _, p := range res.Parties {
		c, err := LoadCert(p.CertFile)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Verify(x509.VerifyOptions{Roots: pool, CurrentTime: testNow,
			KeyUsages: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth}}); err != nil {
			t.Errorf("%s as TLS client: %v", p.Name, err)
		}
	}
}

// TestLoadCertPoolRefusesWhatIsNotACertificate: a bundle that holds a key, nothing or a damaged
// certificate is an error, never a pool quietly smaller than the file.
func TestLoadCertPoolRefusesWhatIsNotACertificate(t *testing.T) {
	res := sharedPKI(t)
	ca, err := os.ReadFile(res.CACert)
	if err != nil {
		t.Fatal(err)
	}
	key, err := os.ReadFile(filepath.Join(res.Dir, CAKeyFile))
	if err != nil {
		t.Fatal(err)
	}
	b, _ := pem.Decode(ca)
	damaged := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: b.Bytes[:len(b.Bytes)/2]})
	for name, tc := range map[string]struct {
		data []byte
		want string
	}{
		"a CA and its key":      {append(append([]byte{}, ca...), key...), "PRIVATE KEY"},
		"an empty file":         {nil, "no PEM CERTIFICATE"},
		"text without PEM":      {[]byte("not a certificate\n"), "no PEM CERTIFICATE"},
		"a damaged certificate": {append(append([]byte{}, ca...), damaged...), "certificate 2"},
	} {
		t.Run(name, func(t *testing.T) {
			f := filepath.Join(t.TempDir(), "bundle.pem")
			if err := os.WriteFile(f, tc.data, 0o600); err != nil {
				t.Fatal(err)
			}
			if _, err := LoadCertPool(f); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("got %v, want an error naming %q", err, tc.want)
			}
		})
	}
}
