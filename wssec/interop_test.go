package wssec

import (
	"bytes"
	"crypto/x509"
	"testing"
)

var interopSamples = []struct {
	name, file, cert string
	sha1             bool
}{
	{"zeep with SHA-1 (its default) verifies under the legacy switch", "zeep-signed.xml", "throwaway-client.crt", true},
	{"zeep with SHA-256 verifies", "zeep-signed-sha256.xml", "throwaway-client.crt", false},
	{"zeep with an X509Data certificate in the STR verifies under the legacy switch", "zeep-signed-x509data.xml", "throwaway-client.crt", true},
	{"node-soap with plain Id and enveloped-signature transforms verifies", "node-soap-signed.xml", "throwaway-client.crt", false},
	{"node-soap in wsu:Id mode verifies", "node-soap-signed-wsuid.xml", "throwaway-client.crt", false},
	{"WSS4J with InclusiveNamespaces PrefixLists verifies", "wss4j-signed.xml", "throwaway-client.crt", false},
	{"a Go-signed response verifies with the server certificate", "go-signed-response-example.xml", "throwaway-server.crt", false},
}

func TestInteropSamplesVerify(t *testing.T) {
	for _, s := range interopSamples {
		t.Run(s.name, func(t *testing.T) {
			raw := readSample(t, s.file)
			cert := readCertFile(t, s.cert)
			v := &Verifier{Trust: testTrust{certs: []*x509.Certificate{cert}}, AllowSHA1: s.sha1, Now: sampleClock(t, raw)}
			got, err := v.Verify(parseUnverified(t, raw))
			if err != nil {
				t.Fatalf("Verify: %v", err)
			}
			if !got.Cert.Equal(cert) {
				t.Error("verified certificate is not the signer's")
			}
			if got.Payload == nil || !bytes.Contains(got.CanonicalBody, []byte("hello")) {
				t.Errorf("payload not exposed: %q", got.CanonicalBody)
			}
			if got.Version != SOAP11 || len(got.SignatureValue) != 256 {
				t.Errorf("version %v, signature %d bytes", got.Version, len(got.SignatureValue))
			}
		})
	}
}
