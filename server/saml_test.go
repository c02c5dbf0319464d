package server_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/beevik/etree"

	"github.com/carmed/carmed/client"
	"github.com/carmed/carmed/face/provider"
	"github.com/carmed/carmed/face/sts"
	"github.com/carmed/carmed/pki"
	"github.com/carmed/carmed/trust"
	"github.com/carmed/carmed/wssec"
)

const consultPayload = `<mp:ConsultCarmedInterventionRequest xmlns:mp="urn:be:fgov:ehealth:mediprima:protocol:v2" Id="R-saml-1" IssueInstant="2026-12-01T09:15:00Z">` +
	`<SelectionCriteria><BySsin><Ssin>85031412302</Ssin><ReferenceDate>2026-12-01</ReferenceDate></BySsin></SelectionCriteria></mp:ConsultCarmedInterventionRequest>`

// token asks the token service at path for a holder-of-key assertion as party.
func (e *env) token(party, path string, r client.TokenRequest) (*etree.Element, *client.Answer, error) {
	e.t.Helper()
	return e.clientAt(party, path).RequestToken(context.Background(), r)
}

// samlClient signs for the provider face with the holder key of party and the assertion.
func (e *env) samlClient(party string, as *etree.Element) *client.Client {
	c := e.clientAt(party, "/MediPrima/Consult/v2")
	c.Signer.KeyRef, c.Signer.Assertion = wssec.RefSAML, as
	return c
}

func (e *env) stsSigner() *wssec.Signer {
	e.t.Helper()
	k, c, err := pki.LoadKeyPair(filepath.Join(e.pki, pki.STSCertFile), filepath.Join(e.pki, pki.STSKeyFile))
	if err != nil {
		e.t.Fatal(err)
	}
	return &wssec.Signer{Key: k, Cert: c}
}

// wantLogged checks that the last request's log line carries the stable fault code.
func (e *env) wantLogged(code string) {
	e.t.Helper()
	lines := strings.Split(strings.TrimSpace(e.logs.String()), "\n")
	if last := lines[len(lines)-1]; !strings.Contains(last, `"code":"`+code+`"`) {
		e.t.Fatalf("last log line %s, want code %s", last, code)
	}
}

func TestAProviderConsultsThroughAnSTSHolderOfKeyToken(t *testing.T) {
	e := newEnv(t)
	wantOutcome(t, e.call("cpas-namur", demoFile("create.xml"), nil), "DATA_FOUND", "OK")
	for _, path := range []string{sts.Path, sts.PathLegacy} {
		t.Run(path, func(t *testing.T) {
			as, ans, err := e.token("hospital-chr", path, client.TokenRequest{Validity: 24 * time.Hour})
			if err != nil {
				t.Fatal(err)
			}
			if v := ans.Payload.FindElement("./Status/StatusCode").SelectAttrValue("Value", ""); v != "samlp:Success" {
				t.Fatalf("status %q", v)
			}
			hosp, _ := trust.QualityOf(trust.ProviderHospital)
			if as.SelectAttrValue("Issuer", "") != trust.IssuerSTS ||
				as.FindElement("./AuthenticationStatement/Subject/SubjectConfirmation/ConfirmationMethod").Text() != wssec.CMHolderOfKey {
				t.Fatalf("assertion:\n%s", ans.Raw)
			}
			var nihii string
			for _, a := range as.FindElements("./AttributeStatement/Attribute") {
				if a.SelectAttrValue("AttributeName", "") == hosp.NIHII {
					nihii = a.FindElement("AttributeValue").Text()
				}
			}
			if nihii != pki.DemoNIHIIHospitalCHR {
				t.Fatalf("certified NIHII %q", nihii)
			}
			a, err := e.samlClient("hospital-chr", as).Call(context.Background(), []byte(consultPayload), provider.ActionConsultV2)
			if err != nil {
				t.Fatal(err)
			}
			ehealthValid(t, a)
			c, err := e.ring.Verify(text(a, "Result/Carmed/AgreementNumber"))
			if err != nil || c.Provider != pki.DemoNIHIIHospitalCHR {
				t.Fatalf("agreement for %+v (%v):\n%s", c, err, a.Raw)
			}
		})
	}
}

func TestTheTokenServiceGrantsOnlyWhatTheTrustFileSays(t *testing.T) {
	e := newEnv(t)
	hosp, _ := trust.QualityOf(trust.ProviderHospital)
	t.Run("a claim for another NIHII is refused with a message", func(t *testing.T) {
		_, ans, err := e.token("hospital-chr", sts.Path, client.TokenRequest{Claims: []wssec.SAMLAttribute{
			{Namespace: trust.NSIdentification, Name: hosp.Claims[0], Values: []string{"71099999"}}}})
		if err == nil || ans == nil || !strings.Contains(err.Error(), "samlp:Requester") ||
			ans.Payload.FindElement("./Status/StatusMessage") == nil || ans.Payload.FindElement("./Assertion") != nil {
			t.Fatalf("got %v", err)
		}
	})
	t.Run("a claim of a quality the party lacks is not certified", func(t *testing.T) {
		doc, _ := trust.QualityOf(trust.ProviderDoctor)
		as, _, err := e.token("hospital-chr", sts.Path, client.TokenRequest{Claims: []wssec.SAMLAttribute{
			{Namespace: trust.NSCertified, Name: doc.NIHII, Values: []string{"19912345004"}}}})
		if err != nil {
			t.Fatal(err)
		}
		for _, a := range as.FindElements("./AttributeStatement/Attribute") {
			if a.SelectAttrValue("AttributeName", "") == doc.NIHII {
				t.Fatal("the claimed doctor quality was copied into the token")
			}
		}
	})
	t.Run("a doctor's token certifies the doctor's NIHII", func(t *testing.T) {
		as, _, err := e.token("gp-dupont", sts.Path, client.TokenRequest{})
		if err != nil {
			t.Fatal(err)
		}
		doc, _ := trust.QualityOf(trust.ProviderDoctor)
		if got := as.FindElement("./AttributeStatement/Attribute[@AttributeName='" + doc.NIHII + "']/AttributeValue"); got == nil || got.Text() != pki.DemoNIHIIGPDupont {
			t.Fatalf("doctor NIHII attribute missing")
		}
	})
	t.Run("a CPAS gets no token", func(t *testing.T) {
		_, ans, err := e.token("cpas-namur", sts.Path, client.TokenRequest{})
		if err == nil || ans == nil || ans.Outcome != client.Faulted {
			t.Fatalf("got %v", err)
		}
		e.wantLogged("NOT_AUTHORIZED")
	})
	t.Run("a holder certificate of another party is refused", func(t *testing.T) {
		other := e.clientAt("gp-dupont", sts.Path).Signer
		_, ans, err := e.token("hospital-chr", sts.Path, client.TokenRequest{Holder: other})
		if err == nil || ans == nil || ans.Outcome != client.Rejected {
			t.Fatalf("got %v", err)
		}
		e.wantLogged("STS_HOLDER_KEY")
	})
	t.Run("the validity is capped at the service's maximum", func(t *testing.T) {
		as, _, err := e.token("hospital-chr", sts.Path, client.TokenRequest{Validity: 30 * 24 * time.Hour})
		if err != nil {
			t.Fatal(err)
		}
		c := as.FindElement("./Conditions")
		nb, _ := time.Parse(time.RFC3339, c.SelectAttrValue("NotBefore", ""))
		na, _ := time.Parse(time.RFC3339, c.SelectAttrValue("NotOnOrAfter", ""))
		if d := na.Sub(nb); d != sts.MaxTokenLifetime+sts.Backdate {
			t.Fatalf("validity window %v", d)
		}
	})
}

// The provider face's refusals of SAML-signed requests, through the whole pipeline: each a
// WS-Security fault, with its stable code in the log line, and nothing answered from the store.
func TestTheProviderFaceRefusesBadSAMLRequests(t *testing.T) {
	e := newEnv(t)
	good, _, err := e.token("hospital-chr", sts.Path, client.TokenRequest{})
	if err != nil {
		t.Fatal(err)
	}
	hospCert := e.clientAt("hospital-chr", "/").Signer.Cert
	issue := func(s *wssec.Signer, f func(*wssec.AssertionSpec)) *etree.Element {
		now := e.clock.Now()
		hosp, _ := trust.QualityOf(trust.ProviderHospital)
		spec := wssec.AssertionSpec{Issuer: trust.IssuerSTS, IssueInstant: now, NotBefore: now.Add(-time.Minute),
			NotOnOrAfter: now.Add(time.Hour), Holder: hospCert, NameID: hospCert.Subject.String(),
			Attributes: []wssec.SAMLAttribute{{Namespace: trust.NSCertified, Name: hosp.NIHII, Values: []string{pki.DemoNIHIIHospitalCHR}}}}
		if f != nil {
			f(&spec)
		}
		as, err := s.IssueAssertion(spec)
		if err != nil {
			t.Fatal(err)
		}
		return as
	}
	gwKey, gwCert, err := pki.LoadKeyPair(filepath.Join(e.pki, pki.GatewayCertFile), filepath.Join(e.pki, pki.GatewayKeyFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, party string
		as          *etree.Element
		wsse, code  string
	}{
		{"signed by a key other than the holder's", "gp-dupont", good, "FailedCheck", wssec.CheckSAMLHolderKey},
		{"issued by a service the trust file does not name", "hospital-chr",
			issue(&wssec.Signer{Key: gwKey, Cert: gwCert}, nil), "FailedAuthentication", wssec.CheckSAMLIssuer},
		{"expired", "hospital-chr", issue(e.stsSigner(), func(s *wssec.AssertionSpec) {
			s.NotBefore, s.NotOnOrAfter = s.IssueInstant.Add(-3*time.Hour), s.IssueInstant.Add(-time.Hour)
		}), "MessageExpired", wssec.CheckSAMLExpired},
		{"not yet valid", "hospital-chr", issue(e.stsSigner(), func(s *wssec.AssertionSpec) {
			s.NotBefore, s.NotOnOrAfter = s.IssueInstant.Add(time.Hour), s.IssueInstant.Add(2*time.Hour)
		}), "MessageExpired", wssec.CheckSAMLExpired},
		{"sender-vouches", "hospital-chr", issue(e.stsSigner(), func(s *wssec.AssertionSpec) {
			s.ConfirmationMethod = "urn:oasis:names:tc:SAML:1.0:cm:sender-vouches"
		}), "UnsupportedSecurityToken", wssec.CheckSAMLNotHoK},
		{"for no provider quality", "hospital-chr", issue(e.stsSigner(), func(s *wssec.AssertionSpec) {
			s.Attributes = []wssec.SAMLAttribute{{Namespace: trust.NSIdentification, Name: "urn:be:fgov:person:ssin", Values: []string{"85031412302"}}}
		}), "FailedAuthentication", "SAML_NO_PARTY"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := e.samlClient(tc.party, tc.as).Call(context.Background(), []byte(consultPayload), provider.ActionConsultV2)
			if err != nil {
				t.Fatal(err)
			}
			if a.Outcome != client.Faulted || a.Code != "wsse:"+tc.wsse {
				t.Fatalf("got %v %q, want wsse:%s", a.Outcome, a.Code, tc.wsse)
			}
			e.wantLogged(tc.code)
		})
	}
	t.Run("the CPAS face, which has not opted in, refuses SAML", func(t *testing.T) {
		c := e.samlClient("hospital-chr", good)
		c.URL = e.url + "/cpas/v1"
		a, err := c.Call(context.Background(), []byte(consultPayload), "")
		if err != nil {
			t.Fatal(err)
		}
		if a.Outcome != client.Faulted || !strings.HasPrefix(a.Code, "wsse:UnsupportedSecurityToken") {
			t.Fatalf("got %v %q", a.Outcome, a.Code)
		}
	})
}
