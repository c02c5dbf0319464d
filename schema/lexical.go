package schema

import "strings"

// isNCName is the lexical space of xs:NCName and so of xs:ID: an XML name without a colon, with
// the name characters of XML 1.0 fifth edition.
func isNCName(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		if !isNameStart(r) && (i == 0 || !isNameRest(r)) {
			return false
		}
	}
	return true
}

// isNameStart is XML 1.0 (fifth edition) NameStartChar without ':'.
func isNameStart(r rune) bool {
	switch {
	case 'a' <= r && r <= 'z', 'A' <= r && r <= 'Z', r == '_':
		return true
	case r < 0xC0:
		return false
	}
	return r <= 0xD6 || (0xD8 <= r && r <= 0xF6) || (0xF8 <= r && r <= 0x2FF) ||
		(0x370 <= r && r <= 0x37D) || (0x37F <= r && r <= 0x1FFF) || r == 0x200C || r == 0x200D ||
		(0x2070 <= r && r <= 0x218F) || (0x2C00 <= r && r <= 0x2FEF) || (0x3001 <= r && r <= 0xD7FF) ||
		(0xF900 <= r && r <= 0xFDCF) || (0xFDF0 <= r && r <= 0xFFFD) || (0x10000 <= r && r <= 0xEFFFF)
}

// isNameRest is the rest of XML 1.0 NameChar (after NameStartChar), ':' excluded.
func isNameRest(r rune) bool {
	return r == '-' || r == '.' || ('0' <= r && r <= '9') || r == 0xB7 ||
		(0x300 <= r && r <= 0x36F) || r == 0x203F || r == 0x2040
}

// isLanguage is xs:language: [a-zA-Z]{1,8}(-[a-zA-Z0-9]{1,8})*. The empty string is not one.
func isLanguage(s string) bool {
	for i, part := 0, ""; ; i++ {
		var found bool
		part, s, found = strings.Cut(s, "-")
		if len(part) < 1 || len(part) > 8 {
			return false
		}
		for j := 0; j < len(part); j++ {
			c := part[j]
			if !isAlpha(c) && (i == 0 || !isDigit(c)) {
				return false
			}
		}
		if !found {
			return true
		}
	}
}

func isAlpha(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

// isAnyURI is xs:anyURI as XSD 1.0 defines it (§3.2.17): after the characters XLink escapes
// (non-ASCII, controls, space, <>"{}|\^` — and ', as libxml2 does) are escaped, the value is a
// URI reference. We check RFC 3986's URI-reference, as libxml2 does: "%zz", a second '#' or a
// colon in a first relative segment are refused. Escaping is not performed, only accounted for:
// an escaped character counts as unreserved. An IP literal ([…]) is checked for its characters.
func isAnyURI(s string) bool {
	rest, frag, hasFrag := strings.Cut(s, "#")
	if hasFrag && !uriChars(frag, ":@/?") {
		return false
	}
	rest, query, hasQuery := strings.Cut(rest, "?")
	if hasQuery && !uriChars(query, ":@/?") {
		return false
	}
	if colon := strings.IndexByte(rest, ':'); colon >= 0 && isScheme(rest[:colon]) {
		rest = rest[colon+1:]
	} else if seg, _, _ := strings.Cut(rest, "/"); strings.IndexByte(seg, ':') >= 0 {
		return false // a relative reference's first segment cannot hold a colon (path-noscheme)
	}
	if after, ok := strings.CutPrefix(rest, "//"); ok {
		slash := strings.IndexByte(after, '/')
		if slash < 0 {
			slash = len(after)
		}
		if !isAuthority(after[:slash]) {
			return false
		}
		rest = after[slash:]
	}
	return uriChars(rest, ":@/")
}

// isScheme is ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ).
func isScheme(s string) bool {
	if s == "" || !isAlpha(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; !isAlpha(c) && !isDigit(c) && c != '+' && c != '-' && c != '.' {
			return false
		}
	}
	return true
}

// isAuthority is [ userinfo "@" ] host [ ":" port ].
func isAuthority(s string) bool {
	if at := strings.IndexByte(s, '@'); at >= 0 {
		if !uriChars(s[:at], ":") {
			return false
		}
		s = s[at+1:]
	}
	host, port := s, ""
	if strings.HasPrefix(s, "[") {
		end := strings.IndexByte(s, ']')
		if end < 2 || !uriChars(s[1:end], ":") {
			return false
		}
		host, port = "", s[end+1:]
		if port != "" {
			if port[0] != ':' {
				return false
			}
			port = port[1:]
		}
	} else if colon := strings.IndexByte(s, ':'); colon >= 0 {
		host, port = s[:colon], s[colon+1:]
	}
	if !uriChars(host, "") {
		return false
	}
	for i := 0; i < len(port); i++ {
		if !isDigit(port[i]) {
			return false
		}
	}
	return true
}

// uriChars tells whether s is made of unreserved characters, percent-encodings, sub-delims and
// the extra characters given. A character XSD escapes counts as unreserved.
func uriChars(s, extra string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case uriEscaped(c), isAlpha(c), isDigit(c), strings.IndexByte("-._~!$&'()*+,;=", c) >= 0:
		case c == '%':
			if i+2 >= len(s) || !isHex(s[i+1]) || !isHex(s[i+2]) {
				return false
			}
			i += 2
		case strings.IndexByte(extra, c) >= 0:
		default:
			return false
		}
	}
	return true
}

// uriEscaped: the characters escaped before an anyURI value is checked as a URI reference.
func uriEscaped(c byte) bool {
	return c <= ' ' || c >= 0x7F || strings.IndexByte("<>\"{}|\\^`'", c) >= 0
}

func isHex(c byte) bool { return isDigit(c) || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }
