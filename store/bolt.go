package store

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	bolt "go.etcd.io/bbolt"
	berrors "go.etcd.io/bbolt/errors"
)

// DefaultLockTimeout bounds the wait for the file lock: long enough to ride out a restart that
// overlaps the old process's exit, short enough that a second gateway fails at once and clearly.
const DefaultLockTimeout = 2 * time.Second

// batchDelay is how long a lone SeenSignature waits for concurrent ones to share its commit
// (bbolt's default is 10 ms). An fsync costs well under a millisecond on local disks, so waiting
// longer than that adds latency without saving work.
const batchDelay = time.Millisecond

const (
	fileMode = 0o600 // decisions and audit hold personal data: owner only
	dirMode  = 0o700
)

// Options tune Open. The zero value is the production setting.
type Options struct {
	// Timeout is how long Open waits for another process's lock; 0 = DefaultLockTimeout.
	Timeout time.Duration
	// NoSync skips fsync on commit. Tests only: a crash may lose or corrupt committed data.
	NoSync bool
	// MaxSize caps the file in bytes (bbolt ErrMaxSizeReached past it); 0 = no cap.
	MaxSize int64
	// KeepFormat opens a file of an older schema as it is, without upgrading its records (what
	// `carmed store check` does, so that it reports the format it found). Every older record is
	// read as written either way.
	KeepFormat bool
}

// Bolt is the bbolt implementation of Store. One per process and file.
type Bolt struct {
	db     *bolt.DB
	path   string
	claims *claims // replay keys claimed, not yet durable (ClaimSignature)
	dec    decoded // versions and persons decoded once (decoded.go)
}

var _ Store = (*Bolt)(nil)

// Open opens (creating if needed) the database at path. A second process opening the same file
// gets an error wrapping ErrLocked once o.Timeout has passed.
func Open(path string, o Options) (*Bolt, error) {
	if o.Timeout <= 0 {
		o.Timeout = DefaultLockTimeout
	}
	if o.MaxSize < 0 {
		return nil, fmt.Errorf("store: negative MaxSize %d", o.MaxSize)
	}
	if err := os.MkdirAll(filepath.Dir(path), dirMode); err != nil {
		return nil, fmt.Errorf("store: create directory for %s: %w", path, err)
	}
	db, err := bolt.Open(path, fileMode, &bolt.Options{
		Timeout:      o.Timeout,
		NoSync:       o.NoSync,
		FreelistType: bolt.FreelistMapType, // what etcd uses: cheaper frees on a large file
		MaxSize:      int(o.MaxSize),
	})
	if errors.Is(err, berrors.ErrTimeout) {
		return nil, fmt.Errorf("another carmed process holds %s (gave up after %s): %w", path, o.Timeout, ErrLocked)
	}
	if err != nil {
		return nil, fmt.Errorf("store: open %s: %w", path, err)
	}
	db.MaxBatchDelay = batchDelay
	b := &Bolt{db: db, path: path, claims: &claims{}}
	var older bool
	if err := db.Update(func(tx *bolt.Tx) error {
		var err error
		older, err = initSchemaInTx(tx)
		return err
	}); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("store: %s: %w", path, err)
	}
	if older && !o.KeepFormat {
		if _, err := b.upgrade(); err != nil {
			_ = db.Close()
			return nil, fmt.Errorf("store: %s: %w", path, err)
		}
	}
	return b, nil
}

// initSchemaInTx creates missing buckets, marks a new file with this schema, reports a file of
// an older layout (older: Open upgrades it, see upgrade.go; every older record is read as written
// meanwhile) and refuses a file written by a newer layout.
func initSchemaInTx(tx *bolt.Tx) (older bool, err error) {
	for _, name := range allBuckets {
		if _, err := tx.CreateBucketIfNotExists(name); err != nil {
			return false, err
		}
	}
	meta := tx.Bucket(bucketMeta)
	v := meta.Get(keySchema)
	switch {
	case v == nil:
		return false, meta.Put(keySchema, []byte{schemaVersion})
	case len(v) != 1:
		return false, errors.New("schema version record is damaged")
	case v[0] > schemaVersion:
		return false, fmt.Errorf("schema version %d is newer than this binary's %d", v[0], schemaVersion)
	}
	return v[0] < schemaVersion, nil
}

// Path is the database file.
func (b *Bolt) Path() string { return b.path }

// Close releases the file and its lock.
func (b *Bolt) Close() error { return b.db.Close() }

// View runs fn on a read-only snapshot.
func (b *Bolt) View(fn func(Reader) error) error {
	return b.db.View(func(tx *bolt.Tx) error { return fn(&txn{tx: boltTx{tx}, dec: &b.dec}) })
}

// Update runs fn in one write transaction, durable on return when fn returns nil. A write
// method that failed poisons the transaction: it rolls back even if fn swallowed the error, so a
// refused PutVersion can never commit half of a request.
func (b *Bolt) Update(fn func(Writer) error) error {
	return b.db.Update(func(tx *bolt.Tx) error {
		t := &txn{tx: boltTx{tx}, dec: &b.dec}
		if err := fn(t); err != nil {
			return err
		}
		return t.failed
	})
}

// Batcher is a Store that can group-commit (Bolt does): Once writes through it when the store
// offers it, and through Update otherwise (a wrapped store, a fault-injection seam).
type Batcher interface {
	// Batch is Update with a group commit: concurrent callers' functions run one after another
	// in one transaction and share its one fsync, durable on return when fn returns nil. fn may
	// run more than once (when another function of its batch fails, each is run again alone), so
	// it must only write through its Writer and set its results afresh on every run.
	Batch(fn func(Writer) error) error
}

var _ Batcher = (*Bolt)(nil)

// Batch is Update as a group commit (bbolt's Batch, batchDelay): see Batcher.
func (b *Bolt) Batch(fn func(Writer) error) error {
	return b.db.Batch(func(tx *bolt.Tx) error {
		t := &txn{tx: boltTx{tx}, dec: &b.dec}
		if err := fn(t); err != nil {
			return err
		}
		return t.failed
	})
}

// txn is one bbolt transaction seen as a Reader (read-only tx) or Writer (write tx).
type txn struct {
	tx      kvTx
	failed  error      // first error of a write method; see Update
	pending []auditKey // pending audits written in this transaction, not yet linked to a reply
	dec     *decoded   // the store's decoded records; nil decodes every time
}

// auditKey locates one audit record.
type auditKey struct{ bucket, key []byte }

// fail records the first write error and returns err.
func (t *txn) fail(err error) error {
	if err != nil && t.failed == nil {
		t.failed = err
	}
	return err
}
