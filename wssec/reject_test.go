package wssec

import (
	"bytes"
	"crypto/x509"
	"encoding/base64"
	"strings"
	"testing"
	"time"

	"github.com/beevik/etree"
)

// find returns the first element {ns}local in document order.
func find(doc *etree.Document, ns, local string) *etree.Element {
	var walk func(*etree.Element) *etree.Element
	walk = func(e *etree.Element) *etree.Element {
		if is(e, ns, local) {
			return e
		}
		for _, c := range e.ChildElements() {
			if f := walk(c); f != nil {
				return f
			}
		}
		return nil
	}
	return walk(doc.Root())
}

// resign recomputes the SignatureValue over the current SignedInfo, as an attacker holding a
// trusted key (or a buggy client) would after editing what is referenced.
func resign(t *testing.T, doc *etree.Document, k testKey) {
	t.Helper()
	si := find(doc, nsDS, "SignedInfo")
	data, err := excC14N(si, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	s := &Signer{Key: k.key, Cert: k.cert}
	alg, err := s.algorithm()
	if err != nil {
		t.Fatal(err)
	}
	v, err := s.sign(alg, data)
	if err != nil {
		t.Fatal(err)
	}
	find(doc, nsDS, "SignatureValue").SetText(b64(v))
}

// refTo returns the Reference whose URI points at el.
func refTo(doc *etree.Document, el *etree.Element) *etree.Element {
	id := el.SelectAttrValue("wsu:Id", "")
	for _, r := range find(doc, nsDS, "SignedInfo").ChildElements() {
		if r.SelectAttrValue("URI", "") == "#"+id {
			return r
		}
	}
	return nil
}

func body(doc *etree.Document) *etree.Element { return find(doc, nsSOAP11, "Body") }

func TestVerifierRejects(t *testing.T) {
	rsaK, _, otherK := testKeys(t)
	at := testEpoch.Add(time.Minute)
	cases := []struct {
		name   string
		mutate func(t *testing.T, doc *etree.Document)
		tweak  func(v *Verifier)
		sign   *Signer
		want   FaultCode
	}{
		{name: "a Body changed after signing fails its digest", want: FailedCheck,
			mutate: func(t *testing.T, d *etree.Document) { find(d, "", "value").SetText("NO_DATA_FOUND") }},
		{name: "a Timestamp changed after signing fails its digest", want: FailedCheck,
			mutate: func(t *testing.T, d *etree.Document) {
				find(d, nsWSU, "Expires").SetText(testEpoch.Add(4 * time.Minute).Format(timestampLayout))
			}},
		{name: "a changed SignatureValue fails", want: FailedCheck,
			mutate: func(t *testing.T, d *etree.Document) {
				sv := find(d, nsDS, "SignatureValue")
				sv.SetText("AAAA" + sv.Text()[4:])
			}},
		{name: "the signed Body wrapped into a header with an evil Body in its place is refused (XSW)", want: FailedCheck,
			mutate: func(t *testing.T, d *etree.Document) {
				b := body(d)
				env := b.Parent()
				evil := etree.NewElement("soap:Body")
				evil.CreateElement("evil").SetText("transfer everything")
				env.InsertChildAt(b.Index(), evil)
				env.RemoveChild(b)
				wrapper := find(d, nsSOAP11, "Header").CreateElement("x:Wrapper")
				wrapper.CreateAttr("xmlns:x", "urn:attacker")
				wrapper.AddChild(b)
			}},
		{name: "an evil Body reusing the signed Body's Id is refused as a duplicate Id", want: InvalidSecurity,
			mutate: func(t *testing.T, d *etree.Document) {
				b := body(d)
				env := b.Parent()
				evil := etree.NewElement("soap:Body")
				evil.CreateAttr("xmlns:wsu", nsWSU)
				evil.CreateAttr("wsu:Id", b.SelectAttrValue("wsu:Id", ""))
				evil.CreateElement("evil")
				env.InsertChildAt(b.Index(), evil)
				env.RemoveChild(b)
				find(d, nsSOAP11, "Header").CreateElement("x:Wrapper").CreateAttr("xmlns:x", "urn:attacker")
				find(d, "urn:attacker", "Wrapper").AddChild(b)
			}},
		{name: "a plain Id equal to a wsu:Id elsewhere is refused as a duplicate Id", want: InvalidSecurity,
			mutate: func(t *testing.T, d *etree.Document) {
				ts := find(d, nsWSU, "Timestamp")
				find(d, "", "status").CreateAttr("Id", ts.SelectAttrValue("wsu:Id", ""))
			}},
		{name: "a signature that does not reference the Body is refused", want: FailedCheck,
			mutate: func(t *testing.T, d *etree.Document) {
				r := refTo(d, body(d))
				r.Parent().RemoveChild(r)
				resign(t, d, rsaK)
			}},
		{name: "a Timestamp left unsigned is refused", want: FailedCheck,
			mutate: func(t *testing.T, d *etree.Document) {
				r := refTo(d, find(d, nsWSU, "Timestamp"))
				r.Parent().RemoveChild(r)
				resign(t, d, rsaK)
			}},
		{name: "a message without Timestamp is refused", want: InvalidSecurity,
			mutate: func(t *testing.T, d *etree.Document) {
				ts := find(d, nsWSU, "Timestamp")
				ts.Parent().RemoveChild(ts)
			}},
		{name: "a Timestamp whose Expires was removed after signing fails its digest", want: FailedCheck,
			mutate: func(t *testing.T, d *etree.Document) {
				e := find(d, nsWSU, "Expires")
				e.Parent().RemoveChild(e)
			}},
		{name: "a Timestamp with two Expires is refused", want: InvalidSecurity,
			mutate: func(t *testing.T, d *etree.Document) {
				e := find(d, nsWSU, "Expires")
				e.Parent().AddChild(e.Copy())
			}},
		{name: "a Timestamp without Created is refused", want: InvalidSecurity,
			mutate: func(t *testing.T, d *etree.Document) {
				e := find(d, nsWSU, "Created")
				e.Parent().RemoveChild(e)
			}},
		{name: "an expired message is refused", want: MessageExpired,
			tweak: func(v *Verifier) {
				v.Now = func() time.Time { return testEpoch.Add(DefaultSignTTL + DefaultSkew + time.Second) }
			}},
		{name: "a message created beyond the skew in the future is refused", want: MessageExpired,
			tweak: func(v *Verifier) { v.Now = func() time.Time { return testEpoch.Add(-DefaultSkew - time.Second) } }},
		{name: "a Timestamp living longer than the maximum is refused", want: InvalidSecurity,
			sign: &Signer{Key: rsaK.key, Cert: rsaK.cert, TTL: 2 * time.Hour}},
		{name: "a certificate the trust does not know is refused", want: FailedAuthentication,
			tweak: func(v *Verifier) { v.Trust = testTrust{certs: []*x509.Certificate{otherK.cert}} }},
		{name: "a trusted certificate outside its validity is refused", want: FailedAuthentication,
			tweak: func(v *Verifier) { v.Now = func() time.Time { return testEpoch.Add(2 * 365 * 24 * time.Hour) } }},
		{name: "an unknown signature method is refused", want: UnsupportedAlgorithm,
			mutate: func(t *testing.T, d *etree.Document) {
				find(d, nsDS, "SignatureMethod").CreateAttr("Algorithm", "http://www.w3.org/2001/04/xmldsig-more#hmac-sha256")
			}},
		{name: "an unknown digest method is refused even when correctly signed", want: UnsupportedAlgorithm,
			mutate: func(t *testing.T, d *etree.Document) {
				find(d, nsDS, "DigestMethod").CreateAttr("Algorithm", "http://www.w3.org/2001/04/xmldsig-more#md5")
				resign(t, d, rsaK)
			}},
		{name: "an inclusive C14N transform is refused", want: UnsupportedAlgorithm,
			mutate: func(t *testing.T, d *etree.Document) {
				find(d, nsDS, "Transform").CreateAttr("Algorithm", "http://www.w3.org/TR/2001/REC-xml-c14n-20010315")
				resign(t, d, rsaK)
			}},
		{name: "an inclusive C14N SignedInfo canonicalization is refused", want: UnsupportedAlgorithm,
			mutate: func(t *testing.T, d *etree.Document) {
				find(d, nsDS, "CanonicalizationMethod").CreateAttr("Algorithm", "http://www.w3.org/2006/12/xml-c14n11")
			}},
		{name: "a whole-document Reference URI is refused", want: FailedCheck,
			mutate: func(t *testing.T, d *etree.Document) {
				refTo(d, body(d)).CreateAttr("URI", "")
				resign(t, d, rsaK)
			}},
		{name: "a reference to an element enclosing the signature is refused", want: FailedCheck,
			mutate: func(t *testing.T, d *etree.Document) {
				sec := find(d, nsWSSE, "Security")
				sec.CreateAttr("wsu:Id", "SEC-1")
				r := refTo(d, body(d)).Copy()
				r.CreateAttr("URI", "#SEC-1")
				find(d, nsDS, "SignedInfo").AddChild(r)
				resign(t, d, rsaK)
			}},
		{name: "two Security headers for this node are refused", want: InvalidSecurity,
			mutate: func(t *testing.T, d *etree.Document) {
				sec := find(d, nsWSSE, "Security")
				sec.Parent().AddChild(sec.Copy())
			}},
		{name: "two Signatures in the Security header are refused", want: InvalidSecurity,
			mutate: func(t *testing.T, d *etree.Document) {
				sig := find(d, nsDS, "Signature")
				sig.Parent().AddChild(sig.Copy())
			}},
		{name: "a Signature moved out of the Security header is refused", want: InvalidSecurity,
			mutate: func(t *testing.T, d *etree.Document) {
				sig := find(d, nsDS, "Signature")
				sig.Parent().RemoveChild(sig)
				find(d, nsSOAP11, "Header").AddChild(sig)
			}},
		{name: "a Security header addressed to another actor only is not ours", want: InvalidSecurity,
			mutate: func(t *testing.T, d *etree.Document) {
				find(d, nsWSSE, "Security").CreateAttr("soap:actor", "urn:someone-else")
			}},
		{name: "a missing BinarySecurityToken is unavailable", want: SecurityTokenUnavailable,
			mutate: func(t *testing.T, d *etree.Document) {
				bst := find(d, nsWSSE, "BinarySecurityToken")
				bst.Parent().RemoveChild(bst)
			}},
		{name: "a BinarySecurityToken in another header is unavailable", want: SecurityTokenUnavailable,
			mutate: func(t *testing.T, d *etree.Document) {
				bst := find(d, nsWSSE, "BinarySecurityToken")
				bst.Parent().RemoveChild(bst)
				w := find(d, nsSOAP11, "Header").CreateElement("x:Other")
				w.CreateAttr("xmlns:x", "urn:x")
				w.AddChild(bst)
			}},
		{name: "a BinarySecurityToken of another token type is unsupported", want: UnsupportedSecurityToken,
			mutate: func(t *testing.T, d *etree.Document) {
				find(d, nsWSSE, "BinarySecurityToken").CreateAttr("ValueType", "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#PKIPath")
			}},
		{name: "a BinarySecurityToken that is not a certificate is invalid", want: InvalidSecurityToken,
			mutate: func(t *testing.T, d *etree.Document) {
				find(d, nsWSSE, "BinarySecurityToken").SetText("bm90IGEgY2VydA==")
			}},
		{name: "a subject key identifier the trust does not know is unavailable", want: SecurityTokenUnavailable,
			mutate: func(t *testing.T, d *etree.Document) { setKeyIdentifier(d, otherK.cert.SubjectKeyId) }},
		{name: "a second Body is refused", want: InvalidSecurity,
			mutate: func(t *testing.T, d *etree.Document) { d.Root().AddChild(body(d).Copy()) }},
		{name: "a message larger than the canonicalization budget is refused", want: InvalidSecurity,
			tweak: func(v *Verifier) { v.MaxNodes = 10 }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s := c.sign
			if s == nil {
				s = &Signer{Key: rsaK.key, Cert: rsaK.cert}
			}
			s.Now = func() time.Time { return testEpoch }
			d := parseUnverified(t, []byte(unsignedEnvelopes[0].xml))
			if err := s.SignEnvelope(d); err != nil {
				t.Fatal(err)
			}
			_, d = reparse(t, d)
			if c.mutate != nil {
				c.mutate(t, d)
			}
			v := verifierFor(at, rsaK.cert)
			if c.tweak != nil {
				c.tweak(v)
			}
			_, err := v.Verify(d)
			t.Log(err)
			wantCode(t, err, c.want)
		})
	}
}

func TestSHA1IsRefusedByDefault(t *testing.T) {
	for _, f := range []string{"zeep-signed.xml", "zeep-signed-x509data.xml"} {
		raw := readSample(t, f)
		v := &Verifier{Trust: testTrust{certs: []*x509.Certificate{readCertFile(t, "throwaway-client.crt")}}, Now: sampleClock(t, raw)}
		_, err := v.Verify(parseUnverified(t, raw))
		wantCode(t, err, UnsupportedAlgorithm)
	}
}

func TestTamperedInteropSamplesFail(t *testing.T) {
	for _, s := range interopSamples {
		t.Run(s.file, func(t *testing.T) {
			raw := readSample(t, s.file)
			bad := bytes.Replace(raw, []byte(">hello<"), []byte(">hellO<"), 1)
			if bytes.Equal(raw, bad) {
				t.Fatal("sample has no Body text to tamper with")
			}
			v := &Verifier{Trust: testTrust{certs: []*x509.Certificate{readCertFile(t, s.cert)}}, AllowSHA1: s.sha1, Now: sampleClock(t, raw)}
			_, err := v.Verify(parseUnverified(t, bad))
			wantCode(t, err, FailedCheck)
		})
	}
}

func TestErrorReasonsDoNotEchoInput(t *testing.T) {
	rsaK, _, _ := testKeys(t)
	d := signWith(t, rsaK, unsignedEnvelopes[0].xml, testEpoch)
	find(d, "", "value").SetText("SECRET-85073112345")
	find(d, nsDS, "SignatureMethod").CreateAttr("Algorithm", "urn:SECRET-85073112345")
	_, err := verifierFor(testEpoch, rsaK.cert).Verify(d)
	if err == nil || strings.Contains(err.Error(), "SECRET") {
		t.Fatalf("error %v", err)
	}
}

func b64(b []byte) string { return base64.StdEncoding.EncodeToString(b) }

// setKeyIdentifier replaces the STR's Reference with an SKI KeyIdentifier. KeyInfo is not signed.
func setKeyIdentifier(d *etree.Document, ski []byte) {
	str := find(d, nsWSSE, "SecurityTokenReference")
	for _, c := range str.ChildElements() {
		str.RemoveChild(c)
	}
	ki := str.CreateElement("wsse:KeyIdentifier")
	ki.CreateAttr("ValueType", valueTypeSKI)
	ki.CreateAttr("EncodingType", encodingBase64)
	ki.SetText(b64(ski))
}

func TestECDSASignaturesMustBeRConcatS(t *testing.T) {
	_, ecK, _ := testKeys(t)
	_, d := reparse(t, signWith(t, ecK, unsignedEnvelopes[0].xml, testEpoch))
	sv := find(d, nsDS, "SignatureValue")
	raw, err := base64.StdEncoding.DecodeString(sv.Text())
	if err != nil || len(raw) != 64 {
		t.Fatalf("P-256 signature is %d bytes, want 64 (r||s)", len(raw))
	}
	sv.SetText(b64(append([]byte{0}, raw...)))
	_, err = verifierFor(testEpoch, ecK.cert).Verify(d)
	wantCode(t, err, FailedCheck)
}
