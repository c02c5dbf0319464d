package wssec

import (
	"bytes"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha1"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/beevik/etree"
)

// TestEveryAllowedAlgorithmVerifies: each SignatureMethod of the allow-list (but SHA-1) with each
// DigestMethod, signed by our signer, verifies; the SignedInfo names what was asked for.
func TestEveryAllowedAlgorithmVerifies(t *testing.T) {
	rsaK, ecK, _ := testKeys(t)
	digests := map[crypto.Hash]string{crypto.SHA256: algSHA256, crypto.SHA384: algSHA384, crypto.SHA512: algSHA512}
	for _, k := range []struct {
		name string
		key  testKey
		sigs map[crypto.Hash]string
	}{
		{"RSA", rsaK, map[crypto.Hash]string{crypto.SHA256: algRSASHA256, crypto.SHA384: algRSASHA384, crypto.SHA512: algRSASHA512}},
		{"ECDSA", ecK, map[crypto.Hash]string{crypto.SHA256: algECDSASHA256, crypto.SHA384: algECDSASHA384, crypto.SHA512: algECDSASHA512}},
	} {
		for sh, sigURI := range k.sigs {
			for dh, digURI := range digests {
				t.Run(k.name+"-"+sh.String()+" over "+dh.String()+" digests verifies", func(t *testing.T) {
					s := &Signer{Key: k.key.key, Cert: k.key.cert, Hash: sh, Digest: dh, Now: func() time.Time { return testEpoch }}
					d := parseUnverified(t, []byte(unsignedEnvelopes[0].xml))
					if err := s.SignEnvelope(d); err != nil {
						t.Fatal(err)
					}
					raw, d := reparse(t, d)
					if !bytes.Contains(raw, []byte(`"`+sigURI+`"`)) || bytes.Count(raw, []byte(`"`+digURI+`"`)) != 2 {
						t.Fatalf("SignedInfo does not name %s and %s twice:\n%s", sigURI, digURI, raw)
					}
					if _, err := verifierFor(testEpoch, k.key.cert).Verify(d); err != nil {
						t.Fatal(err)
					}
				})
			}
		}
	}
}

func TestBase64LengthsAtTheLimits(t *testing.T) {
	wrap := func(s string) string { // 64 columns and CRLF, as many clients write long values
		var b strings.Builder
		for len(s) > 64 {
			b.WriteString(s[:64] + "\r\n")
			s = s[64:]
		}
		return b.String() + s
	}
	for _, c := range []struct {
		name string
		n    int
		max  int
		ok   bool
	}{
		{"a SHA-512 digest (64 bytes, 88 characters with padding) fits its limit", 64, maxDigestBytes, true},
		{"a 65-byte digest does not", 65, maxDigestBytes, false},
		{"a SHA-384 digest (48 bytes, no padding) fits", 48, maxDigestBytes, true},
		{"an RSA-8192 signature value (1024 bytes) fits its limit", 1024, maxSignatureBytes, true},
		{"a 1025-byte signature value does not", 1025, maxSignatureBytes, false},
		{"a 1023-byte signature value (one padding character) fits", 1023, maxSignatureBytes, true},
	} {
		t.Run(c.name, func(t *testing.T) {
			data := bytes.Repeat([]byte{0xA5}, c.n)
			for _, text := range []string{b64(data), wrap(b64(data)), " \n " + b64(data) + "\n "} {
				got, err := decodeBase64(text, c.max)
				if c.ok && (err != nil || !bytes.Equal(got, data)) {
					t.Fatalf("refused or changed: %v", err)
				}
				if !c.ok && err == nil {
					t.Fatal("accepted")
				}
			}
		})
	}
}

// TestValueLengthsAtTheVerifier: the length gates of SignatureValue and DigestValue let the
// largest allowed values through to the cryptographic check (FailedCheck) and refuse one byte
// more as malformed (InvalidSecurity).
func TestValueLengthsAtTheVerifier(t *testing.T) {
	rsaK, _, _ := testKeys(t)
	signed := func(t *testing.T) *etree.Document {
		s := &Signer{Key: rsaK.key, Cert: rsaK.cert, Digest: crypto.SHA512, Now: func() time.Time { return testEpoch }}
		d := parseUnverified(t, []byte(unsignedEnvelopes[0].xml))
		if err := s.SignEnvelope(d); err != nil {
			t.Fatal(err)
		}
		_, d = reparse(t, d)
		return d
	}
	for _, c := range []struct {
		name string
		edit func(t *testing.T, d *etree.Document)
		want FaultCode
	}{
		{"a SignatureValue of RSA-8192 size reaches the signature check", func(t *testing.T, d *etree.Document) {
			find(d, nsDS, "SignatureValue").SetText(b64(bytes.Repeat([]byte{1}, 1024)))
		}, FailedCheck},
		{"a SignatureValue one byte longer is malformed", func(t *testing.T, d *etree.Document) {
			find(d, nsDS, "SignatureValue").SetText(b64(bytes.Repeat([]byte{1}, 1025)))
		}, InvalidSecurity},
		{"a wrong 64-byte SHA-512 DigestValue reaches the digest check", func(t *testing.T, d *etree.Document) {
			find(d, nsDS, "DigestValue").SetText(b64(bytes.Repeat([]byte{2}, 64)))
			resign(t, d, rsaK)
		}, FailedCheck},
		{"a 65-byte DigestValue is malformed", func(t *testing.T, d *etree.Document) {
			find(d, nsDS, "DigestValue").SetText(b64(bytes.Repeat([]byte{2}, 65)))
			resign(t, d, rsaK)
		}, InvalidSecurity},
		{"a 48-byte DigestValue for SHA-512 is malformed", func(t *testing.T, d *etree.Document) {
			find(d, nsDS, "DigestValue").SetText(b64(bytes.Repeat([]byte{2}, 48)))
			resign(t, d, rsaK)
		}, InvalidSecurity},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := signed(t)
			c.edit(t, d)
			_, err := verifierFor(testEpoch, rsaK.cert).Verify(d)
			wantCode(t, err, c.want)
		})
	}
}

// TestEveryTokenReferenceOfTheSignerVerifies: each KeyInfo form the signer writes resolves to
// the signing certificate, the thumbprint with SHA-1 signatures off.
func TestEveryTokenReferenceOfTheSignerVerifies(t *testing.T) {
	rsaK, ecK, _ := testKeys(t)
	for _, c := range []struct {
		name string
		ref  KeyRef
		want string
	}{
		{"BinarySecurityToken X509v3", RefBST, valueTypeX509v3},
		{"BinarySecurityToken X509PKIPathv1 of the certificate alone", RefPKIPath, valueTypePKIPath},
		{"X509IssuerSerial", RefIssuerSerial, "X509IssuerSerial"},
		{"SubjectKeyIdentifier", RefSKI, valueTypeSKI},
		{"ThumbprintSHA1", RefThumbprint, valueTypeThumbprint},
		{"X509Data certificate", RefX509Data, "X509Certificate"},
	} {
		for _, k := range []testKey{rsaK, ecK} {
			t.Run(c.name+" resolves to the "+k.cert.Subject.CommonName+" certificate", func(t *testing.T) {
				s := &Signer{Key: k.key, Cert: k.cert, KeyRef: c.ref, Now: func() time.Time { return testEpoch }}
				d := parseUnverified(t, []byte(unsignedEnvelopes[1].xml))
				if err := s.SignEnvelope(d); err != nil {
					t.Fatal(err)
				}
				raw, d := reparse(t, d)
				if !bytes.Contains(raw, []byte(c.want)) {
					t.Fatalf("no %s in\n%s", c.want, raw)
				}
				got, err := verifierFor(testEpoch, rsaK.cert, ecK.cert).Verify(d)
				if err != nil {
					t.Fatal(err)
				}
				if !got.Cert.Equal(k.cert) || len(got.Path) != 0 {
					t.Fatalf("resolved %s with a path of %d", got.Cert.Subject, len(got.Path))
				}
			})
		}
	}
}

func TestThumbprintReferencesThatFail(t *testing.T) {
	rsaK, _, otherK := testKeys(t)
	for _, c := range []struct {
		name string
		id   []byte
		vt   string
		want FaultCode
	}{
		{"the thumbprint of a certificate the trust does not know is unavailable", sum1(otherK.cert.Raw), valueTypeThumbprint, SecurityTokenUnavailable},
		{"a thumbprint of 19 bytes is invalid", sum1(rsaK.cert.Raw)[:19], valueTypeThumbprint, InvalidSecurityToken},
		{"a thumbprint under an unknown ValueType is unsupported", sum1(rsaK.cert.Raw), "urn:ThumbprintSHA256", UnsupportedSecurityToken},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, d := reparse(t, signWith(t, rsaK, unsignedEnvelopes[0].xml, testEpoch))
			replaceKeyInfo(d, func(ki *etree.Element) {
				k := ki.CreateElement("wsse:SecurityTokenReference").CreateElement("wsse:KeyIdentifier")
				k.CreateAttr("xmlns:wsse", nsWSSE)
				k.CreateAttr("ValueType", c.vt)
				k.SetText(b64(c.id))
			})
			_, err := verifierFor(testEpoch, rsaK.cert).Verify(d)
			wantCode(t, err, c.want)
		})
	}
}

func sum1(b []byte) []byte { s := sha1.Sum(b); return s[:] }

// chainKeys is a root CA, an intermediate CA and a leaf issued by it, all ECDSA P-256.
type chainKeys struct{ root, inter, leaf, stranger testKey }

func newChain(t *testing.T) chainKeys {
	t.Helper()
	issue := func(cn string, parent *testKey, ca bool, from, to time.Time) testKey {
		k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: cn},
			NotBefore: from, NotAfter: to, BasicConstraintsValid: true, IsCA: ca, KeyUsage: x509.KeyUsageDigitalSignature}
		if ca {
			tmpl.KeyUsage |= x509.KeyUsageCertSign
		}
		pc, pk := tmpl, crypto.Signer(k)
		if parent != nil {
			pc, pk = parent.cert, parent.key
		}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, pc, k.Public(), pk)
		if err != nil {
			t.Fatal(err)
		}
		c, err := x509.ParseCertificate(der)
		if err != nil {
			t.Fatal(err)
		}
		return testKey{key: k, cert: c}
	}
	from, to := testEpoch.AddDate(-1, 0, 0), testEpoch.AddDate(1, 0, 0)
	var ck chainKeys
	ck.root = issue("path root", nil, true, from, to)
	ck.inter = issue("path intermediate", &ck.root, true, from, to)
	ck.leaf = issue("path leaf", &ck.inter, false, from, to)
	ck.stranger = issue("stranger root", nil, true, from, to)
	return ck
}

func TestPKIPathTokens(t *testing.T) {
	ck := newChain(t)
	_, _, otherK := testKeys(t)
	expiredInter := ck.inter
	{
		tmpl := *ck.inter.cert
		tmpl.NotAfter = testEpoch.Add(-time.Hour)
		der, err := x509.CreateCertificate(rand.Reader, &tmpl, ck.root.cert, ck.inter.key.Public(), ck.root.key)
		if err != nil {
			t.Fatal(err)
		}
		expiredInter.cert, _ = x509.ParseCertificate(der)
	}
	certs := func(ks ...testKey) []*x509.Certificate {
		var out []*x509.Certificate
		for _, k := range ks {
			out = append(out, k.cert)
		}
		return out
	}
	for _, c := range []struct {
		name    string
		path    []*x509.Certificate // above the leaf
		trusted []*x509.Certificate
		want    FaultCode           // "" = accepted
		token   []*x509.Certificate // when set, the token's content instead of path and leaf
	}{
		{"root, intermediate and the trusted leaf verify", certs(ck.root, ck.inter), certs(ck.leaf), "", nil},
		{"intermediate and the trusted leaf verify", certs(ck.inter), certs(ck.leaf), "", nil},
		{"a path of the maximum length verifies", certs(ck.root, ck.root, ck.root, ck.root, ck.inter), certs(ck.leaf), "", nil},
		{"a path one certificate longer is invalid", certs(ck.root, ck.root, ck.root, ck.root, ck.root, ck.inter), certs(ck.leaf), InvalidSecurityToken, nil},
		{"a path whose leaf is not trusted is refused", certs(ck.root, ck.inter), certs(otherK), FailedAuthentication, nil},
		{"a path missing its intermediate is a broken chain", certs(ck.root), certs(ck.leaf), InvalidSecurityToken, nil},
		{"a path through another root is a broken chain", certs(ck.stranger, ck.inter), certs(ck.leaf), InvalidSecurityToken, nil},
		{"a path in leaf-first order is a broken chain", nil, certs(ck.leaf), InvalidSecurityToken, certs(ck.leaf, ck.inter, ck.root)},
		{"a path with an expired intermediate is refused", certs(ck.root, expiredInter), certs(ck.leaf), FailedAuthentication, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := &Signer{Key: ck.leaf.key, Cert: ck.leaf.cert, KeyRef: RefPKIPath, Path: c.path, Now: func() time.Time { return testEpoch }}
			d := parseUnverified(t, []byte(unsignedEnvelopes[0].xml))
			if err := s.SignEnvelope(d); err != nil {
				t.Fatal(err)
			}
			if c.token != nil {
				setPKIPath(t, d, c.token...)
			}
			_, d = reparse(t, d)
			got, err := verifierFor(testEpoch, c.trusted...).Verify(d)
			if c.want != "" {
				wantCode(t, err, c.want)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !got.Cert.Equal(ck.leaf.cert) || len(got.Path) != len(c.path) {
				t.Fatalf("got %s with %d issuers", got.Cert.Subject, len(got.Path))
			}
			for i := range c.path {
				if !got.Path[i].Equal(c.path[i]) {
					t.Fatalf("issuer %d differs", i)
				}
			}
		})
	}
}

func TestMalformedPKIPathTokens(t *testing.T) {
	ck := newChain(t)
	for _, c := range []struct {
		name string
		edit func(bst, ref *etree.Element)
		want FaultCode
	}{
		{"a token that is not DER is invalid", func(bst, _ *etree.Element) { bst.SetText(b64([]byte("not DER"))) }, InvalidSecurityToken},
		{"an empty SEQUENCE is invalid", func(bst, _ *etree.Element) { bst.SetText(b64([]byte{0x30, 0x00})) }, InvalidSecurityToken},
		{"a bare certificate under the PKIPath type is invalid", func(bst, _ *etree.Element) { bst.SetText(b64(ck.leaf.cert.Raw)) }, InvalidSecurityToken},
		{"a Reference whose ValueType says X509v3 is unsupported", func(_, ref *etree.Element) { ref.CreateAttr("ValueType", valueTypeX509v3) }, UnsupportedSecurityToken},
		{"a Reference without ValueType takes the token's", func(_, ref *etree.Element) { ref.RemoveAttr("ValueType") }, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			s := &Signer{Key: ck.leaf.key, Cert: ck.leaf.cert, KeyRef: RefPKIPath, Path: []*x509.Certificate{ck.inter.cert}, Now: func() time.Time { return testEpoch }}
			d := parseUnverified(t, []byte(unsignedEnvelopes[0].xml))
			if err := s.SignEnvelope(d); err != nil {
				t.Fatal(err)
			}
			c.edit(find(d, nsWSSE, "BinarySecurityToken"), find(d, nsWSSE, "Reference"))
			_, d = reparse(t, d)
			_, err := verifierFor(testEpoch, ck.leaf.cert).Verify(d)
			if c.want == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			wantCode(t, err, c.want)
		})
	}
}

func setPKIPath(t *testing.T, d *etree.Document, certs ...*x509.Certificate) {
	t.Helper()
	var raws []asn1.RawValue
	for _, c := range certs {
		raws = append(raws, asn1.RawValue{FullBytes: c.Raw})
	}
	der, err := asn1.Marshal(raws)
	if err != nil {
		t.Fatal(err)
	}
	find(d, nsWSSE, "BinarySecurityToken").SetText(b64(der))
}

// TestATimestampWithoutExpires: accepted while Created plus the maximum lifetime (and the skew)
// has not passed, which is also the Expires the verifier reports for the replay cache.
func TestATimestampWithoutExpires(t *testing.T) {
	rsaK, _, _ := testKeys(t)
	s := &Signer{Key: rsaK.key, Cert: rsaK.cert, NoExpires: true, Now: func() time.Time { return testEpoch }}
	d := parseUnverified(t, []byte(unsignedEnvelopes[0].xml))
	if err := s.SignEnvelope(d); err != nil {
		t.Fatal(err)
	}
	raw, _ := reparse(t, d)
	if bytes.Contains(raw, []byte("Expires")) {
		t.Fatal("the signer wrote an Expires")
	}
	for _, c := range []struct {
		name  string
		after time.Duration
		want  FaultCode
	}{
		{"fifty minutes after Created it is accepted", 50 * time.Minute, ""},
		{"a second before the maximum lifetime plus skew it is accepted", DefaultMaxTTL + DefaultSkew - time.Second, ""},
		{"at the maximum lifetime plus skew it has expired", DefaultMaxTTL + DefaultSkew, MessageExpired},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := verifierFor(testEpoch.Add(c.after), rsaK.cert).Verify(parseUnverified(t, raw))
			if c.want != "" {
				wantCode(t, err, c.want)
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !got.Created.Equal(testEpoch) || !got.Expires.Equal(testEpoch.Add(DefaultMaxTTL)) {
				t.Fatalf("Created %v Expires %v, want Expires = Created + maximum lifetime", got.Created, got.Expires)
			}
		})
	}
	// A shorter configured maximum bounds it too.
	v := verifierFor(testEpoch.Add(20*time.Minute), rsaK.cert)
	v.MaxTTL = 10 * time.Minute
	_, err := v.Verify(parseUnverified(t, raw))
	wantCode(t, err, MessageExpired)
}

// TestRefusedTokenForms pins the refusals the README's token table states.
func TestRefusedTokenForms(t *testing.T) {
	rsaK, _, _ := testKeys(t)
	str := func(inner string) string {
		return `<wsse:SecurityTokenReference xmlns:wsse="` + nsWSSE + `">` + inner + `</wsse:SecurityTokenReference>`
	}
	keyID := func(vt string) string {
		return str(`<wsse:KeyIdentifier ValueType="` + vt + `">` + b64(rsaK.cert.Raw) + `</wsse:KeyIdentifier>`)
	}
	for _, c := range []struct {
		name, keyInfo string
		token         string // added to the Security header
		want          FaultCode
	}{
		{"a PKCS7 BinarySecurityToken", str(`<wsse:Reference URI="#P7" ValueType="` + tokenProfile + `#PKCS7"/>`),
			`<wsse:BinarySecurityToken xmlns:wsse="` + nsWSSE + `" xmlns:wsu="` + nsWSU + `" wsu:Id="P7" ValueType="` + tokenProfile + `#PKCS7" EncodingType="` + encodingBase64 + `">` + b64(rsaK.cert.Raw) + `</wsse:BinarySecurityToken>`,
			UnsupportedSecurityToken},
		{"an EncryptedKey", `<xenc:EncryptedKey xmlns:xenc="http://www.w3.org/2001/04/xmlenc#"/>`, "", UnsupportedSecurityToken},
		{"an EncryptedKeySHA1 identifier", keyID("http://docs.oasis-open.org/wss/oasis-wss-soap-message-security-1.1#EncryptedKeySHA1"), "", UnsupportedSecurityToken},
		{"a SAML assertion identifier", keyID("http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.0#SAMLAssertionID"), "", UnsupportedSecurityToken},
		{"a Reference to a UsernameToken", str(`<wsse:Reference URI="#UT"/>`),
			`<wsse:UsernameToken xmlns:wsse="` + nsWSSE + `" xmlns:wsu="` + nsWSU + `" wsu:Id="UT"><wsse:Username>cpas</wsse:Username></wsse:UsernameToken>`,
			SecurityTokenUnavailable},
		{"a KeyName", `<ds:KeyName>cpas-namur</ds:KeyName>`, "", UnsupportedSecurityToken},
		{"a certificate as X509v3 KeyIdentifier", keyID(valueTypeX509v3), "", UnsupportedSecurityToken},
	} {
		t.Run(c.name+" is refused", func(t *testing.T) {
			_, d := reparse(t, signWith(t, rsaK, unsignedEnvelopes[0].xml, testEpoch))
			ki := find(d, nsDS, "KeyInfo")
			for _, k := range ki.ChildElements() {
				ki.RemoveChild(k)
			}
			frag := etree.NewDocument()
			if err := frag.ReadFromString(`<x xmlns:ds="` + nsDS + `">` + c.keyInfo + c.token + `</x>`); err != nil {
				t.Fatal(err)
			}
			kids := frag.Root().ChildElements()
			ki.AddChild(kids[0])
			if c.token != "" {
				find(d, nsWSSE, "Security").AddChild(kids[1])
			}
			_, d = reparse(t, d)
			_, err := verifierFor(testEpoch, rsaK.cert).Verify(d)
			wantCode(t, err, c.want)
		})
	}
}

const tokenProfile = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-x509-token-profile-1.0"
