package server

import (
	"crypto/rand"
	"fmt"
	"time"
	"unicode/utf8"
)

// xsdDateTime renders an instant as xs:dateTime in UTC with milliseconds.
func xsdDateTime(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z07:00") }

// newTicketCBSS is the gateway's own ticket for an answer: a random (version 4) UUID.
func newTicketCBSS() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// truncate cuts s to at most n bytes on a rune boundary (wire limits on description, fieldValue…).
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
