package server

import "time"

// Limits on untrusted input, named in one place. Each bounds work done before the signature
// is known to be good, so a stranger cannot make the gateway spend much on a bad message.
const (
	// MaxBodyBytes: the largest CPAS request (a decision with eight covers and provider lists)
	// is under 20 KB; 1 MiB leaves room for big provider lists and certificate chains.
	MaxBodyBytes = 1 << 20
	// MaxElements: a full decision is ~200 elements; 20,000 stops element floods early.
	MaxElements = 20000
	// MaxDepth: our deepest path (Envelope/Body/op/decision/medicalCover/doctor/…) is ~10 levels.
	MaxDepth = 64
	// MaxAttributes per element: WS-Security elements carry at most ~5.
	MaxAttributes = 32
	// MaxHeaderBytes for HTTP request headers.
	MaxHeaderBytes = 16 << 10
	// ReadHeaderTimeout / ReadTimeout / WriteTimeout / IdleTimeout: slow clients must not pin connections.
	ReadHeaderTimeout = 5 * time.Second
	ReadTimeout       = 30 * time.Second
	WriteTimeout      = 30 * time.Second
	IdleTimeout       = 120 * time.Second
	// ClockSkew tolerated on WS-Security Timestamps (clients' clocks drift).
	ClockSkew = 5 * time.Minute
	// MaxTimestampTTL: a signed request may not claim a lifetime longer than this (bounds the replay window).
	MaxTimestampTTL = time.Hour
	// ResponseTTL is the lifetime of the gateway's own signed answers.
	ResponseTTL = 5 * time.Minute
	// MaxForwardedHostBytes: a trusted proxy's forwarded host is a DNS name (253) with ":port".
	MaxForwardedHostBytes = 253 + len(":65535")
	// MaxForwardedPrefixBytes: a path a proxy mounts the gateway under is a few short segments.
	MaxForwardedPrefixBytes = 256
)

// Door is a face's budget at the door: the bytes and elements of one request read and parsed
// (and canonicalized by the verifier) before its signature is known good. A face that takes
// batches names a larger one (Face.Door); every other face has DefaultDoor.
type Door struct {
	MaxBodyBytes int64
	MaxElements  int
}

// DefaultDoor is the budget of a face that names none: MaxBodyBytes and MaxElements.
var DefaultDoor = Door{MaxBodyBytes: MaxBodyBytes, MaxElements: MaxElements}

// BulkDoor is the budget of a batch face (the CAAMI invoice send, rules.md §11): a send of 10,000
// lines is ~20 elements and ~700 bytes a line when every optional element is given (agreement
// number, State percentages, GP exceptions); 16 MiB and 300,000 elements take that with room for
// the invoices around them and the signature, and stop anything much larger early.
var BulkDoor = Door{MaxBodyBytes: 16 << 20, MaxElements: 300000}
