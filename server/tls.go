package server

import (
	"crypto/tls"
	"fmt"
	"strings"

	"github.com/rs/zerolog"

	"github.com/carmed/carmed/pki"
)

// TLSConfig is the gateway's HTTPS configuration (`serve --tls-cert --tls-key [--tls-client-ca]`):
// TLS 1.2 at least, the certificate chain of certFile with the key of keyFile and, when clientCAFile
// is set, a client certificate chained to one of its CAs required at the handshake.
//
// The client certificate authenticates the transport only: every request still needs its
// WS-Security signature, checked as without TLS, and the TLS identity is neither required to match
// the signer nor mapped to a party. A deployment that wants both layers gets both, never one for the
// other. Only the web console (face/console), which has no signed messages, signs its visitor in
// by the client certificate, through the trust file.
func TLSConfig(certFile, keyFile, clientCAFile string) (*tls.Config, error) {
	if certFile == "" || keyFile == "" {
		return nil, fmt.Errorf("TLS needs both a certificate and a key")
	}
	cert, err := tls.LoadX509KeyPair(certFile, keyFile)
	if err != nil {
		return nil, fmt.Errorf("TLS certificate: %w", err)
	}
	cfg := &tls.Config{MinVersion: tls.VersionTLS12, Certificates: []tls.Certificate{cert}}
	if clientCAFile != "" {
		pool, err := pki.LoadCertPool(clientCAFile)
		if err != nil {
			return nil, fmt.Errorf("TLS client CA: %w", err)
		}
		cfg.ClientCAs = pool
		cfg.ClientAuth = tls.RequireAndVerifyClientCert
	}
	return cfg, nil
}

// httpErrorLog turns net/http's own messages (refused TLS handshakes, accept errors) into warn
// lines of the gateway's log, so an operator sees why a client without the right certificate never
// reached a handler. They name the peer address and the TLS reason, never a request's content.
type httpErrorLog struct{ log zerolog.Logger }

func (h httpErrorLog) Write(p []byte) (int, error) {
	h.log.Warn().Str("src", "net/http").Msg(strings.TrimSpace(string(p)))
	return len(p), nil
}
