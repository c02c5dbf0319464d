package wssec

import (
	"crypto/x509"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/beevik/etree"
)

// VerifyAllowingSAML is Verify that also accepts a SAML 1.1 holder-of-key signature (v.SAML must
// be set): an STS-signed assertion in this Security header, the message signed over Body and
// Timestamp with the key of the certificate the assertion confirms, the KeyInfo an STR
// KeyIdentifier naming the assertion. Verified.Assertion is then set and Cert is the holder's
// certificate, which no trust entry needs to list: the token service vouched for it. Every
// defence of the X.509 path applies, and the assertion gets its own (saml_verify.go).
func (v *Verifier) VerifyAllowingSAML(doc *etree.Document) (*Verified, error) {
	out, e := v.verify(doc, true)
	if e != nil {
		return nil, e
	}
	return out, nil
}

// samlFail is a refusal of the SAML path: its check code and the fault code the check is sent as.
func samlFail(check, reason string, cause error) *Error {
	return &Error{Code: SAMLChecks[check], Reason: reason, Cause: cause, Check: check}
}

// Public reasons of the SAML checks.
const (
	reasonSAMLPlacement = "the SAML assertion must appear once, directly in the WS-Security header"
	reasonSAMLDuplicate = "the SAML AssertionID is also carried by another element"
	reasonSAMLTokenRef  = "the signature must name the SAML 1.1 assertion by a SAMLAssertionID key identifier"
	reasonSAMLMissing   = "the signature names a SAML assertion that is not in the WS-Security header"
	reasonSAMLMalformed = "the SAML assertion is malformed"
	reasonSAMLIssuer    = "the SAML assertion is not issued by a trusted token service"
	reasonSAMLSignature = "the SAML assertion's signature does not verify"
	reasonSAMLExpired   = "the SAML assertion is not valid at this time"
	reasonSAMLLifetime  = "the SAML assertion's validity window is too long"
	reasonSAMLNotHoK    = "the SAML assertion must be holder-of-key"
	reasonSAMLHolder    = "the SAML assertion's holder certificate is missing or not usable"
	reasonSAMLHolderKey = "the message is not signed with the SAML holder's key"
)

// isSAMLKeyInfo reports whether the signature's KeyInfo points at a SAML token in any form (a
// SAML TokenType on the STR, a SAML ValueType on its reference): such a KeyInfo goes the SAML
// path, where only the exact SAML 1.1 form passes.
func isSAMLKeyInfo(sig *etree.Element) bool {
	ki := child(sig, nsDS, "KeyInfo")
	if ki == nil {
		return false
	}
	for _, str := range children(ki, nsWSSE, "SecurityTokenReference") {
		for i := range str.Attr {
			if str.Attr[i].Key == "TokenType" && strings.Contains(str.Attr[i].Value, "saml-token-profile") {
				return true
			}
		}
		for _, r := range str.ChildElements() {
			if strings.Contains(r.SelectAttrValue("ValueType", ""), "saml-token-profile") {
				return true
			}
		}
	}
	return false
}

// resolveSAML finds and checks the assertion the message signature names and returns its holder
// certificate, the key the message signature must verify with.
func (v *Verifier) resolveSAML(env envelope, sec, sig *etree.Element, ids idIndex, now time.Time) (token, *Error) {
	keyID, e := samlKeyIdentifier(sig)
	if e != nil {
		return token{}, e
	}
	// Placement by position: one assertion in the whole message, a direct child of our header.
	// A copy moved elsewhere, a second (forged or duplicated) one, one inside a wrapper: refused.
	// The same walk notes the elements whose identifier is keyID, for the duplicate check below.
	var found, named []*etree.Element
	walk(env.root, func(el *etree.Element) {
		if el.Tag == "Assertion" && (el.NamespaceURI() == NSSAML || el.NamespaceURI() == nsSAML2) {
			found = append(found, el)
		}
		if hasIDValue(el, keyID) {
			named = append(named, el)
		}
	})
	if len(found) != 1 || found[0].Parent() != sec || found[0].NamespaceURI() != NSSAML {
		return token{}, samlFail(CheckSAMLPlacement, reasonSAMLPlacement, errors.New("not exactly one SAML 1.1 assertion under this Security header"))
	}
	as := found[0]
	aid, _ := plainAttr(as, "AssertionID")
	if aid == "" || keyID != aid {
		return token{}, samlFail(CheckSAMLMissing, reasonSAMLMissing, errors.New("KeyIdentifier does not name the header's assertion"))
	}
	if ids[aid] != nil || slices.ContainsFunc(named, func(el *etree.Element) bool { return el != as }) {
		return token{}, samlFail(CheckSAMLDuplicate, reasonSAMLDuplicate, errDuplicateID)
	}
	if e := checkAssertionShape(as); e != nil {
		return token{}, e
	}
	issuer, e := v.checkAssertionSignature(as)
	if e != nil {
		return token{}, e
	}
	a := &Assertion{ID: aid, Issuer: issuer}
	if e := v.checkConditions(as, a, now); e != nil {
		return token{}, e
	}
	if a.Holder, e = holderCert(as, now); e != nil {
		return token{}, e
	}
	if e := readAttributes(as, a); e != nil {
		return token{}, e
	}
	return token{cert: a.Holder, assertion: a}, nil
}

// samlKeyIdentifier reads the only KeyInfo form of the SAML 1.1 token profile: an STR (TokenType
// SAMLV1.1 when present) holding one KeyIdentifier of ValueType SAMLAssertionID.
func samlKeyIdentifier(sig *etree.Element) (string, *Error) {
	bad := func(why string) (string, *Error) {
		return "", samlFail(CheckSAMLTokenRef, reasonSAMLTokenRef, errors.New(why))
	}
	ki := child(sig, nsDS, "KeyInfo")
	if ki == nil || len(ki.ChildElements()) != 1 {
		return bad("KeyInfo must hold one SecurityTokenReference")
	}
	str := ki.ChildElements()[0]
	if !is(str, nsWSSE, "SecurityTokenReference") || len(str.ChildElements()) != 1 {
		return bad("KeyInfo must hold one SecurityTokenReference with one reference")
	}
	for i := range str.Attr {
		a := &str.Attr[i]
		if a.Key == "TokenType" && (a.Space == "" || attrNS(str, a) == nsWSSE11) && a.Value != tokenTypeSAML11 {
			return bad("STR TokenType is not SAMLV1.1")
		}
	}
	kid := str.ChildElements()[0]
	if !is(kid, nsWSSE, "KeyIdentifier") || kid.SelectAttrValue("ValueType", "") != valueTypeSAMLID ||
		kid.SelectAttr("EncodingType") != nil || len(kid.ChildElements()) != 0 {
		return bad("reference is not a SAMLAssertionID KeyIdentifier")
	}
	id := strings.TrimSpace(kid.Text())
	if id == "" {
		return bad("empty KeyIdentifier")
	}
	return id, nil
}

// hasIDValue reports whether el carries id as an identifier attribute of the SAML or WS-Security
// kinds (AssertionID, ID, RequestID, ResponseID, Id under any prefix).
func hasIDValue(el *etree.Element, id string) bool {
	for _, a := range el.Attr {
		switch a.Key {
		case "AssertionID", "ID", "Id", "RequestID", "ResponseID":
			if a.Value == id {
				return true
			}
		}
	}
	return false
}

// checkAssertionShape refuses what an STS never issues: another version, comments or processing
// instructions (their text would read differently from what was signed), unknown statements,
// advice, or more than one of a part the checks below read.
func checkAssertionShape(as *etree.Element) *Error {
	bad := func(why string) *Error { return samlFail(CheckSAMLMalformed, reasonSAMLMalformed, errors.New(why)) }
	if v, _ := plainAttr(as, "MajorVersion"); v != "1" {
		return bad("MajorVersion is not 1")
	}
	if v, _ := plainAttr(as, "MinorVersion"); v != "1" {
		return bad("MinorVersion is not 1")
	}
	if v, _ := plainAttr(as, "Issuer"); v == "" {
		return bad("no Issuer")
	}
	var odd bool
	var walkTok func(el *etree.Element)
	walkTok = func(el *etree.Element) {
		for _, t := range el.Child {
			switch c := t.(type) {
			case *etree.Comment, *etree.ProcInst, *etree.Directive:
				odd = true
			case *etree.Element:
				walkTok(c)
			}
		}
	}
	walkTok(as)
	if odd {
		return bad("comment or processing instruction inside the assertion")
	}
	seen := map[string]int{}
	for _, c := range as.ChildElements() {
		switch {
		case is(c, nsDS, "Signature"):
		case c.NamespaceURI() == NSSAML && (c.Tag == "Conditions" || c.Tag == "AuthenticationStatement" || c.Tag == "AttributeStatement"):
		default:
			return bad("unexpected element in the assertion")
		}
		seen[c.Tag]++
	}
	if seen["Conditions"] != 1 || seen["AuthenticationStatement"] > 1 || seen["AttributeStatement"] > 1 {
		return bad("assertion needs one Conditions and at most one statement of each kind")
	}
	return nil
}

// checkAssertionSignature verifies the assertion's enveloped signature with a pinned token-service
// certificate and returns the issuer name, which must be that service's.
func (v *Verifier) checkAssertionSignature(as *etree.Element) (string, *Error) {
	if v.SAML == nil || len(v.SAML.Issuers) == 0 {
		return "", samlFail(CheckSAMLIssuer, reasonSAMLIssuer, errors.New("no token service is trusted"))
	}
	certs := make([]*x509.Certificate, len(v.SAML.Issuers))
	for i, t := range v.SAML.Issuers {
		certs[i] = t.Cert
	}
	signer, e := v.verifyEnveloped(as, "AssertionID", certs, &budget{left: orDefault(v.MaxNodes, DefaultMaxNodes)})
	if e != nil {
		switch e.Code {
		case FailedAuthentication:
			return "", samlFail(CheckSAMLIssuer, reasonSAMLIssuer, e)
		case FailedCheck:
			return "", samlFail(CheckSAMLSignature, reasonSAMLSignature, e)
		case UnsupportedAlgorithm:
			return "", e
		}
		return "", samlFail(CheckSAMLMalformed, reasonSAMLMalformed, e)
	}
	name, _ := plainAttr(as, "Issuer")
	for _, t := range v.SAML.Issuers {
		if t.Cert == signer && (t.Name == "" || t.Name == name) {
			return name, nil
		}
	}
	return "", samlFail(CheckSAMLIssuer, reasonSAMLIssuer, errors.New("Issuer is not the name of the service whose key signed"))
}

// checkConditions reads the validity window and checks it at now, with the verifier's skew.
func (v *Verifier) checkConditions(as *etree.Element, a *Assertion, now time.Time) *Error {
	bad := func(why string) *Error { return samlFail(CheckSAMLMalformed, reasonSAMLMalformed, errors.New(why)) }
	c := child(as, NSSAML, "Conditions")
	if len(c.ChildElements()) != 0 {
		// Audience, DoNotCache or unknown conditions: a relying party must refuse what it does
		// not understand (SAML 1.1 §2.3.2.1), and the eHealth STS sends none.
		return bad("conditions other than the validity window")
	}
	nb, _ := plainAttr(c, "NotBefore")
	na, _ := plainAttr(c, "NotOnOrAfter")
	var err error
	if a.NotBefore, err = parseDateTime(nb); err != nil {
		return bad("NotBefore missing or not a dateTime")
	}
	if a.NotOnOrAfter, err = parseDateTime(na); err != nil {
		return bad("NotOnOrAfter missing or not a dateTime")
	}
	max := MaxAssertionLifetime
	if v.SAML.MaxLifetime > 0 {
		max = v.SAML.MaxLifetime
	}
	skew := orDefault(v.Skew, DefaultSkew)
	switch {
	case !a.NotOnOrAfter.After(a.NotBefore):
		return bad("NotOnOrAfter is not after NotBefore")
	case a.NotOnOrAfter.Sub(a.NotBefore) > max:
		return samlFail(CheckSAMLLifetime, reasonSAMLLifetime, errors.New("validity window above the maximum"))
	case a.NotBefore.After(now.Add(skew)):
		return samlFail(CheckSAMLExpired, reasonSAMLExpired, errors.New("assertion not yet valid"))
	case !a.NotOnOrAfter.After(now.Add(-skew)):
		return samlFail(CheckSAMLExpired, reasonSAMLExpired, errors.New("assertion expired"))
	}
	return nil
}

// holderCert checks the subject confirmation: exactly one in the assertion, holder-of-key, with
// one X.509 certificate valid at now and with a key the verifier accepts.
func holderCert(as *etree.Element, now time.Time) (*x509.Certificate, *Error) {
	var confs []*etree.Element
	walk(as, func(el *etree.Element) {
		if is(el, NSSAML, "SubjectConfirmation") {
			confs = append(confs, el)
		}
	})
	if len(confs) == 0 {
		return nil, samlFail(CheckSAMLNotHoK, reasonSAMLNotHoK, errors.New("no SubjectConfirmation"))
	}
	for _, sc := range confs {
		ms := children(sc, NSSAML, "ConfirmationMethod")
		if len(ms) != 1 || strings.TrimSpace(ms[0].Text()) != CMHolderOfKey {
			return nil, samlFail(CheckSAMLNotHoK, reasonSAMLNotHoK, errors.New("confirmation method is not holder-of-key alone"))
		}
	}
	bad := func(why string, cause error) (*x509.Certificate, *Error) {
		if cause == nil {
			cause = errors.New(why)
		}
		return nil, samlFail(CheckSAMLHolder, reasonSAMLHolder, cause)
	}
	if len(confs) != 1 {
		return bad("more than one SubjectConfirmation", nil)
	}
	ki := child(confs[0], nsDS, "KeyInfo")
	if ki == nil || len(ki.ChildElements()) != 1 || !is(ki.ChildElements()[0], nsDS, "X509Data") {
		return bad("holder KeyInfo must hold one X509Data", nil)
	}
	certs := children(ki.ChildElements()[0], nsDS, "X509Certificate")
	if len(certs) != 1 || len(ki.ChildElements()[0].ChildElements()) != 1 {
		return bad("holder X509Data must hold exactly one certificate", nil)
	}
	c, e := parseCert(certs[0].Text())
	if e != nil {
		return bad("", e)
	}
	if now.Before(c.NotBefore) || now.After(c.NotAfter) {
		return bad("holder certificate outside its validity period", nil)
	}
	if err := checkKey(c.PublicKey); err != nil {
		return bad("", err)
	}
	return c, nil
}

// readAttributes copies the subject's name and the AttributeStatement's attributes.
func readAttributes(as *etree.Element, a *Assertion) *Error {
	bad := func(why string) *Error { return samlFail(CheckSAMLMalformed, reasonSAMLMalformed, errors.New(why)) }
	for _, st := range as.ChildElements() {
		if s := child(st, NSSAML, "Subject"); s != nil && a.NameID == "" {
			if n := child(s, NSSAML, "NameIdentifier"); n != nil {
				a.NameID = strings.TrimSpace(n.Text())
			}
		}
	}
	st := child(as, NSSAML, "AttributeStatement")
	if st == nil {
		return nil
	}
	for _, at := range children(st, NSSAML, "Attribute") {
		if len(a.Attributes) == maxSAMLAttributes {
			return bad("too many attributes")
		}
		x := SAMLAttribute{}
		x.Namespace, _ = plainAttr(at, "AttributeNamespace")
		x.Name, _ = plainAttr(at, "AttributeName")
		if x.Name == "" {
			return bad("attribute without a name")
		}
		for _, val := range children(at, NSSAML, "AttributeValue") {
			t := strings.TrimSpace(val.Text())
			if len(val.ChildElements()) != 0 || len(t) > maxSAMLValueChars {
				return bad("attribute value is not a short text")
			}
			x.Values = append(x.Values, t)
		}
		a.Attributes = append(a.Attributes, x)
	}
	return nil
}

// walk calls f on el and every element below it, in document order.
func walk(el *etree.Element, f func(*etree.Element)) {
	f(el)
	for _, c := range el.ChildElements() {
		walk(c, f)
	}
}
