package server

import (
	"fmt"
	"net/http"
	"net/netip"
	"strconv"
	"strings"
)

// The address a WSDL names (soap:address, the ?xsd= links) is the one the client used. Behind a
// reverse proxy that is the proxy's, which only the proxy's headers tell: RFC 7239 `Forwarded`
// (proto, host) or the older X-Forwarded-Proto / X-Forwarded-Host, plus X-Forwarded-Prefix for a
// proxy that mounts the gateway under a path. Anybody can send these headers, and the address
// ends up in a document clients post signed requests to, so they are read only when the request's
// immediate peer is a configured trusted proxy (`serve --trusted-proxy`), and each value is
// checked strictly: a bad one is dropped, never copied into the document.

// ParseTrustedProxies reads `--trusted-proxy CIDR[,CIDR…]`; a bare address is that one host.
func ParseTrustedProxies(s string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, f := range strings.Split(s, ",") {
		f = strings.TrimSpace(f)
		if f == "" {
			continue
		}
		if !strings.Contains(f, "/") {
			a, err := netip.ParseAddr(f)
			if err != nil || a.Zone() != "" {
				return nil, fmt.Errorf("trusted proxy %q: want an address or a CIDR prefix", f)
			}
			a = a.Unmap()
			out = append(out, netip.PrefixFrom(a, a.BitLen()))
			continue
		}
		p, err := netip.ParsePrefix(f)
		if err != nil {
			return nil, fmt.Errorf("trusted proxy %q: %v", f, err)
		}
		out = append(out, p.Masked())
	}
	return out, nil
}

// publicAddr is where a client reaches a service: scheme, host[:port] and the path prefix a proxy
// mounts the gateway under ("" or "/a/b"). host is "" when no valid one is known.
type publicAddr struct {
	scheme, host, prefix string
}

// publicAddr is the address of the request as its client sent it: from the connection and Host,
// overridden by the forwarding headers of a trusted proxy.
func (s *Server) publicAddr(r *http.Request) publicAddr {
	a := publicAddr{scheme: "http"}
	if r.TLS != nil {
		a.scheme = "https"
	}
	if validHost(r.Host) {
		a.host = r.Host
	}
	if !s.fromTrustedProxy(r) {
		return a
	}
	var proto, host string
	if vs := r.Header.Values("Forwarded"); len(vs) > 0 {
		// The last element is the one our peer, the trusted proxy, added; earlier ones came with the
		// request and are only as good as whoever sent them.
		elems, ok := parseForwarded(strings.Join(vs, ","))
		if !ok {
			s.cfg.Logger.Warn().Str("header", "Forwarded").Msg("forwarding header from a trusted proxy is malformed; ignored")
			return a
		}
		last := elems[len(elems)-1]
		proto, host = last["proto"], last["host"]
	} else {
		proto, host = lastValue(r.Header, "X-Forwarded-Proto"), lastValue(r.Header, "X-Forwarded-Host")
	}
	if p := strings.ToLower(proto); p == "http" || p == "https" {
		a.scheme = p
	} else if proto != "" {
		s.cfg.Logger.Warn().Str("field", "proto").Msg("forwarded value from a trusted proxy refused")
	}
	if validHost(host) {
		a.host = host
	} else if host != "" {
		s.cfg.Logger.Warn().Str("field", "host").Msg("forwarded value from a trusted proxy refused")
	}
	if p := strings.TrimSuffix(lastValue(r.Header, "X-Forwarded-Prefix"), "/"); validPrefix(p) {
		a.prefix = p
	} else if p != "" {
		s.cfg.Logger.Warn().Str("field", "prefix").Msg("forwarded value from a trusted proxy refused")
	}
	return a
}

// fromTrustedProxy tells whether the request's immediate peer is a configured trusted proxy.
func (s *Server) fromTrustedProxy(r *http.Request) bool {
	if len(s.cfg.TrustedProxies) == 0 {
		return false
	}
	ap, err := netip.ParseAddrPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	peer := ap.Addr().Unmap().WithZone("")
	for _, p := range s.cfg.TrustedProxies {
		if p.Contains(peer) {
			return true
		}
	}
	return false
}

// lastValue is the last entry of a comma-separated header that may come in several lines: the
// one the trusted proxy appended.
func lastValue(h http.Header, name string) string {
	vs := h.Values(name)
	if len(vs) == 0 {
		return ""
	}
	v := vs[len(vs)-1]
	if i := strings.LastIndexByte(v, ','); i >= 0 {
		v = v[i+1:]
	}
	return strings.TrimSpace(v)
}

// parseForwarded splits an RFC 7239 Forwarded value into its elements, each a map of lower-case
// parameter names to values (quoted strings unquoted). Any syntax error, or a parameter repeated
// within an element, fails the whole header. Unquoted values may also hold ':' and brackets, which
// the RFC wants quoted but common proxy configurations send bare (host=example.be:8443).
func parseForwarded(v string) ([]map[string]string, bool) {
	var elems []map[string]string
	cur := map[string]string{}
	i := 0
	skipOWS := func() {
		for i < len(v) && (v[i] == ' ' || v[i] == '\t') {
			i++
		}
	}
	for {
		skipOWS()
		if i == len(v) {
			break
		}
		switch v[i] {
		case ',':
			elems, cur = append(elems, cur), map[string]string{}
			i++
			continue
		case ';':
			i++
			continue
		}
		j := i
		for j < len(v) && isTokenChar(v[j]) {
			j++
		}
		if j == i || j == len(v) || v[j] != '=' {
			return nil, false
		}
		name := strings.ToLower(v[i:j])
		i = j + 1
		var val strings.Builder
		if i < len(v) && v[i] == '"' {
			for i++; ; i++ {
				if i == len(v) {
					return nil, false // unterminated quoted string
				}
				if v[i] == '\\' {
					if i++; i == len(v) {
						return nil, false
					}
				} else if v[i] == '"' {
					i++
					break
				}
				val.WriteByte(v[i])
			}
		} else {
			j = i
			for j < len(v) && (isTokenChar(v[j]) || v[j] == ':' || v[j] == '[' || v[j] == ']') {
				j++
			}
			if j == i {
				return nil, false
			}
			val.WriteString(v[i:j])
			i = j
		}
		if _, dup := cur[name]; dup {
			return nil, false
		}
		cur[name] = val.String()
		skipOWS()
		if i < len(v) && v[i] != ',' && v[i] != ';' {
			return nil, false
		}
	}
	return append(elems, cur), true
}

// isTokenChar: RFC 9110 tchar.
func isTokenChar(c byte) bool {
	switch {
	case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		return true
	}
	return strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}

// validHost accepts a host name or IP address with an optional port, and nothing else: no path,
// user info, spaces, quotes or zone.
func validHost(h string) bool {
	if h == "" || len(h) > MaxForwardedHostBytes {
		return false
	}
	if strings.HasPrefix(h, "[") {
		end := strings.IndexByte(h, ']')
		if end < 0 {
			return false
		}
		a, err := netip.ParseAddr(h[1:end])
		if err != nil || !a.Is6() || a.Zone() != "" {
			return false
		}
		rest := h[end+1:]
		return rest == "" || (rest[0] == ':' && validPort(rest[1:]))
	}
	name := h
	if i := strings.IndexByte(h, ':'); i >= 0 {
		if !validPort(h[i+1:]) {
			return false
		}
		name = h[:i]
	}
	return validHostname(name)
}

// validHostname: dot-separated labels of letters, digits and inner hyphens, 1 to 63 bytes each
// (RFC 1123); a dotted IPv4 address is one.
func validHostname(n string) bool {
	if n == "" || len(n) > maxHostnameBytes {
		return false
	}
	for _, l := range strings.Split(n, ".") {
		if l == "" || len(l) > maxLabelBytes || l[0] == '-' || l[len(l)-1] == '-' {
			return false
		}
		for i := 0; i < len(l); i++ {
			c := l[i]
			if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-') {
				return false
			}
		}
	}
	return true
}

func validPort(p string) bool {
	if p == "" || len(p) > 5 || strings.TrimLeft(p, "0123456789") != "" {
		return false
	}
	n, err := strconv.Atoi(p)
	return err == nil && n >= 1 && n <= 65535
}

// validPrefix accepts "/seg[/seg…]" with unreserved URL characters only, and no "." or ".."
// segment.
func validPrefix(p string) bool {
	if p == "" || p[0] != '/' || len(p) > MaxForwardedPrefixBytes {
		return false
	}
	for _, seg := range strings.Split(p[1:], "/") {
		if seg == "" || seg == "." || seg == ".." {
			return false
		}
		for i := 0; i < len(seg); i++ {
			c := seg[i]
			if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte("-._~", c) >= 0) {
				return false
			}
		}
	}
	return true
}

// DNS name limits (RFC 1035).
const (
	maxHostnameBytes = 253
	maxLabelBytes    = 63
)
