// Package sts is the token service face: the eHealth STS's legacy SAML 1.1 protocol front end on
// the connector's default paths (reference/ehealth-sts-saml.md §1, §2, §4, §6). A provider,
// authenticated by the pipeline with its X.509 identification certificate, asks for a holder-of-key
// assertion about itself; the assertion carries only what the trust file says of the certificate's
// party, never what the request claims, and is signed with the token service's own key. The
// provider faces accept it (server.Face.SAML).
package sts

import (
	"crypto/rand"
	"crypto/x509"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"time"

	"github.com/beevik/etree"

	"github.com/carmed/carmed/server"
	"github.com/carmed/carmed/trust"
	"github.com/carmed/carmed/wssec"
)

// Paths and SOAPAction of the token service (the connector's endpoint.sts and the legacy alias).
const (
	Path       = "/IAM/Saml11TokenService/v1"
	PathLegacy = "/IAM/Saml11TokenService/Legacy/v1"
	// ActionRequestSecureToken is the legacy front end's SOAPAction ("Secure", not "Security").
	ActionRequestSecureToken = "urn:be:fgov:ehealth:sts:protocol:v1:RequestSecureToken"
)

// Limits of the tokens it issues.
const (
	// MaxTokenLifetime: the connector asks for 24 h by default (sessionmanager.validity.token);
	// a longer request gets 24 h. It stays under wssec.MaxAssertionLifetime with the back-dating.
	MaxTokenLifetime = 24 * time.Hour
	// DefaultTokenLifetime: for a request that names no validity, the 5 h the Recip-e kit asks.
	DefaultTokenLifetime = 5 * time.Hour
	// Backdate: NotBefore lies this far before the issue instant, as the eHealth STS does, so a
	// relying party whose clock is a little behind accepts the token at once.
	Backdate = 5 * time.Minute
)

// Config is what the token service needs besides the pipeline.
type Config struct {
	// Signer holds the token service's key and certificate (the one the trust file names under
	// tokenIssuers); RSA gives RSA-SHA256 signatures.
	Signer *wssec.Signer
	// Issuer is the assertions' Issuer; empty means trust.IssuerSTS.
	Issuer string
	// AllowSHA1 accepts SHA-1 on this face alone: the official connector signs its request's
	// enveloped signature with RSA-SHA1 (hard-coded in connector 4.0.2).
	AllowSHA1 bool
}

type service struct {
	Config
	trust *trust.Store
}

// Register serves the token service on both paths.
func Register(srv *server.Server, cfg Config) error {
	if cfg.Signer == nil || cfg.Signer.Key == nil || cfg.Signer.Cert == nil {
		return errors.New("sts: a signing key and certificate are required")
	}
	if cfg.Issuer == "" {
		cfg.Issuer = trust.IssuerSTS
	}
	s := &service{Config: cfg, trust: srv.Trust()}
	for _, p := range []struct{ name, path string }{{"sts", Path}, {"sts-legacy", PathLegacy}} {
		if err := srv.Register(server.Face{Name: p.name, Path: p.path, WSDL: "ehealth-sts-saml11-v1.wsdl",
			AllowSHA1: cfg.AllowSHA1,
			Operations: []server.Operation{{Element: xml.Name{Space: wssec.NSSAMLP, Local: "Request"},
				Name: "requestSecureToken", Action: ActionRequestSecureToken, Kind: trust.KindProvider, Handle: s.requestSecureToken}}}); err != nil {
			return err
		}
	}
	return nil
}

// Outcome codes of the token service's answers (the log line; the client reads StatusMessage).
const (
	codeIssued        = "TOKEN_ISSUED"
	codeHolderUnsure  = "STS_HOLDER_KEY"   // the holder certificate is another party's, or its signature is missing or bad
	codeClaimMismatch = "STS_CLAIM"        // a claimed identifier differs from the trust file's
	codeNoQuality     = "STS_NO_QUALITY"   // the party's kind has no eHealth quality to certify
	codeNotHoK        = "STS_CONFIRMATION" // only holder-of-key tokens are issued
)

func (s *service) requestSecureToken(c *server.Call) (*server.Answer, error) {
	el, err := c.VerifiedPayload()
	if err != nil {
		return nil, err
	}
	req, err := readRequest(el)
	if err != nil {
		return nil, server.SchemaFault(err)
	}
	party := c.Party()
	if req.method != wssec.CMHolderOfKey {
		return s.refuse(c, req, codeNotHoK, "Only holder-of-key tokens are issued.")
	}
	// Proof of possession: the pipeline checked the identification key; a holder-of-key
	// certificate that is another one must have signed the request itself, and belong to the
	// same party.
	if req.signed || !req.holder.Equal(c.SignerCert()) {
		if !req.signed {
			return s.refuse(c, req, codeHolderUnsure, "The request must be signed with the holder-of-key certificate's key.")
		}
		if _, err := wssec.VerifyEnvelopedSignature(el, "RequestID", []*x509.Certificate{req.holder}, s.AllowSHA1); err != nil {
			return s.refuse(c, req, codeHolderUnsure, "The request's signature does not verify with the holder-of-key certificate.")
		}
		hp, err := s.trust.Party(req.holder, c.Received())
		if err != nil || hp.Kind != party.Kind || hp.ID != party.ID {
			return s.refuse(c, req, codeHolderUnsure, "The holder-of-key certificate does not belong to the authenticated party.")
		}
	}
	q, ok := trust.QualityOf(party.ProviderKind)
	if !ok {
		return s.refuse(c, req, codeNoQuality, "No eHealth quality is certified for this kind of provider.")
	}
	// Claims are checked, never copied: an identifier claimed for the party's quality must be
	// the trust file's, and claims the service cannot certify are left out.
	for _, a := range req.claims {
		if a.Name != q.NIHII && !contains(q.Claims, a.Name) {
			continue
		}
		for _, v := range a.Values {
			if v != party.ID {
				return s.refuse(c, req, codeClaimMismatch, "A claimed identifier is not the authenticated party's.")
			}
		}
	}
	now := c.Now()
	until := now.Add(DefaultTokenLifetime)
	if !req.notOnOrAfter.IsZero() && req.notOnOrAfter.After(now) {
		until = req.notOnOrAfter
	}
	if until.Sub(now) > MaxTokenLifetime {
		until = now.Add(MaxTokenLifetime)
	}
	attrs := make([]wssec.SAMLAttribute, 0, len(q.Claims)+2)
	for _, name := range q.Claims {
		attrs = append(attrs, wssec.SAMLAttribute{Namespace: trust.NSIdentification, Name: name, Values: []string{party.ID}})
	}
	attrs = append(attrs,
		wssec.SAMLAttribute{Namespace: trust.NSCertified, Name: q.Recognised, Values: []string{"true"}},
		wssec.SAMLAttribute{Namespace: trust.NSCertified, Name: q.NIHII, Values: []string{party.ID}})
	as, err := s.Signer.IssueAssertion(wssec.AssertionSpec{Issuer: s.Issuer, IssueInstant: now,
		NotBefore: now.Add(-Backdate), NotOnOrAfter: until, Holder: req.holder,
		NameID: req.holder.Subject.String(), NameQualifier: req.holder.Issuer.String(), Attributes: attrs})
	if err != nil {
		return nil, err
	}
	resp := s.response(req, now, "samlp:Success", "")
	resp.AddChild(as)
	return &server.Answer{Payload: resp, Outcome: "DATA_FOUND", Code: codeIssued}, nil
}

// refuse answers a failure status with a message the connector shows its user (§6.4).
func (s *service) refuse(c *server.Call, req *request, code, msg string) (*server.Answer, error) {
	return &server.Answer{Payload: s.response(req, c.Now(), "samlp:Requester", msg), Outcome: "NO_RESULT", Code: code}, nil
}

// response is a samlp:Response to req with one status code (a SAML 1.1 QName) and message.
func (s *service) response(req *request, now time.Time, status, msg string) *etree.Element {
	r := etree.NewElement("samlp:Response")
	r.CreateAttr("xmlns:samlp", wssec.NSSAMLP)
	var b [16]byte
	_, _ = rand.Read(b[:])
	r.CreateAttr("ResponseID", "_"+hex.EncodeToString(b[:]))
	r.CreateAttr("InResponseTo", req.id)
	r.CreateAttr("IssueInstant", now.UTC().Format("2006-01-02T15:04:05.000Z"))
	r.CreateAttr("MajorVersion", "1")
	r.CreateAttr("MinorVersion", "1")
	st := r.CreateElement("samlp:Status")
	st.CreateElement("samlp:StatusCode").CreateAttr("Value", status)
	if msg != "" {
		st.CreateElement("samlp:StatusMessage").SetText(msg)
	}
	return r
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
