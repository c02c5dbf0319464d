package server

import (
	"errors"
	"net/http"

	"github.com/beevik/etree"

	"github.com/carmed/carmed/rules"
	"github.com/carmed/carmed/store"
	"github.com/carmed/carmed/wssec"
)

// NSWsse is the WS-Security secext namespace, home of the security fault codes.
const NSWsse = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"

// Fault is a SOAP Fault: only for what is not a business answer. Its public parts are fixed
// texts and a stable reason code; the cause goes to the log, never on the wire.
//
// A Fault is built without the request's SOAP version: the pipeline renders it in the version of
// the request it answers (envelope, status).
type Fault struct {
	httpStatus int    // a fixed HTTP status (413, 415, 500), or 0 for the version's sender status
	server     bool   // Server/Receiver (our fault) rather than Client/Sender
	special    string // "VersionMismatch" or "MustUnderstand" replace Client/Server
	wsse       string // WS-Security fault local name (InvalidSecurity, FailedCheck, …) or ""
	Reason     string // public text
	Code       string // stable reason code (logs, detail)
	// Info are the information pairs a face's fault detail carries (a technical rules message's).
	Info  []rules.Info
	cause error
}

// Error makes a Fault usable as an error; it is the public text, never the cause.
func (f *Fault) Error() string { return f.Code + ": " + f.Reason }

// status is the HTTP status of the fault in an answer of SOAP version v.
func (f *Fault) status(v soapVersion) int {
	if f.httpStatus != 0 {
		return f.httpStatus
	}
	return statusSender(v)
}

// faultClient is a Client/Sender fault of a catalogued code.
func faultClient(code string, cause error) *Fault { return newFault(code, cause) }

// faultServer is our failure: SERVER_ERROR, or the store's own code when the store says what
// went wrong in a way a client can act on (retry later; send less at once).
func faultServer(cause error) *Fault {
	switch {
	case errors.Is(cause, store.ErrReplayed): // another gateway of the store answered it
		return newFault(FaultReplayed, cause)
	case errors.Is(cause, store.ErrContention), errors.Is(cause, store.ErrUnavailable):
		return newFault(FaultStoreBusy, cause)
	case errors.Is(cause, store.ErrTooLarge):
		return newFault(FaultStoreLimit, cause)
	}
	return newFault(FaultServerError, cause)
}

func faultUnsupportedMedia() *Fault { return newFault(FaultMediaType, nil) }

func faultTooLarge() *Fault { return newFault(FaultTooLarge, nil) }

func faultVersionMismatch() *Fault { return newFault(FaultVersionMismatch, nil) }

func faultMustUnderstand() *Fault { return newFault(FaultMustUnderstand, nil) }

// SchemaFault is the fault for a request that does not match the service schema: what the XSD
// validator refused, or a required part or lexical form a face found missing or wrong.
func SchemaFault(cause error) *Fault {
	return faultClient(FaultSchemaInvalid, cause)
}

// faultSecurity is the WS-Security fault of code; a code outside WS-Security 1.1 §12 is answered
// as InvalidSecurity.
func faultSecurity(code wssec.FaultCode, cause error) *Fault {
	if e, ok := faultIndex[string(code)]; !ok || e.WSSE != string(code) {
		code = wssec.InvalidSecurity
	}
	return newFault(string(code), cause)
}

// TechnicalFault is the fault for the first rules message marked Technical in ms (e.g. an invalid
// SSIN): a Client fault whose detail carries the reason code and its information. It is nil when
// no message is technical.
func TechnicalFault(ms []rules.Message) error {
	for _, m := range ms {
		if m.Technical {
			return &Fault{Reason: m.Fr + " / " + m.Nl, Code: m.Code, Info: m.Info}
		}
	}
	return nil
}

func statusSender(v soapVersion) int {
	if v == soap12 {
		return http.StatusBadRequest
	}
	return http.StatusInternalServerError // SOAP 1.1 §6.2, WS-I BP: every fault is a 500
}

// envelope builds the fault's SOAP envelope in version v; detail is the service's fault element
// (may be nil).
func (f *Fault) envelope(v soapVersion, detail *etree.Element) *etree.Document {
	doc, body := newEnvelope(v)
	if v == soap12 {
		fe := body.CreateElement("env:Fault")
		code := fe.CreateElement("env:Code")
		val := "env:Sender"
		switch {
		case f.special != "":
			val = "env:" + f.special
		case f.server:
			val = "env:Receiver"
		}
		code.CreateElement("env:Value").SetText(val)
		if f.wsse != "" {
			declareWsse(doc)
			code.CreateElement("env:Subcode").CreateElement("env:Value").SetText("wsse:" + f.wsse)
		}
		txt := fe.CreateElement("env:Reason").CreateElement("env:Text")
		txt.CreateAttr("xml:lang", "en")
		txt.SetText(f.Reason)
		if detail != nil {
			fe.CreateElement("env:Detail").AddChild(detail)
		}
		return doc
	}
	fe := body.CreateElement("env:Fault")
	code := "env:Client"
	switch {
	case f.wsse != "":
		declareWsse(doc)
		code = "wsse:" + f.wsse
	case f.special != "":
		code = "env:" + f.special
	case f.server:
		code = "env:Server"
	}
	fe.CreateElement("faultcode").SetText(code)
	fe.CreateElement("faultstring").SetText(f.Reason)
	if detail != nil {
		fe.CreateElement("detail").AddChild(detail)
	}
	return doc
}

// declareWsse declares the wsse prefix a WS-Security fault code uses on the Envelope, not on the
// Fault: the Body is signed with exc-c14n and PrefixList="wsse", and SOAP stacks that rebuild the
// message before verifying it (SAAJ under JAX-WS, which hands WSS4J its copy) move declarations
// from inside the Body up to it. Declared on the Envelope, the prefix is in scope at the Body in
// both copies, so both canonicalise alike and the digest holds.
func declareWsse(doc *etree.Document) {
	doc.Root().CreateAttr("xmlns:wsse", NSWsse)
}

// newEnvelope returns an envelope with an empty Header (the signer fills it) and Body.
func newEnvelope(v soapVersion) (*etree.Document, *etree.Element) {
	doc := etree.NewDocument()
	env := doc.CreateElement("env:Envelope")
	env.CreateAttr("xmlns:env", v.ns())
	env.CreateElement("env:Header")
	return doc, env.CreateElement("env:Body")
}
