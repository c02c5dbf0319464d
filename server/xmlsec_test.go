package server_test

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha1"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/base64"
	"encoding/pem"
	"fmt"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/carmed/carmed/client"
	"github.com/carmed/carmed/face/provider"
	"github.com/carmed/carmed/pki"
	"github.com/carmed/carmed/server"
)

// URIs the xmlsec1 templates name.
const (
	vtX509v3    = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509v3"
	vtPKIPath   = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509PKIPathv1"
	vtSKI       = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0#X509SubjectKeyIdentifier"
	vtThumb     = "http://docs.oasis-open.org/wss/oasis-wss-soap-message-security-1.1#ThumbprintSHA1"
	encBase64   = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary"
	algRSA256   = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"
	algRSA384   = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha384"
	algRSA512   = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha512"
	algEC256    = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256"
	algEC384    = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha384"
	algEC512    = "http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512"
	digSHA256   = "http://www.w3.org/2001/04/xmlenc#sha256"
	digSHA384   = "http://www.w3.org/2001/04/xmldsig-more#sha384"
	digSHA512   = "http://www.w3.org/2001/04/xmlenc#sha512"
	actionCPASC = `"urn:carmed:cpas:v1:consultCarmed"`
)

// xmlsecRequest is a SOAP 1.1 template for xmlsec1: a Timestamp and one Signature over the Body
// and the Timestamp whose values xmlsec1 fills in. The token and the KeyInfo are written here,
// the way WSS4J and zeep write them; xmlsec1 leaves a SecurityTokenReference as it is.
type xmlsecRequest struct {
	sigAlg, digestAlg string // defaults: RSA-SHA256 and SHA-256
	token             string // a BinarySecurityToken element, or ""
	keyInfo           string // the content of ds:KeyInfo
	created, expires  time.Time
	body              string
}

func (r xmlsecRequest) template() string {
	sig, dig := r.sigAlg, r.digestAlg
	if sig == "" {
		sig = algRSA256
	}
	if dig == "" {
		dig = digSHA256
	}
	expires := ""
	if !r.expires.IsZero() {
		expires = "<wsu:Expires>" + r.expires.UTC().Format(time.RFC3339) + "</wsu:Expires>"
	}
	ref := func(id string) string {
		return `<ds:Reference URI="#` + id + `"><ds:Transforms><ds:Transform Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/></ds:Transforms>` +
			`<ds:DigestMethod Algorithm="` + dig + `"/><ds:DigestValue/></ds:Reference>`
	}
	return `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"
  xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"
  xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd">
<soapenv:Header><wsse:Security soapenv:mustUnderstand="1">` + r.token + `
<wsu:Timestamp wsu:Id="TS-1"><wsu:Created>` + r.created.UTC().Format(time.RFC3339) + `</wsu:Created>` + expires + `</wsu:Timestamp>
<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:SignedInfo>
<ds:CanonicalizationMethod Algorithm="http://www.w3.org/2001/10/xml-exc-c14n#"/>
<ds:SignatureMethod Algorithm="` + sig + `"/>` + ref("Body-1") + ref("TS-1") + `
</ds:SignedInfo><ds:SignatureValue/>
<ds:KeyInfo>` + r.keyInfo + `</ds:KeyInfo>
</ds:Signature></wsse:Security></soapenv:Header>
<soapenv:Body wsu:Id="Body-1">` + r.body + `</soapenv:Body></soapenv:Envelope>`
}

// bstRequest references a BinarySecurityToken of type vt holding der.
func bstRequest(vt string, der []byte) xmlsecRequest {
	return xmlsecRequest{
		token: `<wsse:BinarySecurityToken wsu:Id="X509-1" ValueType="` + vt + `" EncodingType="` + encBase64 + `">` +
			base64.StdEncoding.EncodeToString(der) + `</wsse:BinarySecurityToken>`,
		keyInfo: `<wsse:SecurityTokenReference><wsse:Reference URI="#X509-1" ValueType="` + vt + `"/></wsse:SecurityTokenReference>`,
	}
}

// keyIDRequest names the certificate by a KeyIdentifier of type vt.
func keyIDRequest(vt string, id []byte) xmlsecRequest {
	return xmlsecRequest{keyInfo: `<wsse:SecurityTokenReference><wsse:KeyIdentifier EncodingType="` + encBase64 +
		`" ValueType="` + vt + `">` + base64.StdEncoding.EncodeToString(id) + `</wsse:KeyIdentifier></wsse:SecurityTokenReference>`}
}

// pkiPath is the DER of a X509PKIPathv1 token: a SEQUENCE OF Certificate, issuer first.
func pkiPath(t testing.TB, certs ...*x509.Certificate) []byte {
	t.Helper()
	raws := make([]asn1.RawValue, len(certs))
	for i, c := range certs {
		raws[i] = asn1.RawValue{FullBytes: c.Raw}
	}
	der, err := asn1.Marshal(raws)
	if err != nil {
		t.Fatal(err)
	}
	return der
}

// xmlsecSign has xmlsec1 sign the template with the PEM private key in keyFile.
func xmlsecSign(t testing.TB, keyFile string, r xmlsecRequest) []byte {
	t.Helper()
	xmlsec := needTool(t, "xmlsec1")
	dir := t.TempDir()
	in, out := filepath.Join(dir, "tmpl.xml"), filepath.Join(dir, "signed.xml")
	if err := os.WriteFile(in, []byte(r.template()), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(xmlsec, "--sign", "--privkey-pem", keyFile,
		"--id-attr:Id", "Body", "--id-attr:Id", "Timestamp", "--output", out, in)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("xmlsec1 --sign: %v\n%s", err, b)
	}
	signed, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return signed
}

// postAs sends a signed envelope to a face and reads the answer with the party's client, which
// verifies the gateway's signature.
func (e *env) postAs(party, path, action string, signed []byte) *client.Answer {
	e.t.Helper()
	status, answer := post(e.t.(*testing.T), e.url+path, "text/xml; charset=utf-8", signed, map[string]string{"SOAPAction": action})
	a, err := e.clientAt(party, path).Read(status, answer)
	if err != nil {
		e.t.Fatal(err)
	}
	return a
}

// consultBody is the demo consult payload of a CPAS with its own ticket.
func consultBody(t testing.TB, party, ticket string) string {
	t.Helper()
	file := map[string]string{"cpas-namur": "consult.xml", "cpas-liege": "consult-as-liege.xml"}[party]
	b, err := client.Set([]byte(readFixture(t, demoFile(file))), map[string]string{"ticket": ticket})
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func wantFault(t *testing.T, a *client.Answer, code string) {
	t.Helper()
	if a.Outcome != client.Faulted || !strings.HasPrefix(a.Code, code) {
		t.Fatalf("got %v %q, want a %s fault", a.Outcome, a.Code, code)
	}
}

// TestARequestSignedByXmlsec1IsAccepted: an independent implementation (xmlsec1 from Debian) signs a
// createCarmed template with a demo CPAS key, and the running gateway accepts it.
func TestARequestSignedByXmlsec1IsAccepted(t *testing.T) {
	e := newEnv(t)
	for _, c := range []struct{ party, alg, ticket, ssin string }{
		{"cpas-namur", algRSA256, "xmlsec-rsa-1", "85031412302"},
		{"cpas-liege", algEC256, "xmlsec-ec-1", "90072224663"},
	} {
		t.Run(c.party, func(t *testing.T) {
			_, cert := loadPair(t, e.pki, c.party)
			cbe := map[string]string{"cpas-namur": pki.DemoCBENamur, "cpas-liege": pki.DemoCBELiege}[c.party]
			body := strings.Replace(readFixture(t, demoFile("create.xml")), "0212345668", cbe, 1)
			body = strings.Replace(body, "demo-create-0001", c.ticket, 1)
			body = strings.Replace(body, "85031412302", c.ssin, 1)
			now := e.clock.Now().UTC()
			r := bstRequest(vtX509v3, cert.Raw)
			r.sigAlg, r.created, r.expires, r.body = c.alg, now, now.Add(5*time.Minute), body
			signed := xmlsecSign(t, filepath.Join(e.pki, c.party+".key"), r)
			a := e.postAs(c.party, "/cpas/v1", `"urn:carmed:cpas:v1:createCarmed"`, signed)
			wantOutcome(t, a, "DATA_FOUND", "OK")
		})
	}
}

// TestEveryAllowedAlgorithmFromXmlsec1IsAccepted: each SignatureMethod of the allow-list (RSA with
// the RSA demo CPAS, ECDSA with a P-256 one) with each DigestMethod, signed by xmlsec1, is
// accepted end to end.
func TestEveryAllowedAlgorithmFromXmlsec1IsAccepted(t *testing.T) {
	e := newEnv(t)
	wantOutcome(t, e.call("cpas-namur", demoFile("create.xml"), nil), "DATA_FOUND", "OK")
	n := 0
	for _, s := range []struct{ party, alg string }{
		{"cpas-namur", algRSA256}, {"cpas-namur", algRSA384}, {"cpas-namur", algRSA512},
		{"cpas-liege", algEC256}, {"cpas-liege", algEC384}, {"cpas-liege", algEC512},
	} {
		for _, dig := range []string{digSHA256, digSHA384, digSHA512} {
			n++
			name := s.alg[strings.IndexByte(s.alg, '#')+1:] + " over " + dig[strings.IndexByte(dig, '#')+1:]
			t.Run(name, func(t *testing.T) {
				_, cert := loadPair(t, e.pki, s.party)
				now := e.clock.Now()
				r := bstRequest(vtX509v3, cert.Raw)
				r.sigAlg, r.digestAlg, r.created, r.expires = s.alg, dig, now, now.Add(5*time.Minute)
				r.body = consultBody(t, s.party, fmt.Sprintf("xmlsec-alg-%d", n))
				signed := xmlsecSign(t, filepath.Join(e.pki, s.party+".key"), r)
				if !strings.Contains(string(signed), `Algorithm="`+dig+`"`) || !strings.Contains(string(signed), `Algorithm="`+s.alg+`"`) {
					t.Fatalf("xmlsec1 did not sign with %s", name)
				}
				wantOutcome(t, e.postAs(s.party, "/cpas/v1", actionCPASC, signed), "DATA_FOUND", "OK")
			})
		}
	}
}

// TestTokenReferencesFromXmlsec1: the X.509 token profile's ways of naming the signer, each in a
// message xmlsec1 signed, for a pinned CPAS and for a provider matched by CA and subject.
func TestTokenReferencesFromXmlsec1(t *testing.T) {
	e := newEnv(t)
	wantOutcome(t, e.call("cpas-namur", demoFile("create.xml"), nil), "DATA_FOUND", "OK")
	ca, err := pki.LoadCert(filepath.Join(e.pki, pki.CACertFile))
	if err != nil {
		t.Fatal(err)
	}
	_, namur := loadPair(t, e.pki, "cpas-namur")
	_, hospital := loadPair(t, e.pki, "hospital-chr")
	thumb := sha1.Sum(namur.Raw)
	stranger, strangerKey := demoCAIssued(t, e.pki, "not in the trust file")

	providerBody := `<mp:ConsultCarmedInterventionRequest xmlns:mp="urn:be:fgov:ehealth:mediprima:protocol:v2" Id="R-xmlsec-1" IssueInstant="2026-12-01T09:15:00Z">` +
		`<SelectionCriteria><BySsin><Ssin>85031412302</Ssin><ReferenceDate>2026-12-01</ReferenceDate></BySsin></SelectionCriteria></mp:ConsultCarmedInterventionRequest>`
	cpas := func(party string) (string, string, string) { return party, "/cpas/v1", actionCPASC }
	for i, c := range []struct {
		name     string
		req      xmlsecRequest
		party    string
		key      string // key file, default the party's
		provider bool
		fault    string // "" = accepted
	}{
		{name: "a ThumbprintSHA1 KeyIdentifier of a listed certificate", req: keyIDRequest(vtThumb, thumb[:]), party: "cpas-namur"},
		{name: "a SubjectKeyIdentifier", req: keyIDRequest(vtSKI, namur.SubjectKeyId), party: "cpas-namur"},
		{name: "an X509IssuerSerial", party: "cpas-namur", req: xmlsecRequest{keyInfo: `<wsse:SecurityTokenReference><ds:X509Data><ds:X509IssuerSerial><ds:X509IssuerName>` +
			namur.Issuer.String() + `</ds:X509IssuerName><ds:X509SerialNumber>` + namur.SerialNumber.String() + `</ds:X509SerialNumber></ds:X509IssuerSerial></ds:X509Data></wsse:SecurityTokenReference>`}},
		{name: "a X509PKIPathv1 token of CA and pinned CPAS", req: bstRequest(vtPKIPath, pkiPath(t, ca, namur)), party: "cpas-namur"},
		{name: "a X509PKIPathv1 token of CA and a provider matched by CA and subject", req: bstRequest(vtPKIPath, pkiPath(t, ca, hospital)), party: "hospital-chr", provider: true},
		{name: "a X509PKIPathv1 token whose leaf is not trusted", req: bstRequest(vtPKIPath, pkiPath(t, ca, stranger)), party: "cpas-namur", key: strangerKey, fault: "wsse:FailedAuthentication"},
		{name: "a X509PKIPathv1 token whose chain is broken", req: bstRequest(vtPKIPath, pkiPath(t, hospital, namur)), party: "cpas-namur", fault: "wsse:InvalidSecurityToken"},
		{name: "the thumbprint of a certificate nobody listed", req: keyIDRequest(vtThumb, sha1Of(stranger.Raw)), party: "cpas-namur", key: strangerKey, fault: "wsse:SecurityTokenUnavailable"},
	} {
		t.Run(c.name, func(t *testing.T) {
			party, path, action := cpas(c.party)
			body := consultBody(t, "cpas-namur", fmt.Sprintf("xmlsec-ref-%d", i))
			if c.provider {
				path, action, body = "/MediPrima/Consult/v2", provider.ActionConsultV2, providerBody
			}
			key := c.key
			if key == "" {
				key = filepath.Join(e.pki, c.party+".key")
			}
			now := e.clock.Now()
			r := c.req
			r.created, r.expires, r.body = now, now.Add(5*time.Minute), body
			if c.party != "cpas-namur" || c.key != "" {
				r.sigAlg = algEC256 // the demo providers and the strangers have P-256 keys
			}
			a := e.postAs(party, path, action, xmlsecSign(t, key, r))
			switch {
			case c.fault != "":
				wantFault(t, a, c.fault)
			case c.provider:
				if top, _ := statusURI(a); top != provider.StatusSuccess || carmeds(a) != 1 {
					t.Fatalf("status %s with %d Carmed", top, carmeds(a))
				}
			default:
				wantOutcome(t, a, "DATA_FOUND", "OK")
			}
		})
	}
}

func sha1Of(b []byte) []byte { s := sha1.Sum(b); return s[:] }

// demoCAIssued issues, with the demo CA's key, a P-256 certificate under a subject no trust entry
// names and writes its key; it returns the certificate and the key file.
func demoCAIssued(t *testing.T, dir, cn string) (*x509.Certificate, string) {
	t.Helper()
	caKey, ca, err := pki.LoadKeyPair(filepath.Join(dir, pki.CACertFile), filepath.Join(dir, pki.CAKeyFile))
	if err != nil {
		t.Fatal(err)
	}
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: cn, Country: []string{"BE"}},
		NotBefore: ca.NotBefore, NotAfter: ca.NotAfter.Add(-time.Hour), KeyUsage: x509.KeyUsageDigitalSignature}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, k.Public(), caKey)
	if err != nil {
		t.Fatal(err)
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	p8, err := x509.MarshalPKCS8PrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(t.TempDir(), "stranger.key")
	if err := os.WriteFile(f, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: p8}), 0o600); err != nil {
		t.Fatal(err)
	}
	return c, f
}

// TestATimestampWithoutExpiresFromXmlsec1: WSS4J with a ttl of 0 sends no Expires. Such a request
// is accepted, its replay is recognised for as long as it is fresh (Created plus the maximum
// lifetime), and one created longer ago than that is MessageExpired.
func TestATimestampWithoutExpiresFromXmlsec1(t *testing.T) {
	e := newEnv(t)
	wantOutcome(t, e.call("cpas-namur", demoFile("create.xml"), nil), "DATA_FOUND", "OK")
	_, cert := loadPair(t, e.pki, "cpas-namur")
	key := filepath.Join(e.pki, "cpas-namur.key")
	sign := func(ticket string, created time.Time) []byte {
		r := bstRequest(vtX509v3, cert.Raw)
		r.created, r.body = created, consultBody(t, "cpas-namur", ticket)
		return xmlsecSign(t, key, r)
	}
	signed := sign("xmlsec-noexp-1", e.clock.Now())
	if strings.Contains(string(signed), "Expires") {
		t.Fatal("the template has an Expires")
	}
	wantOutcome(t, e.postAs("cpas-namur", "/cpas/v1", actionCPASC, signed), "DATA_FOUND", "OK")

	e.advance(50 * time.Minute) // still fresh: the replay cache must still know it
	wantFault(t, e.postAs("cpas-namur", "/cpas/v1", actionCPASC, signed), "wsse:InvalidSecurity REPLAYED")

	old := sign("xmlsec-noexp-2", e.clock.Now().Add(-server.MaxTimestampTTL-server.ClockSkew-time.Second))
	wantFault(t, e.postAs("cpas-namur", "/cpas/v1", actionCPASC, old), "wsse:MessageExpired")
}

// advance moves the gateway's clock forward.
func (e *env) advance(d time.Duration) {
	e.clock.mu.Lock()
	e.clock.t = e.clock.t.Add(d)
	e.clock.mu.Unlock()
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
