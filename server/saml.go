package server

import (
	"bytes"
	"crypto/x509"
	"errors"
	"time"

	"github.com/beevik/etree"

	"github.com/carmed/carmed/trust"
	"github.com/carmed/carmed/wssec"
)

// SAML 1.1 holder-of-key in the pipeline: a face that sets Face.SAML accepts a request signed
// with the key an STS assertion confirms (wssec.VerifyAllowingSAML), and its party is the one the
// assertion's certified attributes name (trust.SAMLParty), checked before anything is decoded.

// verifierFor is the pipeline's verifier with a face's choices: the trust file's token services
// for SAML, and the face's own SHA-1 switch.
func (s *Server) verifierFor(f Face) *wssec.Verifier {
	v := *s.verifier
	if f.AllowSHA1 {
		v.AllowSHA1 = true
	}
	if f.SAML {
		pol := &wssec.SAMLPolicy{}
		for _, t := range s.cfg.Trust.TokenIssuers() {
			pol.Issuers = append(pol.Issuers, wssec.TokenIssuer{Name: t.Name, Cert: t.Cert})
		}
		v.SAML = pol
	}
	return &v
}

// verify checks a request the way the face accepts it.
func (fc *face) verify(doc *etree.Document) (*wssec.Verified, error) {
	if fc.SAML {
		return fc.verifier.VerifyAllowingSAML(doc)
	}
	return fc.verifier.Verify(doc)
}

// securityFault is the fault of a verification failure: a SAML check's own code, or the
// WS-Security fault code.
func securityFault(err error) *Fault {
	var se *wssec.Error
	if !errors.As(err, &se) {
		return faultSecurity(wssec.InvalidSecurity, err)
	}
	if se.Check != "" {
		if e, ok := faultIndex[se.Check]; ok && e.WSSE == string(se.Code) {
			return newFault(se.Check, err)
		}
	}
	return faultSecurity(se.Code, err)
}

// partyOf is the signer: from the assertion when the message was signed holder-of-key, else
// from the certificate through the trust file.
func (s *Server) partyOf(ver *wssec.Verified, now time.Time) (trust.Party, *Fault) {
	if ver.Assertion != nil {
		p, err := s.cfg.Trust.SAMLParty(ver.Assertion.Value)
		if err != nil {
			return trust.Party{}, newFault(FaultSAMLNoParty, err)
		}
		p.CertSHA256 = trust.Fingerprint(ver.Cert)
		return p, nil
	}
	p, err := s.cfg.Trust.PartyWithPath(ver.Cert, ver.Path, now)
	if err != nil {
		return trust.Party{}, faultSecurity(wssec.FailedAuthentication, err)
	}
	return p, nil
}

// Assertion is the verified SAML assertion the request was signed with, nil on the X.509 path.
func (c *Call) Assertion() *wssec.Assertion { return c.ver.Assertion }

// SignerCert is the certificate whose key signed the request (the holder's on the SAML path).
func (c *Call) SignerCert() *x509.Certificate { return c.ver.Cert }

// VerifiedPayload is the operation element parsed afresh from the canonical Body bytes that were
// digested, for a face that must read a signed part of its request as a tree (the token
// service checks the signature inside a samlp:Request). Like Decode, it never reads the tree an
// attacker could have altered around the signed Body.
func (c *Call) VerifiedPayload() (*etree.Element, error) {
	d := etree.NewDocument()
	d.ReadSettings = etree.ReadSettings{MaxDepth: MaxDepth}
	if err := d.ReadFromBytes(bytes.Clone(c.ver.CanonicalBody)); err != nil {
		return nil, SchemaFault(err)
	}
	kids := d.Root().ChildElements()
	if len(kids) != 1 {
		return nil, SchemaFault(errors.New("the Body must hold one operation element"))
	}
	return kids[0], nil
}
