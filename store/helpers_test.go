package store

import (
	"path/filepath"
	"testing"
	"time"

	bolt "go.etcd.io/bbolt"

	"github.com/carmed/carmed/rules"
)

// Test identities: valid-looking but invented.
const (
	ssinA = "85031412302"
	ssinB = "90072224663"
	cbeA  = "0212344876"
	cbeB  = "0207994421"
)

var t0 = time.Date(2025, 3, 1, 9, 30, 0, 0, time.UTC)

// openTemp opens a fresh database in a test directory, closed at the end of the test.
func openTemp(t testing.TB, o Options) (*Bolt, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "sub", "carmed.db") // "sub": Open creates the parent
	b, err := Open(path, o)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() { _ = b.Close() })
	return b, path
}

// testStore is what the store tests need of either implementation.
type testStore interface {
	Store
	RegistryLoader
	rawUpdate(t testing.TB, fn func(tx kvTx) error)
	count(t testing.TB, bucket []byte) int
}

// openTestDB is a fresh empty store: a bbolt file, or with CARMED_TEST_STORE=etcd a new prefix
// on the etcd member the package's tests share (etcd_test.go), so the same tests run on both.
func openTestDB(t testing.TB) testStore {
	if testOnEtcd() {
		return openTestEtcd(t)
	}
	b, _ := openTemp(t, Options{NoSync: true})
	return b
}

// version builds a plausible version; the period is 2025-01-01..2025-12-31 unless changed.
func version(number string, v int, ssin, cbe string) rules.Version {
	m := int64(12_500)
	return rules.Version{
		Number:  number,
		Version: v,
		Manager: cbe,
		Beneficiary: rules.Beneficiary{SSIN: ssin, LastName: "Exemple", FirstName: "Adam", Gender: "M",
			BirthDate: rules.MustDate("1985-03-14"), DeathDate: rules.NoDate},
		Content: rules.Content{
			DecisionDate: rules.MustDate("2025-01-02"),
			Period:       rules.Period{Start: rules.MustDate("2025-01-01"), End: rules.MustDate("2025-12-31")},
			Covers: []rules.Cover{{Kind: rules.Doctor,
				Period:         rules.Period{Start: rules.MustDate("2025-01-01"), End: rules.MustDate("2025-12-31")},
				Support:        rules.Support{AmiPart: rules.Full, PatientPart: rules.Partial, Supplement: rules.Nothing},
				MaxPatientPart: &m, Providers: []string{"12345678901"}}},
		},
		State:   rules.StatePart{RefundCode: 1, BeneficiaryStatus: "I", Hospital: rules.Percent{AmiPart: 100, PatientPart: 100}},
		Status:  rules.Active,
		Cause:   rules.CauseCreate,
		Author:  cbe,
		Created: t0.Add(time.Duration(v) * time.Minute),
	}
}

// putVersions writes the given versions in one transaction and fails the test on error.
func putVersions(t testing.TB, b Store, vs ...rules.Version) {
	t.Helper()
	err := b.Update(func(w Writer) error {
		for _, v := range vs {
			if err := w.PutVersion(v); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("PutVersion: %v", err)
	}
}

// rawUpdate lets a test reach under the Store API to plant damage.
func (b *Bolt) rawUpdate(t testing.TB, fn func(tx kvTx) error) {
	t.Helper()
	if err := b.db.Update(func(tx *bolt.Tx) error { return fn(boltTx{tx}) }); err != nil {
		t.Fatalf("raw update: %v", err)
	}
}

// count is the number of keys in a bucket.
func (b *Bolt) count(t testing.TB, bucket []byte) int {
	t.Helper()
	n := 0
	if err := b.db.View(func(tx *bolt.Tx) error {
		n = tx.Bucket(bucket).Stats().KeyN
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return n
}

// writeBatch writes as Once does: a group commit where the store has one, Update otherwise.
func writeBatch(s Store, fn func(Writer) error) error {
	if b, ok := s.(Batcher); ok {
		return b.Batch(fn)
	}
	return s.Update(fn)
}

// rawBolt reaches under the bbolt file itself (buckets, not records).
func rawBolt(t testing.TB, b *Bolt, fn func(tx *bolt.Tx) error) {
	t.Helper()
	if err := b.db.Update(fn); err != nil {
		t.Fatalf("raw update: %v", err)
	}
}
