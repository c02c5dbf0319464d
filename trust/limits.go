package trust

// Limits on what Load reads: the trust file is operator input, but a wrong path (a log, a
// disk image) should fail fast rather than fill memory.
const (
	// maxTrustFileBytes bounds the trust file: ~250 bytes a party, so room for every Belgian
	// CPAS and tens of thousands of providers.
	maxTrustFileBytes = 16 << 20
	// maxPEMFileBytes bounds a CA or certificate file: a chain of a few certificates is ~10 KB.
	maxPEMFileBytes = 1 << 20
)

// maxChainCache bounds the cache of verified CA chains: one entry per provider certificate
// seen, so a few thousand covers a busy gateway; a full cache is cleared, not grown.
const maxChainCache = 4096
