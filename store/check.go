package store

import (
	"encoding/binary"
	"fmt"
	"sort"

	bolt "go.etcd.io/bbolt"

	"github.com/carmed/carmed/rules"
)

// maxCheckProblems caps the report: past this many the file is broken beyond what a list helps with.
const maxCheckProblems = 1000

// Check runs bbolt's page-level check and the project's invariants on one snapshot and returns
// every problem found (nil = healthy). Messages name decisions by number, never people.
func (b *Bolt) Check() []error {
	var problems []error
	add := func(format string, args ...any) {
		if len(problems) < maxCheckProblems {
			problems = append(problems, fmt.Errorf("store check: "+format, args...))
		}
	}
	err := b.db.View(func(tx *bolt.Tx) error {
		for err := range tx.Check(bolt.WithKVStringer(redactedKV{})) {
			add("bbolt: %v", err)
		}
		for _, name := range allBuckets {
			if tx.Bucket(name) == nil {
				add("bucket %s is missing", name)
			}
		}
		if len(problems) > 0 {
			return nil // invariants need every bucket; the structural problems come first
		}
		checkInvariantsInTx(boltTx{tx}, add)
		return nil
	})
	if err != nil {
		add("%v", err)
	}
	return problems
}

// redactedKV keeps keys and values (SSINs, names) out of bbolt's diagnostics.
type redactedKV struct{}

func (redactedKV) KeyToString(k []byte) string   { return fmt.Sprintf("<%d-byte key>", len(k)) }
func (redactedKV) ValueToString(v []byte) string { return fmt.Sprintf("<%d-byte value>", len(v)) }

// checkedDecision is what the invariants need of one decision.
type checkedDecision struct {
	versions int
	latest   rules.Version
	latestOK bool // false when the newest version does not decode (reported once, not per index)
}

func checkInvariantsInTx(tx kvTx, add func(string, ...any)) {
	decisions := checkVersionsInTx(tx, add)
	checkLatestInTx(tx, decisions, add)
	checkIndexInTx(tx, bucketBySSIN, "SSIN", decisions, func(v *rules.Version) string { return v.Beneficiary.SSIN }, add)
	checkIndexInTx(tx, bucketByCPAS, "CPAS", decisions, func(v *rules.Version) string { return v.Manager }, add)
	checkOverlapsInTx(decisions, add)
	checkRepliesInTx(tx, add)
	checkAuditInTx(tx, add)
	checkPersonsInTx(tx, add)
	checkMutationsInTx(tx, add)
	checkNoticesInTx(tx, add)
	checkAttestationsInTx(tx, add)
	checkCaamiInTx(tx, add)
	if seq := tx.Bucket(bucketMeta).Sequence(); len(decisions) > 0 {
		var highest uint64
		for n := range decisions {
			highest = max(highest, n)
		}
		if highest > seq {
			add("decision %s is above the number counter (%d): NextNumber would draw it again", formatNumber(highest), seq)
		}
	}
}

// checkVersionsInTx walks every version: keys well formed, versions 1..n without gaps, the
// stored Number and Version equal to the key.
func checkVersionsInTx(tx kvTx, add func(string, ...any)) map[uint64]*checkedDecision {
	out := map[uint64]*checkedDecision{}
	c := tx.Bucket(bucketVersions).Cursor()
	for k, raw := c.First(); k != nil; k, raw = c.Next() {
		n, ver, ok := splitVersionKey(k)
		if !ok {
			add("a version key has %d bytes, want %d", len(k), numberLen+versionLen)
			continue
		}
		num := formatNumber(n)
		d := out[n]
		if d == nil {
			d = &checkedDecision{}
			out[n] = d
		}
		if ver != d.versions+1 {
			add("decision %s: version %d follows version %d", num, ver, d.versions)
		}
		d.versions = ver
		v, err := decodeVersion(raw)
		if err != nil {
			add("decision %s version %d: %v", num, ver, err)
			d.latestOK = false
			continue
		}
		if v.Number != num || v.Version != ver {
			add("decision %s version %d: record says decision %q version %d", num, ver, v.Number, v.Version)
		}
		d.latest, d.latestOK = v, true
	}
	return out
}

func checkLatestInTx(tx kvTx, decisions map[uint64]*checkedDecision, add func(string, ...any)) {
	seen := map[uint64]bool{}
	c := tx.Bucket(bucketLatest).Cursor()
	for k, v := c.First(); k != nil; k, v = c.Next() {
		if len(k) != numberLen || len(v) != versionLen {
			add("a latest pointer is damaged (%d-byte key, %d-byte value)", len(k), len(v))
			continue
		}
		n := binary.BigEndian.Uint64(k)
		seen[n] = true
		d := decisions[n]
		if d == nil {
			add("decision %s: latest pointer without versions", formatNumber(n))
			continue
		}
		if got := int(binary.BigEndian.Uint32(v)); got != d.versions {
			add("decision %s: latest pointer says version %d, versions go up to %d", formatNumber(n), got, d.versions)
		}
	}
	for n := range decisions {
		if !seen[n] {
			add("decision %s: no latest pointer", formatNumber(n))
		}
	}
}

// checkIndexInTx: every entry points at an existing decision filed under its latest version's id,
// and every decision is filed.
func checkIndexInTx(tx kvTx, bucket []byte, what string, decisions map[uint64]*checkedDecision,
	idOf func(*rules.Version) string, add func(string, ...any)) {
	filed := map[uint64]int{}
	c := tx.Bucket(bucket).Cursor()
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		id, n, ok := splitIndexKey(k)
		if !ok {
			add("%s index: a key of %d bytes is damaged", what, len(k))
			continue
		}
		d := decisions[n]
		if d == nil {
			add("%s index: entry for decision %s, which does not exist", what, formatNumber(n))
			continue
		}
		if d.latestOK && id != idOf(&d.latest) {
			add("%s index: decision %s is filed under the wrong %s", what, formatNumber(n), what)
			continue
		}
		filed[n]++
	}
	for n := range decisions {
		if filed[n] == 0 {
			add("%s index: decision %s is missing", what, formatNumber(n))
		}
	}
}

// checkOverlapsInTx: at most one in-force decision per SSIN on any day (R-OVERLAP). Decisions
// suspended for SSIN_OVERLAP are the exception the rules make: an SSIN merge suspends the
// decisions that now overlap until the CPAS sorts them out (R-MUT-SSIN, R-REACTIVATE).
func checkOverlapsInTx(decisions map[uint64]*checkedDecision, add func(string, ...any)) {
	bySSIN := map[string][]*rules.Version{}
	for _, d := range decisions {
		if v := &d.latest; d.latestOK && v.InForce() {
			bySSIN[v.Beneficiary.SSIN] = append(bySSIN[v.Beneficiary.SSIN], v)
		}
	}
	for _, vs := range bySSIN {
		sort.Slice(vs, func(i, j int) bool { return vs[i].Number < vs[j].Number })
		for i := range vs {
			for j := i + 1; j < len(vs); j++ {
				a, b := vs[i], vs[j]
				if overlapSuspended(a) || overlapSuspended(b) || !a.Period.Overlaps(b.Period) {
					continue
				}
				add("decisions %s and %s are both in force for the same person on overlapping days", a.Number, b.Number)
			}
		}
	}
}

func overlapSuspended(v *rules.Version) bool {
	if v.Status != rules.Suspended {
		return false
	}
	for _, s := range v.Suspensions {
		if s.Reason == rules.SuspendSSINOverlap {
			return true
		}
	}
	return false
}

func checkRepliesInTx(tx kvTx, add func(string, ...any)) {
	versions := tx.Bucket(bucketVersions)
	c := tx.Bucket(bucketReplies).Cursor()
	i := -1
	for k, raw := c.First(); k != nil; k, raw = c.Next() {
		i++ // replies are named by position: their keys hold tickets
		r, err := decodeReply(raw)
		if err != nil {
			add("reply %d: %v", i, err)
			continue
		}
		if len(r.Body) == 0 && len(r.Envelope) == 0 {
			add("reply %d holds no answer to send again", i)
		}
		if n, ok := parseAttestation(r.Attestation); r.Attestation != "" && (!ok || tx.Bucket(bucketAttestations).Get(numberKey(n)) == nil) {
			add("reply %d names attestation %q, which does not exist", i, r.Attestation)
		}
		if r.Number == "" {
			continue
		}
		n, ok := parseNumber(r.Number)
		if !ok || r.Version < 1 || versions.Get(versionKey(n, r.Version)) == nil {
			add("reply %d names decision %q version %d, which does not exist", i, r.Number, r.Version)
		}
	}
}

func checkAuditInTx(tx kvTx, add func(string, ...any)) {
	versions := tx.Bucket(bucketVersions)
	c := tx.Bucket(bucketAudit).Cursor()
	for k, raw := c.First(); k != nil; k, raw = c.Next() {
		n, ver, ok := splitVersionKey(k)
		if !ok {
			add("an audit key has %d bytes, want %d", len(k), numberLen+versionLen)
			continue
		}
		if versions.Get(k) == nil {
			add("audit of decision %s version %d: no such version", formatNumber(n), ver)
		}
		if _, err := decodeAudit(raw, (&txn{tx: tx}).replyBody); err != nil {
			add("audit of decision %s version %d: %v", formatNumber(n), ver, err)
		}
	}
}

func checkPersonsInTx(tx kvTx, add func(string, ...any)) {
	c := tx.Bucket(bucketPersons).Cursor()
	i := 0
	for k, raw := c.First(); k != nil; k, raw = c.Next() {
		var p rules.Person
		if err := decode(raw, &p); err != nil {
			add("person record %d: %v", i, err)
		} else if p.SSIN != string(k) {
			add("person record %d is filed under another SSIN than its own", i)
		} else if p.ReplacedBy != "" && (p.ReplacedBy == p.SSIN || tx.Bucket(bucketPersons).Get([]byte(p.ReplacedBy)) == nil) {
			add("person record %d is replaced by an SSIN that has no record of its own", i)
		}
		i++
	}
}
