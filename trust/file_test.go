package trust

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestParseRejectsBadFiles(t *testing.T) {
	dir := t.TempDir()
	ca := newCA(t, "Test CA")
	writePEM(t, filepath.Join(dir, "ca.crt"), ca.cert)
	pin := strings.Repeat("ab", 32)
	pin2 := strings.Repeat("cd", 32)
	good := func() obj { return cpasEntry("0212345668", pin) }
	prov := func() obj { return providerEntry("71012345", "hospital", "ca.crt", "CN=h,O=Demo,C=BE") }

	tests := []struct {
		name  string
		doc   any
		entry string // FileError.Entry expected
		msg   string // substring of the error
	}{
		{"an unknown top-level field is rejected",
			obj{"version": 1, "parties": []any{good()}, "extra": true}, "", "unknown field"},
		{"an unknown field in a party names the party",
			trustDoc(good(), func() obj { p := prov(); p["colour"] = "red"; return p }()), "parties[1]", "unknown field"},
		{"an unknown field in a match names the party",
			trustDoc(func() obj { p := good(); p["match"] = obj{"spkiSha256": pin, "sha1": "x"}; return p }()), "parties[0]", "unknown field"},
		{"a missing version is rejected",
			obj{"parties": []any{good()}}, "", "version must be 1"},
		{"a file without parties is rejected",
			obj{"version": 1, "parties": []any{}}, "", "no parties"},
		{"a duplicate id is rejected",
			trustDoc(good(), func() obj { p := good(); p["match"] = obj{"spkiSha256": pin2}; return p }()), "parties[1]", "already used by parties[0]"},
		{"a duplicate pin is rejected",
			trustDoc(good(), func() obj { p := cpasEntry("0207456769", pin); return p }()), "parties[1]", "already pinned by parties[0]"},
		{"a duplicate CA and subject is rejected",
			trustDoc(prov(), func() obj {
				p := prov()
				p["id"] = "72012345"
				p["match"] = obj{"ca": "ca.crt", "subject": "CN=h, O=Demo, C=BE"}
				return p
			}()), "parties[1]", "already used by parties[0]"},
		{"a CBE with a bad check is rejected",
			trustDoc(cpasEntry("0212345667", pin)), "parties[0]", "CBE"},
		{"a CBE not starting with 0 or 1 is rejected",
			trustDoc(cpasEntry("2212345613", pin)), "parties[0]", "CBE"},
		{"a CPAS without Dutch name is rejected",
			trustDoc(func() obj { p := good(); delete(p, "nameNl"); return p }()), "parties[0]", "nameNl"},
		{"a CPAS with a bad INS code is rejected",
			trustDoc(func() obj { p := good(); p["ins"] = "9209"; return p }()), "parties[0]", "ins"},
		{"a CA file that does not exist is rejected",
			trustDoc(func() obj { p := prov(); p["match"] = obj{"ca": "missing.crt", "subject": "CN=h"}; return p }()), "parties[0]", "missing.crt"},
		{"a hospital NIHII outside 710/720 is rejected",
			trustDoc(providerEntry("19912345", "hospital", "ca.crt", "CN=h")), "parties[0]", "710"},
		{"a doctor NIHII of 9 digits is rejected",
			trustDoc(providerEntry("199123450", "doctor", "ca.crt", "CN=h")), "parties[0]", "NIHII"},
		{"a transport company must carry a CBE",
			trustDoc(providerEntry("71012345", "transport", "ca.crt", "CN=h")), "parties[0]", "CBE"},
		{"a dentist NIHII of 9 digits is rejected",
			trustDoc(providerEntry("399123450", "dentist", "ca.crt", "CN=h")), "parties[0]", "NIHII"},
		{"an unknown provider kind is rejected",
			trustDoc(providerEntry("71012345", "veterinarian", "ca.crt", "CN=h")), "parties[0]", "providerKind"},
		{"an unknown party kind is rejected",
			trustDoc(obj{"kind": "insurer", "id": "x", "match": obj{"spkiSha256": pin}}), "parties[0]", "kind"},
		{"a match with both modes is rejected",
			trustDoc(func() obj {
				p := good()
				p["match"] = obj{"spkiSha256": pin, "ca": "ca.crt", "subject": "CN=h"}
				return p
			}()), "parties[0]", "not both"},
		{"a CA without subject is rejected",
			trustDoc(func() obj { p := prov(); p["match"] = obj{"ca": "ca.crt"}; return p }()), "parties[0]", "both ca and subject"},
		{"a pin that is not 64 hex digits is rejected",
			trustDoc(cpasEntry("0212345668", "abcd")), "parties[0]", "64 hex"},
		{"a subject that is not a DN is rejected",
			trustDoc(providerEntry("71012345", "hospital", "ca.crt", "just a name")), "parties[0]", "distinguished name"},
		{"a missing certificate file names its index",
			obj{"version": 1, "parties": []any{good()}, "certificates": []string{"ca.crt", "nope.crt"}}, "certificates[1]", "nope.crt"},
		{"a provider birth date that is no calendar date is rejected",
			trustDoc(func() obj { p := prov(); p["birthDate"] = "1956-02-30"; return p }()), "parties[0]", "birthDate"},
		{"GP exceptions on a hospital are rejected",
			trustDoc(func() obj { p := prov(); p["gpExceptions"] = []string{"AGE_67"}; return p }()), "parties[0]", "only allowed for a doctor"},
		{"an unknown GP exception is rejected",
			trustDoc(func() obj {
				p := providerEntry("19912345004", "doctor", "ca.crt", "CN=d")
				p["gpExceptions"] = []string{"TIRED"}
				return p
			}()), "parties[0]", "gpExceptions"},
		{"a birth date on a CPAS is rejected",
			trustDoc(func() obj { p := good(); p["birthDate"] = "1956-01-01"; return p }()), "parties[0]", "not allowed"},
		{"a CPAS field on an admin is rejected",
			trustDoc(obj{"kind": "admin", "id": "admin", "ins": "92094", "match": obj{"spkiSha256": pin}}), "parties[0]", "not allowed"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(mustJSON(t, tc.doc), dir)
			var fe *FileError
			if !errors.As(err, &fe) {
				t.Fatalf("want a FileError, got %v", err)
			}
			if fe.Entry != tc.entry {
				t.Errorf("entry = %q, want %q (%v)", fe.Entry, tc.entry, err)
			}
			if !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("error %q does not mention %q", err, tc.msg)
			}
		})
	}
}

func TestParseAcceptsEveryKind(t *testing.T) {
	dir := t.TempDir()
	ca := newCA(t, "Test CA")
	writePEM(t, filepath.Join(dir, "ca.crt"), ca.cert)
	doc := trustDoc(
		cpasEntry("0212345668", strings.Repeat("AB", 32)), // upper-case hex is accepted
		func() obj {
			p := providerEntry("19912345004", "doctor", "ca.crt", "CN=Dr Test,O=Demo,C=BE")
			p["birthDate"], p["gpExceptions"] = "1955-06-30", []string{"GP_POST"}
			return p
		}(),
		providerEntry("0207456769", "transport", "ca.crt", "CN=Ambulance,O=Demo,C=BE"),
		obj{"kind": "admin", "id": "admin", "name": "Operator", "match": obj{"spkiSha256": strings.Repeat("01", 32)}},
		providerEntry("39912345001", "dentist", "ca.crt", "CN=Dr Dent,O=Demo,C=BE"),
	)
	s, err := Parse(mustJSON(t, doc), dir)
	if err != nil {
		t.Fatal(err)
	}
	ps := s.Parties()
	if len(ps) != 5 || ps[1].ProviderKind != "doctor" || ps[3].Kind != KindAdmin || ps[4].ProviderKind != ProviderDentist {
		t.Fatalf("parties = %+v", ps)
	}
	if ps[1].BirthDate != "1955-06-30" || len(ps[1].GPExceptions) != 1 || ps[1].GPExceptions[0] != "GP_POST" {
		t.Errorf("the doctor's record = %q %v, want 1955-06-30 [GP_POST]", ps[1].BirthDate, ps[1].GPExceptions)
	}
	c, ok := s.CPAS("0212345668")
	if !ok || c.NameFr != "CPAS de Test" || c.NameNl != "OCMW Test" || c.INS != "92094" {
		t.Errorf("CPAS lookup = %+v, %v", c, ok)
	}
	if _, ok := s.CPAS("0207456769"); ok {
		t.Error("a transport company was returned as a CPAS")
	}
}

func TestLoadRefusesAFileThatIsNotJSON(t *testing.T) {
	path := filepath.Join(t.TempDir(), "trust.json")
	os.WriteFile(path, []byte(`{"version":1,"parties":[]} trailing`), 0o644)
	if _, err := Load(path); err == nil {
		t.Fatal("trailing data accepted")
	}
}

func TestValidCBE(t *testing.T) {
	tests := []struct {
		cbe  string
		want bool
	}{
		{"0212345668", true},
		{"0207456769", true},
		{"0212345669", false},
		{"212345668", false},
		{"02123456a8", false},
		{"2212345613", false},
	}
	for _, tc := range tests {
		if got := ValidCBE(tc.cbe); got != tc.want {
			t.Errorf("ValidCBE(%q) = %v, want %v", tc.cbe, got, tc.want)
		}
	}
}

func TestTokenIssuersAreReadAndCheckedStrictly(t *testing.T) {
	dir := t.TempDir()
	ca := newCA(t, "Test CA")
	sts := newLeaf(t, "sts", ca)
	writePEM(t, filepath.Join(dir, "ca.crt"), ca.cert)
	writePEM(t, filepath.Join(dir, "sts.crt"), sts.cert)
	writePEM(t, filepath.Join(dir, "two.crt"), sts.cert, ca.cert)
	with := func(issuers ...obj) []byte {
		d := trustDoc(providerEntry("71012345", "hospital", "ca.crt", "CN=hospital,O=Demo,C=BE"))
		list := make([]any, len(issuers))
		for i, x := range issuers {
			list[i] = x
		}
		d["tokenIssuers"] = list
		return mustJSON(t, d)
	}
	s, err := Parse(with(obj{"name": IssuerSTS, "certificate": "sts.crt"}), dir)
	if err != nil {
		t.Fatal(err)
	}
	if is := s.TokenIssuers(); len(is) != 1 || is[0].Name != IssuerSTS || !is[0].Cert.Equal(sts.cert) {
		t.Fatalf("token issuers = %+v", is)
	}
	for name, doc := range map[string][]byte{
		"no name":          with(obj{"certificate": "sts.crt"}),
		"two certificates": with(obj{"name": "x", "certificate": "two.crt"}),
		"missing file":     with(obj{"name": "x", "certificate": "none.crt"}),
		"unknown field":    with(obj{"name": "x", "certificate": "sts.crt", "pin": "x"}),
	} {
		var fe *FileError
		if _, err := Parse(doc, dir); !errors.As(err, &fe) || !strings.HasPrefix(fe.Entry, "tokenIssuers[0]") && name != "unknown field" {
			t.Errorf("%s: got %v, want a FileError naming tokenIssuers[0]", name, err)
		}
	}
}

func TestTheSAMLPartyComesFromCertifiedAttributesOnly(t *testing.T) {
	f := newFixture(t)
	attrs := func(kv ...string) func(ns, name string) (string, bool) {
		return func(ns, name string) (string, bool) {
			for i := 0; i+2 < len(kv)+1; i += 3 {
				if kv[i] == ns && kv[i+1] == name {
					return kv[i+2], true
				}
			}
			return "", false
		}
	}
	hosp, _ := QualityOf(ProviderHospital)
	p, err := f.store.SAMLParty(attrs(NSCertified, hosp.NIHII, fixtureNIHII, NSCertified, hosp.Recognised, "true"))
	if err != nil || p.Kind != KindProvider || p.ID != fixtureNIHII || p.ProviderKind != ProviderHospital || p.Name != "Test provider" {
		t.Fatalf("party %+v, %v", p, err)
	}
	for name, a := range map[string]func(ns, name string) (string, bool){
		"a claim only":      attrs(NSIdentification, hosp.Claims[0], fixtureNIHII),
		"not recognised":    attrs(NSCertified, hosp.NIHII, fixtureNIHII, NSCertified, hosp.Recognised, "false"),
		"a malformed NIHII": attrs(NSCertified, hosp.NIHII, "71-012345"),
		"two qualities":     attrs(NSCertified, hosp.NIHII, fixtureNIHII, NSCertified, Qualities[2].NIHII, "19912345004"),
		"nothing":           attrs(),
	} {
		if _, err := f.store.SAMLParty(a); !errors.Is(err, ErrNoQuality) {
			t.Errorf("%s: got %v, want ErrNoQuality", name, err)
		}
	}
}
