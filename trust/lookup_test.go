package trust

import (
	"bytes"
	"crypto/x509/pkix"
	"encoding/asn1"
	"math/big"
	"path/filepath"
	"testing"
)

func TestFindByIssuerSerial(t *testing.T) {
	dir := t.TempDir()
	email := asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 1}
	ca := newCert(t, pkix.Name{CommonName: "Demo CA", Organization: []string{"Demo"}, Country: []string{"BE"},
		ExtraNames: []pkix.AttributeTypeAndValue{{Type: email, Value: "pki@example.org"}}},
		nil, true, testNow.AddDate(-1, 0, 0), testNow.AddDate(5, 0, 0))
	leaf := newLeaf(t, "cpas", ca)
	writePEM(t, filepath.Join(dir, "cpas.crt"), leaf.cert)
	doc := trustDoc(cpasEntry("0212345668", SPKISHA256(leaf.cert)))
	doc["certificates"] = []string{"cpas.crt"}
	s, err := Parse(mustJSON(t, doc), dir)
	if err != nil {
		t.Fatal(err)
	}
	serial := leaf.cert.SerialNumber

	tests := []struct {
		name   string
		issuer string
		serial *big.Int
		found  bool
	}{
		{"Go's own issuer string is found", leaf.cert.Issuer.String(), serial, true},
		{"Java's spelling with spaces and EMAILADDRESS is found", "CN=Demo CA, O=Demo, C=BE, EMAILADDRESS=pki@example.org", serial, true},
		{"the X.500 order with E= is found", "E=pki@example.org, C=BE, O=Demo, CN=Demo CA", serial, true},
		{"dotted attribute types are found", "2.5.4.3=demo ca,OID.2.5.4.10=Demo,C=BE,1.2.840.113549.1.9.1=pki@example.org", serial, true},
		{"another serial is not found", leaf.cert.Issuer.String(), new(big.Int).Add(serial, big.NewInt(1)), false},
		{"another issuer is not found", "CN=Other CA,O=Demo,C=BE", serial, false},
		{"a missing RDN is not found", "CN=Demo CA,O=Demo,C=BE", serial, false},
		{"garbage is not found", "not a dn", serial, false},
		{"a nil serial is not found", leaf.cert.Issuer.String(), nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := s.FindByIssuerSerial(tc.issuer, tc.serial)
			if tc.found && (c == nil || !c.Equal(leaf.cert)) {
				t.Fatalf("not found")
			}
			if !tc.found && c != nil {
				t.Fatalf("found a certificate")
			}
		})
	}
}

func TestFindBySKI(t *testing.T) {
	f := newFixture(t)
	c := f.cpas.cert
	m1 := SKIMethod1(c.RawSubjectPublicKeyInfo)
	if got := f.store.FindBySKI(m1); got == nil || !got.Equal(c) {
		t.Error("the RFC 5280 method 1 identifier did not find the certificate")
	}
	if len(c.SubjectKeyId) > 0 && !bytes.Equal(c.SubjectKeyId, m1) {
		if got := f.store.FindBySKI(c.SubjectKeyId); got == nil || !got.Equal(c) {
			t.Error("the certificate's own SubjectKeyId did not find it")
		}
	}
	if f.store.FindBySKI(SKIMethod1(f.provider.cert.RawSubjectPublicKeyInfo)) != nil {
		t.Error("a certificate not listed under \"certificates\" was found")
	}
	if f.store.FindBySKI(nil) != nil {
		t.Error("an empty identifier found a certificate")
	}
}

func TestParseDNRoundTripsGoStrings(t *testing.T) {
	names := []pkix.Name{
		{CommonName: "a,b+c\"d\\e<f>g;h", Organization: []string{" leading and trailing "}},
		{CommonName: "#hash", SerialNumber: "0212345668", Country: []string{"BE"}},
		{CommonName: "Liège – OCMW Luik"},
	}
	for _, n := range names {
		s := n.String()
		d, err := parseDN(s)
		if err != nil {
			t.Errorf("%q: %v", s, err)
			continue
		}
		var got []string
		for _, r := range d {
			for _, a := range r {
				got = append(got, a.val)
			}
		}
		want := map[string]bool{}
		for _, v := range append(append(append([]string{n.CommonName}, n.Organization...), n.Country...), n.SerialNumber) {
			if v != "" {
				want[v] = true
			}
		}
		for _, v := range got {
			if !want[v] {
				t.Errorf("%q: parsed value %q is not one of the name's values", s, v)
			}
		}
		if len(got) != len(want) {
			t.Errorf("%q: parsed %d values, want %d", s, len(got), len(want))
		}
	}
}
