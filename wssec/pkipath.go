package wssec

import (
	"bytes"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"time"
)

// parsePKIPath decodes a X509PKIPathv1 token (X.509 Token Profile 1.1 §3.1): a DER SEQUENCE OF
// Certificate, issuer first and the signing certificate last. Each certificate must be issued
// by the one before it, so a path cannot carry an unrelated certificate to the Trust as if it
// were an intermediate; whether the path reaches a trusted CA is the Trust's decision.
func parsePKIPath(text string, now time.Time) (token, *Error) {
	invalid := func(why string) (token, *Error) {
		return token{}, fail(InvalidSecurityToken, reasonTokenInvalid, errors.New(why))
	}
	der, err := decodeBase64(text, maxPathBytes)
	if err != nil {
		return invalid("PKIPath is not base64 or too large")
	}
	var raws []asn1.RawValue
	if rest, err := asn1.Unmarshal(der, &raws); err != nil || len(rest) != 0 {
		return invalid("PKIPath is not a SEQUENCE OF Certificate")
	}
	if len(raws) == 0 || len(raws) > maxPathCertificates {
		return invalid("PKIPath holds no certificate or too many")
	}
	certs := make([]*x509.Certificate, len(raws))
	for i, r := range raws {
		c, err := x509.ParseCertificate(r.FullBytes)
		if err != nil {
			return invalid("a PKIPath certificate does not parse")
		}
		certs[i] = c
	}
	for i := 1; i < len(certs); i++ {
		issuer, c := certs[i-1], certs[i]
		// CheckSignatureFrom also requires the issuer to be a CA allowed to sign certificates.
		if !bytes.Equal(c.RawIssuer, issuer.RawSubject) || c.CheckSignatureFrom(issuer) != nil {
			return invalid("PKIPath is not a chain: a certificate is not issued by the one before it")
		}
	}
	last := len(certs) - 1
	for _, c := range certs[:last] {
		if now.Before(c.NotBefore) || now.After(c.NotAfter) {
			return token{}, fail(FailedAuthentication, reasonUntrusted, errors.New("a PKIPath issuer is outside its validity period"))
		}
	}
	return token{cert: certs[last], path: certs[:last]}, nil
}
