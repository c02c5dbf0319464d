package pki

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestLoadKeyPairSignsForItsCertificate(t *testing.T) {
	res := sharedPKI(t)
	for _, name := range []string{PartyCPASNamur, PartyCPASLiege} { // RSA and ECDSA
		t.Run(name, func(t *testing.T) {
			dir := res.Dir
			key, cert, err := LoadKeyPair(filepath.Join(dir, name+".crt"), filepath.Join(dir, name+".key"))
			if err != nil {
				t.Fatal(err)
			}
			digest := sha256.Sum256([]byte("signed info"))
			sig, err := key.Sign(rand.Reader, digest[:], crypto.SHA256)
			if err != nil {
				t.Fatal(err)
			}
			switch pub := cert.PublicKey.(type) {
			case *rsa.PublicKey:
				err = rsa.VerifyPKCS1v15(pub, crypto.SHA256, digest[:], sig)
			case *ecdsa.PublicKey:
				if !ecdsa.VerifyASN1(pub, digest[:], sig) {
					err = os.ErrInvalid
				}
			}
			if err != nil {
				t.Fatalf("signature does not verify with the certificate: %v", err)
			}
		})
	}
}

func TestLoadKeyPairRefusesMismatchesAndEncryptedKeys(t *testing.T) {
	res := sharedPKI(t)
	dir := t.TempDir()
	encrypted := filepath.Join(dir, "enc.key")
	os.WriteFile(encrypted, pem.EncodeToMemory(&pem.Block{Type: "ENCRYPTED PRIVATE KEY", Bytes: []byte{1}}), 0o600)
	tests := []struct {
		name      string
		cert, key string
		msg       string
	}{
		{"a key from another party is refused", res.Parties[0].CertFile, res.Parties[1].KeyFile, "does not belong"},
		{"an encrypted key is refused", res.Parties[0].CertFile, encrypted, "encrypted"},
		{"a certificate file without certificate is refused", res.Parties[0].KeyFile, res.Parties[0].KeyFile, "no PEM CERTIFICATE"},
		{"a missing key file is refused", res.Parties[0].CertFile, filepath.Join(dir, "none.key"), "no such file"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := LoadKeyPair(tc.cert, tc.key)
			if err == nil || !strings.Contains(err.Error(), tc.msg) {
				t.Fatalf("err = %v, want mention of %q", err, tc.msg)
			}
		})
	}
}

func TestLoadKeyPairReadsLegacyKeyFormats(t *testing.T) {
	res := sharedPKI(t)
	dir := t.TempDir()
	for _, dp := range res.Parties[:2] { // cpas-namur (RSA) then cpas-liege (ECDSA)
		key, cert, err := LoadKeyPair(dp.CertFile, dp.KeyFile)
		if err != nil {
			t.Fatal(err)
		}
		var block *pem.Block
		switch k := key.(type) {
		case *rsa.PrivateKey:
			block = &pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(k)}
		case *ecdsa.PrivateKey:
			der, _ := x509.MarshalECPrivateKey(k)
			block = &pem.Block{Type: "EC PRIVATE KEY", Bytes: der}
		}
		// One file holding the certificate then the key, as some tools write them.
		combined := filepath.Join(dir, dp.Name+".pem")
		data := append(certPEM(cert), pem.EncodeToMemory(block)...)
		os.WriteFile(combined, data, 0o600)
		if _, _, err := LoadKeyPair(combined, combined); err != nil {
			t.Errorf("%s as %s: %v", dp.Name, block.Type, err)
		}
	}
}
