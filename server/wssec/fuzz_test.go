package wssec

import (
	"crypto/x509"
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/beevik/etree"
)

// FuzzVerify feeds arbitrary documents to the verifier: it must never panic and must only ever
// answer with an *Error carrying a known code, or a result that has its signed parts.
func FuzzVerify(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.xml"))
	for _, name := range files {
		b, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	// One clock and a wide skew so that every seed verifies and the fuzzer starts from success.
	at := time.Date(2026, 11, 22, 9, 50, 0, 0, time.UTC)
	trust := testTrust{certs: []*x509.Certificate{readCertFile(f, "throwaway-client.crt"), readCertFile(f, "throwaway-server.crt")}}
	v := &Verifier{Trust: trust, AllowSHA1: true, MaxNodes: 5000, Skew: time.Hour, Now: func() time.Time { return at }}
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
