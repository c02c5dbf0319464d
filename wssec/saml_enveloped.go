package wssec

import (
	"bytes"
	"crypto/subtle"
	"crypto/x509"
	"errors"

	"github.com/beevik/etree"
)

// Enveloped signatures: the STS's signature inside a saml:Assertion and the holder's inside a
// samlp:Request. Unlike the message signature, such a signature sits in the element it signs and
// references that element by its own identifier attribute (AssertionID, RequestID), so it covers
// exactly one element, found here by identity and not by a lookup an attacker could steer.

// VerifyEnvelopedSignature checks the enveloped XML signature of el: one ds:Signature child, one
// Reference to "#" + el's unprefixed idAttr, the enveloped-signature then exc-c14n transforms, the
// algorithms of the allow-list (SHA-1 only with allowSHA1). The signing key is one of certs: the
// certificate of its KeyInfo must be one of them, or each is tried when KeyInfo names none. It
// returns the certificate that verified; every error is an *Error.
func VerifyEnvelopedSignature(el *etree.Element, idAttr string, certs []*x509.Certificate, allowSHA1 bool) (*x509.Certificate, error) {
	v := &Verifier{AllowSHA1: allowSHA1}
	c, e := v.verifyEnveloped(el, idAttr, certs, &budget{left: DefaultMaxNodes})
	if e != nil {
		return nil, e
	}
	return c, nil
}

var errEnvelopedShape = errors.New("enveloped signature is missing or malformed")

func (v *Verifier) verifyEnveloped(el *etree.Element, idAttr string, certs []*x509.Certificate, b *budget) (*x509.Certificate, *Error) {
	malformed := func(why string) *Error {
		return fail(InvalidSecurityToken, reasonTokenInvalid, errors.New(why))
	}
	id, ok := plainAttr(el, idAttr)
	if !ok || id == "" {
		return nil, malformed("signed element has no " + idAttr)
	}
	sigs := children(el, nsDS, "Signature")
	if len(sigs) != 1 {
		return nil, malformed("signed element does not hold exactly one ds:Signature")
	}
	sig := sigs[0]
	p, e := v.readSignedInfo(sig, InvalidSecurityToken)
	if e != nil {
		return nil, e
	}
	si, siPrefixes, smAlg, method, sigValue := p.el, p.prefixes, p.alg, p.method, p.value
	cands, e := keyInfoCandidates(sig, certs)
	if e != nil {
		return nil, e
	}
	canonSI, e := canonicalize(si, siPrefixes, b)
	if e != nil {
		return nil, e
	}
	var signer *x509.Certificate
	for _, c := range cands {
		if checkKey(c.PublicKey) != nil {
			continue
		}
		if verifySignature(c.PublicKey, method, canonSI, sigValue) == nil {
			signer = c
			break
		}
	}
	if signer == nil {
		return nil, fail(FailedCheck, reasonSignatureValue, errors.New("enveloped signature verifies with no accepted key"))
	}
	refs, e := v.verifiedReferences(canonSI, siPrefixes, smAlg)
	if e != nil {
		return nil, e
	}
	if len(refs) != 1 || refs[0].id != id || !refs[0].enveloped {
		return nil, fail(FailedCheck, reasonReference, errors.New("enveloped signature must reference its own element, enveloped, and nothing else"))
	}
	data, err := excC14NWithout(el, sig, refs[0].prefixes, b)
	if errors.Is(err, errBudget) {
		return nil, fail(InvalidSecurity, reasonTooLarge, err)
	}
	if err != nil {
		return nil, fail(InvalidSecurity, reasonMalformedXML, err)
	}
	h := refs[0].hash.New()
	h.Write(data)
	if subtle.ConstantTimeCompare(h.Sum(nil), refs[0].digest) != 1 {
		return nil, fail(FailedCheck, reasonDigest, errors.New("digest mismatch on the enveloped element"))
	}
	return signer, nil
}

// keyInfoCandidates narrows certs to the one the signature's KeyInfo carries, when it carries a
// certificate: a certificate that is not among certs means another signer (FailedAuthentication).
// A KeyInfo without a certificate (none, a KeyValue, a KeyName) leaves every one of certs to try.
func keyInfoCandidates(sig *etree.Element, certs []*x509.Certificate) ([]*x509.Certificate, *Error) {
	ki := child(sig, nsDS, "KeyInfo")
	if ki == nil {
		return certs, nil
	}
	var named *etree.Element
	for _, xd := range children(ki, nsDS, "X509Data") {
		if cs := children(xd, nsDS, "X509Certificate"); len(cs) > 0 && named == nil {
			named = cs[0]
		}
	}
	if named == nil {
		return certs, nil
	}
	der, err := decodeBase64(named.Text(), maxTokenBytes)
	if err != nil {
		return nil, fail(InvalidSecurityToken, reasonTokenInvalid, errors.New("KeyInfo certificate is not base64"))
	}
	for _, c := range certs {
		if bytes.Equal(c.Raw, der) {
			return []*x509.Certificate{c}, nil
		}
	}
	return nil, fail(FailedAuthentication, reasonUntrusted, errors.New("enveloped signature names a certificate that is not accepted"))
}

// excC14NWithout is excC14N of el with its child skip left out: the enveloped-signature
// transform followed by exc-c14n. The document is not modified.
func excC14NWithout(el, skip *etree.Element, prefixList string, b *budget) ([]byte, error) {
	if skip.Parent() != el {
		return nil, errEnvelopedShape
	}
	return excC14NSkipping(el, skip, prefixList, b)
}

// plainAttr is the value of el's unprefixed attribute key: SAML 1.1 identifiers (AssertionID,
// RequestID) are unqualified, and a prefixed look-alike must not stand in for them.
func plainAttr(el *etree.Element, key string) (string, bool) {
	for _, a := range el.Attr {
		if a.Space == "" && a.Key == key {
			return a.Value, true
		}
	}
	return "", false
}
