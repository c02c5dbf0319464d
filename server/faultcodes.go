package server

import (
	"net/http"

	"github.com/carmed/carmed/wssec"
)

// Fault codes: the stable reason codes of the pipeline's SOAP Faults, carried in the log line, the
// metrics and the faces' fault detail (reasonCode). Clients and conformance suites match on them,
// so the catalogue is append-only: never rename, remove or reorder a code (faultcodes_test.go
// pins the released list); add new codes at the end. A business refusal is not a fault: its
// reason codes are the rules' (rules/codes.go), and so are those of a technical fault
// (TechnicalFault).
const (
	FaultMediaType       = "MEDIA_TYPE"        // neither text/xml nor application/soap+xml (HTTP 415)
	FaultBadEncoding     = "BAD_ENCODING"      // a charset other than UTF-8
	FaultReadError       = "READ_ERROR"        // the body could not be read
	FaultTooLarge        = "TOO_LARGE"         // over MaxBodyBytes or MaxElements (HTTP 413)
	FaultNotXML          = "NOT_XML"           // not well-formed, too deep, a repeated attribute
	FaultPIRefused       = "PI_REFUSED"        // a processing instruction other than the declaration
	FaultDTDRefused      = "DTD_REFUSED"       // a DOCTYPE or ENTITY
	FaultTooManyAttrs    = "TOO_MANY_ATTRS"    // over MaxAttributes on one element
	FaultNotSOAP         = "NOT_SOAP"          // the root is no SOAP Envelope
	FaultVersionMismatch = "VERSION_MISMATCH"  // the Envelope's version is not the content type's
	FaultMustUnderstand  = "MUST_UNDERSTAND"   // a mustUnderstand header we do not process
	FaultSchemaInvalid   = "SCHEMA_INVALID"    // the operation element fails the service schema
	FaultReplayed        = "REPLAYED"          // a signature value seen before (InvalidSecurity)
	FaultUnknownOp       = "UNKNOWN_OPERATION" // the Body names no operation of the service
	FaultActionMismatch  = "ACTION_MISMATCH"   // the SOAPAction names another operation
	FaultNotAuthorized   = "NOT_AUTHORIZED"    // the signer's kind may not use the service
	FaultServerError     = "SERVER_ERROR"      // our failure; the cause is logged only

	// The SAML holder-of-key refusals (wssec.CheckSAML…, saml.go), each sent as the WS-Security
	// fault code wssec.SAMLChecks gives it.
	FaultSAMLPlacement = wssec.CheckSAMLPlacement
	FaultSAMLDuplicate = wssec.CheckSAMLDuplicate
	FaultSAMLTokenRef  = wssec.CheckSAMLTokenRef
	FaultSAMLMissing   = wssec.CheckSAMLMissing
	FaultSAMLMalformed = wssec.CheckSAMLMalformed
	FaultSAMLIssuer    = wssec.CheckSAMLIssuer
	FaultSAMLSignature = wssec.CheckSAMLSignature
	FaultSAMLExpired   = wssec.CheckSAMLExpired
	FaultSAMLLifetime  = wssec.CheckSAMLLifetime
	FaultSAMLNotHoK    = wssec.CheckSAMLNotHoK
	FaultSAMLHolder    = wssec.CheckSAMLHolder
	FaultSAMLHolderKey = wssec.CheckSAMLHolderKey
	FaultSAMLNoParty   = "SAML_NO_PARTY" // the assertion names no provider quality the gateway serves

	// The store's refusals (appended with the etcd store).
	FaultStoreBusy  = "STORE_BUSY"  // the store lost to concurrent writers too often, or its cluster did not answer (HTTP 503)
	FaultStoreLimit = "STORE_LIMIT" // the request needs more writes than one store transaction takes
)

// FaultEntry is one code of the catalogue: its public text and how it goes on the wire.
type FaultEntry struct {
	Code   string
	Reason string // the public text (faultstring / Reason)
	// HTTP is a fixed status; 0 is the sender status of the request's SOAP version (500 in SOAP
	// 1.1 where every fault is a 500, 400 in SOAP 1.2).
	HTTP    int
	Server  bool   // a Server/Receiver fault rather than Client/Sender
	Special string // VersionMismatch or MustUnderstand: the SOAP fault code replacing Client/Server
	WSSE    string // the WS-Security 1.1 §12 fault code it is sent as (wsse:InvalidSecurity …), or ""
}

// faultCatalogue is every fault code, in the order released. Append only.
var faultCatalogue = []FaultEntry{
	{Code: FaultMediaType, Reason: "Send SOAP 1.1 (text/xml) or SOAP 1.2 (application/soap+xml).", HTTP: http.StatusUnsupportedMediaType},
	{Code: FaultBadEncoding, Reason: "Only UTF-8 messages are accepted."},
	{Code: FaultReadError, Reason: "The request body could not be read."},
	{Code: FaultTooLarge, Reason: "The request exceeds the gateway's size limits.", HTTP: http.StatusRequestEntityTooLarge},
	{Code: FaultNotXML, Reason: "The request is not well-formed XML."},
	{Code: FaultPIRefused, Reason: "Processing instructions are not accepted."},
	{Code: FaultDTDRefused, Reason: "Document type declarations are not accepted."},
	{Code: FaultTooManyAttrs, Reason: "An element has too many attributes."},
	{Code: FaultNotSOAP, Reason: "The request is not a SOAP envelope."},
	{Code: FaultVersionMismatch, Reason: "The envelope's SOAP version does not match the content type.", Special: "VersionMismatch"},
	{Code: FaultMustUnderstand, Reason: "A header marked mustUnderstand is not understood.", Special: "MustUnderstand"},
	{Code: FaultSchemaInvalid, Reason: "The request does not match the service schema."},
	{Code: FaultReplayed, Reason: "An error was discovered processing the <wsse:Security> header", WSSE: string(wssec.InvalidSecurity)},
	{Code: FaultUnknownOp, Reason: "The Body names no operation of this service."},
	{Code: FaultActionMismatch, Reason: "The SOAPAction does not match the Body's operation."},
	{Code: FaultNotAuthorized, Reason: "The signing certificate may not use this service."},
	{Code: FaultServerError, Reason: "An error occurred while servicing your request.", HTTP: http.StatusInternalServerError, Server: true},
	// The WS-Security 1.1 §12 fault codes, with the standard's texts.
	wsseFault(wssec.UnsupportedSecurityToken, "An unsupported token was provided"),
	wsseFault(wssec.UnsupportedAlgorithm, "An unsupported signature or encryption algorithm was used"),
	wsseFault(wssec.InvalidSecurity, "An error was discovered processing the <wsse:Security> header"),
	wsseFault(wssec.InvalidSecurityToken, "An invalid security token was provided"),
	wsseFault(wssec.FailedAuthentication, "The security token could not be authenticated or authorized"),
	wsseFault(wssec.FailedCheck, "The signature or decryption was invalid"),
	wsseFault(wssec.SecurityTokenUnavailable, "Referenced security token could not be retrieved"),
	wsseFault(wssec.MessageExpired, "The message has expired"),
	// SAML 1.1 holder-of-key (appended with the token service).
	samlFault(FaultSAMLPlacement, "The SAML assertion must appear once, directly in the WS-Security header."),
	samlFault(FaultSAMLDuplicate, "The SAML AssertionID is also carried by another element."),
	samlFault(FaultSAMLTokenRef, "The signature must name the SAML 1.1 assertion by a SAMLAssertionID key identifier."),
	samlFault(FaultSAMLMissing, "The signature names a SAML assertion that is not in the WS-Security header."),
	samlFault(FaultSAMLMalformed, "The SAML assertion is malformed."),
	samlFault(FaultSAMLIssuer, "The SAML assertion is not issued by a trusted token service."),
	samlFault(FaultSAMLSignature, "The SAML assertion's signature does not verify."),
	samlFault(FaultSAMLExpired, "The SAML assertion is not valid at this time."),
	samlFault(FaultSAMLLifetime, "The SAML assertion's validity window is too long."),
	samlFault(FaultSAMLNotHoK, "The SAML assertion must be holder-of-key."),
	samlFault(FaultSAMLHolder, "The SAML assertion's holder certificate is missing or not usable."),
	samlFault(FaultSAMLHolderKey, "The message is not signed with the SAML holder's key."),
	{Code: FaultSAMLNoParty, Reason: "The SAML assertion names no provider this service knows.", WSSE: string(wssec.FailedAuthentication)},
	{Code: FaultStoreBusy, Reason: "The store is busy or out of reach; nothing was written. Retry later.", HTTP: http.StatusServiceUnavailable, Server: true},
	{Code: FaultStoreLimit, Reason: "The request needs more writes than one store transaction takes; nothing was written. Send less at once.", HTTP: http.StatusInternalServerError, Server: true},
}

// faultIndex finds a catalogue entry by code.
var faultIndex = func() map[string]FaultEntry {
	m := make(map[string]FaultEntry, len(faultCatalogue))
	for _, e := range faultCatalogue {
		m[e.Code] = e
	}
	return m
}()

// FaultCatalogue is every fault code of the pipeline, in the order released.
func FaultCatalogue() []FaultEntry { return append([]FaultEntry(nil), faultCatalogue...) }

// newFault is the fault of a catalogued code, with its private cause. It panics on a code the
// catalogue lacks: every code a client can see is in the catalogue.
func newFault(code string, cause error) *Fault {
	e, ok := faultIndex[code]
	if !ok {
		panic("server: fault code not in the catalogue: " + code)
	}
	return &Fault{httpStatus: e.HTTP, server: e.Server, special: e.Special, wsse: e.WSSE, Reason: e.Reason, Code: e.Code,
		cause: cause}
}

// samlFault is the catalogue entry of a SAML check, sent as the fault code wssec gives the check.
func samlFault(check, reason string) FaultEntry {
	return FaultEntry{Code: check, Reason: reason, WSSE: string(wssec.SAMLChecks[check])}
}

// wsseFault is the catalogue entry of a WS-Security fault code: the code is its own.
func wsseFault(code wssec.FaultCode, reason string) FaultEntry {
	return FaultEntry{Code: string(code), Reason: reason, WSSE: string(code)}
}
