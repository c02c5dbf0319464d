package wssec

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/carmed/carmed/internal/needtool"
)

// Payloads SealBody gets: answers the bytes path takes (one with a QName in its text) and one it
// leaves to the tree path (a comment).
var sealPayloads = []struct {
	name, xml string
	bytesPath bool
}{
	{"an answer", `<tns:consultCarmedResponse xmlns:tns="urn:carmed:cpas:v1"><status><value>DATA_FOUND</value></status><note>Tom &amp; Jerry &lt;3 &#34;quoted&#34;&#xA;</note><name lang="fr">CPAS de Namur</name></tns:consultCarmedResponse>`, true},
	{"a default namespace and a QName", `<r xmlns="urn:r" xmlns:q="urn:q"><code>q:Client</code><x xmlns=""/></r>`, true},
	{"a comment", `<tns:r xmlns:tns="urn:t"><!-- c --><a>1</a></tns:r>`, false},
}

// A sealed payload verifies (RSA and ECDSA, SOAP 1.1 and 1.2), the verified canonical Body is the
// payload's, and the signed envelope has the layout SignEnvelope gives clients.
func TestSealBodyVerifies(t *testing.T) {
	rsaK, ecK, _ := testKeys(t)
	for _, k := range []testKey{rsaK, ecK} {
		for _, v := range []SOAPVersion{SOAP11, SOAP12} {
			for _, p := range sealPayloads {
				t.Run(k.cert.Subject.CommonName+" "+v.String()+" "+p.name, func(t *testing.T) {
					s := &Signer{Key: k.key, Cert: k.cert, Now: func() time.Time { return testEpoch }}
					raw, err := s.SealBody(v, []byte(p.xml))
					if err != nil {
						t.Fatal(err)
					}
					got, err := verifierFor(testEpoch.Add(time.Minute), k.cert).Verify(parseUnverified(t, raw))
					if err != nil {
						t.Fatalf("Verify: %v\n%s", err, raw)
					}
					if got.Version != v || got.Payload == nil || !got.Created.Equal(testEpoch) {
						t.Fatalf("verified %v, payload %v, created %v", got.Version, got.Payload, got.Created)
					}
					want, _, _, err := treeBody(t, v, got.Body.SelectAttrValue("wsu:Id", ""), []byte(p.xml))
					if err != nil || !bytes.Equal(got.CanonicalBody, want) {
						t.Fatalf("canonical Body\n got %s\nwant %s (%v)", got.CanonicalBody, want, err)
					}
					// The bytes path writes the digested Body verbatim; the tree path does not.
					if bytes.Contains(raw, want) != p.bytesPath {
						t.Errorf("Body written as digested: %v, want %v", !p.bytesPath, p.bytesPath)
					}
					env, _ := findEnvelope(parseUnverified(t, raw))
					var names []string
					for _, c := range securityHeaders(env, nil)[0].ChildElements() {
						names = append(names, c.FullTag())
					}
					if len(names) != 3 || names[0] != "wsse:BinarySecurityToken" || names[1] != "wsu:Timestamp" || names[2] != "ds:Signature" {
						t.Errorf("Security children %v", names)
					}
				})
			}
		}
	}
}

// A tampered sealed Body does not verify: the digest covers the bytes written.
func TestSealBodyDigestCoversTheBody(t *testing.T) {
	rsaK, _, _ := testKeys(t)
	s := &Signer{Key: rsaK.key, Cert: rsaK.cert, Now: func() time.Time { return testEpoch }}
	raw, err := s.SealBody(SOAP11, []byte(sealPayloads[0].xml))
	if err != nil {
		t.Fatal(err)
	}
	bad := bytes.Replace(raw, []byte("DATA_FOUND"), []byte("NO_DATA_FOUND"), 1)
	if _, err := verifierFor(testEpoch, rsaK.cert).Verify(parseUnverified(t, bad)); err == nil {
		t.Fatal("a changed Body verified")
	}
}

// xmlsec1, an independent implementation, verifies what SealBody writes.
func TestSealBodyVerifiesWithXmlsec1(t *testing.T) {
	xmlsec := needtool.Path(t, "xmlsec1")
	rsaK, ecK, _ := testKeys(t)
	dir := t.TempDir()
	for i, k := range []testKey{rsaK, ecK} {
		certFile := filepath.Join(dir, "cert.pem")
		if err := os.WriteFile(certFile, certPEM(k.cert), 0o600); err != nil {
			t.Fatal(err)
		}
		for j, p := range sealPayloads {
			s := &Signer{Key: k.key, Cert: k.cert, Now: func() time.Time { return testEpoch }}
			raw, err := s.SealBody(SOAP12, []byte(p.xml))
			if err != nil {
				t.Fatal(err)
			}
			file := filepath.Join(dir, string(rune('a'+i))+string(rune('a'+j))+".xml")
			if err := os.WriteFile(file, raw, 0o600); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(xmlsec, "--verify", "--id-attr:Id", "Body", "--id-attr:Id", "Timestamp",
				"--pubkey-cert-pem", certFile, file).CombinedOutput()
			if err != nil || !bytes.Contains(out, []byte("References (ok/all): 2/2")) {
				t.Fatalf("%s: xmlsec1: %v\n%s\n%s", p.name, err, out, raw)
			}
		}
	}
}
