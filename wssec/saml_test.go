package wssec

import (
	"crypto/x509"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/beevik/etree"
)

const testSTSName = "urn:be:fgov:ehealth:sts:1_0"

// hokParts is a SAML holder-of-key message under test: the token service's and the holder's keys
// and the verifier that trusts that service.
type hokParts struct {
	sts, holder, other testKey
	v                  *Verifier
}

func newHoK(t *testing.T) hokParts {
	rsaK, ecK, other := testKeys(t)
	at := testEpoch.Add(time.Minute)
	return hokParts{sts: rsaK, holder: ecK, other: other, v: &Verifier{Trust: testTrust{},
		SAML: &SAMLPolicy{Issuers: []TokenIssuer{{Name: testSTSName, Cert: rsaK.cert}}},
		Now:  func() time.Time { return at }}}
}

func (p hokParts) spec() AssertionSpec {
	return AssertionSpec{Issuer: testSTSName, IssueInstant: testEpoch, NotBefore: testEpoch.Add(-5 * time.Minute),
		NotOnOrAfter: testEpoch.Add(5 * time.Hour), Holder: p.holder.cert, NameID: p.holder.cert.Subject.String(),
		NameQualifier: p.holder.cert.Issuer.String(),
		Attributes: []SAMLAttribute{{Namespace: "urn:be:fgov:certified-namespace:ehealth",
			Name: "urn:be:fgov:ehealth:1.0:hospital:nihii-number:recognisedhospital:nihii11", Values: []string{"71012345"}}}}
}

// issue has the token service (or by, when given) sign an assertion of spec.
func (p hokParts) issue(t *testing.T, spec AssertionSpec, by testKey) *etree.Element {
	t.Helper()
	as, err := (&Signer{Key: by.key, Cert: by.cert}).IssueAssertion(spec)
	if err != nil {
		t.Fatal(err)
	}
	return as
}

// message signs a consultation with the key of signer, naming the assertion as its token.
func (p hokParts) message(t *testing.T, as *etree.Element, signer testKey) *etree.Document {
	t.Helper()
	doc := parseUnverified(t, []byte(`<soap:Envelope xmlns:soap="`+nsSOAP11+`"><soap:Body>`+
		`<p:ConsultCarmedInterventionRequest xmlns:p="urn:be:fgov:ehealth:mediprima:protocol:v2"/></soap:Body></soap:Envelope>`))
	s := &Signer{Key: signer.key, Cert: signer.cert, KeyRef: RefSAML, Assertion: as, Now: func() time.Time { return testEpoch }}
	if err := s.SignEnvelope(doc); err != nil {
		t.Fatal(err)
	}
	// Through bytes, as the gateway receives it.
	b, err := doc.WriteToBytes()
	if err != nil {
		t.Fatal(err)
	}
	return parseUnverified(t, b)
}

func wantCheck(t *testing.T, err error, check string) {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("got %v, want a refusal %s", err, check)
	}
	if e.Check != check || e.Code != SAMLChecks[check] {
		t.Fatalf("got %s/%q (%v), want %s/%s", e.Code, e.Check, err, SAMLChecks[check], check)
	}
}

func TestAHolderOfKeyMessageVerifiesAndNamesItsHolderAndAttributes(t *testing.T) {
	p := newHoK(t)
	ver, err := p.v.VerifyAllowingSAML(p.message(t, p.issue(t, p.spec(), p.sts), p.holder))
	if err != nil {
		t.Fatal(err)
	}
	if ver.Assertion == nil || !ver.Cert.Equal(p.holder.cert) {
		t.Fatalf("verified without the assertion or with another key: %+v", ver)
	}
	if v, ok := ver.Assertion.Value("urn:be:fgov:certified-namespace:ehealth",
		"urn:be:fgov:ehealth:1.0:hospital:nihii-number:recognisedhospital:nihii11"); !ok || v != "71012345" {
		t.Fatalf("NIHII attribute = %q, %v", v, ok)
	}
	if ver.Assertion.Issuer != testSTSName || ver.Payload == nil || ver.Payload.Tag != "ConsultCarmedInterventionRequest" {
		t.Fatalf("assertion %+v, payload %v", ver.Assertion, ver.Payload)
	}
}

func TestTheX509PathStillRefusesSAMLTokens(t *testing.T) {
	p := newHoK(t)
	_, err := p.v.Verify(p.message(t, p.issue(t, p.spec(), p.sts), p.holder))
	wantCode(t, err, UnsupportedSecurityToken)
}

// securityOf returns the Security header and the assertion in it.
func securityOf(doc *etree.Document) (sec, as *etree.Element) {
	sec = find(doc, nsWSSE, "Security")
	return sec, child(sec, NSSAML, "Assertion")
}

// Each variant is something an attacker (or a broken client) sends; each is refused with the
// check that names it.
func TestHolderOfKeyVariantsAreRefused(t *testing.T) {
	p := newHoK(t)
	good := func(t *testing.T) *etree.Document { return p.message(t, p.issue(t, p.spec(), p.sts), p.holder) }
	withSpec := func(f func(*AssertionSpec)) func(t *testing.T) *etree.Document {
		return func(t *testing.T) *etree.Document {
			s := p.spec()
			f(&s)
			return p.message(t, p.issue(t, s, p.sts), p.holder)
		}
	}
	edit := func(f func(doc *etree.Document, sec, as *etree.Element)) func(t *testing.T) *etree.Document {
		return func(t *testing.T) *etree.Document {
			d := good(t)
			sec, as := securityOf(d)
			f(d, sec, as)
			return d
		}
	}
	forge := func(as *etree.Element) *etree.Element {
		f := as.Copy()
		for _, v := range f.FindElements(".//AttributeValue") {
			v.SetText("71099999")
		}
		return f
	}
	for _, tc := range []struct {
		name  string
		doc   func(t *testing.T) *etree.Document
		check string
	}{
		{"assertion moved out of the Security header into the Header", edit(func(d *etree.Document, sec, as *etree.Element) {
			sec.RemoveChild(as)
			sec.Parent().AddChild(as)
		}), CheckSAMLPlacement},
		{"assertion moved into a wrapper inside the Security header", edit(func(d *etree.Document, sec, as *etree.Element) {
			sec.RemoveChild(as)
			w := sec.CreateElement("x:Wrapper")
			w.CreateAttr("xmlns:x", "urn:evil")
			w.AddChild(as)
		}), CheckSAMLPlacement},
		{"assertion duplicated", edit(func(d *etree.Document, sec, as *etree.Element) {
			sec.AddChild(as.Copy())
		}), CheckSAMLPlacement},
		{"a forged copy in place, the signed original wrapped away", edit(func(d *etree.Document, sec, as *etree.Element) {
			i := as.Index()
			sec.RemoveChild(as)
			sec.InsertChildAt(i, forge(as))
			w := sec.CreateElement("x:Wrapper")
			w.CreateAttr("xmlns:x", "urn:evil")
			w.AddChild(as)
		}), CheckSAMLPlacement},
		{"a forged copy in place of the original", edit(func(d *etree.Document, sec, as *etree.Element) {
			i := as.Index()
			sec.RemoveChild(as)
			sec.InsertChildAt(i, forge(as))
		}), CheckSAMLSignature},
		{"a forged copy in place, the original hidden in the Body", edit(func(d *etree.Document, sec, as *etree.Element) {
			i := as.Index()
			sec.RemoveChild(as)
			sec.InsertChildAt(i, forge(as))
			body(d).AddChild(as)
		}), CheckSAMLPlacement},
		{"re-signed by another key that names itself", func(t *testing.T) *etree.Document {
			return p.message(t, p.issue(t, p.spec(), p.other), p.holder)
		}, CheckSAMLIssuer},
		{"re-signed by another key naming the STS certificate", func(t *testing.T) *etree.Document {
			as := p.issue(t, p.spec(), p.other)
			ki := as.FindElement("./Signature/KeyInfo/X509Data/X509Certificate")
			ki.SetText(b64(p.sts.cert.Raw))
			return p.message(t, as, p.holder)
		}, CheckSAMLSignature},
		{"sender-vouches instead of holder-of-key", withSpec(func(s *AssertionSpec) {
			s.ConfirmationMethod = "urn:oasis:names:tc:SAML:1.0:cm:sender-vouches"
		}), CheckSAMLNotHoK},
		{"bearer instead of holder-of-key", withSpec(func(s *AssertionSpec) {
			s.ConfirmationMethod = "urn:oasis:names:tc:SAML:1.0:cm:bearer"
		}), CheckSAMLNotHoK},
		{"a SAML 2.0 token type on the reference", edit(func(d *etree.Document, sec, as *etree.Element) {
			find(d, nsWSSE, "SecurityTokenReference").SelectAttr("wsse11:TokenType").Value =
				"http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLV2.0"
		}), CheckSAMLTokenRef},
		{"a SAML 2.0 key identifier type", edit(func(d *etree.Document, sec, as *etree.Element) {
			find(d, nsWSSE, "KeyIdentifier").SelectAttr("ValueType").Value =
				"http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLID"
		}), CheckSAMLTokenRef},
		{"a key identifier naming another assertion", edit(func(d *etree.Document, sec, as *etree.Element) {
			find(d, nsWSSE, "KeyIdentifier").SetText("_0123456789abcdef0123456789abcdef")
		}), CheckSAMLMissing},
		{"the AssertionID reused as another element's Id", edit(func(d *etree.Document, sec, as *etree.Element) {
			id, _ := plainAttr(as, "AssertionID")
			x := sec.CreateElement("x:Other")
			x.CreateAttr("xmlns:x", "urn:evil")
			x.CreateAttr("Id", id)
		}), CheckSAMLDuplicate},
		// RequestID is not a wsu:Id, so only the SAML duplicate scan (not the Id index) sees it.
		{"the AssertionID reused as another element's RequestID", edit(func(d *etree.Document, sec, as *etree.Element) {
			id, _ := plainAttr(as, "AssertionID")
			sec.CreateElement("x:Other").CreateAttr("RequestID", id)
			sec.SelectElement("x:Other").CreateAttr("xmlns:x", "urn:evil")
		}), CheckSAMLDuplicate},
		{"a comment inside the assertion", edit(func(d *etree.Document, sec, as *etree.Element) {
			as.FindElement(".//AttributeValue").CreateComment("x")
		}), CheckSAMLMalformed},
		{"expired", withSpec(func(s *AssertionSpec) {
			s.NotBefore, s.NotOnOrAfter = testEpoch.Add(-6*time.Hour), testEpoch.Add(-10*time.Minute)
		}), CheckSAMLExpired},
		{"not yet valid", withSpec(func(s *AssertionSpec) {
			s.NotBefore, s.NotOnOrAfter = testEpoch.Add(time.Hour), testEpoch.Add(2*time.Hour)
		}), CheckSAMLExpired},
		{"a validity window of two days", withSpec(func(s *AssertionSpec) {
			s.NotOnOrAfter = testEpoch.Add(48 * time.Hour)
		}), CheckSAMLLifetime},
		{"another issuer name under the STS signature", withSpec(func(s *AssertionSpec) {
			s.Issuer = "urn:evil:sts"
		}), CheckSAMLIssuer},
		{"the message signed by a key other than the holder's", func(t *testing.T) *etree.Document {
			return p.message(t, p.issue(t, p.spec(), p.sts), p.other)
		}, CheckSAMLHolderKey},
		{"the message signed by the STS key itself", func(t *testing.T) *etree.Document {
			return p.message(t, p.issue(t, p.spec(), p.sts), p.sts)
		}, CheckSAMLHolderKey},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := p.v.VerifyAllowingSAML(tc.doc(t))
			wantCheck(t, err, tc.check)
		})
	}
}

func TestNoTrustedTokenServiceRefusesEveryAssertion(t *testing.T) {
	p := newHoK(t)
	doc := p.message(t, p.issue(t, p.spec(), p.sts), p.holder)
	p.v.SAML = &SAMLPolicy{}
	_, err := p.v.VerifyAllowingSAML(doc)
	wantCheck(t, err, CheckSAMLIssuer)
}

func TestSAMLReasonsDoNotEchoInput(t *testing.T) {
	p := newHoK(t)
	s := p.spec()
	s.Issuer = "urn:evil:SECRET-issuer"
	_, err := p.v.VerifyAllowingSAML(p.message(t, p.issue(t, s, p.sts), p.holder))
	var e *Error
	if !errors.As(err, &e) || strings.Contains(e.Reason, "SECRET") {
		t.Fatalf("reason %q", e.Reason)
	}
}

func TestAnEnvelopedSignatureOfARequestVerifiesWithItsKeyOnly(t *testing.T) {
	p := newHoK(t)
	doc := parseUnverified(t, []byte(`<samlp:Request xmlns:samlp="`+NSSAMLP+`" RequestID="request-1" MajorVersion="1" MinorVersion="1"><samlp:AttributeQuery/></samlp:Request>`))
	if err := (&Signer{Key: p.holder.key, Cert: p.holder.cert}).SignEnveloped(doc.Root(), "RequestID", true); err != nil {
		t.Fatal(err)
	}
	if doc.Root().ChildElements()[0].Tag != "Signature" {
		t.Fatal("the request's signature is not its first child")
	}
	if c, err := VerifyEnvelopedSignature(doc.Root(), "RequestID", []*x509.Certificate{p.holder.cert}, false); err != nil || !c.Equal(p.holder.cert) {
		t.Fatalf("own key: %v", err)
	}
	_, err := VerifyEnvelopedSignature(doc.Root(), "RequestID", []*x509.Certificate{p.other.cert}, false)
	wantCode(t, err, FailedAuthentication)
	doc.Root().SelectAttr("MinorVersion").Value = "0"
	_, err = VerifyEnvelopedSignature(doc.Root(), "RequestID", []*x509.Certificate{p.holder.cert}, false)
	wantCode(t, err, FailedCheck)
}
