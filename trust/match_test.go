package trust

import (
	"crypto/x509/pkix"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestPartyMatches(t *testing.T) {
	f := newFixture(t)
	otherCA := newCA(t, "Other CA")
	sameNameOtherCA := newCert(t, f.provider.cert.Subject, otherCA, false, testNow.AddDate(0, 0, -1), testNow.AddDate(1, 0, 0))
	wrongSubject := newLeaf(t, "someone-else", f.ca)
	stranger := newLeaf(t, "stranger", otherCA)

	tests := []struct {
		name    string
		cert    *testCert
		now     time.Time
		wantID  string // "" = refused
		expired bool
	}{
		{"a pinned key is the CPAS", f.cpas, testNow, fixtureCBE, false},
		{"a certificate from the CA with the configured subject is the provider", f.provider, testNow, fixtureNIHII, false},
		{"the configured subject under another CA is refused", &testCert{cert: sameNameOtherCA.cert}, testNow, "", false},
		{"another subject under the configured CA is refused", wrongSubject, testNow, "", false},
		{"a certificate nobody configured is refused", stranger, testNow, "", false},
		{"a pinned certificate past its end is refused as expired", f.cpas, f.cpas.cert.NotAfter.Add(time.Second), "", true},
		{"a pinned certificate before its start is refused as expired", f.cpas, f.cpas.cert.NotBefore.Add(-time.Second), "", true},
		{"a CA-matched certificate past its end is refused as expired", f.provider, f.provider.cert.NotAfter.Add(time.Hour), "", true},
		{"the last second of validity still counts", f.cpas, f.cpas.cert.NotAfter, fixtureCBE, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p, err := f.store.Party(tc.cert.cert, tc.now)
			if tc.wantID != "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				if p.ID != tc.wantID {
					t.Fatalf("party %q, want %q", p.ID, tc.wantID)
				}
				if p.CertSHA256 != Fingerprint(tc.cert.cert) {
					t.Errorf("CertSHA256 = %q, want the certificate's fingerprint", p.CertSHA256)
				}
				if f.store.Check(tc.cert.cert, nil, tc.now) != nil {
					t.Error("Check refuses what Party accepts")
				}
				return
			}
			if !errors.Is(err, ErrUntrusted) {
				t.Fatalf("want ErrUntrusted, got party %+v, err %v", p, err)
			}
			if errors.Is(err, ErrExpired) != tc.expired {
				t.Errorf("errors.Is(err, ErrExpired) = %v, want %v (%v)", !tc.expired, tc.expired, err)
			}
			if !errors.Is(f.store.Check(tc.cert.cert, nil, tc.now), ErrUntrusted) {
				t.Error("Check accepts what Party refuses")
			}
		})
	}
}

func TestPartyRefusesAnExpiredCertificateWithAPinnedKey(t *testing.T) {
	// Same key as the pinned CPAS, in an old certificate: the pin alone must not revive it.
	f := newFixture(t)
	old := newCertWithKey(t, f.cpas.key, f.ca, testNow.AddDate(-2, 0, 0), testNow.AddDate(-1, 0, 0))
	if SPKISHA256(old) != SPKISHA256(f.cpas.cert) {
		t.Fatal("test setup: keys differ")
	}
	_, err := f.store.Party(old, testNow)
	if !errors.Is(err, ErrExpired) {
		t.Fatalf("want ErrExpired, got %v", err)
	}
}

func TestPartyRefusesACertificateClaimedByTwoEntries(t *testing.T) {
	dir := t.TempDir()
	ca := newCA(t, "Test CA")
	leaf := newLeaf(t, "both", ca)
	writePEM(t, filepath.Join(dir, "ca.crt"), ca.cert)
	s, err := Parse(mustJSON(t, trustDoc(
		obj{"kind": "admin", "id": "admin", "match": obj{"spkiSha256": SPKISHA256(leaf.cert)}},
		providerEntry("71012345", "hospital", "ca.crt", leaf.cert.Subject.String()),
	)), dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Party(leaf.cert, testNow); !errors.Is(err, ErrUntrusted) || !strings.Contains(err.Error(), "several") {
		t.Fatalf("want an ambiguity refusal, got %v", err)
	}
}

func TestPartyMatchesASubjectWrittenWithSpaces(t *testing.T) {
	dir := t.TempDir()
	ca := newCA(t, "Test CA")
	leaf := newLeaf(t, "Hôpital, site Nord", ca) // comma in a value is escaped by String()
	writePEM(t, filepath.Join(dir, "ca.crt"), ca.cert)
	subject := strings.ReplaceAll(leaf.cert.Subject.String(), ",O=", ", O=")
	s, err := Parse(mustJSON(t, trustDoc(providerEntry("71012345", "hospital", "ca.crt", subject))), dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Party(leaf.cert, testNow); err != nil {
		t.Fatalf("subject %q did not match %q: %v", subject, leaf.cert.Subject.String(), err)
	}
	// The value itself stays exact: a different case is another subject.
	lower := newLeaf(t, "hôpital, site Nord", ca)
	if _, err := s.Party(lower.cert, testNow); !errors.Is(err, ErrUntrusted) {
		t.Fatalf("a subject differing in case was accepted")
	}
}

func TestPartyBuildsTheChainThroughListedIntermediates(t *testing.T) {
	dir := t.TempDir()
	root := newCA(t, "Root")
	inter := newCert(t, pkix.Name{CommonName: "Intermediate"}, root, true, testNow.AddDate(-1, 0, 0), testNow.AddDate(5, 0, 0))
	leaf := newLeaf(t, "gp", inter)
	writePEM(t, filepath.Join(dir, "root.crt"), root.cert)
	writePEM(t, filepath.Join(dir, "inter.crt"), inter.cert)
	doc := trustDoc(providerEntry("19912345004", "doctor", "root.crt", leaf.cert.Subject.String()))
	s, err := Parse(mustJSON(t, doc), dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Party(leaf.cert, testNow); !errors.Is(err, ErrUntrusted) {
		t.Fatalf("chain accepted without the intermediate: %v", err)
	}
	doc["certificates"] = []string{"inter.crt"}
	if s, err = Parse(mustJSON(t, doc), dir); err != nil {
		t.Fatal(err)
	}
	if p, err := s.Party(leaf.cert, testNow); err != nil || p.ID != "19912345004" {
		t.Fatalf("chain through the listed intermediate refused: %v", err)
	}
}

func TestPartyRefusesNoCertificate(t *testing.T) {
	f := newFixture(t)
	if _, err := f.store.Party(nil, testNow); !errors.Is(err, ErrUntrusted) {
		t.Fatalf("nil certificate: %v", err)
	}
}

func TestRefusalsDoNotNameTheSubject(t *testing.T) {
	f := newFixture(t)
	stranger := newLeaf(t, "Jean Dupont", newCA(t, "Other"))
	_, err := f.store.Party(stranger.cert, testNow)
	if err == nil || strings.Contains(err.Error(), "Dupont") {
		t.Fatalf("error %v names the subject", err)
	}
}

func TestPartyRefusesAChainWhoseCAHasExpiredEvenAfterASuccess(t *testing.T) {
	dir := t.TempDir()
	ca := newCert(t, pkix.Name{CommonName: "Short CA"}, nil, true, testNow.AddDate(-1, 0, 0), testNow.AddDate(0, 1, 0))
	leaf := newCert(t, pkix.Name{CommonName: "hospital"}, ca, false, testNow.AddDate(0, 0, -1), testNow.AddDate(1, 0, 0))
	writePEM(t, filepath.Join(dir, "ca.crt"), ca.cert)
	s, err := Parse(mustJSON(t, trustDoc(providerEntry("71012345", "hospital", "ca.crt", "CN=hospital"))), dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Party(leaf.cert, testNow); err != nil {
		t.Fatalf("first call refused: %v", err)
	}
	if _, err := s.Party(leaf.cert, testNow.AddDate(0, 2, 0)); !errors.Is(err, ErrUntrusted) {
		t.Fatalf("accepted after the CA expired: %v", err)
	}
	if _, err := s.Party(leaf.cert, testNow.AddDate(0, 0, 1)); err != nil {
		t.Fatalf("refused again inside the CA's validity: %v", err)
	}
}
