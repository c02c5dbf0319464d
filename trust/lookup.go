package trust

import (
	"crypto/sha1"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"math/big"
)

// Lookups for KeyInfo references that name a certificate instead of carrying it
// (X509IssuerSerial, SubjectKeyIdentifier, ThumbprintSHA1). A certificate found here is only a
// candidate: the caller still runs Check on it.

func (s *Store) addLookup(c *x509.Certificate) {
	s.certs = append(s.certs, c)
	s.intermediates.AddCert(c)
	if d, err := parseDN(c.Issuer.String()); err == nil {
		k := issuerKey(d, c.SerialNumber)
		if _, ok := s.byIssuer[k]; !ok {
			s.byIssuer[k] = c
		}
	}
	if thumb := sha1.Sum(c.Raw); s.byThumb[thumb] == nil {
		s.byThumb[thumb] = c
	}
	for _, ski := range skis(c) {
		if _, ok := s.bySKI[string(ski)]; !ok {
			s.bySKI[string(ski)] = c
		}
	}
}

func issuerKey(d dn, serial *big.Int) string {
	return serial.String() + "|" + d.key(true)
}

// FindByIssuerSerial returns the listed certificate with that issuer and serial number, or
// nil. The issuer is compared leniently (spaces, attribute aliases, case, RDN order) because
// clients format it differently; the serial must match exactly.
func (s *Store) FindByIssuerSerial(issuerDN string, serial *big.Int) *x509.Certificate {
	if serial == nil {
		return nil
	}
	d, err := parseDN(issuerDN)
	if err != nil || len(d) == 0 {
		return nil
	}
	if c := s.byIssuer[issuerKey(d, serial)]; c != nil {
		return c
	}
	return s.byIssuer[issuerKey(d.reversed(), serial)]
}

// FindBySKI returns the listed certificate with that subject key identifier, or nil. A
// certificate without the extension is found by the RFC 5280 method 1 value (SHA-1 of the
// public key bits), which is what WSS4J computes in that case.
func (s *Store) FindBySKI(ski []byte) *x509.Certificate {
	if len(ski) == 0 {
		return nil
	}
	return s.bySKI[string(ski)]
}

// FindByThumbprint returns the listed certificate whose DER has that SHA-1 (a WSS 1.1
// ThumbprintSHA1 key identifier), or nil. SHA-1 only names a certificate listed by the operator;
// the signature is still checked with the certificate's key.
func (s *Store) FindByThumbprint(sum []byte) *x509.Certificate {
	if len(sum) != sha1.Size {
		return nil
	}
	return s.byThumb[[sha1.Size]byte(sum)]
}

func skis(c *x509.Certificate) [][]byte {
	var out [][]byte
	if len(c.SubjectKeyId) > 0 {
		out = append(out, c.SubjectKeyId)
	}
	if m := SKIMethod1(c.RawSubjectPublicKeyInfo); m != nil {
		out = append(out, m)
	}
	return out
}

// SKIMethod1 is the RFC 5280 §4.2.1.2 method 1 key identifier: SHA-1 of the subjectPublicKey
// BIT STRING of a DER SubjectPublicKeyInfo (an identifier, not a security function). It
// returns nil when spki does not parse.
func SKIMethod1(spki []byte) []byte {
	var info struct {
		Algorithm pkix.AlgorithmIdentifier
		PublicKey asn1.BitString
	}
	if rest, err := asn1.Unmarshal(spki, &info); err != nil || len(rest) != 0 {
		return nil
	}
	sum := sha1.Sum(info.PublicKey.Bytes)
	return sum[:]
}
