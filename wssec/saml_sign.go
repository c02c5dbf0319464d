package wssec

import (
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/beevik/etree"
)

// What the token service and the clients write on the SAML path: an assertion with its enveloped
// signature (IssueAssertion), any element signed the same way (SignEnveloped: the holder's
// samlp:Request), and the holder-of-key message signature (Signer with KeyRef RefSAML).

// AssertionSpec is the content of an assertion the token service issues, in the shape of the
// eHealth STS's tokens (reference/ehealth-sts-saml.md §4.2).
type AssertionSpec struct {
	ID                      string // "" generates "_" + 32 hex digits, a valid xs:ID
	Issuer                  string
	IssueInstant            time.Time
	NotBefore, NotOnOrAfter time.Time
	Holder                  *x509.Certificate // confirmed by holder-of-key
	// NameID is the subject's X509SubjectName (the holder's subject DN), NameQualifier its issuer DN.
	NameID, NameQualifier string
	Attributes            []SAMLAttribute
	// ConfirmationMethod is holder-of-key when empty; tests set sender-vouches or bearer to check
	// that the verifier refuses them.
	ConfirmationMethod string
}

const (
	// NameIDX509Subject is the NameIdentifier format of a subject named by its certificate's DN.
	NameIDX509Subject = "urn:oasis:names:tc:SAML:1.1:nameid-format:X509SubjectName"
	authMethodX509    = "urn:oasis:names:tc:SAML:1.0:am:X509-PKI"
	// TimeLayout is UTC with milliseconds: how the eHealth STS writes SAML times, and WSS4J a
	// Timestamp's.
	TimeLayout = timestampLayout
)

// NewAssertionID is "_" and 32 random hex digits: an NCName, as AssertionID must be.
func NewAssertionID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return "_" + hex.EncodeToString(b[:])
}

// IssueAssertion builds the assertion of spec, signed by s (the token service's key) with an
// enveloped signature as its last child. The element declares every namespace it uses, so it can
// be moved into any document unchanged.
func (s *Signer) IssueAssertion(spec AssertionSpec) (*etree.Element, error) {
	if spec.Holder == nil || spec.Issuer == "" {
		return nil, errors.New("wssec: an assertion needs an issuer and a holder certificate")
	}
	if spec.ID == "" {
		spec.ID = NewAssertionID()
	}
	cm := spec.ConfirmationMethod
	if cm == "" {
		cm = CMHolderOfKey
	}
	doc := etree.NewDocument()
	as := doc.CreateElement("Assertion")
	as.CreateAttr("xmlns", NSSAML)
	as.CreateAttr("AssertionID", spec.ID)
	as.CreateAttr("IssueInstant", spec.IssueInstant.UTC().Format(TimeLayout))
	as.CreateAttr("Issuer", spec.Issuer)
	as.CreateAttr("MajorVersion", "1")
	as.CreateAttr("MinorVersion", "1")
	c := as.CreateElement("Conditions")
	c.CreateAttr("NotBefore", spec.NotBefore.UTC().Format(TimeLayout))
	c.CreateAttr("NotOnOrAfter", spec.NotOnOrAfter.UTC().Format(TimeLayout))
	subject := func(parent *etree.Element) *etree.Element {
		sub := parent.CreateElement("Subject")
		n := sub.CreateElement("NameIdentifier")
		n.CreateAttr("Format", NameIDX509Subject)
		n.CreateAttr("NameQualifier", spec.NameQualifier)
		n.SetText(spec.NameID)
		return sub
	}
	auth := as.CreateElement("AuthenticationStatement")
	auth.CreateAttr("AuthenticationInstant", spec.IssueInstant.UTC().Format(TimeLayout))
	auth.CreateAttr("AuthenticationMethod", authMethodX509)
	sc := subject(auth).CreateElement("SubjectConfirmation")
	sc.CreateElement("ConfirmationMethod").SetText(cm)
	ki := sc.CreateElement("ds:KeyInfo")
	ki.CreateAttr("xmlns:ds", nsDS)
	ki.CreateElement("ds:X509Data").CreateElement("ds:X509Certificate").SetText(base64.StdEncoding.EncodeToString(spec.Holder.Raw))
	if len(spec.Attributes) > 0 {
		st := as.CreateElement("AttributeStatement")
		subject(st)
		for _, a := range spec.Attributes {
			at := st.CreateElement("Attribute")
			at.CreateAttr("AttributeName", a.Name)
			at.CreateAttr("AttributeNamespace", a.Namespace)
			for _, v := range a.Values {
				at.CreateElement("AttributeValue").SetText(v)
			}
		}
	}
	if err := s.SignEnveloped(as, "AssertionID", false); err != nil {
		return nil, err
	}
	return as, nil
}

// SignEnveloped signs el with an enveloped signature referencing its unprefixed idAttr: the
// Signature goes first (first, as in a samlp:Request) or last (an assertion), with the
// enveloped-signature and exc-c14n transforms and s's certificate in KeyInfo/X509Data.
func (s *Signer) SignEnveloped(el *etree.Element, idAttr string, first bool) error {
	alg, err := s.algorithm()
	if err != nil {
		return err
	}
	digestURI, digestHash, err := s.digest()
	if err != nil {
		return err
	}
	id, ok := plainAttr(el, idAttr)
	if !ok || id == "" {
		return fmt.Errorf("wssec: the element to sign has no %s", idAttr)
	}
	// The digest is taken before the Signature is inserted: that is what the enveloped-signature
	// transform gives back on the verifying side.
	data, err := excC14N(el, "", nil)
	if err != nil {
		return fmt.Errorf("wssec: canonicalizing the signed element: %w", err)
	}
	sum := digestHash.New()
	sum.Write(data)

	sig := etree.NewElement("ds:Signature")
	sig.CreateAttr("xmlns:ds", nsDS)
	si := sig.CreateElement("ds:SignedInfo")
	si.CreateElement("ds:CanonicalizationMethod").CreateAttr("Algorithm", algExcC14N)
	si.CreateElement("ds:SignatureMethod").CreateAttr("Algorithm", alg.uri)
	ref := si.CreateElement("ds:Reference")
	ref.CreateAttr("URI", "#"+id)
	tr := ref.CreateElement("ds:Transforms")
	tr.CreateElement("ds:Transform").CreateAttr("Algorithm", algEnveloped)
	tr.CreateElement("ds:Transform").CreateAttr("Algorithm", algExcC14N)
	ref.CreateElement("ds:DigestMethod").CreateAttr("Algorithm", digestURI)
	ref.CreateElement("ds:DigestValue").SetText(base64.StdEncoding.EncodeToString(sum.Sum(nil)))
	sv := sig.CreateElement("ds:SignatureValue")
	sig.CreateElement("ds:KeyInfo").CreateElement("ds:X509Data").CreateElement("ds:X509Certificate").
		SetText(base64.StdEncoding.EncodeToString(s.Cert.Raw))
	if first {
		el.InsertChildAt(0, sig)
	} else {
		el.AddChild(sig)
	}
	return s.signInto(alg, si, sv)
}

// addAssertion puts the holder's assertion, unchanged, after the Timestamp (where the eHealth
// connector appends it) for RefSAML.
func (s *Signer) addAssertion(sec *etree.Element) error {
	if s.KeyRef != RefSAML {
		return nil
	}
	if s.Assertion == nil || !is(s.Assertion, NSSAML, "Assertion") {
		return errors.New("wssec: RefSAML needs the SAML 1.1 assertion to sign with")
	}
	sec.AddChild(s.Assertion.Copy())
	return nil
}

// samlKeyInfo writes the STR of the SAML 1.1 token profile: TokenType SAMLV1.1 and a
// KeyIdentifier of type SAMLAssertionID holding the AssertionID (what WSS4J writes for the
// connector, reference/ehealth-sts-saml.md §5).
func (s *Signer) samlKeyInfo(ki *etree.Element) {
	id, _ := plainAttr(s.Assertion, "AssertionID")
	str := ki.CreateElement("wsse:SecurityTokenReference")
	str.CreateAttr("xmlns:wsse11", nsWSSE11)
	str.CreateAttr("wsse11:TokenType", tokenTypeSAML11)
	k := str.CreateElement("wsse:KeyIdentifier")
	k.CreateAttr("ValueType", valueTypeSAMLID)
	k.SetText(id)
}

// DetachedAssertion returns the assertion of a parsed document as a self-contained element: its
// exclusive canonical form, which declares what it uses and keeps the STS signature valid.
func DetachedAssertion(as *etree.Element) (*etree.Element, error) {
	data, err := excC14N(as, "", nil)
	if err != nil {
		return nil, err
	}
	d := etree.NewDocument()
	if err := d.ReadFromBytes(data); err != nil {
		return nil, err
	}
	return d.Root(), nil
}
