package wssec

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/beevik/etree"
)

// The seed corpus of FuzzVerifySAML: SAML 1.1 holder-of-key envelopes from our token-service and
// client signers (IssueAssertion, RefSAML), valid ones (signed-*) and wrapping attacks the
// verifier refuses (refused-*), in testdata/fuzz/FuzzVerifySAML. Regenerate with:
//
//	go test ./wssec -run TestFuzzCorpusSAML -update-corpus
//
// The keys (throwaway, test-only: testdata/README.md) are testdata/saml-*.pem, made on the first
// update. The clock is corpusAt, as for FuzzVerify.

const samlCorpusDir = "testdata/fuzz/FuzzVerifySAML"

// The party attributes every corpus assertion carries (a recognised hospital's NIHII): a message
// that verifies can only carry these, since the token service's signature covers them.
const (
	samlCorpusNS         = "urn:be:fgov:certified-namespace:ehealth"
	samlCorpusNIHII      = "urn:be:fgov:ehealth:1.0:hospital:nihii-number:recognisedhospital:nihii11"
	samlCorpusRecognised = "urn:be:fgov:ehealth:1.0:hospital:nihii-number:recognisedhospital:boolean"
	samlCorpusNIHIIValue = "71012345"
)

// samlCorpusPKI is the token service (RSA, as the eHealth STS) and two holders, RSA and ECDSA,
// each self-signed: the verifier pins the service and takes the holder from the assertion.
type samlCorpusPKI struct{ sts, rsa, ec testKey }

func loadSAMLCorpusPKI(t testing.TB) samlCorpusPKI {
	t.Helper()
	sk, sc, err1 := readKeyPair("saml-sts.pem")
	rk, rc, err2 := readKeyPair("saml-holder-rsa.pem")
	ek, ec, err3 := readKeyPair("saml-holder-ec.pem")
	if err := errors.Join(err1, err2, err3); err != nil {
		if !*updateCorpus {
			t.Fatalf("SAML corpus keys: %v (go test -run TestFuzzCorpusSAML -update-corpus makes them)", err)
		}
		return makeSAMLCorpusPKI(t)
	}
	return samlCorpusPKI{sts: testKey{sk, sc}, rsa: testKey{rk, rc}, ec: testKey{ek, ec}}
}

func makeSAMLCorpusPKI(t testing.TB) samlCorpusPKI {
	t.Helper()
	self := func(serial int64, cn string, k crypto.Signer) testKey {
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(serial), Subject: pkix.Name{CommonName: cn, Organization: []string{"carmed-test"}},
			NotBefore: corpusAt.AddDate(0, 0, -1), NotAfter: corpusAt.AddDate(10, 0, 0), KeyUsage: x509.KeyUsageDigitalSignature}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, k.Public(), k)
		if err != nil {
			t.Fatal(err)
		}
		c, _ := x509.ParseCertificate(der)
		return testKey{k, c}
	}
	sk, err1 := rsa.GenerateKey(rand.Reader, 2048)
	rk, err2 := rsa.GenerateKey(rand.Reader, 2048)
	ek, err3 := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err := errors.Join(err1, err2, err3); err != nil {
		t.Fatal(err)
	}
	p := samlCorpusPKI{sts: self(10, "wssec SAML corpus STS (test only)", sk),
		rsa: self(11, "wssec SAML corpus RSA holder (test only)", rk), ec: self(12, "wssec SAML corpus ECDSA holder (test only)", ek)}
	writeKeyPair(t, "saml-sts.pem", p.sts.key, p.sts.cert)
	writeKeyPair(t, "saml-holder-rsa.pem", p.rsa.key, p.rsa.cert)
	writeKeyPair(t, "saml-holder-ec.pem", p.ec.key, p.ec.cert)
	return p
}

// samlCorpusVerifier is FuzzVerifySAML's: it pins the corpus token service and trusts no X.509
// signer, so that every message it accepts went the holder-of-key path.
func samlCorpusVerifier(t testing.TB) (*Verifier, samlCorpusPKI) {
	p := loadSAMLCorpusPKI(t)
	return &Verifier{Trust: testTrust{}, MaxNodes: 5000, Now: func() time.Time { return corpusAt },
		SAML: &SAMLPolicy{Issuers: []TokenIssuer{{Name: testSTSName, Cert: p.sts.cert}}}}, p
}

// The two request shapes: SOAP 1.1, and SOAP 1.2 with an existing Header and a default namespace.
var samlCorpusEnvelopes = map[string]string{
	"soap11": `<soap:Envelope xmlns:soap="` + nsSOAP11 + `"><soap:Body><p:ConsultCarmedInterventionRequest xmlns:p="urn:be:fgov:ehealth:mediprima:protocol:v2"><ssin>00000000097</ssin></p:ConsultCarmedInterventionRequest></soap:Body></soap:Envelope>`,
	"soap12": `<env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope"><env:Header><x:Trace xmlns:x="urn:example:trace">t-1</x:Trace></env:Header><env:Body><ConsultCarmedInterventionRequest xmlns="urn:be:fgov:ehealth:mediprima:protocol:v2"><ssin>00000000097</ssin></ConsultCarmedInterventionRequest></env:Body></env:Envelope>`,
}

// samlCorpusMessage is the envelope shape signed by signer, holder-of-key with the assertion the
// token service issued to holder.
func samlCorpusMessage(t testing.TB, p samlCorpusPKI, shape string, holder, signer testKey) *etree.Document {
	t.Helper()
	as, err := (&Signer{Key: p.sts.key, Cert: p.sts.cert}).IssueAssertion(AssertionSpec{Issuer: testSTSName,
		IssueInstant: corpusAt.Add(-time.Minute), NotBefore: corpusAt.Add(-5 * time.Minute), NotOnOrAfter: corpusAt.Add(time.Hour),
		Holder: holder.cert, NameID: holder.cert.Subject.String(), NameQualifier: holder.cert.Issuer.String(),
		Attributes: []SAMLAttribute{{Namespace: samlCorpusNS, Name: samlCorpusNIHII, Values: []string{samlCorpusNIHIIValue}},
			{Namespace: samlCorpusNS, Name: samlCorpusRecognised, Values: []string{"true"}}}})
	if err != nil {
		t.Fatal(err)
	}
	doc := parseUnverified(t, []byte(samlCorpusEnvelopes[shape]))
	s := &Signer{Key: signer.key, Cert: signer.cert, KeyRef: RefSAML, Assertion: as, Now: func() time.Time { return corpusAt }}
	if err := s.SignEnvelope(doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

// samlRefused are wrapping attacks of TestHolderOfKeyVariantsAreRefused, on a valid message, with
// the check that refuses each: seeds the fuzzer starts from on the far side of each defence.
var samlRefused = []struct {
	name string
	// edit changes the message the holder signed; nil has the token service sign the message.
	edit  func(doc *etree.Document, sec, as *etree.Element)
	check string
}{
	{"wrapped-in-security", func(_ *etree.Document, sec, as *etree.Element) {
		sec.RemoveChild(as)
		w := sec.CreateElement("x:Wrapper")
		w.CreateAttr("xmlns:x", "urn:evil")
		w.AddChild(as)
	}, CheckSAMLPlacement},
	{"duplicated", func(_ *etree.Document, sec, as *etree.Element) { sec.AddChild(as.Copy()) }, CheckSAMLPlacement},
	{"forged-in-place", func(_ *etree.Document, sec, as *etree.Element) {
		i := as.Index()
		sec.RemoveChild(as)
		sec.InsertChildAt(i, samlForged(as))
	}, CheckSAMLSignature},
	{"forged-original-in-body", func(doc *etree.Document, sec, as *etree.Element) {
		i := as.Index()
		sec.RemoveChild(as)
		sec.InsertChildAt(i, samlForged(as))
		find(doc, sec.Parent().NamespaceURI(), "Body").AddChild(as)
	}, CheckSAMLPlacement},
	{"id-reused", func(_ *etree.Document, sec, as *etree.Element) {
		id, _ := plainAttr(as, "AssertionID")
		x := sec.CreateElement("x:Other")
		x.CreateAttr("xmlns:x", "urn:evil")
		x.CreateAttr("Id", id)
	}, CheckSAMLDuplicate},
	{"other-assertion-named", func(doc *etree.Document, _, _ *etree.Element) {
		find(doc, nsWSSE, "KeyIdentifier").SetText("_0123456789abcdef0123456789abcdef")
	}, CheckSAMLMissing},
	{"sts-signed", nil, CheckSAMLHolderKey},
}

// samlForged is a copy of the assertion with another NIHII: its STS signature no longer holds.
func samlForged(as *etree.Element) *etree.Element {
	f := as.Copy()
	for _, v := range f.FindElements(".//AttributeValue") {
		v.SetText(strings.Repeat("9", len(v.Text())))
	}
	return f
}

// samlCorpusCheck is the check a refused-* seed must be refused with ("" for a signed-* seed).
func samlCorpusCheck(file string) (string, bool) {
	if strings.HasPrefix(file, "signed-") {
		return "", true
	}
	for _, r := range samlRefused {
		if strings.HasPrefix(file, "refused-"+r.name+"-") {
			return r.check, true
		}
	}
	return "", false
}

// TestFuzzCorpusSAML (re)writes the seeds with -update-corpus, and always checks that each
// signed-* seed verifies under FuzzVerifySAML's verifier and each refused-* seed is refused with
// its check, so that the corpus cannot rot into seeds the fuzzer never gets past.
func TestFuzzCorpusSAML(t *testing.T) {
	v, p := samlCorpusVerifier(t)
	if *updateCorpus {
		if err := os.MkdirAll(samlCorpusDir, 0o755); err != nil {
			t.Fatal(err)
		}
		write := func(file string, doc *etree.Document) {
			b, err := doc.WriteToBytes()
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(samlCorpusDir, file), corpusFile(b), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		holders := map[string]testKey{"rsa": p.rsa, "ecdsa": p.ec}
		for hn, h := range holders {
			for shape := range samlCorpusEnvelopes {
				write("signed-"+hn+"-"+shape, samlCorpusMessage(t, p, shape, h, h))
			}
		}
		// Each attack once, on the holders and SOAP versions in turn.
		bases := [][2]string{{"rsa", "soap11"}, {"ecdsa", "soap12"}, {"ecdsa", "soap11"}, {"rsa", "soap12"}}
		for i, r := range samlRefused {
			hn, shape := bases[i%len(bases)][0], bases[i%len(bases)][1]
			signer := holders[hn]
			if r.edit == nil {
				signer = p.sts
			}
			doc := samlCorpusMessage(t, p, shape, holders[hn], signer)
			if sec := find(doc, nsWSSE, "Security"); r.edit != nil {
				r.edit(doc, sec, child(sec, NSSAML, "Assertion"))
			}
			write("refused-"+r.name+"-"+hn+"-"+shape, doc)
		}
	}
	files, _ := filepath.Glob(filepath.Join(samlCorpusDir, "*"))
	var signed int
	for _, f := range files {
		name := filepath.Base(f)
		want, ok := samlCorpusCheck(name)
		if !ok {
			continue // a crasher the fuzzer kept: FuzzVerifySAML replays it
		}
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		data, err := parseCorpusFile(raw)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		got, err := v.VerifyAllowingSAML(parseUnverified(t, data))
		switch {
		case want == "" && err != nil:
			t.Errorf("%s does not verify: %v", name, err)
		case want == "" && got.Assertion == nil:
			t.Errorf("%s verified without its assertion", name)
		case want == "":
			signed++
		default:
			var e *Error
			if !errors.As(err, &e) || e.Check != want {
				t.Errorf("%s: got %v, want a refusal %s", name, err, want)
			}
		}
	}
	if signed < 4 {
		t.Fatalf("%d valid seeds in %s, want the 2 holders x 2 SOAP versions", signed, samlCorpusDir)
	}
}
