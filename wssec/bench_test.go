package wssec

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// benchRequest is a ~4 KB signed request body: a decision with a few covers and comments.
func benchRequest() string {
	var b strings.Builder
	b.WriteString(`<soap:Envelope xmlns:soap="http://schemas.xmlsoap.org/soap/envelope/"><soap:Body><c:createCarmed xmlns:c="urn:carmed:cpas:v1"><informationCustomer><ticket>7f9c0d2e-4a61-4f0b-9a55-2b1f</ticket><timestampSent>2026-11-22T10:00:00.000Z</timestampSent><customerIdentification><cbeNumber>0212344876</cbeNumber></customerIdentification></informationCustomer><legalContext>CPAS:MEDICAL_AID</legalContext><decision>`)
	for i := 0; i < 8; i++ {
		fmt.Fprintf(&b, `<medicalCover><kind>COVER_%d</kind><support>FULL</support><period><begin>2026-12-01</begin><end>2027-05-31</end></period><comment lang="fr">Prise en charge complète des frais médicaux, numéro %d</comment><provider><nihii>1234567890%d</nihii></provider></medicalCover>`, i, i, i)
	}
	b.WriteString(`</decision></c:createCarmed></soap:Body></soap:Envelope>`)
	return b.String()
}

func BenchmarkVerify(b *testing.B) {
	rsaK, _, _ := testKeys(b)
	raw, doc := reparse(b, signWith(b, rsaK, benchRequest(), testEpoch))
	v := verifierFor(testEpoch, rsaK.cert)
	b.Run("parsed", func(b *testing.B) {
		b.SetBytes(int64(len(raw)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := v.Verify(doc); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("parse+verify", func(b *testing.B) {
		b.SetBytes(int64(len(raw)))
		b.ReportAllocs()
		for b.Loop() {
			if _, err := v.Verify(parseUnverified(b, raw)); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkSign(b *testing.B) {
	rsaK, ecK, _ := testKeys(b)
	unsigned := parseUnverified(b, []byte(benchRequest()))
	at := func() time.Time { return testEpoch }
	for _, k := range []struct {
		name string
		key  testKey
	}{{"RSA-2048", rsaK}, {"ECDSA-P256", ecK}} {
		b.Run(k.name, func(b *testing.B) {
			s := &Signer{Key: k.key.key, Cert: k.key.cert, Now: at}
			b.ReportAllocs()
			for b.Loop() {
				if err := s.SignEnvelope(unsigned.Copy()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkSealBody: the gateway's answer path — the same ~4 KB element sealed from its bytes
// (SealBody), beside SignEnvelope on a parsed envelope above; "canonical" is the Body's
// canonicalization alone, the part SealBody does instead of parse + c14n + serialize.
func BenchmarkSealBody(b *testing.B) {
	rsaK, ecK, _ := testKeys(b)
	env := benchRequest()
	payload := []byte(env[strings.Index(env, "<c:createCarmed"):strings.Index(env, "</soap:Body>")])
	at := func() time.Time { return testEpoch }
	b.Run("canonical", func(b *testing.B) {
		b.SetBytes(int64(len(payload)))
		b.ReportAllocs()
		for b.Loop() {
			if _, _, err := canonicalBody(SOAP11, "Body-1", payload); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, k := range []struct {
		name string
		key  testKey
	}{{"RSA-2048", rsaK}, {"ECDSA-P256", ecK}} {
		b.Run(k.name, func(b *testing.B) {
			s := &Signer{Key: k.key.key, Cert: k.key.cert, Now: at}
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.SealBody(SOAP11, payload); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
