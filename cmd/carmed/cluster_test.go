package main

import (
	"bytes"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/carmed/carmed/internal/etcdtest"
	"github.com/carmed/carmed/internal/needtool"
)

// The cluster tests of issue 16: two `carmed serve` processes on one three-member etcd cluster
// (`serve --store etcd://…`), driven with presigned requests like crash_test.go.

const (
	// clusterReadyTimeout: a gateway on etcd connects to the cluster and loads the registry
	// before /readyz says yes; more than a bbolt gateway on a loaded 2-core machine.
	clusterReadyTimeout = 30 * time.Second
	// clusterCallTimeout bounds one request: a request caught in an etcd election waits out the
	// store's own timeout, not callTimeout's minute.
	clusterCallTimeout = 20 * time.Second
)

var (
	reStatusCode  = regexp.MustCompile(`<status>\s*<value>([A-Z_]+)</value>\s*<code>([A-Z_]+)</code>`)
	reCarmedNum   = regexp.MustCompile(`<carmedNumber>([0-9]+)</carmedNumber>`)
	reStoreRefuse = regexp.MustCompile(`(?i)(flag provided but not defined: -+store|unknown flag.*store|store.*(unknown|unsupported|not supported).*etcd)`)
)

// clusterGateway is a `carmed serve --store etcd://…` child process.
type clusterGateway struct {
	name string
	addr string
	data string
	cmd  *exec.Cmd
	logs *lockedBuffer
	done chan struct{} // closed when the process has exited
}

// url is the gateway's address of a face (path "/cpas/v1", …).
func (g *clusterGateway) url(path string) string { return "http://" + g.addr + path }

// kill ends the gateway with SIGKILL and waits for it.
func (g *clusterGateway) kill() {
	_ = g.cmd.Process.Kill()
	<-g.done
}

// clusterEnv is one etcd cluster, one PKI, and the gateways started on them.
type clusterEnv struct {
	t     *testing.T
	bin   string
	dir   string
	pki   string
	etcd  *etcdtest.Cluster
	store string // the --store address
}

// newClusterEnv starts a three-member etcd cluster and makes a PKI; store is the --store
// address with the key prefix path ("" for the default prefix).
func newClusterEnv(t *testing.T, prefix string) *clusterEnv {
	t.Helper()
	bin := carmedBinary(t)
	// Ask flag parsing alone first (--help ends serve before it opens anything), so a carmed
	// without the etcd store skips before three etcd members are started for nothing.
	_, _, errs := runner(t, bin)("serve", "--store", "etcd://127.0.0.1:1", "--help")
	if reStoreRefuse.MatchString(errs) {
		if needtool.CI() { // CI never passes by checking less
			t.Fatalf("serve refuses --store etcd://…: %s", strings.TrimSpace(firstLine(errs)))
		}
		t.Skipf("SKIPPED until the etcd store lands (issue 16 item 2): this carmed refuses `serve --store etcd://…`: %s",
			strings.TrimSpace(firstLine(errs)))
	}
	e := &clusterEnv{t: t, bin: bin, dir: t.TempDir()}
	e.pki = filepath.Join(e.dir, "pki")
	if code, _, errs := runner(t, bin)("pki", "init", "--dir", e.pki); code != 0 {
		t.Fatalf("pki init: %s", errs)
	}
	e.etcd = etcdtest.Start(t, 3)
	e.store = e.etcd.URL() + prefix
	return e
}

// gateway starts `carmed serve --store STORE` with the flags of crash_test.go and its own data
// directory (a second machine's local files: the world is in etcd), on a free loopback port,
// and waits for /readyz. A carmed that refuses --store etcd://… (issue 16 item 2 not merged
// yet) skips the test.
func (e *clusterEnv) gateway(name string) *clusterGateway {
	e.t.Helper()
	return e.startGateway(name, filepath.Join(e.dir, "data-"+name))
}

// restart starts a gateway again on the data directory of one that was killed, as an operator
// would after a crash.
func (e *clusterEnv) restart(old *clusterGateway) *clusterGateway {
	e.t.Helper()
	return e.startGateway(old.name+"-again", old.data)
}

func (e *clusterEnv) startGateway(name, data string) *clusterGateway {
	e.t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		e.t.Fatal(err)
	}
	g := &clusterGateway{name: name, addr: ln.Addr().String(), data: data,
		logs: &lockedBuffer{}, done: make(chan struct{})}
	ln.Close()
	g.cmd = exec.Command(e.bin, "serve", "--listen", g.addr, "--store", e.store, "--data", g.data,
		"--pki", e.pki, "--registry", "testdata/registry", "--today", "2026-12-01", "--harness")
	g.cmd.Dir = "../.."
	g.cmd.Stdout, g.cmd.Stderr = g.logs, g.logs
	if err := g.cmd.Start(); err != nil {
		e.t.Fatal(err)
	}
	go func() { _ = g.cmd.Wait(); close(g.done) }()
	e.t.Cleanup(func() {
		g.kill()
		if e.t.Failed() {
			e.t.Logf("gateway %s log (end):\n%s", name, tail(g.logs.String(), 3000))
		}
	})
	deadline := time.Now().Add(clusterReadyTimeout)
	for {
		if r, err := http.Get(g.url("/readyz")); err == nil {
			r.Body.Close()
			if r.StatusCode == http.StatusOK {
				return g
			}
		}
		select {
		case <-g.done:
			logs := g.logs.String()
			if reStoreRefuse.MatchString(logs) {
				e.t.Skipf("SKIPPED until the etcd store lands (issue 16 item 2): this carmed refuses `serve --store %s`: %s",
					e.store, strings.TrimSpace(firstLine(logs)))
			}
			e.t.Fatalf("gateway %s exited before it was ready:\n%s", name, tail(logs, 3000))
		default:
		}
		if time.Now().After(deadline) {
			e.t.Fatalf("gateway %s not ready after %s:\n%s", name, clusterReadyTimeout, tail(g.logs.String(), 3000))
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// target is a loadTarget on gateway g: its harness loads persons, and it presigns as cpas-namur.
func (e *clusterEnv) target(g *clusterGateway, conc int) *loadTarget {
	e.t.Helper()
	lt, err := newLoadTarget("http://"+g.addr, e.pki, conc)
	if err != nil {
		e.t.Fatal(err)
	}
	lt.http.Timeout = clusterCallTimeout
	return lt
}

// answer is what a gateway said to one request: the status value and code of the business
// answer (DATA_FOUND OK, NO_RESULT VERSION_CONFLICT …), or a fault or transport error in Class.
type answer struct {
	Class       string // "" for a business answer, else "transport", "http 500", …
	Value, Code string
	Body        []byte
}

func (a answer) String() string {
	if a.Class != "" {
		return a.Class
	}
	return a.Value + " " + a.Code
}

// sendPresigned posts one presigned envelope; safe from many goroutines.
func sendPresigned(hc *http.Client, url, action string, env []byte) answer {
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(env))
	if err != nil {
		return answer{Class: "request: " + err.Error()}
	}
	req.Header.Set("Content-Type", "text/xml; charset=utf-8")
	req.Header.Set("SOAPAction", `"urn:carmed:cpas:v1:`+action+`"`)
	resp, err := hc.Do(req)
	if err != nil {
		return answer{Class: "transport"}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return answer{Class: "transport"}
	}
	if resp.StatusCode != http.StatusOK {
		if m := reFaultCode.FindSubmatch(body); m != nil {
			return answer{Class: "fault " + string(m[1]), Body: body}
		}
		return answer{Class: fmt.Sprintf("http %d", resp.StatusCode), Body: body}
	}
	m := reStatusCode.FindSubmatch(body)
	if m == nil {
		return answer{Class: "unreadable answer", Body: body}
	}
	return answer{Value: string(m[1]), Code: string(m[2]), Body: body}
}

// demoRequest reads a request of testdata/requests/demo.
func demoRequest(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("../../testdata/requests/demo/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// consultBySSIN signs a consultCarmed of ssin (ticket fresh) and sends it to g.
func consultBySSIN(t *testing.T, lt *loadTarget, g *clusterGateway, ssin, ticket string) answer {
	t.Helper()
	env, err := lt.signed(demoRequest(t, "consult.xml"), map[string]string{"ssin": ssin, "ticket": ticket})
	if err != nil {
		t.Fatal(err)
	}
	return sendPresigned(lt.http, g.url("/cpas/v1"), "consultCarmed", env)
}

// TestAWriteThroughOneGatewayIsReadThroughTheOther: a person with no decision is consulted
// through gateway B (nothing), a decision is created through gateway A, and the next consult
// through B finds it, with the number A gave; the same signed create sent to B is a replay.
func TestAWriteThroughOneGatewayIsReadThroughTheOther(t *testing.T) {
	e := newClusterEnv(t, "")
	a, b := e.gateway("a"), e.gateway("b")
	lt := e.target(a, 2)
	ssins, err := lt.persons(1)
	if err != nil {
		t.Fatal(err)
	}
	if got := consultBySSIN(t, lt, b, ssins[0], "cl-before"); got.Value != "NO_DATA_FOUND" {
		t.Fatalf("consult through B before the create: %s, want NO_DATA_FOUND", got)
	}
	env, err := lt.signed(demoRequest(t, "create.xml"), map[string]string{"ssin": ssins[0], "ticket": "cl-create"})
	if err != nil {
		t.Fatal(err)
	}
	created := sendPresigned(lt.http, a.url("/cpas/v1"), "createCarmed", env)
	if created.Value != "DATA_FOUND" {
		t.Fatalf("create through A: %s", created)
	}
	number := reCarmedNum.FindSubmatch(created.Body)
	if number == nil {
		t.Fatalf("create through A names no carmedNumber: %.400s", created.Body)
	}
	got := consultBySSIN(t, lt, b, ssins[0], "cl-after")
	if got.Value != "DATA_FOUND" || !bytes.Contains(got.Body, []byte("<carmedNumber>"+string(number[1])+"</carmedNumber>")) {
		t.Fatalf("consult through B after the create through A: %s, want decision %s: %.400s", got, number[1], got.Body)
	}
	// the replay cache is the world's too: A's signed create sent again to B is a replay
	if again := sendPresigned(lt.http, b.url("/cpas/v1"), "createCarmed", env); again.Class != "fault wsse:InvalidSecurity" {
		t.Fatalf("the create answered by A, sent again to B: %s, want a replay fault", again)
	}
}

// TestFiftyConcurrentModifiesOfOneVersionMakeOneNewVersion: 50 modifies of version 1 of one
// decision, each its own request (ticket), half through each gateway and all at once: exactly
// one makes version 2, the 49 others are refused VERSION_CONFLICT, and the history through either
// gateway holds versions 1 and 2 only.
func TestFiftyConcurrentModifiesOfOneVersionMakeOneNewVersion(t *testing.T) {
	e := newClusterEnv(t, "/carmed-t16") // a key prefix of its own: the etcd:// path form
	gws := []*clusterGateway{e.gateway("a"), e.gateway("b")}
	const n = 50
	lt := e.target(gws[0], n)
	ssins, err := lt.persons(1)
	if err != nil {
		t.Fatal(err)
	}
	env, err := lt.signed(demoRequest(t, "create.xml"), map[string]string{"ssin": ssins[0], "ticket": "mod-create"})
	if err != nil {
		t.Fatal(err)
	}
	created := sendPresigned(lt.http, gws[0].url("/cpas/v1"), "createCarmed", env)
	m := reCarmedNum.FindSubmatch(created.Body)
	if created.Value != "DATA_FOUND" || m == nil {
		t.Fatalf("create: %s %.400s", created, created.Body)
	}
	number := string(m[1])
	modifies, err := lt.presign(demoRequest(t, "modify.xml"), n, func(i int) map[string]string {
		return map[string]string{"carmedNumber": number, "versionNumber": "1", "ticket": fmt.Sprintf("mod-%d", i)}
	})
	if err != nil {
		t.Fatal(err)
	}

	answers := make([]answer, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start // all at once, so the reads of version 1 overlap the writes
			answers[i] = sendPresigned(lt.http, gws[i%2].url("/cpas/v1"), "modifyCarmed", modifies[i])
		}()
	}
	close(start)
	wg.Wait()

	won, counts := -1, map[string]int{}
	for i, a := range answers {
		counts[a.String()]++
		if a.Value == "DATA_FOUND" {
			won = i
		}
	}
	if counts["DATA_FOUND OK"] != 1 || counts["NO_RESULT VERSION_CONFLICT"] != n-1 {
		t.Fatalf("50 modifies of version 1: %v; want 1 DATA_FOUND OK and 49 NO_RESULT VERSION_CONFLICT", counts)
	}
	if !bytes.Contains(answers[won].Body, []byte("<versionNumber>2</versionNumber>")) {
		t.Fatalf("the modify that won through gateway %s made no version 2: %.600s", gws[won%2].name, answers[won].Body)
	}
	for i, g := range gws {
		env, err := lt.signed(demoRequest(t, "history.xml"), map[string]string{"ssin": ssins[0], "ticket": fmt.Sprintf("mod-history-%d", i)})
		if err != nil {
			t.Fatal(err)
		}
		h := sendPresigned(lt.http, g.url("/cpas/v1"), "consultCarmed", env)
		if got := versionsIn(h.Body, number); h.Value != "DATA_FOUND" || got != "1,2" {
			t.Errorf("history through gateway %s: %s, versions of %s [%s], want [1,2]", g.name, h, number, got)
		}
	}
}

// versionsIn lists the version numbers of decision number in a history answer, in order.
func versionsIn(body []byte, number string) string {
	re := regexp.MustCompile(`<carmedNumber>` + regexp.QuoteMeta(number) + `</carmedNumber>\s*<versionNumber>([0-9]+)</versionNumber>`)
	var vs []string
	for _, m := range re.FindAllSubmatch(body, -1) {
		vs = append(vs, string(m[1]))
	}
	slices.Reverse(vs) // history is newest first
	return strings.Join(vs, ",")
}

// TestKillingAnEtcdMemberAndAGatewayLosesNoAcknowledgedCreate: creates go through both gateways
// at once; a quarter of the way in the etcd leader is killed (SIGKILL), half-way gateway A is.
// Every create that was answered DATA_FOUND is then found through gateway B and through A
// started again on its data.
func TestKillingAnEtcdMemberAndAGatewayLosesNoAcknowledgedCreate(t *testing.T) {
	e := newClusterEnv(t, "")
	a, b := e.gateway("a"), e.gateway("b")
	const n = 60
	lt := e.target(b, 8)
	ssins, err := lt.persons(n)
	if err != nil {
		t.Fatal(err)
	}
	creates, err := lt.presign(demoRequest(t, "create.xml"), n, func(i int) map[string]string {
		return map[string]string{"ssin": ssins[i], "ticket": fmt.Sprintf("kill-%d", i)}
	})
	if err != nil {
		t.Fatal(err)
	}
	leader, err := e.etcd.Leader()
	if err != nil {
		t.Fatal(err)
	}

	var mu sync.Mutex
	var acked []int
	refused := map[string]int{} // the answers other than DATA_FOUND, by gateway and class
	var sentToDeadA int         // creates sent to A after it was killed: proof the kill landed mid-run
	aDead := false
	var kills sync.WaitGroup
	var wg sync.WaitGroup
	next := make(chan int)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				g := []*clusterGateway{a, b}[i%2]
				mu.Lock()
				if g == a && aDead {
					sentToDeadA++
				}
				mu.Unlock()
				got := sendPresigned(lt.http, g.url("/cpas/v1"), "createCarmed", creates[i])
				mu.Lock()
				if got.Value != "DATA_FOUND" {
					refused[g.name+": "+got.String()]++
					mu.Unlock()
					continue
				}
				acked = append(acked, i)
				k := len(acked)
				mu.Unlock()
				switch k {
				case n / 4: // the etcd leader, with creates in flight on both gateways
					kills.Add(1)
					go func() { defer kills.Done(); e.etcd.Kill(leader) }()
				case n / 2: // then gateway A
					a.kill()
					mu.Lock()
					aDead = true
					mu.Unlock()
				}
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	kills.Wait()
	if len(acked) < n/2 || sentToDeadA == 0 {
		t.Fatalf("%d of %d creates answered, %d sent to A after its kill: the kills did not land mid-run (after the etcd leader's kill at %d answers, did the gateways fail over?)",
			len(acked), n, sentToDeadA, n/4)
	}
	t.Logf("%d of %d creates answered; etcd member %d (leader) killed at %d answers, gateway A at %d; the others: %v",
		len(acked), n, leader, n/4, n/2, refused)

	again := e.restart(a)
	for _, g := range []*clusterGateway{b, again} {
		for _, i := range acked {
			if got := consultBySSIN(t, lt, g, ssins[i], fmt.Sprintf("kill-read-%s-%d", g.name, i)); got.Value != "DATA_FOUND" {
				t.Errorf("create %d was answered before the kills and is not found through gateway %s: %s", i, g.name, got)
			}
		}
	}
}

func tail(s string, n int) string { return s[max(0, len(s)-n):] }

func firstLine(s string) string {
	for _, l := range strings.Split(s, "\n") {
		if reStoreRefuse.MatchString(l) {
			return l
		}
	}
	line, _, _ := strings.Cut(s, "\n")
	return line
}
