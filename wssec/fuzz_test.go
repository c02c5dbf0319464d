package wssec

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/beevik/etree"
)

// knownFaults are the WS-Security fault codes a verifier may answer with.
var knownFaults = map[FaultCode]bool{UnsupportedSecurityToken: true, UnsupportedAlgorithm: true, InvalidSecurity: true,
	InvalidSecurityToken: true, FailedAuthentication: true, FailedCheck: true, SecurityTokenUnavailable: true, MessageExpired: true}

// FuzzVerify feeds arbitrary documents to the verifier: it must never panic and must only ever
// answer with an *Error carrying a known code, or a result that has its signed parts. Besides the
// interop samples added here, its seeds are the signed envelopes of testdata/fuzz/FuzzVerify
// (see TestFuzzCorpus), which plain `go test` replays with any crasher kept there.
func FuzzVerify(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.xml"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	v := corpusVerifier(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		doc := etree.NewDocument()
		doc.ReadSettings.MaxDepth = 64
		if err := doc.ReadFromBytes(data); err != nil {
			return
		}
		got, err := v.Verify(doc)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || !knownFaults[e.Code] || e.Reason == "" {
				t.Fatalf("unexpected error %#v", err)
			}
			return
		}
		if got.Body == nil || got.CanonicalBody == nil || got.Cert == nil || len(got.SignatureValue) == 0 {
			t.Fatalf("verified without its parts: %+v", got)
		}
	})
}

// FuzzVerifySAML is FuzzVerify on the SAML holder-of-key path (VerifyAllowingSAML), from the
// seeds of testdata/fuzz/FuzzVerifySAML (see TestFuzzCorpusSAML). The verifier trusts no X.509
// signer, so a success must be holder-of-key: the corpus token service's assertion, whose holder
// signed the message, with the party attributes the token service put there.
func FuzzVerifySAML(f *testing.F) {
	v, p := samlCorpusVerifier(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		doc := etree.NewDocument()
		doc.ReadSettings.MaxDepth = 64
		if err := doc.ReadFromBytes(data); err != nil {
			return
		}
		got, err := v.VerifyAllowingSAML(doc)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || !knownFaults[e.Code] || e.Reason == "" {
				t.Fatalf("unexpected error %#v", err)
			}
			if code, ok := SAMLChecks[e.Check]; e.Check != "" && (!ok || code != e.Code) {
				t.Fatalf("check %q sent as %s", e.Check, e.Code)
			}
			return
		}
		if got.Body == nil || got.CanonicalBody == nil || got.Cert == nil || len(got.SignatureValue) == 0 {
			t.Fatalf("verified without its parts: %+v", got)
		}
		a := got.Assertion
		if a == nil || a.Holder == nil || !a.Holder.Equal(got.Cert) || !(a.Holder.Equal(p.rsa.cert) || a.Holder.Equal(p.ec.cert)) {
			t.Fatalf("verified without the assertion of a corpus holder: %+v", a)
		}
		nihii, _ := a.Value(samlCorpusNS, samlCorpusNIHII)
		recognised, _ := a.Value(samlCorpusNS, samlCorpusRecognised)
		if a.ID == "" || a.Issuer != testSTSName || a.NameID != a.Holder.Subject.String() ||
			nihii != samlCorpusNIHIIValue || recognised != "true" {
			t.Fatalf("verified with other assertion contents than the token service signed: %+v", a)
		}
	})
}
