package wssec

import (
	"crypto/sha1"
	"crypto/x509"
	"encoding/base64"
	"errors"
	"math/big"
	"strings"
	"time"

	"github.com/beevik/etree"
)

// Trust decides whether a signing certificate is acceptable; the server's trust file implements it.
type Trust interface {
	// Check returns nil when cert may sign requests at now. path is nil, or the certificates a
	// X509PKIPathv1 token carried above cert (issuer first, cert's own issuer last), already
	// checked to chain to each other: a Trust may use them to reach its CAs.
	Check(cert *x509.Certificate, path []*x509.Certificate, now time.Time) error
	// FindByIssuerSerial returns the known certificate with that issuer DN (as sent in
	// X509IssuerName, RFC 4514 text) and serial number, or nil.
	FindByIssuerSerial(issuerDN string, serial *big.Int) *x509.Certificate
	// FindBySKI returns the known certificate with that subject key identifier, or nil.
	FindBySKI(ski []byte) *x509.Certificate
	// FindByThumbprint returns the known certificate whose DER has that SHA-1, or nil.
	FindByThumbprint(sha1 []byte) *x509.Certificate
}

var (
	errNoKeyInfo     = errors.New("signature has no usable KeyInfo")
	errRefKind       = errors.New("unsupported kind of token reference")
	errTokenNotFound = errors.New("referenced token not found in this Security header")
	errTokenType     = errors.New("token ValueType or EncodingType not X509v3 or X509PKIPathv1 in Base64Binary")
	errTokenUnknown  = errors.New("no trusted certificate matches the key identifier")
	errNoTrust       = errors.New("verifier has no Trust configured")
)

// token is the signing certificate a KeyInfo resolves to, with the certificates above it when
// it came in a X509PKIPathv1 token.
type token struct {
	cert      *x509.Certificate
	path      []*x509.Certificate
	assertion *Assertion // the SAML path: the verified assertion whose holder cert is
}

// resolveCert finds the signing certificate named by the signature's KeyInfo: an STR Reference
// to a BinarySecurityToken (X509v3 or X509PKIPathv1) in this Security header, an STR
// KeyIdentifier (SKI or ThumbprintSHA1), or X509Data (certificate, issuer and serial, or SKI),
// directly in KeyInfo or inside an STR.
func (v *Verifier) resolveCert(sec, sig *etree.Element, ids idIndex, now time.Time) (token, *Error) {
	ki := child(sig, nsDS, "KeyInfo")
	if ki == nil {
		return token{}, fail(SecurityTokenUnavailable, reasonTokenMissing, errNoKeyInfo)
	}
	kids := ki.ChildElements()
	if len(kids) != 1 {
		return token{}, fail(UnsupportedSecurityToken, reasonTokenRef, errRefKind)
	}
	one := func(c *x509.Certificate, e *Error) (token, *Error) { return token{cert: c}, e }
	switch k := kids[0]; {
	case is(k, nsDS, "X509Data"):
		return one(v.fromX509Data(k))
	case is(k, nsWSSE, "SecurityTokenReference"):
		refs := k.ChildElements()
		if len(refs) != 1 {
			return token{}, fail(UnsupportedSecurityToken, reasonTokenRef, errRefKind)
		}
		switch r := refs[0]; {
		case is(r, nsWSSE, "Reference"):
			return v.fromBST(sec, r, ids, now)
		case is(r, nsWSSE, "KeyIdentifier"):
			return one(v.fromKeyIdentifier(r))
		case is(r, nsDS, "X509Data"):
			return one(v.fromX509Data(r))
		}
	}
	return token{}, fail(UnsupportedSecurityToken, reasonTokenRef, errRefKind)
}

func (v *Verifier) fromBST(sec, ref *etree.Element, ids idIndex, now time.Time) (token, *Error) {
	uri := ref.SelectAttrValue("URI", "")
	if len(uri) < 2 || uri[0] != '#' {
		return token{}, fail(UnsupportedSecurityToken, reasonTokenRef, errRefKind)
	}
	bst := ids[uri[1:]]
	if bst == nil || bst.Parent() != sec || !is(bst, nsWSSE, "BinarySecurityToken") {
		return token{}, fail(SecurityTokenUnavailable, reasonTokenMissing, errTokenNotFound)
	}
	vt := bst.SelectAttrValue("ValueType", "")
	// The Reference's ValueType is optional; when present it must name the token's type.
	if rvt := ref.SelectAttrValue("ValueType", vt); rvt != vt ||
		bst.SelectAttrValue("EncodingType", "") != encodingBase64 {
		return token{}, fail(UnsupportedSecurityToken, reasonTokenRef, errTokenType)
	}
	switch vt {
	case valueTypeX509v3:
		c, e := parseCert(bst.Text())
		return token{cert: c}, e
	case valueTypePKIPath:
		return parsePKIPath(bst.Text(), now)
	}
	return token{}, fail(UnsupportedSecurityToken, reasonTokenRef, errTokenType)
}

func (v *Verifier) fromKeyIdentifier(r *etree.Element) (*x509.Certificate, *Error) {
	vt := r.SelectAttrValue("ValueType", "")
	if (vt != valueTypeSKI && vt != valueTypeThumbprint) ||
		r.SelectAttrValue("EncodingType", encodingBase64) != encodingBase64 {
		return nil, fail(UnsupportedSecurityToken, reasonTokenRef, errTokenType)
	}
	id, err := decodeBase64(r.Text(), maxTokenBytes)
	if err != nil || len(id) == 0 {
		return nil, fail(InvalidSecurityToken, reasonTokenInvalid, errors.New("key identifier is not base64"))
	}
	if vt == valueTypeThumbprint {
		if len(id) != sha1.Size {
			return nil, fail(InvalidSecurityToken, reasonTokenInvalid, errors.New("thumbprint is not a SHA-1 value"))
		}
		return v.found(v.Trust.FindByThumbprint(id))
	}
	return v.found(v.Trust.FindBySKI(id))
}

func (v *Verifier) fromX509Data(xd *etree.Element) (*x509.Certificate, *Error) {
	if c := children(xd, nsDS, "X509Certificate"); len(c) > 0 {
		return parseCert(c[0].Text())
	}
	if isr := child(xd, nsDS, "X509IssuerSerial"); isr != nil {
		name, serial := child(isr, nsDS, "X509IssuerName"), child(isr, nsDS, "X509SerialNumber")
		if name == nil || serial == nil {
			return nil, fail(InvalidSecurityToken, reasonTokenInvalid, errors.New("incomplete X509IssuerSerial"))
		}
		n, ok := new(big.Int).SetString(strings.TrimSpace(serial.Text()), 10)
		if !ok || len(serial.Text()) > 128 {
			return nil, fail(InvalidSecurityToken, reasonTokenInvalid, errors.New("X509SerialNumber is not a decimal integer"))
		}
		return v.found(v.Trust.FindByIssuerSerial(strings.TrimSpace(name.Text()), n))
	}
	if s := child(xd, nsDS, "X509SKI"); s != nil {
		ski, err := decodeBase64(s.Text(), maxTokenBytes)
		if err != nil || len(ski) == 0 {
			return nil, fail(InvalidSecurityToken, reasonTokenInvalid, errors.New("X509SKI is not base64"))
		}
		return v.found(v.Trust.FindBySKI(ski))
	}
	return nil, fail(UnsupportedSecurityToken, reasonTokenRef, errRefKind)
}

func (v *Verifier) found(c *x509.Certificate) (*x509.Certificate, *Error) {
	if c == nil {
		return nil, fail(SecurityTokenUnavailable, reasonTokenMissing, errTokenUnknown)
	}
	return c, nil
}

func parseCert(text string) (*x509.Certificate, *Error) {
	if c := certs.get(text); c != nil {
		return c, nil
	}
	der, err := decodeBase64(text, maxTokenBytes)
	if err != nil {
		return nil, fail(InvalidSecurityToken, reasonTokenInvalid, errors.New("certificate is not base64 or too large"))
	}
	c, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, fail(InvalidSecurityToken, reasonTokenInvalid, errors.New("certificate does not parse"))
	}
	certs.put(text, c)
	return c, nil
}

var errTooLong = errors.New("value too long")

// decodeBase64 decodes standard base64 after removing XML whitespace (clients wrap at 64 or 76
// columns); max bounds the decoded size. The bound is on the bytes the text stands for, padding
// excluded: a 64-byte SHA-512 digest is 88 characters ending in "==", and an RSA-8192 signature
// (1024 bytes) is 1368, both exactly at their limit.
func decodeBase64(s string, max int) ([]byte, error) {
	if len(s) > 2*max+4 {
		return nil, errTooLong // whitespace included: a cheap bound before any copy
	}
	s = strings.Map(func(r rune) rune {
		switch r {
		case ' ', '\t', '\n', '\r':
			return -1
		}
		return r
	}, s)
	if base64DataLen(s) > max {
		return nil, errTooLong
	}
	return base64.StdEncoding.DecodeString(s)
}

// base64DataLen is the number of bytes padded base64 text s decodes to, assuming it is well
// formed (DecodeString checks that); it never undercounts a malformed s by more than 2.
func base64DataLen(s string) int {
	n := (len(s) + 3) / 4 * 3
	for i := 0; i < 2 && len(s) > i && s[len(s)-1-i] == '='; i++ {
		n--
	}
	return n
}
