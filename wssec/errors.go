package wssec

import "fmt"

// FaultCode is the local name of a WS-Security fault code, a QName in the namespace NSFault.
type FaultCode string

// NSFault is the namespace of the FaultCode QNames (the wsse namespace).
const NSFault = nsWSSE

// The WS-Security 1.0 fault codes (OASIS WSS SOAP Message Security, §12).
const (
	UnsupportedSecurityToken FaultCode = "UnsupportedSecurityToken"
	UnsupportedAlgorithm     FaultCode = "UnsupportedAlgorithm"
	InvalidSecurity          FaultCode = "InvalidSecurity"
	InvalidSecurityToken     FaultCode = "InvalidSecurityToken"
	FailedAuthentication     FaultCode = "FailedAuthentication"
	FailedCheck              FaultCode = "FailedCheck"
	SecurityTokenUnavailable FaultCode = "SecurityTokenUnavailable"
	MessageExpired           FaultCode = "MessageExpired"
)

// Error is a verification failure. Code and Reason may be sent to the client: Reason is a short
// fixed text that never contains input. Cause is for the log only.
type Error struct {
	Code   FaultCode
	Reason string
	Cause  error
	// Check is a finer stable code for the SAML holder-of-key checks (CheckSAML…), "" otherwise.
	Check string
}

func (e *Error) Error() string {
	if e.Cause == nil {
		return fmt.Sprintf("wssec: %s: %s", e.Code, e.Reason)
	}
	return fmt.Sprintf("wssec: %s: %s: %v", e.Code, e.Reason, e.Cause)
}

func (e *Error) Unwrap() error { return e.Cause }

// Public reasons, one per kind of failure, stable so clients and tests can rely on them.
const (
	reasonNotEnvelope    = "the message is not a SOAP envelope with one Header and one Body"
	reasonNoSecurity     = "the message has no WS-Security header"
	reasonManySecurity   = "the message has more than one WS-Security header"
	reasonSignatureCount = "the WS-Security header must hold exactly one signature"
	reasonBadSignature   = "the signature element is malformed"
	reasonNoTimestamp    = "the WS-Security header must hold exactly one Timestamp"
	reasonBadTimestamp   = "the Timestamp is malformed"
	reasonLongTimestamp  = "the Timestamp lifetime is too long"
	reasonExpired        = "the message has expired"
	reasonFuture         = "the message Timestamp is in the future"
	reasonDuplicateID    = "two elements carry the same Id"
	reasonAlgorithm      = "an algorithm or transform is not allowed"
	reasonTokenRef       = "the security token reference is not supported"
	reasonTokenMissing   = "the referenced security token is not available"
	reasonTokenInvalid   = "the security token is invalid"
	reasonUntrusted      = "the signing certificate is not trusted"
	reasonSignatureValue = "the signature value does not verify"
	reasonDigest         = "a signed part does not match its digest"
	reasonReference      = "a signature reference cannot be resolved"
	reasonCoverage       = "the signature does not cover the Body and the Timestamp"
	reasonTooLarge       = "the signed content is too large to verify"
	reasonMalformedXML   = "the security content cannot be canonicalized"
)

func fail(code FaultCode, reason string, cause error) *Error {
	return &Error{Code: code, Reason: reason, Cause: cause}
}
