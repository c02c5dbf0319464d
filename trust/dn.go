package trust

import (
	"encoding/asn1"
	"encoding/hex"
	"errors"
	"sort"
	"strconv"
	"strings"
)

// Distinguished names arrive as strings written by different stacks: Go's
// pkix.Name.String(), Java's X500Principal (WSS4J), OpenSSL's RFC 2253 output, hand-typed
// trust files. They differ in spaces around separators, attribute type names and aliases
// ("E" vs "EMAILADDRESS" vs the dotted OID with a #hex value), and sometimes in RDN order.
// parseDN reads them into one comparable form.

type ava struct{ typ, val string }

type rdn []ava

type dn []rdn

var errBadDN = errors.New("not a distinguished name")

// typeAliases maps attribute type spellings to the names Go's pkix.Name.String() uses, or
// to the dotted OID for types Go prints numerically.
var typeAliases = map[string]string{
	"2.5.4.3":      "CN",
	"2.5.4.5":      "SERIALNUMBER",
	"2.5.4.6":      "C",
	"2.5.4.7":      "L",
	"2.5.4.8":      "ST",
	"S":            "ST",
	"2.5.4.9":      "STREET",
	"2.5.4.10":     "O",
	"2.5.4.11":     "OU",
	"2.5.4.17":     "POSTALCODE",
	"E":            "1.2.840.113549.1.9.1",
	"EMAIL":        "1.2.840.113549.1.9.1",
	"EMAILADDRESS": "1.2.840.113549.1.9.1",
	"DC":           "0.9.2342.19200300.100.1.25",
	"UID":          "0.9.2342.19200300.100.1.1",
}

func normType(t string) string {
	t = strings.ToUpper(strings.TrimSpace(t))
	t = strings.TrimPrefix(t, "OID.")
	if a, ok := typeAliases[t]; ok {
		return a
	}
	return t
}

// parseDN reads an RFC 4514 (or RFC 2253 / 1779) string. The empty string is the empty DN.
func parseDN(s string) (dn, error) {
	var d dn
	var cur rdn
	i := skipSpaces(s, 0)
	if i == len(s) {
		return d, nil
	}
	for {
		eq := strings.IndexByte(s[i:], '=')
		if eq < 0 {
			return nil, errBadDN
		}
		typ := normType(s[i : i+eq])
		if !validType(typ) {
			return nil, errBadDN
		}
		i = skipSpaces(s, i+eq+1)
		val, n, err := parseValue(s[i:])
		if err != nil {
			return nil, err
		}
		i += n
		cur = append(cur, ava{typ, val})
		if i == len(s) {
			return append(d, cur), nil
		}
		switch s[i] {
		case '+':
		case ',', ';':
			d = append(d, cur)
			cur = nil
		default:
			return nil, errBadDN
		}
		i = skipSpaces(s, i+1)
		if i == len(s) {
			return nil, errBadDN // a trailing separator
		}
	}
}

func validType(t string) bool {
	if t == "" {
		return false
	}
	for i := 0; i < len(t); i++ {
		c := t[i]
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-') {
			return false
		}
	}
	return true
}

func skipSpaces(s string, i int) int {
	for i < len(s) && s[i] == ' ' {
		i++
	}
	return i
}

func isSeparator(c byte) bool { return c == ',' || c == ';' || c == '+' }

// parseValue reads one attribute value up to an unescaped separator and returns the value
// and the number of bytes consumed (trailing spaces included).
func parseValue(s string) (string, int, error) {
	if strings.HasPrefix(s, "#") {
		j := 1
		for j < len(s) && !isSeparator(s[j]) && s[j] != ' ' {
			j++
		}
		v, err := berString(s[1:j])
		if err != nil {
			return "", 0, err
		}
		return v, skipSpaces(s, j), nil
	}
	if strings.HasPrefix(s, "\"") {
		var out []byte
		j := 1
		for ; j < len(s) && s[j] != '"'; j++ {
			if s[j] == '\\' && j+1 < len(s) {
				j++
			}
			out = append(out, s[j])
		}
		if j == len(s) {
			return "", 0, errBadDN
		}
		return string(out), skipSpaces(s, j+1), nil
	}
	var out []byte
	keep := 0 // length of out up to the last significant character
	j := 0
	for j < len(s) && !isSeparator(s[j]) {
		c := s[j]
		if c == '\\' {
			if j+2 < len(s) && isHex(s[j+1]) && isHex(s[j+2]) {
				b, _ := hex.DecodeString(s[j+1 : j+3])
				out = append(out, b[0])
				j += 3
			} else if j+1 < len(s) {
				out = append(out, s[j+1])
				j += 2
			} else {
				return "", 0, errBadDN
			}
			keep = len(out) // an escaped space is significant
			continue
		}
		out = append(out, c)
		if c != ' ' {
			keep = len(out)
		}
		j++
	}
	return string(out[:keep]), j, nil
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

// berString decodes a #hex value; string types become their text so "E=a@b" and Go's
// "1.2.840.113549.1.9.1=#1603..." compare equal. Other types stay as lower-case hex.
func berString(h string) (string, error) {
	b, err := hex.DecodeString(h)
	if err != nil || len(b) == 0 {
		return "", errBadDN
	}
	var raw asn1.RawValue
	if rest, err := asn1.Unmarshal(b, &raw); err == nil && len(rest) == 0 &&
		raw.Class == asn1.ClassUniversal {
		switch raw.Tag {
		case asn1.TagUTF8String, asn1.TagPrintableString, asn1.TagIA5String,
			asn1.TagT61String, 26 /* VisibleString */ :
			return string(raw.Bytes), nil
		}
	}
	return "#" + strings.ToLower(h), nil
}

// key is a canonical string for comparison: attribute values quoted so they cannot fake
// separators, multi-valued RDNs sorted. fold lowers the case of values (X.500 compares most
// string attributes case-insensitively).
func (d dn) key(fold bool) string {
	parts := make([]string, len(d))
	for i, r := range d {
		avas := make([]string, len(r))
		for j, a := range r {
			v := a.val
			if fold {
				v = strings.ToLower(v)
			}
			avas[j] = a.typ + "=" + strconv.Quote(v)
		}
		sort.Strings(avas)
		parts[i] = strings.Join(avas, "+")
	}
	return strings.Join(parts, ",")
}

// reversed is the same DN written in the opposite RDN order (X.500 order vs RFC 4514).
func (d dn) reversed() dn {
	r := make(dn, len(d))
	for i := range d {
		r[len(d)-1-i] = d[i]
	}
	return r
}
