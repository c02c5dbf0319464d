package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	bolt "go.etcd.io/bbolt"
	"go.etcd.io/etcd/api/v3/v3rpc/rpctypes"
	clientv3 "go.etcd.io/etcd/client/v3"

	"github.com/carmed/carmed/rules"
)

// The etcd store keeps the same buckets and records as the bbolt file, in one etcd key space
// under a prefix: a bucket's key k is PREFIX ‖ bucket ‖ 0x00 ‖ k, its sequence PREFIX ‖ bucket ‖
// 0x01 and its delete marker PREFIX ‖ bucket ‖ 0x02 (etcdtx.go). Several gateways share one
// prefix; tenants are prefixes under it (Sub).

// Limits of the etcd store. etcd refuses a transaction of more than --max-txn-ops operations
// (128 by default) and a request of more than --max-request-bytes (1.5 MiB by default).
const (
	// DefaultEtcdPrefix is the key prefix when the store address names none.
	DefaultEtcdPrefix = "/carmed"
	// etcdDialTimeout bounds the first connection: a gateway pointed at nothing fails at start.
	etcdDialTimeout = 5 * time.Second
	// etcdOpTimeout bounds one etcd call: a cluster without quorum fails the request, it does not hang it.
	etcdOpTimeout = 5 * time.Second
	// etcdMaxAttempts is how often Update runs its function when other writers keep changing
	// what it read; past it the request fails with ErrContention.
	etcdMaxAttempts = 24
	// etcdMaxBackoff caps the random wait between two attempts.
	etcdMaxBackoff = 40 * time.Millisecond
	// DefaultEtcdMaxTxnOps is etcd's default --max-txn-ops: the most compares, and the most
	// writes, one commit may send. A cluster started with a larger value says so in the store
	// address (?max-txn-ops=N).
	DefaultEtcdMaxTxnOps = 128
	// etcdPage is how many keys a cursor fetches at a time.
	etcdPage = 128
	// registryChunk is how many fixture persons one etcd transaction loads.
	registryChunk = 50
)

// ErrContention: an etcd write transaction lost to concurrent writers etcdMaxAttempts times.
var ErrContention = errors.New("store: too many concurrent writes to the same records")

// ErrTooLarge: a write transaction needs more operations, or bytes, than one etcd transaction takes.
var ErrTooLarge = errors.New("store: transaction too large for one etcd transaction")

// ErrUnavailable: the etcd cluster did not answer (no quorum, no member reachable, a timeout).
var ErrUnavailable = errors.New("store: the etcd cluster did not answer")

// etcdErr classifies an etcd client error as ErrTooLarge or ErrUnavailable, keeping its text.
func etcdErr(err error) error {
	if err == nil {
		return nil
	}
	if errors.Is(err, rpctypes.ErrRequestTooLarge) || errors.Is(err, rpctypes.ErrTooManyOps) ||
		errors.Is(err, rpctypes.ErrGRPCRequestTooLarge) || errors.Is(err, rpctypes.ErrGRPCTooManyOps) {
		return fmt.Errorf("%w: %v", ErrTooLarge, err)
	}
	return fmt.Errorf("%w: %v", ErrUnavailable, err)
}

// EtcdOptions locate an etcd store.
type EtcdOptions struct {
	Endpoints []string // host:port of the members' client URLs
	Prefix    string   // key prefix, "/carmed" when empty
	MaxTxnOps int      // the cluster's --max-txn-ops; 0 = DefaultEtcdMaxTxnOps
}

// ParseEtcdURL reads `etcd://HOST:PORT,HOST:PORT[/PREFIX][?max-txn-ops=N]` (serve --store).
func ParseEtcdURL(s string) (EtcdOptions, error) {
	rest, ok := strings.CutPrefix(s, "etcd://")
	if !ok {
		return EtcdOptions{}, fmt.Errorf("store address %q: want etcd://HOST:PORT,…[/PREFIX]", s)
	}
	rest, query, _ := strings.Cut(rest, "?")
	hosts, prefix, _ := strings.Cut(rest, "/")
	var o EtcdOptions
	q, err := url.ParseQuery(query)
	if err != nil {
		return EtcdOptions{}, fmt.Errorf("store address %q: %v", s, err)
	}
	for k := range q {
		if k != "max-txn-ops" {
			return EtcdOptions{}, fmt.Errorf("store address %q: unknown option %q", s, k)
		}
	}
	if v := q.Get("max-txn-ops"); v != "" {
		if o.MaxTxnOps, err = strconv.Atoi(v); err != nil || o.MaxTxnOps < 16 {
			return EtcdOptions{}, fmt.Errorf("store address %q: max-txn-ops wants a number of at least 16", s)
		}
	}
	for _, h := range strings.Split(hosts, ",") {
		u, err := url.Parse("http://" + h)
		if h == "" || err != nil || u.Host != h || u.Port() == "" {
			return EtcdOptions{}, fmt.Errorf("store address %q: %q is not HOST:PORT", s, h)
		}
		o.Endpoints = append(o.Endpoints, h)
	}
	if prefix != "" {
		o.Prefix = "/" + strings.TrimSuffix(prefix, "/")
	}
	return o, nil
}

// Etcd is the etcd implementation of Store: every write one etcd transaction that commits only if
// nothing it read has changed since (optimistic, retried), every read from one revision.
type Etcd struct {
	cli    *clientv3.Client
	prefix string
	maxOps int  // compares or writes one commit may send: the cluster's limit less the markers'
	owns   bool // Close closes the client (not for a Sub)
	leases *leaseCache
	batch  *etcdBatch // this store's group commit (Batch)
	claims *claims    // replay keys claimed, not yet durable (ClaimSignature)
	dec    *decoded   // versions and persons decoded once (decoded.go), this prefix's own
}

var _ Store = (*Etcd)(nil)

// OpenEtcd connects to the cluster and marks (or checks) the schema under the prefix.
func OpenEtcd(o EtcdOptions) (*Etcd, error) {
	if len(o.Endpoints) == 0 {
		return nil, errors.New("store: no etcd endpoint")
	}
	if o.Prefix == "" {
		o.Prefix = DefaultEtcdPrefix
	}
	cli, err := clientv3.New(clientv3.Config{Endpoints: o.Endpoints, DialTimeout: etcdDialTimeout,
		Logger: quietEtcdLogger()})
	if err != nil {
		return nil, fmt.Errorf("store: etcd %s: %w", strings.Join(o.Endpoints, ","), err)
	}
	if o.MaxTxnOps == 0 {
		o.MaxTxnOps = DefaultEtcdMaxTxnOps
	}
	e := newEtcd(cli, o.Prefix+"/", o.MaxTxnOps-8, &leaseCache{})
	e.owns = true
	if err := e.initSchema(); err != nil {
		_ = cli.Close()
		return nil, fmt.Errorf("store: etcd %s: %w", strings.Join(o.Endpoints, ","), err)
	}
	return e, nil
}

// newEtcd is a store under prefix on cli, with its own group commit, claims and decoded records.
func newEtcd(cli *clientv3.Client, prefix string, maxOps int, leases *leaseCache) *Etcd {
	return &Etcd{cli: cli, prefix: prefix, maxOps: maxOps, leases: leases, batch: &etcdBatch{}, claims: &claims{},
		dec: &decoded{}}
}

// Sub is the store under PREFIX/name on the same connection (a tenant's world), its schema marked.
func (e *Etcd) Sub(name string) (*Etcd, error) {
	s := newEtcd(e.cli, e.prefix+name+"/", e.maxOps, e.leases)
	if err := s.initSchema(); err != nil {
		return nil, err
	}
	return s, nil
}

// Drop deletes every key of the store in one etcd request (a tenant's reset or delete).
func (e *Etcd) Drop() error {
	ctx, cancel := context.WithTimeout(context.Background(), etcdOpTimeout)
	defer cancel()
	_, err := e.cli.Delete(ctx, e.prefix, clientv3.WithPrefix())
	return etcdErr(err)
}

// DropSub deletes the store Sub(name) would open, in one etcd request.
func (e *Etcd) DropSub(name string) error {
	return newEtcd(e.cli, e.prefix+name+"/", e.maxOps, e.leases).Drop()
}

// HasSub tells whether a store is there under name (Sub has marked it).
func (e *Etcd) HasSub(name string) (bool, error) {
	ctx, cancel := context.WithTimeout(context.Background(), etcdOpTimeout)
	defer cancel()
	resp, err := e.cli.Get(ctx, e.prefix+name+"/", clientv3.WithPrefix(), clientv3.WithCountOnly())
	if err != nil {
		return false, etcdErr(err)
	}
	return resp.Count > 0, nil
}

// initSchema writes the schema byte when the prefix is new and refuses one of another layout:
// the etcd store has no older layouts to upgrade.
func (e *Etcd) initSchema() error {
	ctx, cancel := context.WithTimeout(context.Background(), etcdOpTimeout)
	defer cancel()
	k := e.key(bucketMeta, keySchema)
	resp, err := e.cli.Txn(ctx).If(clientv3.Compare(clientv3.CreateRevision(k), "=", 0)).
		Then(clientv3.OpPut(k, string([]byte{schemaVersion}))).Else(clientv3.OpGet(k)).Commit()
	if err != nil {
		return err
	}
	if resp.Succeeded {
		return nil
	}
	kvs := resp.Responses[0].GetResponseRange().Kvs
	if len(kvs) != 1 || len(kvs[0].Value) != 1 {
		return errors.New("schema version record is damaged")
	}
	if v := kvs[0].Value[0]; v != schemaVersion {
		return fmt.Errorf("schema version %d is not this binary's %d", v, schemaVersion)
	}
	return nil
}

// Close ends the connection (the cluster keeps everything).
func (e *Etcd) Close() error {
	if !e.owns {
		return nil
	}
	return e.cli.Close()
}

// View runs fn on the store as of one revision.
func (e *Etcd) View(fn func(Reader) error) error {
	tx := e.begin(false)
	err := fn(&txn{tx: tx, dec: e.dec})
	if tx.err != nil {
		return tx.err
	}
	return err
}

// Update runs fn in one optimistic transaction: its writes commit together, and only if nothing it
// read changed meanwhile; otherwise fn runs again on the newer state (so fn must set its results
// afresh on every run, as for Batch). Durable on return: etcd answers a commit once a majority of
// the members has it on disk.
func (e *Etcd) Update(fn func(Writer) error) error {
	for attempt := 0; attempt < etcdMaxAttempts; attempt++ {
		tx := e.begin(true)
		t := &txn{tx: tx, dec: e.dec}
		err := fn(t)
		switch {
		case tx.err != nil:
			return tx.err
		case err != nil:
			return err
		case t.failed != nil:
			return t.failed
		}
		ok, err := tx.commit()
		if err != nil || ok {
			return err
		}
		backoff(attempt)
	}
	return ErrContention
}

// LoadRegistry is Bolt.LoadRegistry in transactions of registryChunk persons: etcd takes no larger
// ones. A failure leaves the chunks before it; loading again adds the rest.
func (e *Etcd) LoadRegistry(ps []rules.Person) (LoadReport, error) {
	var rep LoadReport
	for len(ps) > 0 {
		n := min(len(ps), registryChunk)
		r, err := loadRegistry(e, ps[:n])
		if err != nil {
			return LoadReport{}, err
		}
		rep.Added, rep.Unchanged, rep.Kept = rep.Added+r.Added, rep.Unchanged+r.Unchanged, rep.Kept+r.Kept
		ps = ps[n:]
	}
	return rep, nil
}

// Check runs the project's invariants on one revision and reports the cluster's alarms (a
// member out of space refuses every write).
func (e *Etcd) Check() []error {
	var problems []error
	add := func(format string, args ...any) {
		if len(problems) < maxCheckProblems {
			problems = append(problems, fmt.Errorf("store check: "+format, args...))
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), etcdOpTimeout)
	defer cancel()
	alarms, err := e.cli.AlarmList(ctx)
	if err != nil {
		add("etcd: %v", err)
		return problems
	}
	for _, a := range alarms.Alarms {
		add("etcd member %x: alarm %s", a.MemberID, a.Alarm)
	}
	tx := e.begin(false)
	checkInvariantsInTx(tx, add)
	if tx.err != nil {
		add("etcd: %v", tx.err)
	}
	return problems
}

// Backup writes the store as of one revision as a bbolt file of this schema: `carmed serve --data`
// can start from it, and `carmed store check` reads it.
func (e *Etcd) Backup(w io.Writer) error {
	dir, err := os.MkdirTemp("", "carmed-backup-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	b, err := Open(filepath.Join(dir, "carmed.db"), Options{NoSync: true})
	if err != nil {
		return err
	}
	defer b.Close()
	tx := e.begin(false)
	for _, name := range allBuckets {
		src := tx.Bucket(name)
		c := src.Cursor()
		k, v := c.First()
		for more := true; more; {
			// A bbolt transaction per etcdPage keys keeps the copy's memory flat.
			err := b.db.Update(func(btx *bolt.Tx) error {
				dst := btx.Bucket(name)
				for n := 0; n < etcdPage; n++ {
					if k == nil {
						more = false
						return dst.SetSequence(src.Sequence())
					}
					if err := dst.Put(k, v); err != nil {
						return err
					}
					k, v = c.Next()
				}
				return nil
			})
			if err != nil {
				return err
			}
		}
		if tx.err != nil {
			return tx.err
		}
	}
	return b.Backup(w)
}

// backoff waits a random while, longer after each lost attempt (up to etcdMaxBackoff), so
// writers that lost to each other do not collide again at once.
func backoff(attempt int) {
	wait := min(etcdMaxBackoff, time.Millisecond<<min(attempt, 6))
	time.Sleep(rand.N(wait) + time.Millisecond)
}
