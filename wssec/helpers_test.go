package wssec

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/beevik/etree"
)

// testTrust trusts an explicit list of certificates (pinning), within their validity.
type testTrust struct{ certs []*x509.Certificate }

func (t testTrust) Check(c *x509.Certificate, _ []*x509.Certificate, now time.Time) error {
	for _, k := range t.certs {
		if k.Equal(c) {
			if now.Before(c.NotBefore) || now.After(c.NotAfter) {
				return errors.New("certificate outside its validity")
			}
			return nil
		}
	}
	return errors.New("certificate not pinned")
}

func (t testTrust) FindByIssuerSerial(issuer string, serial *big.Int) *x509.Certificate {
	for _, k := range t.certs {
		if k.Issuer.String() == issuer && k.SerialNumber.Cmp(serial) == 0 {
			return k
		}
	}
	return nil
}

func (t testTrust) FindBySKI(ski []byte) *x509.Certificate {
	for _, k := range t.certs {
		if len(k.SubjectKeyId) > 0 && bytes.Equal(k.SubjectKeyId, ski) {
			return k
		}
	}
	return nil
}

func (t testTrust) FindByThumbprint(sum []byte) *x509.Certificate {
	for _, k := range t.certs {
		if s := sha1.Sum(k.Raw); bytes.Equal(s[:], sum) {
			return k
		}
	}
	return nil
}

func readCertFile(t testing.TB, name string) *x509.Certificate {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	blk, _ := pem.Decode(b)
	if blk == nil {
		t.Fatalf("%s: no PEM block", name)
	}
	c, err := x509.ParseCertificate(blk.Bytes)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// parseUnverified parses test input the way the server's door does (depth-capped etree parse).
func parseUnverified(t testing.TB, b []byte) *etree.Document {
	t.Helper()
	doc := etree.NewDocument()
	doc.ReadSettings.MaxDepth = 64
	if err := doc.ReadFromBytes(b); err != nil {
		t.Fatal(err)
	}
	return doc
}

func readSample(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// sampleClock returns a clock one minute after the sample's Timestamp Created.
func sampleClock(t testing.TB, raw []byte) func() time.Time {
	t.Helper()
	doc := parseUnverified(t, raw)
	var created time.Time
	for _, el := range doc.FindElements("//Created") {
		c, err := time.Parse(time.RFC3339Nano, el.Text())
		if err == nil {
			created = c
		}
	}
	if created.IsZero() {
		t.Fatal("sample has no Created")
	}
	at := created.Add(time.Minute)
	return func() time.Time { return at }
}

func wantCode(t *testing.T, err error, code FaultCode) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("got error %v, want *Error with code %s", err, code)
	}
	if e.Code != code {
		t.Fatalf("got code %s (%v), want %s", e.Code, err, code)
	}
}

// testKey is a signing identity made once per test binary.
type testKey struct {
	key  crypto.Signer
	cert *x509.Certificate
}

var (
	keysOnce      sync.Once
	rsaKey, ecKey testKey
	otherRSA      testKey
	testEpoch     = time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
)

func testKeys(t testing.TB) (rsaK, ecK, other testKey) {
	t.Helper()
	keysOnce.Do(func() {
		r, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		rsaKey = selfSigned(r, "wssec-test-rsa")
		e, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			panic(err)
		}
		ecKey = selfSigned(e, "wssec-test-ecdsa")
		o, err := rsa.GenerateKey(rand.Reader, 2048)
		if err != nil {
			panic(err)
		}
		otherRSA = selfSigned(o, "wssec-test-other")
	})
	return rsaKey, ecKey, otherRSA
}

func selfSigned(k crypto.Signer, cn string) testKey {
	spki, err := x509.MarshalPKIXPublicKey(k.Public())
	if err != nil {
		panic(err)
	}
	ski := sha1.Sum(spki)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(time.Now().UnixNano()),
		Subject:      pkix.Name{CommonName: cn, Organization: []string{"carmed-test"}},
		NotBefore:    testEpoch.Add(-24 * time.Hour),
		NotAfter:     testEpoch.Add(365 * 24 * time.Hour),
		SubjectKeyId: ski[:],
		KeyUsage:     x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, k.Public(), k)
	if err != nil {
		panic(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		panic(err)
	}
	return testKey{key: k, cert: c}
}

func certPEM(c *x509.Certificate) []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})
}
