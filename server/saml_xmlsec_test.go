package server_test

import (
	"context"
	"encoding/base64"
	"os"
	"os/exec"
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

// Independent signatures on the SAML path: xmlsec1 signs the assertion with the token service's
// key, the holder-of-key message with the holder's key, and the STS request with RSA-SHA1 as
// the official connector does; the gateway's verdicts must be the same as for our own signer.

const (
	algRSA1 = "http://www.w3.org/2000/09/xmldsig#rsa-sha1"
	digSHA1 = "http://www.w3.org/2000/09/xmldsig#sha1"
)

// envelopedTemplate is a ds:Signature template for xmlsec1: enveloped then exc-c14n on #id.
func envelopedTemplate(id, sigAlg, digAlg, certB64 string) string {
	return `<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo>` +
		`<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>` +
		`<ds:SignatureMethod Algorithm="` + sigAlg + `"/><ds:Reference URI="#` + id + `"><ds:Transforms>` +
		`<ds:Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/>` +
		`<ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms>` +
		`<ds:DigestMethod Algorithm="` + digAlg + `"/><ds:DigestValue/></ds:Reference></ds:SignedInfo>` +
		`<ds:SignatureValue/><ds:KeyInfo><ds:X509Data><ds:X509Certificate>` + certB64 +
		`</ds:X509Certificate></ds:X509Data></ds:KeyInfo></ds:Signature>`
}

// xmlsecSignFile has xmlsec1 sign a template (the first ds:Signature in it), with the identifier
// attributes declared by ids ("--id-attr:AssertionID", "NS:Assertion", …).
func xmlsecSignFile(t *testing.T, keyFile, template string, ids ...string) []byte {
	t.Helper()
	xmlsec := needTool(t, "xmlsec1")
	dir := t.TempDir()
	in, out := filepath.Join(dir, "tmpl.xml"), filepath.Join(dir, "signed.xml")
	if err := os.WriteFile(in, []byte(template), 0o600); err != nil {
		t.Fatal(err)
	}
	args := append(append([]string{"--sign", "--privkey-pem", keyFile}, ids...), "--output", out, in)
	cmd := exec.Command(xmlsec, args...)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("xmlsec1 --sign: %v\n%s", err, b)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// xmlsecAssertion is an assertion in the eHealth STS's shape, signed by xmlsec1 with the demo token
// service's key.
func xmlsecAssertion(t *testing.T, e *env, holder string, sigAlg, digAlg string) *etree.Element {
	t.Helper()
	stsS := e.stsSigner()
	_, hc := loadPair(t, e.pki, holder)
	now := e.clock.Now().UTC()
	ts := func(d time.Duration) string { return now.Add(d).Format("2006-01-02T15:04:05.000Z") }
	hosp, _ := trust.QualityOf(trust.ProviderHospital)
	id := "_0a1b2c3d4e5f60718293a4b5c6d7e8f9"
	tmpl := `<Assertion xmlns="urn:oasis:names:tc:SAML:1.0:assertion" AssertionID="` + id + `" IssueInstant="` + ts(0) +
		`" Issuer="` + trust.IssuerSTS + `" MajorVersion="1" MinorVersion="1">` +
		`<Conditions NotBefore="` + ts(-5*time.Minute) + `" NotOnOrAfter="` + ts(5*time.Hour) + `"/>` +
		`<AuthenticationStatement AuthenticationInstant="` + ts(0) + `" AuthenticationMethod="urn:oasis:names:tc:SAML:1.0:am:X509-PKI">` +
		`<Subject><NameIdentifier Format="urn:oasis:names:tc:SAML:1.1:nameid-format:X509SubjectName">` + hc.Subject.String() + `</NameIdentifier>` +
		`<SubjectConfirmation><ConfirmationMethod>` + wssec.CMHolderOfKey + `</ConfirmationMethod>` +
		`<ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>` +
		base64.StdEncoding.EncodeToString(hc.Raw) + `</ds:X509Certificate></ds:X509Data></ds:KeyInfo></SubjectConfirmation></Subject>` +
		`</AuthenticationStatement><AttributeStatement><Subject><NameIdentifier>` + hc.Subject.String() + `</NameIdentifier></Subject>` +
		`<Attribute AttributeName="` + hosp.NIHII + `" AttributeNamespace="` + trust.NSCertified + `"><AttributeValue>` +
		pki.DemoNIHIIHospitalCHR + `</AttributeValue></Attribute></AttributeStatement>` +
		envelopedTemplate(id, sigAlg, digAlg, base64.StdEncoding.EncodeToString(stsS.Cert.Raw)) + `</Assertion>`
	signed := xmlsecSignFile(t, filepath.Join(e.pki, pki.STSKeyFile), tmpl, "--id-attr:AssertionID", "urn:oasis:names:tc:SAML:1.0:assertion:Assertion")
	d := etree.NewDocument()
	if err := d.ReadFromBytes(signed); err != nil {
		t.Fatal(err)
	}
	return d.Root()
}

func TestAnAssertionSignedByXmlsec1IsAcceptedAndItsSHA1VariantOnlyUnderTheSwitch(t *testing.T) {
	e := newEnv(t)
	wantOutcome(t, e.call("cpas-namur", demoFile("create.xml"), nil), "DATA_FOUND", "OK")
	as := xmlsecAssertion(t, e, "hospital-chr", algRSA256, digSHA256)
	a, err := e.samlClient("hospital-chr", as).Call(context.Background(), []byte(consultPayload), provider.ActionConsultV2)
	if err != nil {
		t.Fatal(err)
	}
	if a.Outcome != client.Success || text(a, "Result/Carmed/AgreementNumber") == "" {
		t.Fatalf("xmlsec1 assertion refused:\n%s", a.Raw)
	}
	// The real STS's 2020 tokens are RSA-SHA1: refused while the gateway's switch is off.
	old := xmlsecAssertion(t, e, "hospital-chr", algRSA1, digSHA1)
	a, err = e.samlClient("hospital-chr", old).Call(context.Background(), []byte(consultPayload), provider.ActionConsultV2)
	if err != nil {
		t.Fatal(err)
	}
	wantFault(t, a, "wsse:UnsupportedAlgorithm")
	// A forged attribute under xmlsec1's signature.
	forged := as.Copy()
	forged.FindElement(".//AttributeValue").SetText("71099999")
	a, err = e.samlClient("hospital-chr", forged).Call(context.Background(), []byte(consultPayload), provider.ActionConsultV2)
	if err != nil {
		t.Fatal(err)
	}
	wantFault(t, a, "wsse:FailedCheck")
	e.wantLogged(wssec.CheckSAMLSignature)
}

func TestAHolderOfKeyMessageSignedByXmlsec1IsAccepted(t *testing.T) {
	e := newEnv(t)
	wantOutcome(t, e.call("cpas-namur", demoFile("create.xml"), nil), "DATA_FOUND", "OK")
	as, _, err := e.token("hospital-chr", sts.Path, client.TokenRequest{})
	if err != nil {
		t.Fatal(err)
	}
	d := etree.NewDocument()
	d.SetRoot(as)
	tok, err := d.WriteToString()
	if err != nil {
		t.Fatal(err)
	}
	id := as.SelectAttrValue("AssertionID", "")
	for _, c := range []struct {
		name, keyOf, fault string
	}{{"the holder's key", "hospital-chr", ""}, {"another provider's key", "gp-dupont", "wsse:FailedCheck"}} {
		t.Run(c.name, func(t *testing.T) {
			now := e.clock.Now().UTC()
			r := xmlsecRequest{sigAlg: algEC256, created: now, expires: now.Add(time.Minute), body: consultPayload,
				keyInfo: `<wsse:SecurityTokenReference xmlns:wsse11="http://docs.oasis-open.org/wss/oasis-wss-wssecurity-secext-1.1.xsd" ` +
					`wsse11:TokenType="http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLV1.1">` +
					`<wsse:KeyIdentifier ValueType="http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.0#SAMLAssertionID">` + id +
					`</wsse:KeyIdentifier></wsse:SecurityTokenReference>`}
			// The assertion goes after the message signature, which xmlsec1 signs as the first
			// ds:Signature of the document (the connector appends it before; order is free).
			tmpl := strings.Replace(r.template(), "</ds:Signature></wsse:Security>", "</ds:Signature>"+tok+"</wsse:Security>", 1)
			signed := xmlsecSignFile(t, filepath.Join(e.pki, c.keyOf+".key"), tmpl, "--id-attr:Id", "Body", "--id-attr:Id", "Timestamp")
			a := e.postAs("hospital-chr", "/MediPrima/Consult/v2", `"`+provider.ActionConsultV2+`"`, signed)
			if c.fault == "" {
				if a.Outcome != client.Success || text(a, "Result/Carmed/AgreementNumber") == "" {
					t.Fatalf("refused:\n%s", a.Raw)
				}
				return
			}
			wantFault(t, a, c.fault)
			e.wantLogged(wssec.CheckSAMLHolderKey)
		})
	}
}

// The official connector signs its samlp:Request with RSA-SHA1 (hard-coded): accepted only when
// the token service's own legacy switch is on.
func TestAnRSASHA1SignedSTSRequestNeedsTheTokenServiceSwitch(t *testing.T) {
	for _, on := range []bool{false, true} {
		e := newEnv(t, func(o *envOpt) { o.gatewayKey = pki.GatewayRSA; o.stsAllowSHA1 = on })
		c := e.clientAt("hospital-chr", sts.Path)
		req, err := client.STSRequest(client.TokenRequest{Holder: c.Signer, Now: e.clock.Now()})
		if err != nil {
			t.Fatal(err)
		}
		req.RemoveChildAt(0) // our RSA-SHA256 signature, replaced by xmlsec1's RSA-SHA1 one
		d := etree.NewDocument()
		d.SetRoot(req)
		raw, _ := d.WriteToString()
		id := req.SelectAttrValue("RequestID", "")
		tmpl := strings.Replace(raw, "<samlp:AttributeQuery>",
			envelopedTemplate(id, algRSA1, digSHA1, base64.StdEncoding.EncodeToString(c.Signer.Cert.Raw))+"<samlp:AttributeQuery>", 1)
		signed := xmlsecSignFile(t, filepath.Join(e.pki, "hospital-chr.key"), tmpl, "--id-attr:RequestID", "urn:oasis:names:tc:SAML:1.0:protocol:Request")
		a, err := c.Call(context.Background(), signed, client.ActionRequestSecureToken)
		if err != nil {
			t.Fatal(err)
		}
		got := a.Payload.FindElement("./Status/StatusCode").SelectAttrValue("Value", "")
		if want := map[bool]string{false: "samlp:Requester", true: "samlp:Success"}[on]; got != want {
			t.Fatalf("switch %v: status %s, want %s", on, got, want)
		}
	}
}
