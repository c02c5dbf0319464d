package wssec

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/x509"
	"encoding/asn1"
	"encoding/base64"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/beevik/etree"
)

// Signer signs outgoing envelopes (answers and Faults) the way WS-Security clients expect:
// a BinarySecurityToken, a Timestamp and one ds:Signature directly under wsse:Security, with
// References to the Body and the Timestamp by wsu:Id, exc-c14n and SHA-256+ digests.
type Signer struct {
	Key  crypto.Signer // *rsa.PrivateKey (rsa-sha256) or *ecdsa.PrivateKey P-256/P-384/P-521
	Cert *x509.Certificate
	TTL  time.Duration // Timestamp lifetime; 0 means DefaultSignTTL
	Now  func() time.Time

	// The variants below are what other client stacks send; the gateway's answers use the zero
	// values. Tests and the fuzz corpus use them to cover every form the verifier accepts.

	// Digest is the DigestMethod: SHA-256 (0), SHA-384 or SHA-512.
	Digest crypto.Hash
	// Hash is the SignatureMethod's hash: 0 is SHA-256 for RSA and the curve's own for ECDSA.
	Hash crypto.Hash
	// KeyRef is how KeyInfo names the certificate; Path holds Cert's issuers, issuer first,
	// for RefPKIPath.
	KeyRef KeyRef
	Path   []*x509.Certificate
	// NoExpires leaves Expires out of the Timestamp, as WSS4J does with a ttl of 0.
	NoExpires bool
	// Assertion is the SAML 1.1 holder-of-key assertion of RefSAML (saml_sign.go); Key and Cert
	// are then the holder's.
	Assertion *etree.Element
}

// KeyRef is a form of token reference in the signature's KeyInfo.
type KeyRef int

// The token references the signer can write (all of them accepted by Verifier).
const (
	RefBST          KeyRef = iota // STR Reference to a X509v3 BinarySecurityToken
	RefPKIPath                    // STR Reference to a X509PKIPathv1 BinarySecurityToken
	RefIssuerSerial               // STR X509Data/X509IssuerSerial
	RefSKI                        // STR KeyIdentifier X509SubjectKeyIdentifier
	RefThumbprint                 // STR KeyIdentifier ThumbprintSHA1
	RefX509Data                   // KeyInfo X509Data/X509Certificate
	RefSAML                       // STR KeyIdentifier SAMLAssertionID to Assertion (VerifyAllowingSAML)
)

// signAlg is how a key signs: the SignatureMethod URI, its hash, and for ECDSA the size of r and s.
type signAlg struct {
	uri     string
	hash    crypto.Hash
	ecdsaSz int
}

func (s *Signer) algorithm() (signAlg, error) {
	if s.Key == nil || s.Cert == nil {
		return signAlg{}, errors.New("wssec: signer needs a key and a certificate")
	}
	pub, ok := s.Key.Public().(interface{ Equal(crypto.PublicKey) bool })
	if !ok || !pub.Equal(s.Cert.PublicKey) {
		return signAlg{}, errors.New("wssec: signer certificate does not match its key")
	}
	switch k := s.Key.Public().(type) {
	case *rsa.PublicKey:
		if k.N.BitLen() < minRSABits {
			return signAlg{}, errors.New("wssec: RSA signing key shorter than 2048 bits")
		}
		return s.withHash(false, crypto.SHA256, 0)
	case *ecdsa.PublicKey:
		switch k.Curve {
		case elliptic.P256():
			return s.withHash(true, crypto.SHA256, 32)
		case elliptic.P384():
			return s.withHash(true, crypto.SHA384, 48)
		case elliptic.P521():
			return s.withHash(true, crypto.SHA512, 66)
		}
	}
	return signAlg{}, errors.New("wssec: signing key must be RSA or ECDSA P-256/384/521")
}

// withHash picks the SignatureMethod of the allow-list for the key type and s.Hash (or def).
func (s *Signer) withHash(ecdsa bool, def crypto.Hash, ecdsaSz int) (signAlg, error) {
	h := def
	if s.Hash != 0 {
		h = s.Hash
	}
	for uri, m := range signatureMethods {
		if m.ecdsa == ecdsa && m.hash == h && h != crypto.SHA1 {
			return signAlg{uri: uri, hash: h, ecdsaSz: ecdsaSz}, nil
		}
	}
	return signAlg{}, errors.New("wssec: signature hash must be SHA-256, SHA-384 or SHA-512")
}

// digest is the DigestMethod URI and hash of s.Digest.
func (s *Signer) digest() (string, crypto.Hash, error) {
	h := s.Digest
	if h == 0 {
		h = crypto.SHA256
	}
	for uri, d := range digestMethods {
		if d == h && h != crypto.SHA1 {
			return uri, h, nil
		}
	}
	return "", 0, errors.New("wssec: digest must be SHA-256, SHA-384 or SHA-512")
}

// SignEnvelope adds a signed wsse:Security header to doc (creating the Header if needed). The
// document must be a SOAP 1.1 or 1.2 Envelope without a Security header of its own.
func (s *Signer) SignEnvelope(doc *etree.Document) error {
	alg, err := s.algorithm()
	if err != nil {
		return err
	}
	digestURI, digestHash, err := s.digest()
	if err != nil {
		return err
	}
	env, err := findEnvelope(doc)
	if err != nil {
		return fmt.Errorf("wssec: %w", err)
	}
	if len(securityHeaders(env, nil)) > 0 {
		return errors.New("wssec: envelope already has a Security header")
	}
	bodyID, err := ensureBodyID(env.body)
	if err != nil {
		return err
	}
	if env.header == nil {
		env.header = etree.NewElement(qname(env.root.Space, "Header"))
		env.root.InsertChildAt(env.body.Index(), env.header)
	}

	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	created := now().UTC().Truncate(time.Millisecond)
	expires := created.Add(orDefault(s.TTL, DefaultSignTTL))
	bstID, tsID := newID("X509-"), newID("TS-")

	sec := etree.NewElement("wsse:Security")
	sec.CreateAttr("xmlns:wsse", nsWSSE)
	sec.CreateAttr("xmlns:wsu", nsWSU)
	envPrefix := env.root.Space
	if envPrefix == "" || lookupPrefix(env.header, envPrefix) != env.version.ns() {
		envPrefix = "wssenv"
		sec.CreateAttr("xmlns:"+envPrefix, env.version.ns())
	}
	mu := "1"
	if env.version == SOAP12 {
		mu = "true"
	}
	sec.CreateAttr(envPrefix+":mustUnderstand", mu)
	env.header.InsertChildAt(0, sec)

	if err := s.addToken(sec, bstID); err != nil {
		return err
	}

	ts := sec.CreateElement("wsu:Timestamp")
	ts.CreateAttr("wsu:Id", tsID)
	ts.CreateElement("wsu:Created").SetText(created.Format(timestampLayout))
	if !s.NoExpires {
		ts.CreateElement("wsu:Expires").SetText(expires.Format(timestampLayout))
	}
	if err := s.addAssertion(sec); err != nil {
		return err
	}

	sig := sec.CreateElement("ds:Signature")
	sig.CreateAttr("xmlns:ds", nsDS)
	si := sig.CreateElement("ds:SignedInfo")
	si.CreateElement("ds:CanonicalizationMethod").CreateAttr("Algorithm", algExcC14N)
	si.CreateElement("ds:SignatureMethod").CreateAttr("Algorithm", alg.uri)
	for _, part := range []struct {
		id       string
		el       *etree.Element
		prefixes string
	}{
		{bodyID, env.body, qnamePrefixes(env.body)},
		{tsID, ts, ""},
	} {
		data, err := excC14N(part.el, part.prefixes, nil)
		if err != nil {
			return fmt.Errorf("wssec: canonicalizing a signed part: %w", err)
		}
		ref := si.CreateElement("ds:Reference")
		ref.CreateAttr("URI", "#"+part.id)
		tr := ref.CreateElement("ds:Transforms").CreateElement("ds:Transform")
		tr.CreateAttr("Algorithm", algExcC14N)
		if part.prefixes != "" {
			in := tr.CreateElement("ec:InclusiveNamespaces")
			in.CreateAttr("xmlns:ec", nsExcC14N)
			in.CreateAttr("PrefixList", part.prefixes)
		}
		ref.CreateElement("ds:DigestMethod").CreateAttr("Algorithm", digestURI)
		sum := digestHash.New()
		sum.Write(data)
		ref.CreateElement("ds:DigestValue").SetText(base64.StdEncoding.EncodeToString(sum.Sum(nil)))
	}
	sv := sig.CreateElement("ds:SignatureValue")
	s.addKeyInfo(sig.CreateElement("ds:KeyInfo"), bstID)

	return s.signInto(alg, si, sv)
}

// addToken adds the BinarySecurityToken the KeyInfo will reference, if it references one.
func (s *Signer) addToken(sec *etree.Element, id string) error {
	var vt string
	var der []byte
	switch s.KeyRef {
	case RefBST:
		vt, der = valueTypeX509v3, s.Cert.Raw
	case RefPKIPath:
		raws := make([]asn1.RawValue, 0, len(s.Path)+1)
		for _, c := range append(append([]*x509.Certificate(nil), s.Path...), s.Cert) {
			raws = append(raws, asn1.RawValue{FullBytes: c.Raw})
		}
		var err error
		if der, err = asn1.Marshal(raws); err != nil {
			return fmt.Errorf("wssec: encoding the PKIPath: %w", err)
		}
		vt = valueTypePKIPath
	default:
		return nil
	}
	bst := sec.CreateElement("wsse:BinarySecurityToken")
	bst.CreateAttr("EncodingType", encodingBase64)
	bst.CreateAttr("ValueType", vt)
	bst.CreateAttr("wsu:Id", id)
	bst.SetText(base64.StdEncoding.EncodeToString(der))
	return nil
}

// addKeyInfo writes the KeyInfo of s.KeyRef; bstID names the token addToken wrote.
func (s *Signer) addKeyInfo(ki *etree.Element, bstID string) {
	if s.KeyRef == RefSAML {
		s.samlKeyInfo(ki)
		return
	}
	if s.KeyRef == RefX509Data {
		xd := ki.CreateElement("ds:X509Data")
		xd.CreateElement("ds:X509Certificate").SetText(base64.StdEncoding.EncodeToString(s.Cert.Raw))
		return
	}
	str := ki.CreateElement("wsse:SecurityTokenReference")
	keyID := func(vt string, id []byte) {
		k := str.CreateElement("wsse:KeyIdentifier")
		k.CreateAttr("EncodingType", encodingBase64)
		k.CreateAttr("ValueType", vt)
		k.SetText(base64.StdEncoding.EncodeToString(id))
	}
	switch s.KeyRef {
	case RefIssuerSerial:
		isr := str.CreateElement("ds:X509Data").CreateElement("ds:X509IssuerSerial")
		isr.CreateElement("ds:X509IssuerName").SetText(s.Cert.Issuer.String())
		isr.CreateElement("ds:X509SerialNumber").SetText(s.Cert.SerialNumber.String())
	case RefSKI:
		keyID(valueTypeSKI, s.Cert.SubjectKeyId)
	case RefThumbprint:
		sum := sha1.Sum(s.Cert.Raw)
		keyID(valueTypeThumbprint, sum[:])
	default:
		vt := valueTypeX509v3
		if s.KeyRef == RefPKIPath {
			vt = valueTypePKIPath
		}
		r := str.CreateElement("wsse:Reference")
		r.CreateAttr("URI", "#"+bstID)
		r.CreateAttr("ValueType", vt)
	}
}

// timestampLayout is UTC with milliseconds, as WSS4J writes it.
const timestampLayout = "2006-01-02T15:04:05.000Z"

// signInto writes into sv the signature of si, canonicalized where it stands (its Signature
// already in place, so that the namespaces in scope are the ones a verifier sees).
func (s *Signer) signInto(alg signAlg, si, sv *etree.Element) error {
	canonSI, err := excC14N(si, "", nil)
	if err != nil {
		return fmt.Errorf("wssec: canonicalizing SignedInfo: %w", err)
	}
	value, err := s.sign(alg, canonSI)
	if err != nil {
		return err
	}
	sv.SetText(base64.StdEncoding.EncodeToString(value))
	return nil
}

func (s *Signer) sign(alg signAlg, data []byte) ([]byte, error) {
	h := alg.hash.New()
	h.Write(data)
	sig, err := s.Key.Sign(rand.Reader, h.Sum(nil), alg.hash)
	if err != nil {
		return nil, fmt.Errorf("wssec: signing: %w", err)
	}
	if alg.ecdsaSz == 0 {
		return sig, nil
	}
	// crypto.Signer returns ASN.1 DER for ECDSA; XMLDSig 1.1 wants r||s of fixed size.
	var rs struct{ R, S *big.Int }
	if rest, err := asn1.Unmarshal(sig, &rs); err != nil || len(rest) != 0 {
		return nil, errors.New("wssec: ECDSA signer returned a malformed signature")
	}
	out := make([]byte, 2*alg.ecdsaSz)
	rs.R.FillBytes(out[:alg.ecdsaSz])
	rs.S.FillBytes(out[alg.ecdsaSz:])
	return out, nil
}

// ensureBodyID returns the Body's existing wsu:Id or plain Id, or adds a wsu:Id.
func ensureBodyID(body *etree.Element) (string, error) {
	for i := range body.Attr {
		a := &body.Attr[i]
		if a.Key == "Id" && a.Value != "" && (a.Space == "" || attrNS(body, a) == nsWSU) {
			return a.Value, nil
		}
	}
	switch lookupPrefix(body, "wsu") {
	case "":
		body.CreateAttr("xmlns:wsu", nsWSU)
	case nsWSU:
	default:
		return "", errors.New("wssec: the Body binds the prefix wsu to another namespace")
	}
	id := newID("Body-")
	body.CreateAttr("wsu:Id", id)
	return id, nil
}

func newID(prefix string) string { return prefix + rand.Text() }

func qname(prefix, local string) string {
	if prefix == "" {
		return local
	}
	return prefix + ":" + local
}

// qnamePrefixes lists the in-scope prefixes used inside text or xsi:type values of el's subtree
// (a Fault's faultcode "soap:Client", "wsse:InvalidSecurity"). Exclusive canonicalization does not
// see those as used, so they go in the Body reference's PrefixList: the signature then also
// covers their bindings and the canonical Body stays decodable on its own.
func qnamePrefixes(el *etree.Element) string {
	seen := map[string]bool{}
	var out []string
	add := func(at *etree.Element, s string) {
		s = strings.TrimSpace(s)
		i := strings.IndexByte(s, ':')
		if i <= 0 || i > 64 || strings.ContainsAny(s, " \t\r\n/") {
			return
		}
		p := s[:i]
		if seen[p] || p == "xml" || p == "xmlns" || lookupPrefix(at, p) == "" {
			return
		}
		seen[p] = true
		out = append(out, p)
	}
	stack := []*etree.Element{el}
	for len(stack) > 0 {
		e := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for i := range e.Attr {
			if e.Attr[i].Key == "type" && attrNS(e, &e.Attr[i]) == nsXSI {
				add(e, e.Attr[i].Value)
			}
		}
		kids := e.ChildElements()
		if len(kids) == 0 {
			add(e, e.Text())
		}
		stack = append(stack, kids...)
	}
	return strings.Join(out, " ")
}
