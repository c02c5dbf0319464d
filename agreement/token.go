package agreement

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"strings"

	"github.com/carmed/carmed/rules"
)

// Verify's refusals. They never carry the token: it may come from an untrusted invoice.
var (
	ErrMalformed  = errors.New("agreement: malformed agreement number")
	ErrUnknownKey = errors.New("agreement: agreement number made with a key no longer accepted")
	ErrTampered   = errors.New("agreement: agreement number does not verify")
)

// formatV1 is the first byte of every token of the layout in doc.go; a new layout gets a
// new byte, and Verify keeps reading the old ones for as long as invoices carry them.
const formatV1 = 0x01

// MACLen is the truncated HMAC length: 96 bits. Forgery can only be tried online against
// the gateway, one guess per request, so 2^-96 per guess is ample while keeping the number
// short enough to copy by hand.
const MACLen = 12

// fieldsLen is the size of the fixed fields after the key id (see doc.go).
const fieldsLen = 5 + 2 + 5 + 2 + 1

// maxTokenChars bounds the input Verify looks at (the longest token with dashes is about
// 70 characters); a longer string is refused before any work.
const maxTokenChars = 128

// macLabel separates this MAC's inputs from any other use a key might be put to.
const macLabel = "carmed agreement v1"

// Issue returns the agreement number for c, made with the current key. The same claims
// and key always give the same number.
func (k *Keyring) Issue(c Claims) (string, error) {
	if err := c.check(); err != nil {
		return "", err
	}
	id, key := k.currentKey()
	b := make([]byte, 0, 2+len(id)+fieldsLen+MACLen)
	b = append(b, formatV1, byte(len(id)))
	b = append(b, id...)
	b = appendUint40(b, parseDigits(c.Number))
	b = binary.BigEndian.AppendUint16(b, uint16(c.Version))
	shape := providerShape(c.Provider)
	b = appendUint40(b, uint64(shape)<<37|parseDigits(c.Provider))
	b = binary.BigEndian.AppendUint16(b, uint16(c.PeriodStart-epoch))
	b = append(b, byte(c.Consulted-c.PeriodStart))
	b = append(b, mac(key, b)...)
	return encode(b), nil
}

// Verify checks an agreement number (any case, dashes optional, Crockford aliases O→0,
// I/L→1) and returns what it guarantees.
func (k *Keyring) Verify(token string) (Claims, error) {
	token = strings.TrimSpace(token)
	if len(token) > maxTokenChars {
		return Claims{}, ErrMalformed
	}
	b, ok := decode(token)
	if !ok || len(b) < 2 || b[0] != formatV1 {
		return Claims{}, ErrMalformed
	}
	n := int(b[1])
	if len(b) != 2+n+fieldsLen+MACLen {
		return Claims{}, ErrMalformed
	}
	id := string(b[2 : 2+n])
	if !validKeyID(id) {
		return Claims{}, ErrMalformed
	}
	key := k.key(id)
	if key == nil {
		return Claims{}, ErrUnknownKey
	}
	body, tag := b[:len(b)-MACLen], b[len(b)-MACLen:]
	if !hmac.Equal(mac(key, body), tag) {
		return Claims{}, ErrTampered
	}
	c, ok := decodeFields(body[2+n:])
	if !ok {
		// Authentic yet unreadable: only a key holder could have made it.
		return Claims{}, ErrMalformed
	}
	return c, nil
}

// decodeFields reads the fixed fields and refuses what Issue would never write.
func decodeFields(f []byte) (Claims, bool) {
	number := uint40(f[0:5])
	version := int(binary.BigEndian.Uint16(f[5:7]))
	prov := uint40(f[7:12])
	shape := int(prov >> 37)
	prov &= 1<<37 - 1
	start := epoch + rules.Date(binary.BigEndian.Uint16(f[12:14]))
	offset := int(f[14])
	if number >= 1e12 || version == 0 || shape == shapeNone || shape > shapeNIHII11 ||
		prov >= pow10(shapeLen[shape]) || offset >= GuaranteeDays {
		return Claims{}, false
	}
	return Claims{
		Number:      formatDigits(number, decisionDigits),
		Version:     version,
		Provider:    formatDigits(prov, shapeLen[shape]),
		PeriodStart: start,
		Consulted:   start.AddDays(offset),
	}, true
}

func mac(key, body []byte) []byte {
	h := hmac.New(sha256.New, key)
	h.Write([]byte(macLabel))
	h.Write(body)
	return h.Sum(nil)[:MACLen]
}

func appendUint40(b []byte, v uint64) []byte {
	return append(b, byte(v>>32), byte(v>>24), byte(v>>16), byte(v>>8), byte(v))
}

func uint40(b []byte) uint64 {
	return uint64(b[0])<<32 | uint64(b[1])<<24 | uint64(b[2])<<16 | uint64(b[3])<<8 | uint64(b[4])
}

func pow10(n int) uint64 {
	p := uint64(1)
	for range n {
		p *= 10
	}
	return p
}

// KeyID returns the id of the key an agreement number names, without verifying it (for
// display next to a verified number; "" when the number is malformed).
func KeyID(token string) string {
	b, ok := decode(strings.TrimSpace(token))
	if !ok || len(b) < 2 || b[0] != formatV1 || len(b) < 2+int(b[1]) {
		return ""
	}
	if id := string(b[2 : 2+int(b[1])]); validKeyID(id) {
		return id
	}
	return ""
}
