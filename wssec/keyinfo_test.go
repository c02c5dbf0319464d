package wssec

import (
	"strings"
	"testing"
	"time"

	"github.com/beevik/etree"
)

func replaceKeyInfo(d *etree.Document, build func(ki *etree.Element)) {
	ki := find(d, nsDS, "KeyInfo")
	for _, c := range ki.ChildElements() {
		ki.RemoveChild(c)
	}
	build(ki)
}

func TestKeyReferencesResolve(t *testing.T) {
	rsaK, ecK, _ := testKeys(t)
	cases := []struct {
		name   string
		key    testKey
		mutate func(d *etree.Document, k testKey)
	}{
		{"an STR Reference to the BinarySecurityToken", rsaK, func(*etree.Document, testKey) {}},
		{"an STR KeyIdentifier with the subject key identifier of a trusted certificate", ecK,
			func(d *etree.Document, k testKey) { setKeyIdentifier(d, k.cert.SubjectKeyId) }},
		{"an STR X509IssuerSerial of a trusted certificate", rsaK, func(d *etree.Document, k testKey) {
			replaceKeyInfo(d, func(ki *etree.Element) {
				isr := ki.CreateElement("wsse:SecurityTokenReference").CreateElement("ds:X509Data").CreateElement("ds:X509IssuerSerial")
				isr.CreateElement("ds:X509IssuerName").SetText(k.cert.Issuer.String())
				isr.CreateElement("ds:X509SerialNumber").SetText(k.cert.SerialNumber.String())
			})
		}},
		{"a KeyInfo X509Data certificate", ecK, func(d *etree.Document, k testKey) {
			replaceKeyInfo(d, func(ki *etree.Element) {
				ki.CreateElement("ds:X509Data").CreateElement("ds:X509Certificate").SetText(b64(k.cert.Raw))
			})
		}},
	}
	for _, c := range cases {
		t.Run(c.name+" gives the signing certificate", func(t *testing.T) {
			_, d := reparse(t, signWith(t, c.key, unsignedEnvelopes[0].xml, testEpoch))
			c.mutate(d, c.key)
			got, err := verifierFor(testEpoch, rsaK.cert, ecK.cert).Verify(d)
			if err != nil {
				t.Fatal(err)
			}
			if !got.Cert.Equal(c.key.cert) {
				t.Error("wrong certificate")
			}
		})
	}
}

func TestSecurityHeadersForOtherActorsAreIgnored(t *testing.T) {
	rsaK, _, _ := testKeys(t)
	for _, e := range unsignedEnvelopes[:2] {
		_, d := reparse(t, signWith(t, rsaK, e.xml, testEpoch))
		env, _ := findEnvelope(d)
		other := etree.NewElement("wsse:Security")
		other.CreateAttr("xmlns:wsse", nsWSSE)
		other.CreateAttr("xmlns:e", env.version.ns())
		attr := "e:actor"
		if env.version == SOAP12 {
			attr = "e:role"
		}
		other.CreateAttr(attr, "urn:some-intermediary")
		env.header.AddChild(other)
		if _, err := verifierFor(testEpoch, rsaK.cert).Verify(d); err != nil {
			t.Errorf("%s: %v", e.name, err)
		}
		// The same header addressed to us makes two.
		other.CreateAttr(attr, "urn:carmed")
		_, err := (&Verifier{Trust: testTrust{certs: nil}, Actors: []string{"urn:carmed"}, Now: func() time.Time { return testEpoch }}).Verify(d)
		wantCode(t, err, InvalidSecurity)
	}
}

// goxmldsig v1.6.1 charges a 1000-node budget that ordinary big Bodies exceed.
func TestBodiesOverAThousandElementsVerify(t *testing.T) {
	rsaK, _, _ := testKeys(t)
	var b strings.Builder
	b.WriteString(`<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><l xmlns="urn:list">`)
	for i := 0; i < 1500; i++ {
		b.WriteString("<i>x</i>")
	}
	b.WriteString(`</l></soap:Body></soap:Envelope>`)
	_, d := reparse(t, signWith(t, rsaK, b.String(), testEpoch))
	if _, err := verifierFor(testEpoch, rsaK.cert).Verify(d); err != nil {
		t.Fatal(err)
	}
}

func TestVerifyDoesNotChangeTheDocument(t *testing.T) {
	rsaK, _, _ := testKeys(t)
	raw, d := reparse(t, signWith(t, rsaK, unsignedEnvelopes[3].xml, testEpoch))
	if _, err := verifierFor(testEpoch, rsaK.cert).Verify(d); err != nil {
		t.Fatal(err)
	}
	after, _ := d.WriteToBytes()
	if string(after) != string(raw) {
		t.Error("Verify modified the document")
	}
}
