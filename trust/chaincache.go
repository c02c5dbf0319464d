package trust

import (
	"crypto/sha256"
	"crypto/x509"
	"encoding/binary"
	"sync"
	"time"
)

// chainCache remembers which CA entries a certificate's chain verified against, and the
// window in which every certificate of that chain is valid, so repeat callers skip the
// chain verification (~100 µs with ECDSA). Only successes are kept; the Store it belongs to
// never changes, so an entry stays true for its window.
type chainCache struct {
	mu sync.Mutex
	m  map[[sha256.Size]byte]chainResult
}

type chainResult struct {
	entries  []int
	from, to time.Time
}

func (c *chainCache) get(fp [sha256.Size]byte, now time.Time) ([]int, bool) {
	c.mu.Lock()
	r, ok := c.m[fp]
	c.mu.Unlock()
	if !ok || now.Before(r.from) || now.After(r.to) {
		return nil, false
	}
	return r.entries, true
}

func (c *chainCache) put(fp [sha256.Size]byte, r chainResult) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= maxChainCache {
		c.m = make(map[[sha256.Size]byte]chainResult)
	}
	c.m[fp] = r
}

// chainKey names a certificate with the intermediates it was offered: a chain found through a
// PKIPath's certificates must not be remembered for the certificate sent alone.
func chainKey(cert *x509.Certificate, path []*x509.Certificate) [sha256.Size]byte {
	if len(path) == 0 {
		return sha256.Sum256(cert.Raw)
	}
	h := sha256.New()
	add := func(c *x509.Certificate) {
		var n [4]byte
		binary.BigEndian.PutUint32(n[:], uint32(len(c.Raw)))
		h.Write(n[:])
		h.Write(c.Raw)
	}
	for _, c := range path {
		add(c)
	}
	add(cert)
	var k [sha256.Size]byte
	h.Sum(k[:0])
	return k
}

// narrow shrinks [from, to] to the validity of every certificate in the chain.
func narrow(from, to time.Time, chain []*x509.Certificate) (time.Time, time.Time) {
	for _, c := range chain {
		if c.NotBefore.After(from) {
			from = c.NotBefore
		}
		if c.NotAfter.Before(to) {
			to = c.NotAfter
		}
	}
	return from, to
}

// subjectCache keeps the canonical subject of the certificates seen, by their raw subject: every
// request looked its signer's entries up by formatting and parsing the subject again, which cost
// as much as the rest of the trust decision. Bounded as chainCache.
type subjectCache struct {
	mu sync.Mutex
	m  map[string]string
}

func (c *subjectCache) of(cert *x509.Certificate) string {
	c.mu.Lock()
	key, ok := c.m[string(cert.RawSubject)]
	c.mu.Unlock()
	if ok {
		return key
	}
	key = canonicalSubject(cert)
	c.mu.Lock()
	if c.m == nil || len(c.m) >= maxChainCache {
		c.m = make(map[string]string)
	}
	c.m[string(cert.RawSubject)] = key
	c.mu.Unlock()
	return key
}
