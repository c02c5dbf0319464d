package wssec

import (
	"crypto/x509"
	"sync"
)

// certs keeps the certificates parsed from tokens, by the token's text as received: every
// request of a party carries the same certificate, and decoding and parsing it again cost as
// much as checking its signature. Only that is saved: the trust decision, validity and key
// checks run on every request. A certificate is never modified once parsed, so one value serves
// every request. Only text that decoded and parsed is kept.
var certs = &certCache{m: map[string]*x509.Certificate{}}

type certCache struct {
	mu sync.Mutex
	m  map[string]*x509.Certificate
}

func (c *certCache) get(text string) *x509.Certificate {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.m[text]
}

func (c *certCache) put(text string, cert *x509.Certificate) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.m) >= maxCachedCerts {
		clear(c.m) // bounded: distinct certificates beyond the bound start it over
	}
	c.m[text] = cert
}
