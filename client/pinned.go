package client

import (
	"crypto/x509"
	"errors"
	"math/big"
	"time"
)

// Pinned trusts exactly one certificate, the gateway's: a client verifying answers must not accept a
// signature by anybody else, however well chained.
type Pinned struct{ Cert *x509.Certificate }

// Check accepts only the pinned certificate, inside its validity; a PKIPath adds nothing to a pin.
func (p Pinned) Check(c *x509.Certificate, _ []*x509.Certificate, now time.Time) error {
	if !c.Equal(p.Cert) {
		return errors.New("answer not signed by the gateway certificate")
	}
	if now.Before(c.NotBefore) || now.After(c.NotAfter) {
		return errors.New("gateway certificate outside its validity")
	}
	return nil
}

// FindByIssuerSerial finds nothing: answers carry their certificate as a BinarySecurityToken.
func (Pinned) FindByIssuerSerial(string, *big.Int) *x509.Certificate { return nil }

// FindBySKI finds nothing, for the same reason.
func (Pinned) FindBySKI([]byte) *x509.Certificate { return nil }

// FindByThumbprint finds nothing, for the same reason.
func (Pinned) FindByThumbprint([]byte) *x509.Certificate { return nil }
