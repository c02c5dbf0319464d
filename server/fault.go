package server

import (
	"net/http"

	"github.com/beevik/etree"

	"github.com/carmed/carmed/rules"
	"github.com/carmed/carmed/wssec"
)

// NSWsse is the WS-Security secext namespace, home of the security fault codes.
const NSWsse = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd"

// Fault is a SOAP Fault: only for what is not a business answer. Its public parts are fixed
// texts and a stable reason code; the cause goes to the log, never on the wire.
type Fault struct {
	version    soapVersion
	httpStatus int
	server     bool   // Server/Receiver (our fault) rather than Client/Sender
	special    string // "VersionMismatch" or "MustUnderstand" replace Client/Server
	wsse       string // WS-Security fault local name (InvalidSecurity, FailedCheck, …) or ""
	Reason     string // public text
	Code       string // stable reason code (logs, detail)
	info       []rules.Info
	cause      error
}

// Error makes a Fault usable as an error inside the server.
func (f *Fault) Error() string { return f.Code + ": " + f.Reason }

func faultClient(v soapVersion, code, reason string, cause error) *Fault {
	return &Fault{version: v, httpStatus: statusSender(v), Reason: reason, Code: code, cause: cause}
}

func faultServer(v soapVersion, cause error) *Fault {
	return &Fault{version: v, httpStatus: http.StatusInternalServerError, server: true,
		Reason: "An error occurred while servicing your request.", Code: "SERVER_ERROR", cause: cause}
}

func faultUnsupportedMedia() *Fault {
	return &Fault{version: soap11, httpStatus: http.StatusUnsupportedMediaType,
		Reason: "Send SOAP 1.1 (text/xml) or SOAP 1.2 (application/soap+xml).", Code: "MEDIA_TYPE"}
}

func faultTooLarge(v soapVersion) *Fault {
	return &Fault{version: v, httpStatus: http.StatusRequestEntityTooLarge,
		Reason: "The request exceeds the gateway's size limits.", Code: "TOO_LARGE"}
}

func faultVersionMismatch(v soapVersion) *Fault {
	return &Fault{version: v, httpStatus: statusSender(v), special: "VersionMismatch",
		Reason: "The envelope's SOAP version does not match the content type.", Code: "VERSION_MISMATCH"}
}

func faultMustUnderstand(v soapVersion) *Fault {
	return &Fault{version: v, httpStatus: statusSender(v), special: "MustUnderstand",
		Reason: "A header marked mustUnderstand is not understood.", Code: "MUST_UNDERSTAND"}
}

// wsseReasons are the standard texts of WS-Security 1.1 §12 for each fault code.
var wsseReasons = map[wssec.FaultCode]string{
	wssec.UnsupportedSecurityToken: "An unsupported token was provided",
	wssec.UnsupportedAlgorithm:     "An unsupported signature or encryption algorithm was used",
	wssec.InvalidSecurity:          "An error was discovered processing the <wsse:Security> header",
	wssec.InvalidSecurityToken:     "An invalid security token was provided",
	wssec.FailedAuthentication:     "The security token could not be authenticated or authorized",
	wssec.FailedCheck:              "The signature or decryption was invalid",
	wssec.SecurityTokenUnavailable: "Referenced security token could not be retrieved",
	wssec.MessageExpired:           "The message has expired",
}

func faultSecurity(v soapVersion, code wssec.FaultCode, cause error) *Fault {
	reason, ok := wsseReasons[code]
	if !ok {
		code, reason = wssec.InvalidSecurity, wsseReasons[wssec.InvalidSecurity]
	}
	return &Fault{version: v, httpStatus: statusSender(v), wsse: string(code), Reason: reason,
		Code: string(code), cause: cause}
}

// faultTechnical answers a rules message marked Technical (e.g. an invalid SSIN) as a Client fault
// whose detail carries the reason code and its information.
func faultTechnical(v soapVersion, m rules.Message) *Fault {
	return &Fault{version: v, httpStatus: statusSender(v), Reason: m.Fr + " / " + m.Nl, Code: m.Code, info: m.Info}
}

// technicalFault is the fault for the first Technical message of ms, or nil when there is none.
func technicalFault(v soapVersion, ms []rules.Message) *Fault {
	for _, m := range ms {
		if m.Technical {
			return faultTechnical(v, m)
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

// envelope builds the fault's SOAP envelope; detail is the service's fault element (may be nil).
func (f *Fault) envelope(detail *etree.Element) *etree.Document {
	doc, body := newEnvelope(f.version)
	if f.version == soap12 {
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
			fe.CreateAttr("xmlns:wsse", NSWsse)
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
		fe.CreateAttr("xmlns:wsse", NSWsse)
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

// newEnvelope returns an envelope with an empty Header (the signer fills it) and Body.
func newEnvelope(v soapVersion) (*etree.Document, *etree.Element) {
	doc := etree.NewDocument()
	env := doc.CreateElement("env:Envelope")
	env.CreateAttr("xmlns:env", v.ns())
	env.CreateElement("env:Header")
	return doc, env.CreateElement("env:Body")
}
