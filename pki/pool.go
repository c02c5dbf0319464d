package pki

import (
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"os"
)

// LoadCertPool reads a PEM bundle of CA certificates (`serve --tls-client-ca`, `call --tls-ca`).
// Unlike x509.CertPool.AppendCertsFromPEM, which skips what it cannot parse, every block must be a
// certificate that parses and the bundle must hold at least one: a mistyped file must not turn into
// a pool that trusts nothing, or less than the operator meant.
func LoadCertPool(path string) (*x509.CertPool, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("pki: CA bundle: %w", err)
	}
	pool := x509.NewCertPool()
	n := 0
	for {
		var b *pem.Block
		if b, data = pem.Decode(data); b == nil {
			break
		}
		if b.Type != "CERTIFICATE" {
			return nil, fmt.Errorf("pki: CA bundle %s holds a %q block: want certificates only", path, b.Type)
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return nil, fmt.Errorf("pki: CA bundle %s, certificate %d: %w", path, n+1, err)
		}
		pool.AddCert(c)
		n++
	}
	if n == 0 {
		return nil, fmt.Errorf("pki: no PEM CERTIFICATE in %s", path)
	}
	return pool, nil
}
