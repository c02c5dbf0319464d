package server

import (
	"encoding/base64"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/carmed/carmed/pki"
)

const xmlsecTemplate = `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"
  xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
  xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd">
<soapenv:Header><wsse:Security soapenv:mustUnderstand="1">
<wsse:BinarySecurityToken wsu:Id="X509-1" ValueType="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509v3" EncodingType="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary">%s</wsse:BinarySecurityToken>
<wsu:Timestamp wsu:Id="TS-1"><wsu:Created>%s</wsu:Created><wsu:Expires>%s</wsu:Expires></wsu:Timestamp>
<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo>
<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>
<ds:SignatureMethod Algorithm="%s"/>
<ds:Reference URI="#Body-1"><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms>
<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue/></ds:Reference>
<ds:Reference URI="#TS-1"><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms>
<ds:DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><ds:DigestValue/></ds:Reference>
</ds:SignedInfo><ds:SignatureValue/>
<ds:KeyInfo><wsse:SecurityTokenReference><wsse:Reference URI="#X509-1" ValueType="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509v3"/></wsse:SecurityTokenReference></ds:KeyInfo>
</ds:Signature></wsse:Security></soapenv:Header>
<soapenv:Body wsu:Id="Body-1">%s</soapenv:Body></soapenv:Envelope>`

// TestARequestSignedByXmlsec1IsAccepted: an independent implementation (xmlsec1 from Debian) signs a
// createCarmed template with a demo CPAS key, and the running gateway accepts it.
func TestARequestSignedByXmlsec1IsAccepted(t *testing.T) {
	xmlsec := needTool(t, "xmlsec1")
	// The demo parties' keys are of the gateway key's kind (env_test.go): an RSA party key
	// comes with the RSA PKI, a P-256 one with the ECDSA PKI.
	for _, c := range []struct{ pki, party, alg, ticket, ssin string }{
		{pki.GatewayRSA, "cpas-namur", "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256", "xmlsec-rsa-1", "85031412302"},
		{pki.GatewayECDSA, "cpas-liege", "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256", "xmlsec-ec-1", "90072224663"},
	} {
		t.Run(c.party, func(t *testing.T) {
			e := newEnv(t, func(o *envOpt) { o.gatewayKey = c.pki })
			_, cert := loadPair(t, e.pki, c.party)
			payload, err := os.ReadFile(demoFile("create.xml"))
			if err != nil {
				t.Fatal(err)
			}
			cbe := map[string]string{"cpas-namur": pki.DemoCBENamur, "cpas-liege": pki.DemoCBELiege}[c.party]
			body := strings.Replace(string(payload), "0212345668", cbe, 1)
			body = strings.Replace(body, "demo-create-0001", c.ticket, 1)
			body = strings.Replace(body, "85031412302", c.ssin, 1)
			now := e.clock.Now().UTC()
			tmpl := fmt.Sprintf(xmlsecTemplate, base64.StdEncoding.EncodeToString(cert.Raw),
				now.Format(time.RFC3339), now.Add(5*time.Minute).Format(time.RFC3339), c.alg, body)
			dir := t.TempDir()
			in, out := filepath.Join(dir, "tmpl.xml"), filepath.Join(dir, "signed.xml")
			if err := os.WriteFile(in, []byte(tmpl), 0o600); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(xmlsec, "--sign", "--privkey-pem", filepath.Join(e.pki, c.party+".key"),
				"--id-attr:Id", "Body", "--id-attr:Id", "Timestamp", "--output", out, in)
			if b, err := cmd.CombinedOutput(); err != nil {
				t.Fatalf("xmlsec1 --sign: %v\n%s", err, b)
			}
			signed, _ := os.ReadFile(out)
			status, answer := post(t, e.url+"/cpas/v1", "text/xml; charset=utf-8", signed,
				map[string]string{"SOAPAction": `"urn:carmed:cpas:v1:createCarmed"`})
			a, err := e.client(c.party).Read(status, answer)
			if err != nil {
				t.Fatal(err)
			}
			wantOutcome(t, a, "DATA_FOUND", "OK")
		})
	}
}

// TestXmlsec1VerifiesTheGatewaysAnswers: answers signed with an RSA or an ECDSA P-256 gateway key
// verify with xmlsec1 against the gateway certificate.
func TestXmlsec1VerifiesTheGatewaysAnswers(t *testing.T) {
	xmlsec := needTool(t, "xmlsec1")
	for _, kind := range []string{pki.GatewayRSA, pki.GatewayECDSA} {
		t.Run(kind, func(t *testing.T) {
			e := newEnv(t, func(o *envOpt) { o.gatewayKey = kind })
			for name, a := range map[string][]byte{
				"answer": e.call("cpas-namur", demoFile("create.xml"), nil).Raw,
				"fault":  e.call("cpas-namur", demoFile("consult.xml"), map[string]string{"ssin": "85031412303"}).Raw,
			} {
				f := filepath.Join(t.TempDir(), name+".xml")
				if err := os.WriteFile(f, a, 0o600); err != nil {
					t.Fatal(err)
				}
				cmd := exec.Command(xmlsec, "--verify", "--pubkey-cert-pem", filepath.Join(e.pki, pki.GatewayCertFile),
					"--id-attr:Id", "Body", "--id-attr:Id", "Timestamp", f)
				if b, err := cmd.CombinedOutput(); err != nil {
					t.Fatalf("xmlsec1 --verify of the %s %s: %v\n%s", kind, name, err, b)
				}
			}
		})
	}
}
