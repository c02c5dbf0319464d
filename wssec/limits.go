package wssec

import "time"

// Defaults and limits of the verifier and signer, each with why.
const (
	// DefaultSkew: client clocks drift; five minutes is what WSS4J and .NET tolerate by default.
	DefaultSkew = 5 * time.Minute
	// DefaultMaxTTL: a Timestamp may not claim a longer life, which bounds the replay-cache window.
	DefaultMaxTTL = time.Hour
	// DefaultMaxNodes: elements canonicalized per message, summed over References; a few passes
	// over the largest message the server's door admits. goxmldsig's own 1000-node budget is
	// bypassed (it fails on big Bodies), so this is the bound.
	DefaultMaxNodes = 100000
	// DefaultSignTTL: lifetime of the Timestamp on our own signed messages.
	DefaultSignTTL = 5 * time.Minute

	// maxReferences: real clients sign 2 to 4 parts; more is only a way to make us digest more.
	maxReferences = 16
	// maxSignatureBytes: an RSA-8192 signature is 1024 bytes, ECDSA P-521 is 132.
	maxSignatureBytes = 1024
	// maxDigestBytes: SHA-512, the longest digest of the allow-list.
	maxDigestBytes = 64
	// maxTokenBytes: a certificate with a long chain of extensions stays well under 16 KiB.
	maxTokenBytes = 16 << 10
	// maxPathCertificates: a X509PKIPathv1 token from a root through a few intermediate CAs to
	// the signer; real hierarchies (eHealth, Fedict) are 2 or 3 deep, and each link costs a
	// signature check before anything is trusted.
	maxPathCertificates = 6
	// maxPathBytes: maxPathCertificates certificates of a few KiB each.
	maxPathBytes = 32 << 10
	// minRSABits: RSA keys shorter than 2048 bits are no longer accepted by eHealth or NIST.
	minRSABits = 2048
	// maxTimestampChars: an xs:dateTime with nanoseconds and an offset is 35 characters.
	maxTimestampChars = 64
	// signedInfoDepth: the depth bound the canonical SignedInfo is read again with, etree's
	// default (its own depth is 5; the element budget has bounded it already).
	signedInfoDepth = 1024
	// maxCachedCerts: parsed token certificates kept (certcache.go); a gateway's parties number
	// in the tens, so this holds them all, and a flood of distinct certificates only empties it
	// (at most maxCachedCerts tokens of maxTokenBytes, a few MB).
	maxCachedCerts = 512
)

// Limits of the SAML holder-of-key path (saml_verify.go).
const (
	// MaxAssertionLifetime: the eHealth connector asks for 24 h by default and the STS back-dates
	// NotBefore by about five minutes for skew; a longer window is a token nobody should hold.
	MaxAssertionLifetime = 24*time.Hour + 15*time.Minute
	// maxSAMLAttributes: an eHealth assertion carries a handful; the bound keeps the copy small.
	maxSAMLAttributes = 64
	// maxSAMLValueChars: identifiers, booleans and names; nothing longer is meant to be there.
	maxSAMLValueChars = 256
)
