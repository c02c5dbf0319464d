// Package agreement issues and verifies agreement numbers (payment commitments, rules.md
// R-AGREEMENT and R-AGREEMENT-30).
//
// An agreement number is not stored anywhere: it is a keyed, tamper-evident token from which
// the gateway recomputes what it guarantees (decision number, version, provider, consulted
// period start, consultation date). The manual describes it as a keyed value that is "not
// recorded but can be created again"; the same consultation therefore always gives the same
// number (idempotent replays, golden files), and an invoice-control harness can check an
// invoice against it long after the CPAS changed the decision.
//
// # Token format, version 1
//
// The binary form is
//
//	offset  size  field
//	0       1     format byte, 0x01
//	1       1     key id length n (1..8)
//	2       n     key id, ASCII [a-z0-9]
//	2+n     5     decision number, 12 digits as an unsigned big-endian integer
//	7+n     2     version seen by the provider (1..65535), big-endian
//	9+n     5     provider: top 3 bits the shape (1 NIHII-8, 2 CBE-10, 3 NIHII-11),
//	              low 37 bits the digits as an integer (the shape keeps leading zeros)
//	14+n    2     period start, days since 2000-01-01
//	16+n    1     consultation date − period start, 0..29 (R-AGREEMENT: today lies in the
//	              consulted period, which is at most 30 days)
//	17+n    12    HMAC-SHA256(key, "carmed agreement v1" ‖ bytes[0:17+n]), first 96 bits
//
// written in Crockford base32 (0-9 A-Z without I L O U) in groups of five joined by dashes.
// With a two-character key id that is 31 bytes, 50 characters. Decision 000000012345
// version 3, NIHII 71000436000, period from 2025-03-01 consulted that day, key "k1" =
// 32 bytes of 0x11 (the golden test) gives
//
//	0416P-C8000-030E8-00DR8-FX5D4-0HYE0-2JDFE-ZQFK2-3421M-PC8CR
//
// Verify ignores case and dashes, reads O as 0 and I, L as 1 (Crockford's aliases for
// hand-copied numbers), and refuses anything else: unknown characters, a wrong length,
// non-zero padding bits, an unknown format byte (ErrMalformed), a key id not in the ring
// (ErrUnknownKey), a MAC that does not match (ErrTampered). Errors never echo the input.
//
// Why a MAC and no encryption: the fields are not personal data (no SSIN), and the provider
// already holds all of them from the same answer; integrity is what matters, confidentiality
// would add nothing but length and a nonce scheme.
package agreement
