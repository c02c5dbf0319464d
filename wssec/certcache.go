package wssec

import (
	"crypto/x509"
	"sync"
)

// certs keeps the certificates parsed from tokens, by their DER bytes: every request of a party
// carries the same certificate, and parsing it again cost as much as checking its signature. Only
// parsing is saved: the trust decision, validity and key checks run on every request. A
// certificate is never modified once parsed, so one value serves every request.
var certs = &certCache{m: map[string]*x509.Certificate{}}

type certCache struct {
	mu sync.Mutex
	m  map[string]*x509.Certificate
}

func (c *certCache) parse(der []byte) (*x509.Certificate, error) {
	c.mu.Lock()
	cert := c.m[string(der)]
	c.mu.Unlock()
	if cert != nil {
		return cert, nil
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if len(c.m) >= maxCachedCerts {
		clear(c.m) // bounded: distinct certificates beyond the bound start it over
	}
	c.m[string(der)] = cert
	c.mu.Unlock()
	return cert, nil
}
