package pki

import (
	"crypto"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"math/big"
	"net"
	"time"

	"github.com/carmed/carmed/trust"
)

// Validity of the demo certificates: a day back so clocks a little behind still accept
// them, ten years ahead so a demo directory outlives its project.
const (
	backdate     = 24 * time.Hour
	leafYears    = 10
	caExtraYears = 1 // the CA outlives its leaves
)

// serialLimit bounds random serial numbers to 127 bits: positive, and within the 20 octets
// RFC 5280 allows.
var serialLimit = new(big.Int).Lsh(big.NewInt(1), 127)

func serial() (*big.Int, error) {
	n, err := rand.Int(rand.Reader, serialLimit)
	if err != nil {
		return nil, err
	}
	return n.Add(n, big.NewInt(1)), nil
}

// issue signs tmpl for pub with the parent (nil parent: self-signed by key), after filling
// the serial and the subject key identifier.
func issue(tmpl *x509.Certificate, pub crypto.PublicKey, parent *x509.Certificate, parentKey crypto.Signer) (*x509.Certificate, error) {
	var err error
	if tmpl.SerialNumber, err = serial(); err != nil {
		return nil, err
	}
	spki, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return nil, err
	}
	// Method 1 explicitly: the value WSS4J computes for an SKI reference, whatever default
	// the Go version in use would pick.
	tmpl.SubjectKeyId = trust.SKIMethod1(spki)
	if parent == nil {
		parent = tmpl
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, pub, parentKey)
	if err != nil {
		return nil, err
	}
	return x509.ParseCertificate(der)
}

func caTemplate(now time.Time) *x509.Certificate {
	return &x509.Certificate{
		Subject:               pkix.Name{CommonName: "carmed demo CA", Organization: []string{"carmed demo"}, Country: []string{"BE"}},
		NotBefore:             now.Add(-backdate),
		NotAfter:              now.AddDate(leafYears+caExtraYears, 0, 0),
		BasicConstraintsValid: true,
		IsCA:                  true,
		MaxPathLenZero:        true,
		KeyUsage:              x509.KeyUsageCertSign | x509.KeyUsageCRLSign,
	}
}

// gatewayTemplate serves both roles of the gateway key: signing answers and, with
// `serve --tls`, the TLS certificate for localhost.
func gatewayTemplate(now time.Time, useRSA bool) *x509.Certificate {
	ku := x509.KeyUsageDigitalSignature
	if useRSA {
		ku |= x509.KeyUsageKeyEncipherment // RSA key exchange in older TLS clients
	}
	return &x509.Certificate{
		Subject:               pkix.Name{CommonName: "carmed gateway (demo)", Organization: []string{"carmed demo"}, Country: []string{"BE"}},
		NotBefore:             now.Add(-backdate),
		NotAfter:              now.AddDate(leafYears, 0, 0),
		BasicConstraintsValid: true,
		KeyUsage:              ku,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		DNSNames:              []string{"localhost"},
		IPAddresses:           []net.IP{net.IPv4(127, 0, 0, 1), net.IPv6loopback},
	}
}

func clientTemplate(now time.Time, subject pkix.Name) *x509.Certificate {
	return &x509.Certificate{
		Subject:               subject,
		NotBefore:             now.Add(-backdate),
		NotAfter:              now.AddDate(leafYears, 0, 0),
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
}
