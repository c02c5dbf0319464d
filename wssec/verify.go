package wssec

import (
	"crypto"
	"crypto/subtle"
	"crypto/x509"
	"errors"
	"strings"
	"time"

	"github.com/beevik/etree"

	"github.com/carmed/carmed/internal/xmltree"
)

// Verifier checks the WS-Security signature of a parsed SOAP envelope. The zero value with a
// Trust set is ready to use; it is safe for concurrent use.
type Verifier struct {
	Trust     Trust
	AllowSHA1 bool          // legacy switch: accept SHA-1 digests and signatures (off by default)
	Skew      time.Duration // clock skew tolerated on the Timestamp; 0 means DefaultSkew
	MaxTTL    time.Duration // longest Expires-Created accepted; 0 means DefaultMaxTTL
	MaxNodes  int           // elements canonicalized per message; 0 means DefaultMaxNodes
	Now       func() time.Time
	// Actors are extra SOAP 1.1 actor / 1.2 role URIs that name this node. A Security header
	// without actor/role, or with "next" or "ultimateReceiver", is always ours.
	Actors []string
	// SAML turns on the SAML 1.1 holder-of-key path of VerifyAllowingSAML; nil refuses it.
	SAML *SAMLPolicy
}

// Verified is what a successful verification vouches for. Only Body (or CanonicalBody) is signed
// content; other headers are not covered unless the caller checks them itself.
type Verified struct {
	Version                                   SOAPVersion
	Envelope, Header, Security, Body, Payload *etree.Element // Payload: first element child of Body, nil if none
	CanonicalBody                             []byte         // exc-c14n bytes of the Body exactly as digested
	Cert                                      *x509.Certificate
	// Path is nil, or the certificates above Cert in a X509PKIPathv1 token (issuer first): a
	// caller mapping Cert to a party must pass them to the same trust decision.
	Path           []*x509.Certificate
	SignatureValue []byte // raw bytes, the replay-cache key
	// Expires is the Timestamp's, or Created plus MaxTTL when it has none: the end of the
	// window in which a replay of this message must be recognised.
	Created, Expires time.Time
	// Assertion is the verified SAML holder-of-key assertion when the message was signed that way
	// (VerifyAllowingSAML); Cert is then its holder's certificate. Nil on the X.509 path.
	Assertion *Assertion
}

func (v *Verifier) now() time.Time {
	if v.Now != nil {
		return v.Now()
	}
	return time.Now()
}

func orDefault[T time.Duration | int](x, d T) T {
	if x <= 0 {
		return d
	}
	return x
}

// Verify checks doc and returns the verified parts; every error is an *Error.
func (v *Verifier) Verify(doc *etree.Document) (*Verified, error) {
	out, e := v.verify(doc, false)
	if e != nil {
		return nil, e
	}
	return out, nil
}

// verify checks doc; samlOK lets a SAML holder-of-key KeyInfo through to resolveSAML.
func (v *Verifier) verify(doc *etree.Document, samlOK bool) (*Verified, *Error) {
	if doc == nil {
		return nil, fail(InvalidSecurity, reasonNotEnvelope, errEnvelopeShape)
	}
	env, err := findEnvelope(doc)
	if err != nil {
		return nil, fail(InvalidSecurity, reasonNotEnvelope, err)
	}
	secs := securityHeaders(env, v.Actors)
	switch {
	case len(secs) == 0:
		return nil, fail(InvalidSecurity, reasonNoSecurity, errors.New("no wsse:Security header for this node"))
	case len(secs) > 1:
		return nil, fail(InvalidSecurity, reasonManySecurity, errors.New("several wsse:Security headers for this node"))
	}
	sec := secs[0]
	sigs := children(sec, nsDS, "Signature")
	if len(sigs) != 1 {
		return nil, fail(InvalidSecurity, reasonSignatureCount, errors.New("Security header does not hold exactly one ds:Signature"))
	}
	sig := sigs[0]
	tss := children(sec, nsWSU, "Timestamp")
	if len(tss) != 1 {
		return nil, fail(InvalidSecurity, reasonNoTimestamp, errors.New("Security header does not hold exactly one wsu:Timestamp"))
	}
	ts := tss[0]
	created, expires, err := parseTimestamp(ts)
	if err != nil {
		return nil, fail(InvalidSecurity, reasonBadTimestamp, err)
	}
	ids, err := buildIDIndex(env.root)
	if err != nil {
		return nil, fail(InvalidSecurity, reasonDuplicateID, err)
	}

	p, e := v.readSignedInfo(sig, InvalidSecurity)
	if e != nil {
		return nil, e
	}
	si, siPrefixes, smAlg, method, sigValue := p.el, p.prefixes, p.alg, p.method, p.value

	if v.Trust == nil {
		return nil, fail(FailedAuthentication, reasonUntrusted, errNoTrust)
	}
	now := v.now()
	var tok token
	if samlOK && isSAMLKeyInfo(sig) {
		// The token service vouches for the holder's certificate: no trust entry is needed.
		tok, e = v.resolveSAML(env, sec, sig, ids, now)
	} else if tok, e = v.resolveCert(sec, sig, ids, now); e == nil {
		if err := v.Trust.Check(tok.cert, tok.path, now); err != nil {
			e = fail(FailedAuthentication, reasonUntrusted, err)
		}
	}
	if e != nil {
		return nil, e
	}
	cert := tok.cert
	if err := checkKey(cert.PublicKey); err != nil {
		return nil, fail(InvalidSecurityToken, reasonTokenInvalid, err)
	}

	b := &budget{left: orDefault(v.MaxNodes, DefaultMaxNodes)}
	canonSI, e := canonicalize(si, siPrefixes, b)
	if e != nil {
		return nil, e
	}
	if err := verifySignature(cert.PublicKey, method, canonSI, sigValue); err != nil {
		if tok.assertion != nil {
			return nil, samlFail(CheckSAMLHolderKey, reasonSAMLHolderKey, err)
		}
		return nil, fail(FailedCheck, reasonSignatureValue, err)
	}

	// From here on, what is signed is read only from the verified canonical SignedInfo.
	refs, e := v.verifiedReferences(canonSI, siPrefixes, smAlg)
	if e != nil {
		return nil, e
	}
	covered := make(map[*etree.Element]bool, len(refs))
	var canonBody []byte
	for _, r := range refs {
		target := ids[r.id]
		if target == nil {
			return nil, fail(FailedCheck, reasonReference, errors.New("reference target not found"))
		}
		if contains(target, sig) {
			// The enveloped-signature transform is accepted only where it removes nothing.
			return nil, fail(FailedCheck, reasonReference, errors.New("reference target contains the signature"))
		}
		data, e := canonicalize(target, r.prefixes, b)
		if e != nil {
			return nil, e
		}
		h := r.hash.New()
		h.Write(data)
		if subtle.ConstantTimeCompare(h.Sum(nil), r.digest) != 1 {
			return nil, fail(FailedCheck, reasonDigest, errors.New("digest mismatch"))
		}
		covered[target] = true
		if target == env.body && canonBody == nil {
			canonBody = data
		}
	}
	// Coverage by identity: the signed Body must be this envelope's Body and the signed
	// Timestamp this header's, wherever else same-looking elements sit (XSW).
	if !covered[env.body] || !covered[ts] {
		return nil, fail(FailedCheck, reasonCoverage, errors.New("Body or Timestamp not among the verified references"))
	}
	expires, e = checkFreshness(created, expires, now, orDefault(v.Skew, DefaultSkew), orDefault(v.MaxTTL, DefaultMaxTTL))
	if e != nil {
		return nil, e
	}

	out := &Verified{
		Version:        env.version,
		Envelope:       env.root,
		Header:         env.header,
		Security:       sec,
		Body:           env.body,
		CanonicalBody:  canonBody,
		Cert:           cert,
		Path:           tok.path,
		SignatureValue: sigValue,
		Created:        created,
		Expires:        expires,
		Assertion:      tok.assertion,
	}
	if kids := env.body.ChildElements(); len(kids) > 0 {
		out.Payload = kids[0]
	}
	return out, nil
}

func canonicalize(el *etree.Element, prefixes string, b *budget) ([]byte, *Error) {
	data, err := excC14N(el, prefixes, b)
	if errors.Is(err, errBudget) {
		return nil, fail(InvalidSecurity, reasonTooLarge, err)
	}
	if err != nil {
		return nil, fail(InvalidSecurity, reasonMalformedXML, err)
	}
	return data, nil
}

// signedInfo is what a ds:Signature states before any key is tried.
type signedInfo struct {
	el       *etree.Element // ds:SignedInfo
	prefixes string         // its CanonicalizationMethod's PrefixList
	alg      string         // the SignatureMethod URI
	method   sigMethod
	value    []byte // the decoded SignatureValue
}

// readSignedInfo reads sig's SignedInfo and SignatureValue, for the message signature and the
// enveloped ones alike. A missing or malformed piece is the fault code shape (InvalidSecurity in
// the Security header, InvalidSecurityToken inside a token); a SignatureMethod outside the
// allow-list is UnsupportedAlgorithm.
func (v *Verifier) readSignedInfo(sig *etree.Element, shape FaultCode) (signedInfo, *Error) {
	si, sv := child(sig, nsDS, "SignedInfo"), child(sig, nsDS, "SignatureValue")
	if si == nil || sv == nil {
		return signedInfo{}, fail(shape, reasonBadSignature, errors.New("Signature lacks SignedInfo or SignatureValue"))
	}
	cm, sm := child(si, nsDS, "CanonicalizationMethod"), child(si, nsDS, "SignatureMethod")
	if cm == nil || sm == nil {
		return signedInfo{}, fail(shape, reasonBadSignature, errors.New("SignedInfo lacks CanonicalizationMethod or SignatureMethod"))
	}
	prefixes, e := excC14NParams(cm)
	if e != nil {
		return signedInfo{}, e
	}
	alg := sm.SelectAttrValue("Algorithm", "")
	method, err := v.signatureMethod(alg)
	if err != nil || len(sm.ChildElements()) != 0 {
		return signedInfo{}, fail(UnsupportedAlgorithm, reasonAlgorithm, errors.New("SignatureMethod not allowed"))
	}
	value, err := decodeBase64(sv.Text(), maxSignatureBytes)
	if err != nil || len(value) == 0 {
		return signedInfo{}, fail(shape, reasonBadSignature, errors.New("SignatureValue is not base64 or too long"))
	}
	return signedInfo{el: si, prefixes: prefixes, alg: alg, method: method, value: value}, nil
}

// excC14NParams checks that method (a CanonicalizationMethod or Transform) is exc-c14n without
// comments and returns its InclusiveNamespaces PrefixList.
func excC14NParams(method *etree.Element) (string, *Error) {
	bad := fail(UnsupportedAlgorithm, reasonAlgorithm, errors.New("canonicalization is not exc-c14n"))
	if method.SelectAttrValue("Algorithm", "") != algExcC14N {
		return "", bad
	}
	kids := method.ChildElements()
	switch {
	case len(kids) == 0:
		return "", nil
	case len(kids) > 1 || !is(kids[0], nsExcC14N, "InclusiveNamespaces") || len(kids[0].ChildElements()) != 0:
		return "", bad
	}
	list := kids[0].SelectAttrValue("PrefixList", "")
	for _, p := range strings.Fields(list) {
		if p == "#default" {
			// The reference canonicalizer (goxmldsig's) cannot include the default namespace; nobody sends it.
			return "", bad
		}
	}
	return list, nil
}

// reference is one Reference of the verified SignedInfo.
type reference struct {
	id        string
	prefixes  string
	enveloped bool // an enveloped-signature transform came first (the SAML enveloped signatures need it)
	hash      crypto.Hash
	digest    []byte
}

// verifiedReferences re-parses the verified canonical SignedInfo and decodes its References. It
// also checks that the verified bytes name the algorithms that were used to verify them.
func (v *Verifier) verifiedReferences(canon []byte, siPrefixes, smAlg string) ([]reference, *Error) {
	malformed := func(why string) *Error { return fail(InvalidSecurity, reasonBadSignature, errors.New(why)) }
	d, ok := xmltree.Read(canon, signedInfoDepth)
	if !ok {
		d = etree.NewDocument()
		if err := d.ReadFromBytes(canon); err != nil {
			return nil, malformed("canonical SignedInfo does not parse")
		}
	}
	si := d.Root()
	if si == nil || !is(si, nsDS, "SignedInfo") {
		return nil, malformed("canonical SignedInfo has another root")
	}
	kids := si.ChildElements()
	if len(kids) < 3 || len(kids)-2 > maxReferences {
		return nil, malformed("SignedInfo must hold 1 to 16 References")
	}
	if !is(kids[0], nsDS, "CanonicalizationMethod") || !is(kids[1], nsDS, "SignatureMethod") ||
		kids[1].SelectAttrValue("Algorithm", "") != smAlg {
		return nil, malformed("SignedInfo methods out of order or changed")
	}
	if p, e := excC14NParams(kids[0]); e != nil || p != siPrefixes {
		return nil, malformed("SignedInfo canonicalization changed")
	}
	refs := make([]reference, 0, len(kids)-2)
	for _, el := range kids[2:] {
		if !is(el, nsDS, "Reference") {
			return nil, malformed("unexpected element in SignedInfo")
		}
		r, e := v.decodeReference(el)
		if e != nil {
			return nil, e
		}
		refs = append(refs, r)
	}
	return refs, nil
}

func (v *Verifier) decodeReference(el *etree.Element) (reference, *Error) {
	var r reference
	malformed := fail(InvalidSecurity, reasonBadSignature, errors.New("malformed Reference"))
	unsupported := fail(UnsupportedAlgorithm, reasonAlgorithm, errors.New("Reference transform or digest not allowed"))
	uri := el.SelectAttrValue("URI", "")
	if len(uri) < 2 || uri[0] != '#' {
		return r, fail(FailedCheck, reasonReference, errors.New("Reference URI is not a same-document #id"))
	}
	r.id = uri[1:]
	kids := el.ChildElements()
	if len(kids) != 3 || !is(kids[0], nsDS, "Transforms") || !is(kids[1], nsDS, "DigestMethod") || !is(kids[2], nsDS, "DigestValue") {
		if len(kids) == 2 && is(kids[0], nsDS, "DigestMethod") {
			return r, unsupported // no Transforms: exc-c14n is required
		}
		return r, malformed
	}
	ts := kids[0].ChildElements()
	for _, t := range ts {
		if !is(t, nsDS, "Transform") {
			return r, malformed
		}
	}
	switch {
	case len(ts) == 2 && ts[0].SelectAttrValue("Algorithm", "") == algEnveloped && len(ts[0].ChildElements()) == 0:
		ts, r.enveloped = ts[1:], true
	case len(ts) != 1:
		return r, unsupported
	}
	prefixes, e := excC14NParams(ts[0])
	if e != nil {
		return r, e
	}
	r.prefixes = prefixes
	h, err := v.digestMethod(kids[1].SelectAttrValue("Algorithm", ""))
	if err != nil || len(kids[1].ChildElements()) != 0 {
		return r, unsupported
	}
	r.hash = h
	r.digest, err = decodeBase64(kids[2].Text(), maxDigestBytes)
	if err != nil || len(r.digest) != h.Size() {
		return r, malformed
	}
	return r, nil
}
