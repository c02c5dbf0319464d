package wssec

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"flag"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The seed corpus of FuzzVerify is real envelopes from our signer, one per form the verifier
// accepts, in Go's corpus format under testdata/fuzz/FuzzVerify so plain `go test` replays them.
// Regenerate with:
//
//	go test ./wssec -run TestFuzzCorpus -update-corpus
//
// The corpus keys (throwaway, test-only) live in testdata/corpus-*.pem and are made on the first
// update; fuzzers' crashers land in the same directory and are kept.
var updateCorpus = flag.Bool("update-corpus", false, "rewrite the signed seeds of testdata/fuzz/FuzzVerify")

// corpusAt is when the seeds were signed and the clock of FuzzVerify.
var corpusAt = time.Date(2026, 11, 22, 9, 50, 0, 0, time.UTC)

const corpusDir = "testdata/fuzz/FuzzVerify"

// corpusPKI is a CA and two leaves it issued: an RSA-2048 and an ECDSA P-256 signer.
type corpusPKI struct {
	ca      *x509.Certificate
	rsa, ec testKey
}

func loadCorpusPKI(t testing.TB) corpusPKI {
	t.Helper()
	var p corpusPKI
	_, ca, err1 := readKeyPair("corpus-ca.pem")
	rk, rc, err2 := readKeyPair("corpus-rsa.pem")
	ek, ec, err3 := readKeyPair("corpus-ec.pem")
	if err := errors.Join(err1, err2, err3); err != nil {
		if !*updateCorpus {
			t.Fatalf("corpus keys: %v (go test -run TestFuzzCorpus -update-corpus makes them)", err)
		}
		return makeCorpusPKI(t)
	}
	p.ca, p.rsa, p.ec = ca, testKey{rk, rc}, testKey{ek, ec}
	return p
}

func makeCorpusPKI(t testing.TB) corpusPKI {
	t.Helper()
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	from, to := corpusAt.AddDate(0, 0, -1), corpusAt.AddDate(10, 0, 0)
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "wssec corpus CA (test only)"},
		NotBefore: from, NotAfter: to, BasicConstraintsValid: true, IsCA: true, KeyUsage: x509.KeyUsageCertSign}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, caKey.Public(), caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(caDER)
	leaf := func(serial int64, cn string, k crypto.Signer) testKey {
		spki, _ := x509.MarshalPKIXPublicKey(k.Public())
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: cn},
			NotBefore: from, NotAfter: to, KeyUsage: x509.KeyUsageDigitalSignature, SubjectKeyId: sum1(spki)}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, k.Public(), caKey)
		if err != nil {
			t.Fatal(err)
		}
		c, _ := x509.ParseCertificate(der)
		return testKey{k, c}
	}
	rk, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	ek, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	p := corpusPKI{ca: ca, rsa: leaf(2, "wssec corpus RSA (test only)", rk), ec: leaf(3, "wssec corpus ECDSA (test only)", ek)}
	writeKeyPair(t, "corpus-ca.pem", nil, p.ca)
	writeKeyPair(t, "corpus-rsa.pem", p.rsa.key, p.rsa.cert)
	writeKeyPair(t, "corpus-ec.pem", p.ec.key, p.ec.cert)
	return p
}

// readKeyPair reads a testdata PEM file of an optional PKCS#8 private key and a certificate.
func readKeyPair(name string) (crypto.Signer, *x509.Certificate, error) {
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		return nil, nil, err
	}
	var key crypto.Signer
	var cert *x509.Certificate
	for blk, rest := pem.Decode(b); blk != nil; blk, rest = pem.Decode(rest) {
		switch blk.Type {
		case "PRIVATE KEY":
			k, err := x509.ParsePKCS8PrivateKey(blk.Bytes)
			if err != nil {
				return nil, nil, err
			}
			key = k.(crypto.Signer)
		case "CERTIFICATE":
			if cert, err = x509.ParseCertificate(blk.Bytes); err != nil {
				return nil, nil, err
			}
		}
	}
	if cert == nil {
		return nil, nil, errors.New(name + ": no certificate")
	}
	return key, cert, nil
}

// writeKeyPair writes what readKeyPair reads (no key block when k is nil).
func writeKeyPair(t testing.TB, name string, k crypto.Signer, c *x509.Certificate) {
	t.Helper()
	var b []byte
	if k != nil {
		der, err := x509.MarshalPKCS8PrivateKey(k)
		if err != nil {
			t.Fatal(err)
		}
		b = pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der})
	}
	b = append(b, certPEM(c)...)
	if err := os.WriteFile(filepath.Join("testdata", name), b, 0o644); err != nil {
		t.Fatal(err)
	}
}

// corpusSeeds is every signer variant: each signature method and digest, each token reference,
// no Expires, and the answer shapes of unsignedEnvelopes (SOAP 1.2, Faults).
func corpusSeeds(p corpusPKI) map[string]*Signer {
	seeds := map[string]*Signer{}
	for _, h := range []crypto.Hash{crypto.SHA256, crypto.SHA384, crypto.SHA512} {
		for _, d := range []crypto.Hash{crypto.SHA256, crypto.SHA384, crypto.SHA512} {
			n := strings.ToLower(strings.ReplaceAll(h.String()+"-digest-"+d.String(), "SHA-", "sha"))
			seeds["rsa-"+n] = &Signer{Key: p.rsa.key, Cert: p.rsa.cert, Hash: h, Digest: d}
			seeds["ecdsa-"+n] = &Signer{Key: p.ec.key, Cert: p.ec.cert, Hash: h, Digest: d}
		}
	}
	for name, ref := range map[string]KeyRef{"pkipath": RefPKIPath, "issuerserial": RefIssuerSerial, "ski": RefSKI,
		"thumbprint": RefThumbprint, "x509data": RefX509Data} {
		seeds["rsa-ref-"+name] = &Signer{Key: p.rsa.key, Cert: p.rsa.cert, KeyRef: ref, Path: []*x509.Certificate{p.ca}}
		seeds["ecdsa-ref-"+name] = &Signer{Key: p.ec.key, Cert: p.ec.cert, KeyRef: ref, Path: []*x509.Certificate{p.ca}}
	}
	seeds["rsa-no-expires"] = &Signer{Key: p.rsa.key, Cert: p.rsa.cert, NoExpires: true}
	return seeds
}

func corpusVerifier(t testing.TB) *Verifier {
	p := loadCorpusPKI(t)
	certs := []*x509.Certificate{readCertFile(t, "throwaway-client.crt"), readCertFile(t, "throwaway-server.crt"), p.rsa.cert, p.ec.cert}
	// A wide skew so that the interop samples verify too, and the fuzzer starts from success.
	return &Verifier{Trust: testTrust{certs: certs}, AllowSHA1: true, MaxNodes: 5000, Skew: time.Hour, Now: func() time.Time { return corpusAt }}
}

// TestFuzzCorpus (re)writes the signed seeds with -update-corpus, and always checks that every
// seed written by the generator verifies under FuzzVerify's verifier.
func TestFuzzCorpus(t *testing.T) {
	if *updateCorpus {
		p := loadCorpusPKI(t)
		if err := os.MkdirAll(corpusDir, 0o755); err != nil {
			t.Fatal(err)
		}
		for name, s := range corpusSeeds(p) {
			for i, e := range unsignedEnvelopes {
				// Every shape (SOAP 1.1 and 1.2, Faults, default namespace) once per key; the
				// algorithm variants in SOAP 1.1, the references and no-Expires in SOAP 1.2.
				base := strings.HasSuffix(name, "sha256-digest-sha256")
				if !base && i != map[bool]int{true: 0, false: 1}[strings.Contains(name, "digest")] {
					continue
				}
				s.Now = func() time.Time { return corpusAt }
				d := parseUnverified(t, []byte(e.xml))
				if err := s.SignEnvelope(d); err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				b, err := d.WriteToBytes()
				if err != nil {
					t.Fatal(err)
				}
				file := fmt.Sprintf("signed-%s-%d", name, i)
				if err := os.WriteFile(filepath.Join(corpusDir, file), corpusFile(b), 0o644); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	files, _ := filepath.Glob(filepath.Join(corpusDir, "signed-*"))
	if len(files) == 0 {
		t.Fatal("no signed seeds in " + corpusDir)
	}
	v := corpusVerifier(t)
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		data, err := parseCorpusFile(raw)
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if _, err := v.Verify(parseUnverified(t, data)); err != nil {
			t.Errorf("%s does not verify: %v", filepath.Base(f), err)
		}
	}
}

// corpusFile is the Go fuzzing corpus encoding of one []byte argument.
func corpusFile(b []byte) []byte { return fmt.Appendf(nil, "go test fuzz v1\n[]byte(%q)\n", b) }

func parseCorpusFile(raw []byte) ([]byte, error) {
	s, ok := bytes.CutPrefix(raw, []byte("go test fuzz v1\n[]byte("))
	if !ok {
		return nil, errors.New("not a one-[]byte corpus file")
	}
	q, ok := bytes.CutSuffix(bytes.TrimSpace(s), []byte(")"))
	if !ok {
		return nil, errors.New("not a one-[]byte corpus file")
	}
	out, err := strconv.Unquote(string(q))
	return []byte(out), err
}
