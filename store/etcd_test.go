package store

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"

	"github.com/carmed/carmed/internal/etcdtest"
	"github.com/carmed/carmed/internal/needtool"
	"github.com/carmed/carmed/rules"
)

// testMaxTxnOps lets the tests write hundreds of records in one transaction, as they do on bbolt.
const testMaxTxnOps = 5000

// testOnEtcd: CARMED_TEST_STORE=etcd runs the store tests on etcd (make test does both).
func testOnEtcd() bool { return os.Getenv("CARMED_TEST_STORE") == "etcd" }

// sharedEtcd is one etcd member for the whole package run, started by the first test that asks.
var sharedEtcd struct {
	once     sync.Once
	endpoint string
	err      error
	cmd      *exec.Cmd
	dir      string
	n        atomic.Int64 // prefixes handed out
}

func TestMain(m *testing.M) {
	code := m.Run()
	if sharedEtcd.cmd != nil {
		_ = sharedEtcd.cmd.Process.Kill()
		_ = sharedEtcd.cmd.Wait()
		_ = os.RemoveAll(sharedEtcd.dir)
	}
	os.Exit(code)
}

// etcdEndpoint starts (once) a one-member etcd on free loopback ports.
func etcdEndpoint(t testing.TB) string {
	t.Helper()
	bin := needtool.Path(t, "etcd")
	sharedEtcd.once.Do(func() {
		ports := freePorts(t, 2)
		dir, err := os.MkdirTemp("", "carmed-etcd-")
		if err != nil {
			sharedEtcd.err = err
			return
		}
		client, peer := fmt.Sprintf("http://127.0.0.1:%d", ports[0]), fmt.Sprintf("http://127.0.0.1:%d", ports[1])
		cmd := exec.Command(bin, "--name", "m0", "--data-dir", filepath.Join(dir, "m0"),
			"--listen-client-urls", client, "--advertise-client-urls", client,
			"--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
			"--initial-cluster", "m0="+peer, "--unsafe-no-fsync", "--max-request-bytes", "8388608", "--max-txn-ops", strconv.Itoa(testMaxTxnOps))
		etcdtest.DieWithParent(cmd) // a crashed test binary leaves no member behind
		if err := cmd.Start(); err != nil {
			sharedEtcd.err = err
			return
		}
		sharedEtcd.cmd, sharedEtcd.dir, sharedEtcd.endpoint = cmd, dir, client[len("http://"):]
		sharedEtcd.err = waitEtcd(sharedEtcd.endpoint)
	})
	if sharedEtcd.err != nil {
		t.Fatalf("etcd: %v", sharedEtcd.err)
	}
	return sharedEtcd.endpoint
}

func waitEtcd(endpoint string) error {
	cli, err := clientv3.New(clientv3.Config{Endpoints: []string{endpoint}, DialTimeout: time.Second, Logger: quietEtcdLogger()})
	if err != nil {
		return err
	}
	defer cli.Close()
	deadline := time.Now().Add(20 * time.Second)
	for {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		_, err := cli.Get(ctx, "health")
		cancel()
		if err == nil || time.Now().After(deadline) {
			return err
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func freePorts(t testing.TB, n int) []int {
	var ports []int
	for range n {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		defer l.Close()
		ports = append(ports, l.Addr().(*net.TCPAddr).Port)
	}
	return ports
}

// openTestEtcd is a store under a prefix no other test uses, dropped at the end of the test.
func openTestEtcd(t testing.TB) *Etcd {
	t.Helper()
	ep := etcdEndpoint(t)
	prefix := fmt.Sprintf("/test/%d-%d", os.Getpid(), sharedEtcd.n.Add(1))
	e, err := OpenEtcd(EtcdOptions{Endpoints: []string{ep}, Prefix: prefix, MaxTxnOps: testMaxTxnOps})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = e.Drop()
		_ = e.Close()
	})
	return e
}

// rawUpdate lets a test reach under the Store API to plant damage, in one commit.
func (e *Etcd) rawUpdate(t testing.TB, fn func(tx kvTx) error) {
	t.Helper()
	tx := e.begin(true)
	if err := fn(tx); err != nil {
		t.Fatalf("raw update: %v", err)
	}
	if ok, err := tx.commit(); err != nil || !ok {
		t.Fatalf("raw update: committed %v, %v", ok, err)
	}
}

// count is the number of keys in a bucket.
func (e *Etcd) count(t testing.TB, bucket []byte) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), etcdOpTimeout)
	defer cancel()
	resp, err := e.cli.Get(ctx, e.bucketStart(string(bucket)), clientv3.WithRange(e.bucketEnd(string(bucket))), clientv3.WithCountOnly())
	if err != nil {
		t.Fatal(err)
	}
	return int(resp.Count)
}

// On etcd the replay keys live on leases: an expired key no longer counts at once (its stored
// expiry says so), and the cluster removes it when its lease ends, with no pruning by the gateway.
func TestEtcdReplayKeysExpireWithTheirLease(t *testing.T) {
	e := openTestEtcd(t)
	now := time.Now()
	if seen(t, e, "short", now.Add(time.Second), now) {
		t.Fatal("first sight reported as a replay")
	}
	if !seen(t, e, "short", now.Add(time.Second), now) {
		t.Fatal("second sight not a replay")
	}
	if seen(t, e, "short", now.Add(time.Hour), now.Add(2*time.Second)) {
		t.Error("an expired key still counts as a replay")
	}
	if !seen(t, e, "short", now.Add(time.Hour), now.Add(3*time.Second)) {
		t.Error("the key taken over after its expiry is not a replay")
	}
	// A key whose lease has ended is gone from the cluster.
	e.leases = &leaseCache{slot: time.Second}
	seen(t, e, "gone", time.Now().Add(time.Second), time.Now())
	deadline := time.Now().Add(15 * time.Second)
	for e.count(t, bucketReplay) > 1 {
		if time.Now().After(deadline) {
			t.Fatalf("%d replay keys left after their lease ended", e.count(t, bucketReplay))
		}
		time.Sleep(500 * time.Millisecond)
	}
}

// secondGateway is another connection to the same prefix, as a second gateway process has.
func secondGateway(t *testing.T, e *Etcd) *Etcd {
	t.Helper()
	o := EtcdOptions{Endpoints: e.cli.Endpoints(), Prefix: strings.TrimSuffix(e.prefix, "/"), MaxTxnOps: testMaxTxnOps}
	e2, err := OpenEtcd(o)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = e2.Close() })
	return e2
}

// 50 writers on two connections each build version 2 on version 1 of one decision, as 50
// modifies of one version through two gateways do: exactly one commits, every other sees the
// version it built on is no longer the latest.
func TestEtcdConcurrentModifiesOfOneVersionMakeExactlyOneNewVersion(t *testing.T) {
	e := openTestEtcd(t)
	gws := []*Etcd{e, secondGateway(t, e)}
	putVersions(t, e, version("000000000001", 1, ssinA, cbeA))
	const n = 50
	var wg sync.WaitGroup
	var won, stale atomic.Int32
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := gws[i%2].Update(func(w Writer) error {
				d, err := w.Decision("000000000001")
				if err != nil {
					return err
				}
				if d.Latest().Version != 1 {
					return ErrVersionConflict // the rules engine's "not the latest version"
				}
				v := *d.Latest()
				v.Version, v.Cause = 2, rules.CauseModify
				return w.PutVersion(v)
			})
			switch {
			case err == nil:
				won.Add(1)
			case errors.Is(err, ErrVersionConflict):
				stale.Add(1)
			default:
				t.Errorf("writer %d: %v", i, err)
			}
		}()
	}
	wg.Wait()
	if won.Load() != 1 || stale.Load() != n-1 {
		t.Errorf("%d writers committed and %d saw a stale version, want 1 and %d", won.Load(), stale.Load(), n-1)
	}
	_ = gws[1].View(func(r Reader) error {
		d, err := r.Decision("000000000001")
		if err != nil || len(d.Versions) != 2 {
			t.Errorf("the decision has %d versions (%v), want 2", len(d.Versions), err)
		}
		return nil
	})
}

// Concurrent creates through two connections draw distinct decision numbers, none lost.
func TestEtcdConcurrentCreatesDrawDistinctNumbers(t *testing.T) {
	e := openTestEtcd(t)
	gws := []*Etcd{e, secondGateway(t, e)}
	const n = 20
	var mu sync.Mutex
	got := map[string]bool{}
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var num string
			err := gws[i%2].Update(func(w Writer) error {
				var err error
				if num, err = w.NextNumber(); err != nil {
					return err
				}
				return w.PutVersion(version(num, 1, ssinA, cbeA))
			})
			if err != nil {
				t.Errorf("create %d: %v", i, err)
				return
			}
			mu.Lock()
			got[num] = true
			mu.Unlock()
		}()
	}
	wg.Wait()
	if len(got) != n {
		t.Fatalf("%d distinct numbers for %d creates", len(got), n)
	}
	_ = e.View(func(r Reader) error {
		ds, err := r.DecisionsBySSIN(ssinA)
		if err != nil || len(ds) != n {
			t.Errorf("%d decisions filed under the SSIN (%v), want %d", len(ds), err, n)
		}
		return nil
	})
}

// A transaction that walked an index range runs again when another writer adds a key to that
// range or deletes one from it before it commits: it never commits on a list it did not see.
func TestEtcdAWalkedRangeChangedUnderATransactionMakesItRunAgain(t *testing.T) {
	for _, change := range []string{"insert", "delete"} {
		t.Run("another writer's "+change, func(t *testing.T) {
			e := openTestEtcd(t)
			other := secondGateway(t, e)
			putVersions(t, e, version("000000000001", 1, ssinA, cbeA), version("000000000002", 1, ssinA, cbeA))
			runs, counts := 0, []int{}
			err := e.Update(func(w Writer) error {
				runs++
				ds, err := w.DecisionsBySSIN(ssinA)
				if err != nil {
					return err
				}
				counts = append(counts, len(ds))
				if runs == 1 {
					other.rawUpdate(t, func(tx kvTx) error {
						if change == "insert" {
							return tx.Bucket(bucketBySSIN).Put(indexKey(ssinA, 3), nil)
						}
						return tx.Bucket(bucketBySSIN).Delete(indexKey(ssinA, 2))
					})
				}
				return w.PutPerson(rules.Person{SSIN: ssinB, LastName: "Voorbeeld"})
			})
			if err != nil && change == "delete" {
				t.Fatal(err)
			}
			if runs < 2 {
				t.Fatalf("the transaction committed on the list it read before the %s (runs %d, counts %v)", change, runs, counts)
			}
		})
	}
}

// A View reads one revision: a write committed while it runs is not half seen.
func TestEtcdAViewReadsOneRevision(t *testing.T) {
	e := openTestEtcd(t)
	other := secondGateway(t, e)
	putVersions(t, e, version("000000000001", 1, ssinA, cbeA))
	_ = e.View(func(r Reader) error {
		if _, err := r.Decision("000000000001"); err != nil {
			t.Fatal(err)
		}
		putVersions(t, other, version("000000000002", 1, ssinA, cbeA))
		ds, err := r.DecisionsBySSIN(ssinA)
		if err != nil || len(ds) != 1 {
			t.Errorf("the view saw %d decisions (%v), want the 1 of its revision", len(ds), err)
		}
		return nil
	})
}

// An address names the members, the prefix and the cluster's transaction limit; a bad one is refused.
func TestParseEtcdURL(t *testing.T) {
	o, err := ParseEtcdURL("etcd://127.0.0.1:2379,127.0.0.1:22379/sandbox/eu?max-txn-ops=1024")
	if err != nil || strings.Join(o.Endpoints, " ") != "127.0.0.1:2379 127.0.0.1:22379" || o.Prefix != "/sandbox/eu" || o.MaxTxnOps != 1024 {
		t.Errorf("got %+v, %v", o, err)
	}
	for _, bad := range []string{"http://127.0.0.1:2379", "etcd://", "etcd://host", "etcd://a:1,,b:2",
		"etcd://a:1?max-txn-ops=2", "etcd://a:1?timeout=3"} {
		if _, err := ParseEtcdURL(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

// A walk bounded to one SSIN's index entries is validated on that SSIN only: another person's
// new decision, filed just after it, does not make the transaction run again.
func TestEtcdAnotherPersonsWriteDoesNotMakeATransactionRunAgain(t *testing.T) {
	e := openTestEtcd(t)
	other := secondGateway(t, e)
	putVersions(t, e, version("000000000001", 1, ssinA, cbeA))
	runs := 0
	err := e.Update(func(w Writer) error {
		runs++
		if _, err := w.DecisionsBySSIN(ssinA); err != nil {
			return err
		}
		if runs == 1 {
			putVersions(t, other, version("000000000002", 1, ssinB, cbeA)) // ssinB sorts after ssinA
		}
		return w.PutPerson(rules.Person{SSIN: ssinA, LastName: "Exemple"})
	})
	if err != nil || runs != 1 {
		t.Fatalf("ran %d times (%v), want once", runs, err)
	}
}

// A backup of an etcd store is a bbolt file of the same schema: it opens, checks healthy and
// holds the same decisions and counters.
func TestEtcdBackupIsABboltFileOfTheSameRecords(t *testing.T) {
	e := openTestEtcd(t)
	putVersions(t, e, version("000000000001", 1, ssinA, cbeA), version("000000000001", 2, ssinA, cbeA))
	if err := e.Update(func(w Writer) error { _, err := w.NextNumber(); return err }); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "carmed.db")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Backup(f); err != nil {
		t.Fatal(err)
	}
	f.Close()
	b, err := Open(path, Options{NoSync: true, KeepFormat: true})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if problems := b.Check(); len(problems) != 0 {
		t.Errorf("the backup is not healthy: %v", problems)
	}
	_ = b.View(func(r Reader) error {
		d, err := r.Decision("000000000001")
		if err != nil || len(d.Versions) != 2 {
			t.Errorf("the backup holds %d versions (%v), want 2", len(d.Versions), err)
		}
		return nil
	})
	if err := b.Update(func(w Writer) error {
		n, err := w.NextNumber()
		if n != "000000000003" { // 1 written, 2 drawn on etcd
			t.Errorf("the backup's next number is %s, want 000000000003 (the counter came along)", n)
		}
		return err
	}); err != nil {
		t.Fatal(err)
	}
}

// Concurrent group commits share transactions: every create commits with its own number, and a
// function that fails gets its own error with nothing of it written, the others unharmed.
func TestEtcdBatchCommitsConcurrentWritersTogether(t *testing.T) {
	e := openTestEtcd(t)
	const n = 24
	var wg sync.WaitGroup
	nums := make([]string, n)
	errs := make([]error, n)
	refused := errors.New("refused by its caller")
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = e.Batch(func(w Writer) error {
				num, err := w.NextNumber()
				if err != nil {
					return err
				}
				nums[i] = num
				if err := w.PutVersion(version(num, 1, ssinA, cbeA)); err != nil {
					return err
				}
				if i%6 == 5 {
					return refused
				}
				return nil
			})
		}()
	}
	wg.Wait()
	want := map[string]bool{}
	for i, err := range errs {
		switch {
		case i%6 == 5 && !errors.Is(err, refused):
			t.Errorf("writer %d: got %v, want its own error", i, err)
		case i%6 != 5 && err != nil:
			t.Errorf("writer %d: %v", i, err)
		case err == nil:
			want[nums[i]] = true
		}
	}
	_ = e.View(func(r Reader) error {
		ds, err := r.DecisionsBySSIN(ssinA)
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]bool{}
		for _, d := range ds {
			got[d.Latest().Number] = true
		}
		if len(got) != len(want) || len(ds) != n-n/6 {
			t.Errorf("%d decisions stored, want the %d committed ones (%d)", len(ds), len(want), n-n/6)
		}
		for num := range want {
			if !got[num] {
				t.Errorf("decision %s, committed, is not stored", num)
			}
		}
		return nil
	})
}

// Claims on etcd answer after one read and are made durable together; once durable another
// gateway of the store sees them as replays.
func TestEtcdClaimsAreDurableTogetherAndSeenByTheOtherGateway(t *testing.T) {
	e := openTestEtcd(t)
	other := secondGateway(t, e)
	now := time.Now()
	const n = 40
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r, durable, err := e.ClaimSignature([]byte(fmt.Sprintf("claim-%d", i)), now.Add(time.Hour), now)
			if err != nil || r {
				t.Errorf("claim %d: replayed %v, %v", i, r, err)
				return
			}
			if again, _, _ := e.ClaimSignature([]byte(fmt.Sprintf("claim-%d", i)), now.Add(time.Hour), now); !again {
				t.Errorf("claim %d again, before or after it is durable, is not a replay", i)
			}
			if err := durable(); err != nil {
				t.Errorf("claim %d: %v", i, err)
			}
		}()
	}
	wg.Wait()
	for i := range n {
		if !seen(t, other, fmt.Sprintf("claim-%d", i), now.Add(time.Hour), now) {
			t.Fatalf("claim %d, durable, is not a replay at the other gateway", i)
		}
	}
}

// Between two gateways the commit decides: a key the other gateway stored after this one's read
// fails this claim's durable wait with ErrReplayed; the other keys of the same group commit.
func TestEtcdAClaimLostToTheOtherGatewayIsRefused(t *testing.T) {
	e := openTestEtcd(t)
	other := secondGateway(t, e)
	now := time.Now()
	claimOf := func(key string) *claimWrite {
		return &claimWrite{sum: sha256.Sum256([]byte(key)), expires: now.Add(time.Hour), now: now}
	}
	if seen(t, other, "taken", now.Add(time.Hour), now) {
		t.Fatal("first sight a replay")
	}
	errs := e.commitClaims([]*claimWrite{claimOf("fresh"), claimOf("taken")})
	if errs[0] != nil || !errors.Is(errs[1], ErrReplayed) {
		t.Fatalf("fresh: %v, taken: %v; want nil and ErrReplayed", errs[0], errs[1])
	}
	if !seen(t, other, "fresh", now.Add(time.Hour), now) {
		t.Error("the fresh key of the group was not stored")
	}
}
