package gateway

import "time"

// Limits of the tenants (tenants.go), named in one place.
const (
	// MaxTenants bounds the worlds one gateway holds besides the default: each is an open bbolt
	// file (a lock, a memory map) and a pipeline with its compiled schemas.
	MaxTenants = 64
	// MaxTenantNameLen: a name is one path segment a person types (/t/NAME/cpas/v1); the harness
	// XSD's TenantNameType says the same.
	MaxTenantNameLen = 32
	// TenantMaxConcurrent is the default bound on one tenant's requests at once. Above it a request
	// is answered 503 (after TenantAdmissionWait) rather than queued: a vendor's burst then cannot fill the two cores
	// and the store's single writer ahead of the other tenants' requests. 16 keeps a pipeline that
	// signs and fsyncs busy (a writer waits on the disk while others sign) without letting one
	// tenant take every connection.
	TenantMaxConcurrent = 16
	// TenantAdmissionWait is how long a request that finds every slot of its tenant taken waits
	// for one before the 503: a slot is given back just after its answer is written, so a
	// client's next request may arrive a moment before; a held slot stays held far longer.
	TenantAdmissionWait = 100 * time.Millisecond
	// TenantRetryAfter is the Retry-After (seconds) of that 503: a round trip is milliseconds, so
	// a second is long enough for the burst to drain.
	TenantRetryAfter = "1"
	// maxTenantFileBytes bounds what the gateway reads back of its own tenant files (index,
	// registry of ≤ 1000 persons, trust file).
	maxTenantFileBytes = 8 << 20
)
