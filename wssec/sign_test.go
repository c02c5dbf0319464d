package wssec

import (
	"bytes"
	"crypto/x509"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/beevik/etree"
	"github.com/carmed/carmed/internal/needtool"
)

// Unsigned envelopes the gateway answers with. The 1.1 answer carries attributes in two
// namespaces whose prefix order differs from their URI order, which C14N must sort by URI.
var unsignedEnvelopes = []struct{ name, xml string }{
	{"SOAP 1.1 answer", `<?xml version="1.0" encoding="UTF-8"?>
<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><c:consultCarmedResponse xmlns:c="urn:carmed:cpas:v1" xmlns:a="urn:z-last" xmlns:b="urn:a-first" a:x="1" b:y="2"><status><value>DATA_FOUND</value></status><note>Tom &amp; Jerry &lt;3 "quoted"</note></c:consultCarmedResponse></soap:Body></soap:Envelope>`},
	{"SOAP 1.2 answer with an existing Header and a default namespace", `<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Header><x:Trace xmlns:x="urn:example:trace">t-1</x:Trace></env:Header><env:Body><consultCarmedResponse xmlns="urn:carmed:cpas:v1"><status><value>NO_DATA_FOUND</value></status></consultCarmedResponse></env:Body></env:Envelope>`},
	{"SOAP 1.1 Fault", `<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/" xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"><soap:Body><soap:Fault><faultcode>wsse:FailedCheck</faultcode><faultstring>the signature value does not verify</faultstring></soap:Fault></soap:Body></soap:Envelope>`},
	{"SOAP 1.2 Fault", `<soap:Envelope xmlns:soap="http://www.w3.org/2003/05/soap-envelope"><soap:Body><soap:Fault><soap:Code><soap:Value>soap:Sender</soap:Value></soap:Code><soap:Reason><soap:Text xml:lang="en">bad request</soap:Text></soap:Reason></soap:Fault></soap:Body></soap:Envelope>`},
	{"SOAP 1.1 envelope with the default namespace", `<Envelope xmlns="http://schemas.xmlsoap.org/soap/envelope/"><Body><r xmlns="urn:r">ok</r></Body></Envelope>`},
}

func signWith(t testing.TB, k testKey, xml string, at time.Time) *etree.Document {
	t.Helper()
	doc := parseUnverified(t, []byte(xml))
	s := &Signer{Key: k.key, Cert: k.cert, Now: func() time.Time { return at }}
	if err := s.SignEnvelope(doc); err != nil {
		t.Fatalf("SignEnvelope: %v", err)
	}
	return doc
}

// reparse serializes and parses again, as a client receiving the answer would.
func reparse(t testing.TB, doc *etree.Document) ([]byte, *etree.Document) {
	t.Helper()
	b, err := doc.WriteToBytes()
	if err != nil {
		t.Fatal(err)
	}
	return b, parseUnverified(t, b)
}

func verifierFor(at time.Time, certs ...*x509.Certificate) *Verifier {
	return &Verifier{Trust: testTrust{certs: certs}, Now: func() time.Time { return at }}
}

func TestOwnSignaturesVerify(t *testing.T) {
	rsaK, ecK, _ := testKeys(t)
	for _, k := range []struct {
		name string
		key  testKey
		alg  string
	}{{"RSA-2048", rsaK, algRSASHA256}, {"ECDSA P-256", ecK, algECDSASHA256}} {
		for _, e := range unsignedEnvelopes {
			t.Run(k.name+" signs a "+e.name+" that verifies", func(t *testing.T) {
				raw, doc := reparse(t, signWith(t, k.key, e.xml, testEpoch))
				got, err := verifierFor(testEpoch.Add(time.Minute), k.key.cert).Verify(doc)
				if err != nil {
					t.Fatalf("Verify: %v\n%s", err, raw)
				}
				if !bytes.Contains(raw, []byte(k.alg)) {
					t.Errorf("signature method %s not used", k.alg)
				}
				if !got.Created.Equal(testEpoch) || got.Expires.Sub(got.Created) != DefaultSignTTL {
					t.Errorf("timestamp %v..%v", got.Created, got.Expires)
				}
				if got.Payload == nil {
					t.Error("no payload")
				}
			})
		}
	}
}

func TestSignedHeaderLayoutIsWhatClientsExpect(t *testing.T) {
	rsaK, _, _ := testKeys(t)
	_, doc := reparse(t, signWith(t, rsaK, unsignedEnvelopes[1].xml, testEpoch))
	env, err := findEnvelope(doc)
	if err != nil {
		t.Fatal(err)
	}
	secs := securityHeaders(env, nil)
	if len(secs) != 1 || env.header.ChildElements()[0] != secs[0] {
		t.Fatal("the Security header is not the first header")
	}
	sec := secs[0]
	if got := sec.SelectAttrValue("env:mustUnderstand", ""); got != "true" {
		t.Errorf("SOAP 1.2 mustUnderstand = %q, want true", got)
	}
	var names []string
	for _, c := range sec.ChildElements() {
		names = append(names, c.FullTag())
	}
	if strings.Join(names, ",") != "wsse:BinarySecurityToken,wsu:Timestamp,ds:Signature" {
		t.Errorf("Security children %v", names)
	}
	if env.body.SelectAttrValue("wsu:Id", "") == "" {
		t.Error("Body has no wsu:Id")
	}
	if len(env.header.ChildElements()) != 2 {
		t.Error("the existing header was lost")
	}
}

func TestFaultQNamePrefixesAreInTheBodyPrefixList(t *testing.T) {
	rsaK, _, _ := testKeys(t)
	raw, doc := reparse(t, signWith(t, rsaK, unsignedEnvelopes[2].xml, testEpoch))
	if !bytes.Contains(raw, []byte(`PrefixList="wsse"`)) {
		t.Fatalf("no PrefixList for the faultcode prefix:\n%s", raw)
	}
	got, err := verifierFor(testEpoch, rsaK.cert).Verify(doc)
	if err != nil {
		t.Fatal(err)
	}
	// The canonical Body must carry the binding of wsse, so it can be decoded on its own.
	if !bytes.Contains(got.CanonicalBody, []byte(`xmlns:wsse=`)) {
		t.Errorf("canonical Body lacks the wsse binding: %s", got.CanonicalBody)
	}
}

func TestSignerRefusesAMismatchedCertificate(t *testing.T) {
	rsaK, ecK, _ := testKeys(t)
	doc := parseUnverified(t, []byte(unsignedEnvelopes[0].xml))
	err := (&Signer{Key: rsaK.key, Cert: ecK.cert}).SignEnvelope(doc)
	if err == nil {
		t.Fatal("signed with a certificate of another key")
	}
}

func TestSignerRefusesAnEnvelopeAlreadySigned(t *testing.T) {
	rsaK, _, _ := testKeys(t)
	doc := signWith(t, rsaK, unsignedEnvelopes[0].xml, testEpoch)
	if err := (&Signer{Key: rsaK.key, Cert: rsaK.cert}).SignEnvelope(doc); err == nil {
		t.Fatal("added a second Security header")
	}
}

// xmlsec1 is an independent implementation: what it verifies, other clients can.
func TestOwnSignaturesVerifyWithXmlsec1(t *testing.T) {
	xmlsec := needtool.Path(t, "xmlsec1")
	rsaK, ecK, _ := testKeys(t)
	dir := t.TempDir()
	for _, k := range []struct {
		name string
		key  testKey
	}{{"rsa", rsaK}, {"ecdsa", ecK}} {
		certFile := filepath.Join(dir, k.name+".pem")
		if err := os.WriteFile(certFile, certPEM(k.key.cert), 0o600); err != nil {
			t.Fatal(err)
		}
		for i, e := range unsignedEnvelopes {
			t.Run(k.name+" "+e.name+" verifies with xmlsec1", func(t *testing.T) {
				raw, _ := reparse(t, signWith(t, k.key, e.xml, testEpoch))
				file := filepath.Join(dir, k.name+"-"+string(rune('a'+i))+".xml")
				if err := os.WriteFile(file, raw, 0o600); err != nil {
					t.Fatal(err)
				}
				out, err := exec.Command(xmlsec, "--verify", "--id-attr:Id", "Body", "--id-attr:Id", "Timestamp",
					"--pubkey-cert-pem", certFile, file).CombinedOutput()
				if err != nil || !bytes.Contains(out, []byte("References (ok/all): 2/2")) {
					t.Fatalf("xmlsec1: %v\n%s\n%s", err, out, raw)
				}
			})
		}
	}
}
