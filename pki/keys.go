package pki

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"os"
	"strings"
)

// rsaBits is the RSA size of demo keys: the common floor of eHealth-style certificates.
const rsaBits = 2048

func newKey(useRSA bool) (crypto.Signer, error) {
	if useRSA {
		return rsa.GenerateKey(rand.Reader, rsaBits)
	}
	return ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
}

func keyPEM(key crypto.Signer) ([]byte, error) {
	der, err := x509.MarshalPKCS8PrivateKey(key)
	if err != nil {
		return nil, err
	}
	return pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), nil
}

func certPEM(c *x509.Certificate) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
}

// LoadKeyPair reads a PEM certificate (the first CERTIFICATE block is the signer's) and its
// unencrypted PEM private key (PKCS#8, PKCS#1 or SEC 1), and checks that they belong
// together. Only RSA and ECDSA keys are accepted: the algorithms the verifier knows. Both
// may live in one file.
func LoadKeyPair(certFile, keyFile string) (crypto.Signer, *x509.Certificate, error) {
	cert, err := readFirstCert(certFile)
	if err != nil {
		return nil, nil, err
	}
	key, err := readKey(keyFile)
	if err != nil {
		return nil, nil, err
	}
	pub, ok := key.Public().(interface{ Equal(crypto.PublicKey) bool })
	if !ok || !pub.Equal(cert.PublicKey) {
		return nil, nil, fmt.Errorf("pki: the key in %s does not belong to the certificate in %s", keyFile, certFile)
	}
	return key, cert, nil
}

func readFirstCert(path string) (*x509.Certificate, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("pki: certificate: %w", err)
	}
	for {
		var b *pem.Block
		if b, data = pem.Decode(data); b == nil {
			return nil, fmt.Errorf("pki: no PEM CERTIFICATE in %s", path)
		}
		if b.Type != "CERTIFICATE" {
			continue
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return nil, fmt.Errorf("pki: certificate in %s: %w", path, err)
		}
		return c, nil
	}
}

func readKey(path string) (crypto.Signer, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("pki: key: %w", err)
	}
	for {
		var b *pem.Block
		if b, data = pem.Decode(data); b == nil {
			return nil, fmt.Errorf("pki: no PEM private key in %s", path)
		}
		if b.Type == "ENCRYPTED PRIVATE KEY" || b.Headers["Proc-Type"] != "" {
			return nil, fmt.Errorf("pki: the key in %s is encrypted; decrypt it first", path)
		}
		if !strings.HasSuffix(b.Type, "PRIVATE KEY") {
			continue // certificates, EC PARAMETERS
		}
		var key any
		switch b.Type {
		case "PRIVATE KEY":
			key, err = x509.ParsePKCS8PrivateKey(b.Bytes)
		case "RSA PRIVATE KEY":
			key, err = x509.ParsePKCS1PrivateKey(b.Bytes)
		case "EC PRIVATE KEY":
			key, err = x509.ParseECPrivateKey(b.Bytes)
		default:
			err = fmt.Errorf("unsupported PEM block %q", b.Type)
		}
		if err != nil {
			return nil, fmt.Errorf("pki: key in %s: %w", path, err)
		}
		switch k := key.(type) {
		case *rsa.PrivateKey:
			return k, nil
		case *ecdsa.PrivateKey:
			return k, nil
		default:
			return nil, fmt.Errorf("pki: key in %s: %w", path, errUnsupportedKey)
		}
	}
}

var errUnsupportedKey = errors.New("only RSA and ECDSA keys are supported")

// LoadCert reads the first certificate of a PEM file (e.g. the gateway's, to verify its answers).
func LoadCert(path string) (*x509.Certificate, error) { return readFirstCert(path) }
