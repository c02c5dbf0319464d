package client

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/beevik/etree"

	"github.com/carmed/carmed/wssec"
)

// The token service's legacy front end as the eHealth connector calls it
// (reference/ehealth-sts-saml.md §2): a samlp:Request whose AttributeQuery subject carries the
// claims and the holder-of-key certificate, signed inside with the holder's key, the envelope
// signed with the identification certificate (the Client's Signer).

// STSPath is where the token service answers (the connector's default endpoint.sts path).
const STSPath = "/IAM/Saml11TokenService/v1"

// ActionRequestSecureToken is the token service's SOAPAction.
const ActionRequestSecureToken = "urn:be:fgov:ehealth:sts:protocol:v1:RequestSecureToken"

// TokenRequest is what a client asks the token service for.
type TokenRequest struct {
	// Holder signs the inner request and is the key the token will confirm; nil means the
	// Client's own Signer (the identification certificate is then also the holder-of-key one).
	Holder *wssec.Signer
	// Claims are the attributes claimed (the token service checks them against its trust file);
	// Designators the attributes asked for.
	Claims      []wssec.SAMLAttribute
	Designators []wssec.SAMLAttribute
	Validity    time.Duration // 0: what the token service gives by default
	Now         time.Time     // zero: the current time
}

// STSRequest builds the signed samlp:Request of r.
func STSRequest(r TokenRequest) (*etree.Element, error) {
	if r.Holder == nil || r.Holder.Cert == nil {
		return nil, errors.New("sts request: no holder certificate")
	}
	now := r.Now
	if now.IsZero() {
		now = time.Now()
	}
	ts := func(t time.Time) string { return t.UTC().Format(wssec.TimeLayout) }
	doc := etree.NewDocument()
	req := doc.CreateElement("samlp:Request")
	req.CreateAttr("xmlns:samlp", wssec.NSSAMLP)
	req.CreateAttr("xmlns:saml", wssec.NSSAML)
	req.CreateAttr("RequestID", "request-"+uuid())
	req.CreateAttr("MajorVersion", "1")
	req.CreateAttr("MinorVersion", "1")
	req.CreateAttr("IssueInstant", ts(now))
	q := req.CreateElement("samlp:AttributeQuery")
	sub := q.CreateElement("saml:Subject")
	nameID := func(parent *etree.Element) {
		n := parent.CreateElement("saml:NameIdentifier")
		n.CreateAttr("Format", wssec.NameIDX509Subject)
		n.CreateAttr("NameQualifier", r.Holder.Cert.Issuer.String())
		n.SetText(r.Holder.Cert.Subject.String())
	}
	nameID(sub)
	sc := sub.CreateElement("saml:SubjectConfirmation")
	sc.CreateElement("saml:ConfirmationMethod").SetText(wssec.CMHolderOfKey)
	claims := sc.CreateElement("saml:SubjectConfirmationData").CreateElement("saml:Assertion")
	claims.CreateAttr("AssertionID", "assertion-"+uuid())
	claims.CreateAttr("IssueInstant", ts(now))
	claims.CreateAttr("Issuer", r.Holder.Cert.Subject.String())
	claims.CreateAttr("MajorVersion", "1")
	claims.CreateAttr("MinorVersion", "1")
	cond := claims.CreateElement("saml:Conditions")
	cond.CreateAttr("NotBefore", ts(now))
	if r.Validity > 0 {
		cond.CreateAttr("NotOnOrAfter", ts(now.Add(r.Validity)))
	}
	st := claims.CreateElement("saml:AttributeStatement")
	nameID(st.CreateElement("saml:Subject"))
	for _, a := range r.Claims {
		at := st.CreateElement("saml:Attribute")
		at.CreateAttr("AttributeName", a.Name)
		at.CreateAttr("AttributeNamespace", a.Namespace)
		for _, v := range a.Values {
			at.CreateElement("saml:AttributeValue").SetText(v)
		}
	}
	ki := sc.CreateElement("ds:KeyInfo")
	ki.CreateAttr("xmlns:ds", wssec.NSDS)
	ki.CreateElement("ds:X509Data").CreateElement("ds:X509Certificate").SetText(base64.StdEncoding.EncodeToString(r.Holder.Cert.Raw))
	for _, d := range r.Designators {
		ad := q.CreateElement("saml:AttributeDesignator")
		ad.CreateAttr("AttributeName", d.Name)
		ad.CreateAttr("AttributeNamespace", d.Namespace)
	}
	if err := r.Holder.SignEnveloped(req, "RequestID", true); err != nil {
		return nil, err
	}
	return req, nil
}

// RequestToken asks the token service at c.URL for a holder-of-key assertion and returns it,
// self-contained, ready for a Signer with KeyRef wssec.RefSAML. A refusal is an error with the
// service's StatusMessage.
func (c *Client) RequestToken(ctx context.Context, r TokenRequest) (*etree.Element, *Answer, error) {
	if r.Holder == nil {
		r.Holder = c.Signer
	}
	req, err := STSRequest(r)
	if err != nil {
		return nil, nil, err
	}
	d := etree.NewDocument()
	d.SetRoot(req)
	payload, err := d.WriteToBytes()
	if err != nil {
		return nil, nil, err
	}
	ans, err := c.Call(ctx, payload, ActionRequestSecureToken)
	if err != nil {
		return nil, ans, err
	}
	switch {
	case ans.Outcome == Faulted:
		return nil, ans, fmt.Errorf("token service fault %s", ans.Code)
	case ans.Outcome != Success:
		msg := "no message"
		if m := ans.Payload.FindElement("./Status/StatusMessage"); m != nil {
			msg = m.Text()
		}
		return nil, ans, fmt.Errorf("token service refused (%s): %s", ans.StatusValue, msg)
	}
	as := ans.Payload.FindElement("./Assertion")
	if as == nil || as.NamespaceURI() != wssec.NSSAML {
		return nil, ans, errors.New("token service answer holds no SAML 1.1 assertion")
	}
	out, err := wssec.DetachedAssertion(as)
	return out, ans, err
}

func uuid() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}
