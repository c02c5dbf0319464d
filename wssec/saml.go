package wssec

import (
	"crypto/x509"
	"time"
)

// SAML 1.1 holder-of-key (the eHealth STS token, reference/ehealth-sts-saml.md §4, §5): an
// assertion signed by a token service sits in wsse:Security, and the message signature is made
// with the key of the certificate the assertion confirms, its KeyInfo naming the assertion by
// AssertionID. This file holds the names and the types; saml_verify.go the checks, saml_sign.go
// what the token service and the clients write.

// Namespaces and URIs of SAML 1.1 and its WS-Security token profile.
const (
	NSSAML        = "urn:oasis:names:tc:SAML:1.0:assertion"
	NSSAMLP       = "urn:oasis:names:tc:SAML:1.0:protocol"
	nsSAML2       = "urn:oasis:names:tc:SAML:2.0:assertion"
	nsWSSE11      = "http://docs.oasis-open.org/wss/oasis-wss-wssecurity-secext-1.1.xsd"
	CMHolderOfKey = "urn:oasis:names:tc:SAML:1.0:cm:holder-of-key"
	// valueTypeSAMLID names a SAML 1.1 assertion by its AssertionID (token profile 1.0 §3.4.2).
	valueTypeSAMLID = "http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.0#SAMLAssertionID"
	// tokenTypeSAML11 is the wsse11:TokenType of an STR to a SAML 1.1 assertion (profile 1.1).
	tokenTypeSAML11 = "http://docs.oasis-open.org/wss/oasis-wss-saml-token-profile-1.1#SAMLV1.1"
)

// Check codes of the SAML holder-of-key path: a refusal's stable code, finer than its WS-Security
// fault code (Error.Check). The server's fault catalogue lists each with the same fault code.
const (
	CheckSAMLPlacement = "SAML_PLACEMENT"     // not exactly one assertion, a direct child of this Security header
	CheckSAMLDuplicate = "SAML_DUPLICATE_ID"  // the AssertionID is also another element's Id
	CheckSAMLTokenRef  = "SAML_TOKEN_REF"     // the KeyInfo is not an STR KeyIdentifier of type SAMLAssertionID / SAMLV1.1
	CheckSAMLMissing   = "SAML_TOKEN_MISSING" // the KeyIdentifier names another assertion than the one in the header
	CheckSAMLMalformed = "SAML_MALFORMED"     // not a SAML 1.1 assertion of the shape an STS issues
	CheckSAMLIssuer    = "SAML_ISSUER"        // not signed by a token service the trust file names
	CheckSAMLSignature = "SAML_SIGNATURE"     // the assertion's own signature does not verify or covers something else
	CheckSAMLExpired   = "SAML_EXPIRED"       // now is outside NotBefore … NotOnOrAfter
	CheckSAMLLifetime  = "SAML_LIFETIME"      // the validity window is longer than MaxAssertionLifetime
	CheckSAMLNotHoK    = "SAML_NOT_HOK"       // a confirmation method other than holder-of-key (sender-vouches, bearer)
	CheckSAMLHolder    = "SAML_HOLDER"        // not exactly one usable holder certificate
	CheckSAMLHolderKey = "SAML_HOLDER_KEY"    // the message is not signed by the holder's key
)

// SAMLChecks maps every check code to the WS-Security fault code it is sent as.
var SAMLChecks = map[string]FaultCode{
	CheckSAMLPlacement: InvalidSecurity,
	CheckSAMLDuplicate: InvalidSecurity,
	CheckSAMLTokenRef:  UnsupportedSecurityToken,
	CheckSAMLMissing:   SecurityTokenUnavailable,
	CheckSAMLMalformed: InvalidSecurityToken,
	CheckSAMLIssuer:    FailedAuthentication,
	CheckSAMLSignature: FailedCheck,
	CheckSAMLExpired:   MessageExpired,
	CheckSAMLLifetime:  InvalidSecurityToken,
	CheckSAMLNotHoK:    UnsupportedSecurityToken,
	CheckSAMLHolder:    InvalidSecurityToken,
	CheckSAMLHolderKey: FailedCheck,
}

// TokenIssuer is a token service whose assertions are accepted: its pinned signing certificate
// and the Issuer name its assertions carry.
type TokenIssuer struct {
	Name string
	Cert *x509.Certificate
}

// SAMLPolicy turns on SAML 1.1 holder-of-key for a Verifier (VerifyAllowingSAML).
type SAMLPolicy struct {
	Issuers []TokenIssuer // none: every assertion is refused (SAML_ISSUER)
	// MaxLifetime is the longest NotOnOrAfter-NotBefore accepted; 0 means MaxAssertionLifetime.
	MaxLifetime time.Duration
}

// Assertion is what a verified holder-of-key assertion says. Only what is listed here was checked.
type Assertion struct {
	ID, Issuer              string
	NotBefore, NotOnOrAfter time.Time
	Holder                  *x509.Certificate // the confirmed key's certificate; it signed the message
	NameID                  string            // the subject's NameIdentifier
	Attributes              []SAMLAttribute   // of the AttributeStatement, in document order
}

// SAMLAttribute is one saml:Attribute: its namespace, name and text values.
type SAMLAttribute struct {
	Namespace, Name string
	Values          []string
}

// Value returns the first value of the attribute {ns}name, and whether the assertion has it.
func (a *Assertion) Value(ns, name string) (string, bool) {
	for _, at := range a.Attributes {
		if at.Namespace == ns && at.Name == name && len(at.Values) > 0 {
			return at.Values[0], true
		}
	}
	return "", false
}
