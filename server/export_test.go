package server

import (
	"net/netip"
)

// What the external tests of this directory (package server_test, which start the whole gateway)
// reach inside the pipeline for.

// StoredAnswer is storedAnswer: the element (bytes) a stored reply gives to seal again.
var StoredAnswer = storedAnswer

// SealSOAP11 seals a payload as the answer to a SOAP 1.1 request.
func (s *Server) SealSOAP11(payload []byte) ([]byte, error) {
	return s.seal(soap11, &Answer{Body: payload})
}

// SetTrustedProxies replaces the trusted proxies, as `serve --trusted-proxy` sets them.
func (s *Server) SetTrustedProxies(p []netip.Prefix) { s.cfg.TrustedProxies = p }
