package store

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/carmed/carmed/rules"
)

// CPASReader is implemented by the bbolt Reader and Writer: the CPAS index, for listings and checks
// that start from a managing CPAS rather than from a beneficiary.
type CPASReader interface {
	NumbersByCPAS(cbe string) ([]string, error) // oldest number first
}

var _ CPASReader = (*txn)(nil)

// Decision returns every version of a decision, oldest first.
func (t *txn) Decision(number string) (rules.Decision, error) {
	n, ok := parseNumber(number)
	if !ok {
		return rules.Decision{}, fmt.Errorf("decision %q: %w", number, ErrNotFound)
	}
	return decisionInTx(t.tx, t.dec, n)
}

// decisionInTx walks the versions of decision n in key order, decoding through dec (may be nil).
func decisionInTx(tx kvTx, dec *decoded, n uint64) (rules.Decision, error) {
	prefix := numberKey(n)
	var d rules.Decision
	c := tx.Bucket(bucketVersions).PrefixCursor(prefix)
	for k, v := c.First(); k != nil; k, v = c.Next() {
		ver, err := dec.version(k, v)
		if err != nil {
			return rules.Decision{}, fmt.Errorf("decision %s: %w", formatNumber(n), err)
		}
		d.Versions = append(d.Versions, ver)
	}
	if len(d.Versions) == 0 {
		return rules.Decision{}, fmt.Errorf("decision %s: %w", formatNumber(n), ErrNotFound)
	}
	return d, nil
}

// versionInTx reads one version, decoding through dec (may be nil).
func versionInTx(tx kvTx, dec *decoded, n uint64, version int) (rules.Version, error) {
	key := versionKey(n, version)
	raw := tx.Bucket(bucketVersions).Get(key)
	if raw == nil {
		return rules.Version{}, fmt.Errorf("decision %s version %d: %w", formatNumber(n), version, ErrNotFound)
	}
	v, err := dec.version(key, raw)
	if err != nil {
		return rules.Version{}, fmt.Errorf("decision %s version %d: %w", formatNumber(n), version, err)
	}
	return v, nil
}

// latestInTx is the newest version number of decision n, 0 when there is none.
func latestInTx(tx kvTx, n uint64) (int, error) {
	raw := tx.Bucket(bucketLatest).Get(numberKey(n))
	if raw == nil {
		return 0, nil
	}
	if len(raw) != versionLen {
		return 0, fmt.Errorf("store: decision %s: damaged latest pointer", formatNumber(n))
	}
	return int(binary.BigEndian.Uint32(raw)), nil
}

// DecisionsBySSIN returns the decisions whose latest version is for ssin, oldest number first.
func (t *txn) DecisionsBySSIN(ssin string) ([]rules.Decision, error) {
	numbers, err := indexedInTx(t.tx, bucketBySSIN, ssin)
	if err != nil {
		return nil, err
	}
	out := make([]rules.Decision, 0, len(numbers))
	for _, n := range numbers {
		d, err := decisionInTx(t.tx, t.dec, n)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

// NumbersByCPAS returns the numbers of the decisions managed by cbe, oldest first.
func (t *txn) NumbersByCPAS(cbe string) ([]string, error) {
	numbers, err := indexedInTx(t.tx, bucketByCPAS, cbe)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(numbers))
	for i, n := range numbers {
		out[i] = formatNumber(n)
	}
	return out, nil
}

// indexedInTx lists the numbers filed under id in an index bucket, in key (= number) order.
func indexedInTx(tx kvTx, bucket []byte, id string) ([]uint64, error) {
	if !validIndexID(id) {
		return nil, nil
	}
	prefix := indexPrefix(id)
	var out []uint64
	c := tx.Bucket(bucket).PrefixCursor(prefix)
	for k, _ := c.First(); k != nil; k, _ = c.Next() {
		if len(k) != len(prefix)+numberLen {
			return nil, fmt.Errorf("store: damaged %s index key", bucket)
		}
		out = append(out, binary.BigEndian.Uint64(k[len(prefix):]))
	}
	return out, nil
}

// NextNumber draws the next decision number from the persisted counter. The counter advances only
// if the transaction commits, so a rolled-back create leaves no hole.
func (t *txn) NextNumber() (string, error) {
	n, err := t.tx.Bucket(bucketMeta).NextSequence()
	if err != nil {
		return "", t.fail(fmt.Errorf("store: next decision number: %w", err))
	}
	if n > maxNumber {
		return "", t.fail(errors.New("store: decision numbers exhausted (12 digits)"))
	}
	return formatNumber(n), nil
}

// PutVersion writes v once. v.Version must be 1 for a new decision and latest+1 otherwise; the
// latest pointer and the SSIN and CPAS indexes follow in the same transaction.
func (t *txn) PutVersion(v rules.Version) error {
	return t.fail(t.putVersion(v))
}

func (t *txn) putVersion(v rules.Version) error {
	n, ok := parseNumber(v.Number)
	if !ok {
		return fmt.Errorf("store: decision number %q is not %d digits", v.Number, numberDigits)
	}
	if !validIndexID(v.Beneficiary.SSIN) {
		return fmt.Errorf("store: decision %s version %d has no beneficiary SSIN", v.Number, v.Version)
	}
	if !validIndexID(v.Manager) {
		return fmt.Errorf("store: decision %s version %d has no manager", v.Number, v.Version)
	}
	versions := t.tx.Bucket(bucketVersions)
	key := versionKey(n, v.Version)
	if v.Version >= 1 && versions.Get(key) != nil {
		return fmt.Errorf("%w: decision %s version %d already exists", ErrVersionConflict, v.Number, v.Version)
	}
	latest, err := latestInTx(t.tx, n)
	if err != nil {
		return err
	}
	if v.Version != latest+1 {
		return fmt.Errorf("%w: decision %s is at version %d, got %d", ErrVersionConflict, v.Number, latest, v.Version)
	}
	raw, err := encodeVersion(v)
	if err != nil {
		return err
	}
	if err := versions.Put(key, raw); err != nil {
		return err
	}
	if err := t.tx.Bucket(bucketLatest).Put(numberKey(n), binary.BigEndian.AppendUint32(nil, uint32(v.Version))); err != nil {
		return err
	}
	if latest > 0 {
		prev, err := versionInTx(t.tx, t.dec, n, latest)
		if err != nil {
			return err
		}
		// An SSIN mutation or a change of manager moves the decision in the index.
		if err := moveIndexInTx(t.tx, bucketBySSIN, prev.Beneficiary.SSIN, v.Beneficiary.SSIN, n); err != nil {
			return err
		}
		if err := moveIndexInTx(t.tx, bucketByCPAS, prev.Manager, v.Manager, n); err != nil {
			return err
		}
	}
	if err := t.tx.Bucket(bucketBySSIN).Put(indexKey(v.Beneficiary.SSIN, n), nil); err != nil {
		return err
	}
	if err := t.tx.Bucket(bucketByCPAS).Put(indexKey(v.Manager, n), nil); err != nil {
		return err
	}
	// A number written without NextNumber (an import) must never be drawn again.
	meta := t.tx.Bucket(bucketMeta)
	if meta.Sequence() < n {
		return meta.SetSequence(n)
	}
	return nil
}

// moveIndexInTx drops the old index entry of decision n when its id changes.
func moveIndexInTx(tx kvTx, bucket []byte, oldID, newID string, n uint64) error {
	if oldID == newID || !validIndexID(oldID) {
		return nil
	}
	return tx.Bucket(bucket).Delete(indexKey(oldID, n))
}
