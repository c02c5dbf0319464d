// Package wssec verifies and produces WS-Security 1.0/1.1 X.509 token-profile signatures on SOAP
// envelopes (a BinarySecurityToken, a Timestamp and one XML signature over Body and Timestamp).
//
// It is built on etree and its own one-pass exclusive canonicalizer (c14n.go), held to
// goxmldsig's by differential tests and a fuzz target; not on goxmldsig's Validate, which only
// knows enveloped signatures. The verifier is a policy layer: it finds the parts by position,
// allows a short list of algorithms and transforms, decodes References only from the verified
// SignedInfo and requires that the signature covers this envelope's Body and this header's
// Timestamp (signature-wrapping defence).
package wssec
