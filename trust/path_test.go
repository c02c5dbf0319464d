package trust

import (
	"crypto/sha1"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// pathFixture: a root CA named by a provider entry, an intermediate CA the trust file does not
// list, and a provider certificate issued by the intermediate: only a PKIPath token carrying the
// intermediate lets the provider reach its entry.
type pathFixture struct {
	root, inter, leaf *testCert
	store             *Store
}

func newPathFixture(t *testing.T) *pathFixture {
	t.Helper()
	f := &pathFixture{root: newCA(t, "Root CA")}
	f.inter = newCert(t, pkix.Name{CommonName: "Issuing CA", Country: []string{"BE"}}, f.root, true,
		testNow.AddDate(-1, 0, 0), testNow.AddDate(5, 0, 0))
	f.leaf = newLeaf(t, "hospital behind an intermediate", f.inter)
	dir := t.TempDir()
	writePEM(t, filepath.Join(dir, "root.crt"), f.root.cert)
	doc := trustDoc(providerEntry(fixtureNIHII, "hospital", "root.crt", f.leaf.cert.Subject.String()))
	path := filepath.Join(dir, "trust.json")
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

func TestAPKIPathReachesTheCAOfAnEntry(t *testing.T) {
	f := newPathFixture(t)
	if _, err := f.store.Party(f.leaf.cert, testNow); !errors.Is(err, ErrUntrusted) {
		t.Fatalf("without its intermediate the certificate must not chain: %v", err)
	}
	for _, path := range [][]*x509.Certificate{{f.inter.cert}, {f.root.cert, f.inter.cert}} {
		p, err := f.store.PartyWithPath(f.leaf.cert, path, testNow)
		if err != nil || p.ID != fixtureNIHII {
			t.Fatalf("path of %d: party %+v, %v", len(path), p, err)
		}
	}
	// The chain found through the path is not remembered for the certificate sent alone.
	if err := f.store.Check(f.leaf.cert, nil, testNow); !errors.Is(err, ErrUntrusted) {
		t.Fatalf("after a PKIPath success, the bare certificate must still not chain: %v", err)
	}
}

func TestAPKIPathDoesNotTrustByItself(t *testing.T) {
	f := newPathFixture(t)
	otherRoot := newCA(t, "Other root")
	otherInter := newCert(t, pkix.Name{CommonName: "Other issuing CA"}, otherRoot, true, testNow.AddDate(-1, 0, 0), testNow.AddDate(5, 0, 0))
	sameSubject := newCert(t, f.leaf.cert.Subject, otherInter, false, testNow.AddDate(0, 0, -1), testNow.AddDate(1, 0, 0))
	if err := f.store.Check(sameSubject.cert, []*x509.Certificate{otherRoot.cert, otherInter.cert}, testNow); !errors.Is(err, ErrUntrusted) {
		t.Fatalf("a path to another root must not reach the entry: %v", err)
	}
	// A path cannot make the root itself a signer, nor vouch for an expired leaf.
	if err := f.store.Check(f.inter.cert, []*x509.Certificate{f.root.cert}, testNow); !errors.Is(err, ErrUntrusted) {
		t.Fatalf("the intermediate is no party: %v", err)
	}
	late := f.leaf.cert.NotAfter.Add(1)
	if err := f.store.Check(f.leaf.cert, []*x509.Certificate{f.inter.cert}, late); !errors.Is(err, ErrExpired) {
		t.Fatalf("an expired leaf with a path: %v", err)
	}
}

func TestAPinnedKeyMatchesWithAPath(t *testing.T) {
	f := newFixture(t)
	p, err := f.store.PartyWithPath(f.cpas.cert, []*x509.Certificate{f.ca.cert}, testNow)
	if err != nil || p.ID != fixtureCBE {
		t.Fatalf("party %+v, %v", p, err)
	}
}

func TestFindByThumbprint(t *testing.T) {
	f := newFixture(t)
	sum := sha1.Sum(f.cpas.cert.Raw)
	if c := f.store.FindByThumbprint(sum[:]); c == nil || !c.Equal(f.cpas.cert) {
		t.Fatal("the listed certificate is not found by its thumbprint")
	}
	other := sha1.Sum(f.provider.cert.Raw)
	if f.store.FindByThumbprint(other[:]) != nil {
		t.Fatal("a certificate not in the certificates list was found")
	}
	if f.store.FindByThumbprint(sum[:19]) != nil || f.store.FindByThumbprint(nil) != nil {
		t.Fatal("a truncated thumbprint was found")
	}
}
