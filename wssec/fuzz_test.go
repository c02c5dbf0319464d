package wssec

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/beevik/etree"
)

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
	codes := map[FaultCode]bool{UnsupportedSecurityToken: true, UnsupportedAlgorithm: true, InvalidSecurity: true,
		InvalidSecurityToken: true, FailedAuthentication: true, FailedCheck: true, SecurityTokenUnavailable: true, MessageExpired: true}
	f.Fuzz(func(t *testing.T, data []byte) {
		doc := etree.NewDocument()
		doc.ReadSettings.MaxDepth = 64
		if err := doc.ReadFromBytes(data); err != nil {
			return
		}
		got, err := v.Verify(doc)
		if err != nil {
			var e *Error
			if !errors.As(err, &e) || !codes[e.Code] || e.Reason == "" {
				t.Fatalf("unexpected error %#v", err)
			}
			return
		}
		if got.Body == nil || got.CanonicalBody == nil || got.Cert == nil || len(got.SignatureValue) == 0 {
			t.Fatalf("verified without its parts: %+v", got)
		}
	})
}
