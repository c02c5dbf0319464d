package rules

import (
	"strconv"
	"unicode/utf8"
)

// Wire limits of the status/information block (design §1).
const (
	MaxInfo         = 5   // information pairs per message: the wire schema allows 0..5
	MaxInfoNameLen  = 64  // fieldName length on the wire
	MaxInfoValueLen = 256 // fieldValue length on the wire
)

// NewMessage builds an ERROR message for a catalogued reason code, clipping Info to the
// wire limits. It panics on a code missing from codes.go: that is a programming error,
// caught by the catalogue tests.
func NewMessage(code string, info ...Info) Message {
	c, ok := catalogueByCode[code]
	if !ok {
		panic("rules: reason code not in catalogue: " + code)
	}
	if len(info) > MaxInfo {
		info = info[:MaxInfo]
	}
	clipped := make([]Info, len(info))
	for i, x := range info {
		clipped[i] = Info{Name: clip(x.Name, MaxInfoNameLen), Value: clip(x.Value, MaxInfoValueLen)}
	}
	return Message{Severity: SevError, Code: c.Code, Rule: c.Rule, Fr: c.Fr, Nl: c.Nl,
		Info: clipped, Technical: c.Technical}
}

// NewWarning is NewMessage with severity WARNING: it rides along with a success.
func NewWarning(code string, info ...Info) Message {
	m := NewMessage(code, info...)
	m.Severity = SevWarning
	return m
}

// MsgCBEMismatch is the rejection the server sends when the request's CBE is not the signer's (R-CBE).
func MsgCBEMismatch() Message { return NewMessage(CodeCBEMismatch) }

// MsgCBEInvalid is the rejection for a malformed CBE number (R-CBE). The number itself is
// the caller's own, so it is echoed to help them spot the typo.
func MsgCBEInvalid(cbe string) Message { return NewMessage(CodeCBEInvalid, Info{"cbeNumber", cbe}) }

// MsgTicketReused is the rejection for a ticket already used with a different request body
// (design §4 idempotency). The ticket is the client's own key, echoed so it can find it.
func MsgTicketReused(ticket string) Message {
	return NewMessage(CodeTicketReused, Info{"ticket", ticket})
}

// MsgSSINInvalid is the technical error for a malformed SSIN (R-SSIN); the SSIN is never echoed.
func MsgSSINInvalid() Message { return NewMessage(CodeSSINInvalid) }

// clip cuts s to at most n bytes without splitting a UTF-8 sequence.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

func infoDate(name string, d Date) Info { return Info{Name: name, Value: d.String()} }

func infoInt(name string, n int) Info { return Info{Name: name, Value: strconv.Itoa(n)} }

func hasError(msgs []Message) bool { return Result{Messages: msgs}.Rejected() }

func reject(msgs ...Message) Result { return Result{Messages: msgs} }
