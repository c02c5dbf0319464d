// Package trust maps certificates to the parties the gateway knows: CPAS, healthcare
// providers and administrators. A party is recognised either by a pinned public key
// (SHA-256 of the SubjectPublicKeyInfo) or by a CA certificate plus an exact subject.
//
// A Store is immutable once parsed and safe for concurrent use; reloading means parsing a
// new Store and swapping the pointer.
package trust

import (
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"errors"
)

// Kind is the role of a party.
type Kind string

// The party kinds of the trust file.
const (
	KindCPAS     Kind = "cpas"
	KindProvider Kind = "provider"
	KindAdmin    Kind = "admin"
)

// Provider kinds (rules.md R-NIHII): which identifier a provider carries depends on it.
const (
	ProviderDoctor     = "doctor"
	ProviderDentist    = "dentist" // a doctor or a dentist may attest urgent medical aid (R-UMA-SEND)
	ProviderHospital   = "hospital"
	ProviderPharmacy   = "pharmacy"
	ProviderParamedic  = "paramedic"
	ProviderTransport  = "transport"
	ProviderProsthesis = "prosthesis"
)

// Party is who signed a message.
type Party struct {
	Kind Kind
	// ID is the CBE for a CPAS, the NIHII (or CBE for transport and prosthesis companies)
	// for a provider, and a free identifier for an admin.
	ID string
	// NameFr, NameNl and INS are set for a CPAS only.
	NameFr, NameNl string
	INS            string
	// Name is the display name of a provider or admin (optional).
	Name string
	// ProviderKind is one of the Provider* constants, for a provider only.
	ProviderKind string
	// BirthDate (YYYY-MM-DD, "" = unknown) and GPExceptions are a provider's record for the GP
	// billing routes (R-GP-ROUTE), from the trust file.
	BirthDate    string
	GPExceptions []string
	// CertSHA256 is the hex SHA-256 of the certificate that matched, for logs; empty on
	// parties returned by CPAS and Parties.
	CertSHA256 string
}

// ErrUntrusted is the public face of every refusal by Party and Check. The wrapped error
// adds a private reason (a fingerprint, never a subject) for the log.
var ErrUntrusted = errors.New("certificate not trusted")

// ErrExpired is also matched by errors.Is when the certificate was used outside its
// validity period, so the verifier can tell an expired token from an unknown one.
var ErrExpired = errors.New("certificate outside its validity period")

type untrustedError struct {
	reason string
	cause  error
}

func (e *untrustedError) Error() string {
	if e.cause != nil {
		return ErrUntrusted.Error() + ": " + e.cause.Error() + ": " + e.reason
	}
	return ErrUntrusted.Error() + ": " + e.reason
}

func (e *untrustedError) Is(target error) bool { return target == ErrUntrusted }
func (e *untrustedError) Unwrap() error        { return e.cause }

// Fingerprint is the hex SHA-256 of a certificate's DER, the identifier used in logs.
func Fingerprint(cert *x509.Certificate) string {
	sum := sha256.Sum256(cert.Raw)
	return hex.EncodeToString(sum[:])
}

// SPKISHA256 is the hex SHA-256 of a certificate's SubjectPublicKeyInfo DER: the pin
// written in the trust file's "spkiSha256".
func SPKISHA256(cert *x509.Certificate) string {
	sum := sha256.Sum256(cert.RawSubjectPublicKeyInfo)
	return hex.EncodeToString(sum[:])
}
