package sts

import (
	"crypto/x509"
	"encoding/base64"
	"errors"
	"strings"
	"time"

	"github.com/beevik/etree"

	"github.com/carmed/carmed/wssec"
)

// The shape of the legacy request (reference/ehealth-sts-saml.md §2), read from the verified
// canonical Body. The SAML 1.1 schemas type values as xs:anyType, which the pipeline's validator
// cannot enforce, so this reader is the schema check: anything else is a schema fault.

// request is what the token service reads of a samlp:Request.
type request struct {
	id           string
	signed       bool // a ds:Signature first child: checked with the holder's key
	method       string
	holder       *x509.Certificate
	claims       []wssec.SAMLAttribute
	notOnOrAfter time.Time // the validity the client asks for; zero if it names none
}

// Limits of what a request may hold.
const (
	maxClaims      = 32       // the connector claims 2 to 4 attributes
	maxClaimValue  = 256      // identifiers and booleans
	maxHolderBytes = 16 << 10 // one certificate
)

var errShape = errors.New("not a samlp:Request with one AttributeQuery of the legacy STS shape")

func readRequest(el *etree.Element) (*request, error) {
	r := &request{}
	if !is(el, wssec.NSSAMLP, "Request") || attr(el, "MajorVersion") != "1" || attr(el, "MinorVersion") != "1" {
		return nil, errShape
	}
	if r.id = attr(el, "RequestID"); r.id == "" {
		return nil, errShape
	}
	kids := el.ChildElements()
	if len(kids) > 0 && is(kids[0], nsDS, "Signature") {
		r.signed, kids = true, kids[1:]
	}
	if len(kids) != 1 || !is(kids[0], wssec.NSSAMLP, "AttributeQuery") {
		return nil, errShape
	}
	q := kids[0].ChildElements()
	if len(q) == 0 || !is(q[0], wssec.NSSAML, "Subject") {
		return nil, errShape
	}
	for _, d := range q[1:] {
		if !is(d, wssec.NSSAML, "AttributeDesignator") {
			return nil, errShape
		}
	}
	var conf *etree.Element
	for _, c := range q[0].ChildElements() {
		switch {
		case is(c, wssec.NSSAML, "NameIdentifier"):
		case is(c, wssec.NSSAML, "SubjectConfirmation") && conf == nil:
			conf = c
		default:
			return nil, errShape
		}
	}
	if conf == nil {
		return nil, errors.New("no SubjectConfirmation")
	}
	var ki *etree.Element
	for _, c := range conf.ChildElements() {
		switch {
		case is(c, wssec.NSSAML, "ConfirmationMethod") && r.method == "":
			r.method = strings.TrimSpace(c.Text())
		case is(c, wssec.NSSAML, "SubjectConfirmationData"):
			if err := r.readClaims(c); err != nil {
				return nil, err
			}
		case is(c, nsDS, "KeyInfo") && ki == nil:
			ki = c
		default:
			return nil, errShape
		}
	}
	if ki == nil {
		return nil, errors.New("no holder-of-key certificate")
	}
	cert := ki.FindElement("./X509Data/X509Certificate")
	if cert == nil || len(cert.Text()) > 2*maxHolderBytes {
		return nil, errors.New("no holder-of-key certificate")
	}
	der, err := base64.StdEncoding.DecodeString(strings.Join(strings.Fields(cert.Text()), ""))
	if err != nil {
		return nil, err
	}
	if r.holder, err = x509.ParseCertificate(der); err != nil {
		return nil, err
	}
	return r, nil
}

// readClaims reads the unsigned claims assertion of SubjectConfirmationData: its attributes and
// the validity it asks for.
func (r *request) readClaims(data *etree.Element) error {
	for _, as := range data.ChildElements() {
		if !is(as, wssec.NSSAML, "Assertion") {
			return errShape
		}
		if c := as.FindElement("./Conditions"); c != nil {
			if v := attr(c, "NotOnOrAfter"); v != "" {
				t, err := time.Parse(time.RFC3339Nano, v)
				if err != nil {
					return errors.New("claims NotOnOrAfter is not a dateTime")
				}
				r.notOnOrAfter = t
			}
		}
		for _, a := range as.FindElements("./AttributeStatement/Attribute") {
			if !is(a, wssec.NSSAML, "Attribute") || len(r.claims) == maxClaims {
				return errShape
			}
			x := wssec.SAMLAttribute{Namespace: attr(a, "AttributeNamespace"), Name: attr(a, "AttributeName")}
			for _, v := range a.ChildElements() {
				t := strings.TrimSpace(v.Text())
				if !is(v, wssec.NSSAML, "AttributeValue") || len(v.ChildElements()) != 0 || len(t) > maxClaimValue {
					return errShape
				}
				x.Values = append(x.Values, t)
			}
			r.claims = append(r.claims, x)
		}
	}
	return nil
}

const nsDS = "http://www.w3.org/2000/09/xmldsig#"

func is(el *etree.Element, ns, local string) bool { return el.Tag == local && el.NamespaceURI() == ns }

// attr is an unprefixed attribute (SAML 1.1's are unqualified).
func attr(el *etree.Element, key string) string {
	for _, a := range el.Attr {
		if a.Space == "" && a.Key == key {
			return a.Value
		}
	}
	return ""
}
