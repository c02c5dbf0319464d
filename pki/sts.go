package pki

import (
	"crypto"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"time"
)

// The demo token service (face/sts): its own RSA key, since the eHealth STS signs with RSA and
// every client that reads assertions knows RSA; the trust file names its certificate under
// "tokenIssuers", which is what makes the provider faces accept its assertions.
const (
	STSCertFile = "sts.crt"
	STSKeyFile  = "sts.key"
)

func stsTemplate(now time.Time) *x509.Certificate {
	return &x509.Certificate{
		Subject:               pkix.Name{CommonName: "carmed token service (demo)", Organization: []string{"carmed demo"}, Country: []string{"BE"}},
		NotBefore:             now.Add(-backdate),
		NotAfter:              now.AddDate(leafYears, 0, 0),
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageDigitalSignature,
	}
}

// stsPair issues the token service's RSA key and certificate under the demo CA.
func stsPair(now time.Time, ca *x509.Certificate, caKey crypto.Signer) (crypto.Signer, *x509.Certificate, error) {
	key, err := newKey(true)
	if err != nil {
		return nil, nil, fmt.Errorf("pki: token service key: %w", err)
	}
	c, err := issue(stsTemplate(now), key.Public(), ca, caKey)
	if err != nil {
		return nil, nil, fmt.Errorf("pki: token service certificate: %w", err)
	}
	return key, c, nil
}
