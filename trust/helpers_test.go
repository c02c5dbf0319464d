package trust

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// testNow is the injected clock of every test.
var testNow = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

type testCert struct {
	cert *x509.Certificate
	key  crypto.Signer
}

var serialCounter int64 = 1000

// newCert issues a certificate valid from notBefore to notAfter; parent nil = self-signed CA.
func newCert(t testing.TB, subject pkix.Name, parent *testCert, isCA bool, notBefore, notAfter time.Time) *testCert {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	serialCounter++
	tmpl := &x509.Certificate{
		SerialNumber:          big.NewInt(serialCounter),
		Subject:               subject,
		NotBefore:             notBefore,
		NotAfter:              notAfter,
		BasicConstraintsValid: true,
		IsCA:                  isCA,
		KeyUsage:              x509.KeyUsageDigitalSignature,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	if isCA {
		tmpl.KeyUsage |= x509.KeyUsageCertSign
		tmpl.ExtKeyUsage = nil
	}
	parentCert, parentKey := tmpl, crypto.Signer(key)
	if parent != nil {
		parentCert, parentKey = parent.cert, parent.key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parentCert, key.Public(), parentKey)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return &testCert{cert: c, key: key}
}

func newCA(t testing.TB, cn string) *testCert {
	return newCert(t, pkix.Name{CommonName: cn, Country: []string{"BE"}}, nil, true,
		testNow.AddDate(-1, 0, 0), testNow.AddDate(10, 0, 0))
}

func newLeaf(t testing.TB, cn string, ca *testCert) *testCert {
	return newCert(t, pkix.Name{CommonName: cn, Organization: []string{"Demo"}, Country: []string{"BE"}},
		ca, false, testNow.AddDate(0, 0, -1), testNow.AddDate(1, 0, 0))
}

func writePEM(t testing.TB, path string, certs ...*x509.Certificate) {
	t.Helper()
	var data []byte
	for _, c := range certs {
		data = append(data, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: c.Raw})...)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// obj is a JSON object literal for building trust files in tests.
type obj = map[string]any

func cpasEntry(cbe string, pin string) obj {
	return obj{"kind": "cpas", "id": cbe, "nameFr": "CPAS de Test", "nameNl": "OCMW Test", "ins": "92094",
		"match": obj{"spkiSha256": pin}}
}

func providerEntry(nihii, kind, ca, subject string) obj {
	return obj{"kind": "provider", "id": nihii, "providerKind": kind, "name": "Test provider",
		"match": obj{"ca": ca, "subject": subject}}
}

func trustDoc(parties ...obj) obj {
	ps := make([]any, len(parties))
	for i, p := range parties {
		ps[i] = p
	}
	return obj{"version": 1, "parties": ps}
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// fixture is a trust directory with a CA, a pinned CPAS and a CA-matched provider.
type fixture struct {
	dir      string
	ca       *testCert
	cpas     *testCert
	provider *testCert
	store    *Store
}

const (
	fixtureCBE   = "0212345668"
	fixtureNIHII = "71012345"
)

func newFixture(t testing.TB) *fixture {
	t.Helper()
	f := &fixture{dir: t.TempDir()}
	f.ca = newCA(t, "Test CA")
	f.cpas = newLeaf(t, "cpas", f.ca)
	f.provider = newLeaf(t, "hospital", f.ca)
	writePEM(t, filepath.Join(f.dir, "ca.crt"), f.ca.cert)
	writePEM(t, filepath.Join(f.dir, "cpas.crt"), f.cpas.cert)
	doc := trustDoc(
		cpasEntry(fixtureCBE, SPKISHA256(f.cpas.cert)),
		providerEntry(fixtureNIHII, "hospital", "ca.crt", f.provider.cert.Subject.String()),
	)
	doc["certificates"] = []string{"cpas.crt"}
	path := filepath.Join(f.dir, "trust.json")
	if err := os.WriteFile(path, mustJSON(t, doc), 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	f.store = s
	return f
}

// newCertWithKey issues a leaf for an existing key (a renewal that kept its key).
func newCertWithKey(t testing.TB, key crypto.Signer, ca *testCert, notBefore, notAfter time.Time) *x509.Certificate {
	t.Helper()
	serialCounter++
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(serialCounter),
		Subject:      pkix.Name{CommonName: "renewed"},
		NotBefore:    notBefore,
		NotAfter:     notAfter,
		KeyUsage:     x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, key.Public(), ca.key)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	return c
}
