package pki

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/rsa"
	"crypto/x509"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/carmed/carmed/trust"
)

var testNow = time.Date(2025, 3, 1, 9, 30, 0, 0, time.UTC)

// shared is one Init reused by the read-only tests: RSA key generation is slow.
var shared struct {
	once sync.Once
	res  *Result
	err  error
}

func sharedPKI(t *testing.T) *Result {
	t.Helper()
	shared.once.Do(func() {
		dir, err := os.MkdirTemp("", "carmed-pki-test")
		if err != nil {
			shared.err = err
			return
		}
		shared.res, shared.err = Init(Options{Dir: dir, GatewayKey: GatewayECDSA, Now: testNow})
	})
	if shared.err != nil {
		t.Fatal(shared.err)
	}
	return shared.res
}

func TestMain(m *testing.M) {
	code := m.Run()
	if shared.res != nil {
		os.RemoveAll(shared.res.Dir)
	}
	os.Exit(code)
}

func TestInitWritesEveryFileWithPrivateKeys(t *testing.T) {
	res := sharedPKI(t)
	want := map[string]os.FileMode{CACertFile: 0o644, CAKeyFile: 0o600, GatewayCertFile: 0o644,
		GatewayKeyFile: 0o600, STSCertFile: 0o644, STSKeyFile: 0o600, TrustFile: 0o644, ReadmeFile: 0o644}
	for _, p := range []string{PartyCPASNamur, PartyCPASLiege, PartyCPASBruxelles, PartyHospitalCHR, PartyGPDupont, PartyDentistMartin, PartyPharmacy, PartyAdmin} {
		want[p+".crt"] = 0o644
		want[p+".key"] = 0o600
	}
	for name, mode := range want {
		st, err := os.Stat(filepath.Join(res.Dir, name))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if st.Mode().Perm() != mode {
			t.Errorf("%s: mode %v, want %v", name, st.Mode().Perm(), mode)
		}
	}
	entries, _ := os.ReadDir(res.Dir)
	if len(entries) != len(want) {
		t.Errorf("%d files in the directory, want %d (temporary files left?)", len(entries), len(want))
	}
}

func TestEveryDemoPartyResolvesToItself(t *testing.T) {
	res := sharedPKI(t)
	store, err := trust.Load(res.TrustFile)
	if err != nil {
		t.Fatal(err)
	}
	wantKinds := map[string]trust.Kind{PartyCPASNamur: trust.KindCPAS, PartyCPASLiege: trust.KindCPAS,
		PartyCPASBruxelles: trust.KindCPAS, PartyHospitalCHR: trust.KindProvider, PartyGPDupont: trust.KindProvider,
		PartyDentistMartin: trust.KindProvider, PartyPharmacy: trust.KindProvider, PartyAdmin: trust.KindAdmin}
	if len(res.Parties) != len(wantKinds) {
		t.Fatalf("%d parties, want %d", len(res.Parties), len(wantKinds))
	}
	for _, dp := range res.Parties {
		t.Run(dp.Name, func(t *testing.T) {
			_, cert, err := LoadKeyPair(dp.CertFile, dp.KeyFile)
			if err != nil {
				t.Fatal(err)
			}
			p, err := store.Party(cert, testNow)
			if err != nil {
				t.Fatalf("refused: %v", err)
			}
			if p.ID != dp.ID || p.Kind != dp.Kind || p.Kind != wantKinds[dp.Name] {
				t.Fatalf("resolved to %s %s, want %s %s", p.Kind, p.ID, wantKinds[dp.Name], dp.ID)
			}
			if got := store.FindBySKI(cert.SubjectKeyId); got == nil || !got.Equal(cert) {
				t.Error("not found by its subject key identifier")
			}
			if got := store.FindByIssuerSerial(cert.Issuer.String(), cert.SerialNumber); got == nil || !got.Equal(cert) {
				t.Error("not found by issuer and serial")
			}
		})
	}
	namur, ok := store.CPAS(DemoCBENamur)
	if !ok || namur.NameFr != "CPAS de Namur" || namur.NameNl != "OCMW Namen" || namur.INS != DemoINSNamur {
		t.Errorf("CPAS(%s) = %+v", DemoCBENamur, namur)
	}
	liege, _ := store.CPAS(DemoCBELiege)
	if liege.NameFr != "CPAS de Liège" || liege.INS != DemoINSLiege {
		t.Errorf("CPAS(%s) = %+v", DemoCBELiege, liege)
	}
}

func TestDemoTrustFileExercisesBothMatchModes(t *testing.T) {
	res := sharedPKI(t)
	data, err := os.ReadFile(res.TrustFile)
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	if n := strings.Count(s, `"spkiSha256"`); n != 4 {
		t.Errorf("%d pinned parties, want 4 (three CPAS and the admin)", n)
	}
	if n := strings.Count(s, `"ca": "ca.crt"`); n != 4 {
		t.Errorf("%d CA-matched parties, want 4 (the providers)", n)
	}
	// A provider certificate issued by another CA with the same subject must not pass:
	// proves the providers really go through the CA check.
	other := t.TempDir()
	o, err := Init(Options{Dir: other, GatewayKey: GatewayECDSA, PartyKey: PartyECDSA, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	store, _ := trust.Load(res.TrustFile)
	for _, dp := range o.Parties {
		_, cert, _ := LoadKeyPair(dp.CertFile, dp.KeyFile)
		if _, err := store.Party(cert, testNow); !errors.Is(err, trust.ErrUntrusted) {
			t.Errorf("%s from another demo PKI was accepted", dp.Name)
		}
	}
}

func TestDemoCertificates(t *testing.T) {
	res := sharedPKI(t)
	_, ca, err := LoadKeyPair(res.CACert, filepath.Join(res.Dir, CAKeyFile))
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := ca.PublicKey.(*ecdsa.PublicKey); !ok || !ca.IsCA {
		t.Fatalf("CA: %T, IsCA %v", ca.PublicKey, ca.IsCA)
	}
	for _, dp := range res.Parties {
		_, c, err := LoadKeyPair(dp.CertFile, dp.KeyFile)
		if err != nil {
			t.Fatal(err)
		}
		if err := c.CheckSignatureFrom(ca); err != nil {
			t.Errorf("%s: not signed by the demo CA: %v", dp.Name, err)
		}
		if !c.NotBefore.Equal(testNow.Add(-24*time.Hour)) || !c.NotAfter.Equal(testNow.AddDate(10, 0, 0)) {
			t.Errorf("%s: valid %v … %v", dp.Name, c.NotBefore, c.NotAfter)
		}
		if len(c.SubjectKeyId) == 0 {
			t.Errorf("%s: no subject key identifier", dp.Name)
		}
		if k, isRSA := c.PublicKey.(*rsa.PublicKey); !isRSA || k.N.BitLen() != 2048 {
			t.Errorf("%s: %T, want an RSA-2048 key by default (the one node-soap can sign with)", dp.Name, c.PublicKey)
		}
	}
}

func TestReadmeListsEveryParty(t *testing.T) {
	res := sharedPKI(t)
	data, err := os.ReadFile(filepath.Join(res.Dir, ReadmeFile))
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	for _, want := range []string{"Demo only", DemoCBENamur, DemoCBELiege, DemoCBEBruxelles, DemoNIHIIHospitalCHR,
		DemoNIHIIGPDupont, DemoNIHIIDentistMartin, "provider (dentist)", "OCMW Namen", "CPAS de Liège", "OCMW Brussel", "cpas-namur.key", "gp-dupont.crt",
		"admin.key", "ECDSA P-256", "hospital", "RSA-2048", "--gateway-key rsa", "--party-key ecdsa"} {
		if !strings.Contains(s, want) {
			t.Errorf("README does not mention %q", want)
		}
	}
}

func TestInitRefusesToOverwriteUnlessForced(t *testing.T) {
	dir := t.TempDir()
	if _, err := Init(Options{Dir: dir, GatewayKey: GatewayECDSA, PartyKey: PartyECDSA, Now: testNow}); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(filepath.Join(dir, CACertFile))
	_, err := Init(Options{Dir: dir, GatewayKey: GatewayECDSA, PartyKey: PartyECDSA, Now: testNow})
	if !errors.Is(err, ErrExists) {
		t.Fatalf("second Init: %v, want ErrExists", err)
	}
	if after, _ := os.ReadFile(filepath.Join(dir, CACertFile)); !bytes.Equal(before, after) {
		t.Fatal("a refused Init changed the CA")
	}
	// A key loosened by hand gets its private mode back when overwritten.
	os.Chmod(filepath.Join(dir, "admin.key"), 0o644)
	if _, err := Init(Options{Dir: dir, GatewayKey: GatewayECDSA, PartyKey: PartyECDSA, Now: testNow, Force: true}); err != nil {
		t.Fatalf("forced Init: %v", err)
	}
	if after, _ := os.ReadFile(filepath.Join(dir, CACertFile)); bytes.Equal(before, after) {
		t.Error("forced Init kept the old CA")
	}
	if st, _ := os.Stat(filepath.Join(dir, "admin.key")); st.Mode().Perm() != 0o600 {
		t.Errorf("admin.key mode %v after a forced Init, want 0600", st.Mode().Perm())
	}
	if _, err := trust.Load(filepath.Join(dir, TrustFile)); err != nil {
		t.Errorf("trust file after a forced Init: %v", err)
	}
}

func TestGatewayKeyOption(t *testing.T) {
	tests := []struct {
		name    string
		option  string
		wantRSA bool
		wantErr bool
	}{
		{"ecdsa gives a P-256 gateway key", GatewayECDSA, false, false},
		{"rsa gives an RSA-2048 gateway key", GatewayRSA, true, false},
		{"an empty option gives RSA", "", true, false},
		{"an unknown type is refused", "ed25519", false, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res, err := Init(Options{Dir: t.TempDir(), GatewayKey: tc.option, PartyKey: PartyECDSA, Now: testNow})
			if tc.wantErr {
				if err == nil {
					t.Fatal("accepted")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			key, cert, err := LoadKeyPair(res.GatewayCert, res.GatewayKey)
			if err != nil {
				t.Fatal(err)
			}
			switch k := key.(type) {
			case *rsa.PrivateKey:
				if !tc.wantRSA || k.N.BitLen() != 2048 {
					t.Fatalf("RSA %d bits, wantRSA %v", k.N.BitLen(), tc.wantRSA)
				}
			case *ecdsa.PrivateKey:
				if tc.wantRSA || k.Curve.Params().Name != "P-256" {
					t.Fatalf("ECDSA %s, wantRSA %v", k.Curve.Params().Name, tc.wantRSA)
				}
			default:
				t.Fatalf("key %T", key)
			}
			if err := cert.VerifyHostname("localhost"); err != nil {
				t.Errorf("gateway certificate not for localhost: %v", err)
			}
			if len(cert.ExtKeyUsage) != 1 || cert.ExtKeyUsage[0] != x509.ExtKeyUsageServerAuth {
				t.Errorf("gateway ExtKeyUsage %v", cert.ExtKeyUsage)
			}
		})
	}
}

func TestPartyKeyOption(t *testing.T) {
	res, err := Init(Options{Dir: t.TempDir(), GatewayKey: GatewayECDSA, PartyKey: PartyECDSA, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	store, err := trust.Load(res.TrustFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, dp := range res.Parties {
		key, cert, err := LoadKeyPair(dp.CertFile, dp.KeyFile)
		if err != nil {
			t.Fatal(err)
		}
		if k, ok := key.(*ecdsa.PrivateKey); !ok || k.Curve.Params().Name != "P-256" {
			t.Errorf("%s: %T, want a P-256 key on request", dp.Name, key)
		}
		if p, err := store.Party(cert, testNow); err != nil || p.ID != dp.ID {
			t.Errorf("%s: resolves to %+v, %v", dp.Name, p, err)
		}
	}
	readme, _ := os.ReadFile(filepath.Join(res.Dir, ReadmeFile))
	if !strings.Contains(string(readme), "Every party key is ECDSA P-256") {
		t.Errorf("README does not say the party keys are ECDSA:\n%s", readme)
	}
	if _, err := Init(Options{Dir: t.TempDir(), PartyKey: "ed25519", Now: testNow}); err == nil {
		t.Error("an unknown party key type was accepted")
	}
}

func TestPartyKeysOverrideOneParty(t *testing.T) {
	res, err := Init(Options{Dir: t.TempDir(), GatewayKey: GatewayECDSA, PartyKey: PartyECDSA,
		PartyKeys: map[string]string{PartyCPASNamur: PartyRSA}, Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	for _, dp := range res.Parties {
		key, _, err := LoadKeyPair(dp.CertFile, dp.KeyFile)
		if err != nil {
			t.Fatal(err)
		}
		if _, isRSA := key.(*rsa.PrivateKey); isRSA != (dp.Name == PartyCPASNamur) {
			t.Errorf("%s: %T; only cpas-namur was asked to be RSA", dp.Name, key)
		}
	}
	if _, err := Init(Options{Dir: t.TempDir(), PartyKeys: map[string]string{"cpas-nowhere": PartyRSA}, Now: testNow}); err == nil {
		t.Error("a key type for an unknown party was accepted")
	}
}

func TestTheTrustFileNamesTheTokenServiceCertificate(t *testing.T) {
	res := sharedPKI(t)
	store, err := trust.Load(res.TrustFile)
	if err != nil {
		t.Fatal(err)
	}
	key, cert, err := LoadKeyPair(res.STSCert, res.STSKey)
	if err != nil {
		t.Fatal(err)
	}
	is := store.TokenIssuers()
	if len(is) != 1 || !is[0].Cert.Equal(cert) || is[0].Name != trust.IssuerSTS || key == nil {
		t.Fatalf("token issuers %+v, want the demo STS certificate named %s", is, trust.IssuerSTS)
	}
}
