package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/carmed/carmed/client"
	"github.com/carmed/carmed/face/harness"
	gh "github.com/carmed/carmed/gen/harness"
	"github.com/carmed/carmed/rules"
)

// The load tool's bounds: it is a measuring instrument for a gateway on this machine, not a
// traffic generator, so every run ends by itself and holds a bounded number of envelopes.
const (
	maxLoadDuration    = 10 * time.Minute
	maxLoadEnvelopes   = 200_000
	maxLoadConcurrency = 256
	// loadGuessRate sizes the presigned pool when --max is not given: above what two cores
	// answer today, so the pool outlasts the run.
	loadGuessRate = 2500
	// anchorTime is how long each signing-rate anchor runs (on every core, gateway idle).
	anchorTime = time.Second
	// loadSaved is how many consults and answers --save keeps: enough for the anchor's loop to
	// cycle through distinct envelopes.
	loadSaved = 200
	// rssSample is how often the gateway's RSS is read during a run.
	rssSample = 100 * time.Millisecond
	// clockTicks is USER_HZ, the unit of utime and stime in /proc/PID/stat (100 on Linux).
	clockTicks = 100
	// loadCBE is the CBE of cpas-namur, the demo party the load signs as (create.xml's own).
	loadCBE = "0212345668"
)

// loadResult is one phase of a load run: what `carmed load` prints and appends to --out.
type loadResult struct {
	Label       string         `json:"label"` // e.g. "rsa/consult": the gateway's key and the operation
	Op          string         `json:"op"`
	Concurrency int            `json:"concurrency"`
	Sent        int            `json:"sent"`
	OK          int            `json:"ok"`
	Errors      map[string]int `json:"errors,omitempty"` // by fault class
	Seconds     float64        `json:"seconds"`
	RPS         float64        `json:"rps"`
	P50ms       float64        `json:"p50_ms"`
	P90ms       float64        `json:"p90_ms"`
	P99ms       float64        `json:"p99_ms"`
	Exhausted   bool           `json:"exhausted"`          // the pool ran out before --duration
	GatewayCPU  float64        `json:"gateway_cores"`      // CPU cores the gateway used, on average
	CPUPerReqMs float64        `json:"gateway_cpu_ms_req"` // gateway CPU milliseconds per answer
	PeakRSSMB   float64        `json:"gateway_peak_rss_mb"`
	ClientCPU   float64        `json:"client_cores"`
	RSASignRate float64        `json:"go_rsa2048_signs_per_s"` // on GOMAXPROCS cores, same run
	ECSignRate  float64        `json:"go_p256_signs_per_s"`
	Cores       int            `json:"cores"`
}

// cmdLoad: carmed load — presigned envelopes against a running gateway on loopback.
func cmdLoad(args []string) int {
	fs := flag.NewFlagSet("load", flag.ContinueOnError)
	base := fs.String("url", "http://127.0.0.1:8080", "gateway base URL (loopback only); its harness face must be on (serve --harness)")
	pkiDir := fs.String("pki", filepath.Join("demo", "pki"), "PKI of the gateway: cpas-namur and admin sign, gateway.crt verifies")
	ops := fs.String("ops", "consult,create", "phases, in order: consult (consultCarmed by SSIN of one decision) and/or create (createCarmed, one new person each)")
	conc := fs.Int("concurrency", 8, "requests in flight")
	dur := fs.Duration("duration", 10*time.Second, "length of each phase")
	maxN := fs.Int("max", 0, fmt.Sprintf("envelopes presigned per phase (default %d/s × duration, at most %d)", loadGuessRate, maxLoadEnvelopes))
	pid := fs.Int("pid", 0, "the gateway's process id, for its CPU and peak RSS from /proc (0: not reported)")
	label := fs.String("label", "gw", "names the run in the report (e.g. the gateway key: rsa, ecdsa)")
	out := fs.String("out", "", "append each phase's result to this file as a JSON line")
	firstPerson := fs.Int("first-person", 0, "start the load's fresh persons here, so that load runs sharing one store (gateways on one etcd) make distinct persons")
	report := fs.String("report", "", "print the P1–P3 ratios of the JSON lines in this file (runs labelled rsa and ecdsa) and exit")
	save := fs.String("save", "", "write the first consults sent and their answers here (req-N.xml, ans-N.xml): the envelopes tools/xmlsec_anchor.py verifies and signs")
	if err := fs.Parse(args); err != nil {
		return exitError
	}
	if *report != "" {
		return loadReport(*report)
	}
	if err := checkLoadFlags(*base, *conc, *dur, maxN); err != nil {
		return usageError(fs, err)
	}
	lt, err := newLoadTarget(*base, *pkiDir, *conc)
	if err == nil {
		lt.serial = *firstPerson
	}
	if err != nil {
		return fail("load: %v", err)
	}
	rsaRate, ecRate, err := signingAnchors()
	if err != nil {
		return fail("load: %v", err)
	}
	fmt.Printf("anchors: Go RSA-2048 %.0f signs/s, ECDSA P-256 %.0f signs/s on %d cores\n", rsaRate, ecRate, runtime.GOMAXPROCS(0))
	for _, op := range strings.Split(*ops, ",") {
		var pool [][]byte
		switch op {
		case "consult":
			pool, err = lt.consults(*maxN)
		case "create":
			pool, err = lt.creates(*maxN)
		default:
			return usageError(fs, fmt.Errorf("--ops: unknown phase %q (consult, create)", op))
		}
		if err != nil {
			return fail("load %s: %v", op, err)
		}
		var keep [][]byte
		if *save != "" && op == "consult" {
			keep = make([][]byte, min(len(pool), loadSaved))
		}
		r := lt.drive(op, pool, *conc, *dur, *pid, keep)
		if keep != nil {
			if err := saveEnvelopes(*save, pool, keep); err != nil {
				return fail("load --save: %v", err)
			}
		}
		r.Label, r.RSASignRate, r.ECSignRate, r.Cores = *label+"/"+op, rsaRate, ecRate, runtime.GOMAXPROCS(0)
		printLoad(r)
		if *out != "" {
			if err := appendJSONLine(*out, r); err != nil {
				return fail("load: %v", err)
			}
		}
		if r.OK == 0 {
			return fail("load %s: no request succeeded", op)
		}
	}
	return exitOK
}

func checkLoadFlags(base string, conc int, dur time.Duration, maxN *int) error {
	u, err := url.Parse(base)
	if err != nil || u.Scheme != "http" {
		return errors.New("--url: an http:// URL")
	}
	if ip := net.ParseIP(u.Hostname()); (ip == nil || !ip.IsLoopback()) && u.Hostname() != "localhost" {
		return errors.New("--url: loopback only (127.0.0.1, ::1, localhost)")
	}
	if conc < 1 || conc > maxLoadConcurrency {
		return fmt.Errorf("--concurrency: 1 to %d", maxLoadConcurrency)
	}
	if dur <= 0 || dur > maxLoadDuration {
		return fmt.Errorf("--duration: up to %s", maxLoadDuration)
	}
	if *maxN == 0 {
		*maxN = int(dur.Seconds() * loadGuessRate)
	}
	if *maxN < 1 || *maxN > maxLoadEnvelopes {
		return fmt.Errorf("--max: 1 to %d", maxLoadEnvelopes)
	}
	return nil
}

// loadTarget is a gateway and the demo parties that sign for the load.
type loadTarget struct {
	base   string
	cpas   *client.Client // cpas-namur, verifying answers against gateway.crt
	admin  *client.Client // the harness: loads the persons
	http   *http.Client
	serial int // persons made so far (fresh SSINs)
}

func newLoadTarget(base, pkiDir string, conc int) (*loadTarget, error) {
	base = strings.TrimRight(base, "/")
	mk := func(as, path string) (*client.Client, error) {
		// the signing flags at their defaults but --as and --pki: a field added to them later
		// gets its default here too, never a nil pointer
		f := addSigningFlags(flag.NewFlagSet("load", flag.ContinueOnError), as)
		*f.pki = pkiDir
		return f.client(base+path, false)
	}
	cpas, err := mk("cpas-namur", "/cpas/v1")
	if err != nil {
		return nil, err
	}
	admin, err := mk("admin", harnessPath)
	if err != nil {
		return nil, err
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.MaxIdleConnsPerHost = conc
	return &loadTarget{base: base, cpas: cpas, admin: admin, http: &http.Client{Transport: tr, Timeout: callTimeout}}, nil
}

// persons loads n new persons in an illegal stay (fresh valid SSINs, born on days from 1930
// on) through the harness, in loads of at most maxLoadPersons.
func (lt *loadTarget) persons(n int) ([]string, error) {
	var ssins []string
	for len(ssins) < n {
		var batch []gh.PersonType
		for len(batch) < maxLoadPersons && len(ssins) < n {
			lt.serial++
			day := rules.MustDate("1930-01-01").AddDays(lt.serial / 900)
			base := fmt.Sprintf("%s%03d", strings.ReplaceAll(day.String(), "-", "")[2:], lt.serial%900+1)
			var b9 int
			fmt.Sscan(base, &b9)
			ssin := fmt.Sprintf("%s%02d", base, 97-b9%97)
			p := rules.Person{SSIN: ssin, LastName: "Load", Gender: "F", BirthDate: day, DeathDate: rules.NoDate,
				Situations: []rules.Situation{{From: rules.MustDate("2020-01-01"), Kind: rules.SitIllegal}}}
			batch = append(batch, *harness.WirePerson(p))
			ssins = append(ssins, ssin)
		}
		payload, err := harnessPayload("loadRegistry", &gh.LoadRegistryRequestType{
			RequestBaseType: gh.RequestBaseType{Ticket: gh.TicketType(fmt.Sprintf("load-reg-%d-%d", time.Now().UnixNano()%1e9, lt.serial))}, Person: batch})
		if err != nil {
			return nil, err
		}
		if err := lt.expectSuccess(lt.admin, payload, harness.NS+":loadRegistry"); err != nil {
			return nil, fmt.Errorf("loading persons: %w", err)
		}
	}
	return ssins, nil
}

func (lt *loadTarget) expectSuccess(c *client.Client, payload []byte, action string) error {
	ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
	defer cancel()
	ans, err := c.Call(ctx, payload, action)
	if err != nil {
		return err
	}
	if ans.Outcome != client.Success {
		return fmt.Errorf("%s %s", ans.Outcome, ans.Code)
	}
	return nil
}

// consults presigns n consultCarmed by SSIN of one decision created for a new person; each has
// its own ticket, so each signature is new (a replay would be refused).
func (lt *loadTarget) consults(n int) ([][]byte, error) {
	ssins, err := lt.persons(1)
	if err != nil {
		return nil, err
	}
	create, err := os.ReadFile("testdata/requests/demo/create.xml")
	if err != nil {
		return nil, err
	}
	p, err := client.Set(create, map[string]string{"ssin": ssins[0], "ticket": fmt.Sprintf("load-c-%d", time.Now().UnixNano())})
	if err != nil {
		return nil, err
	}
	if err := lt.expectSuccess(lt.cpas, p, ""); err != nil {
		return nil, fmt.Errorf("the decision to consult: %w", err)
	}
	consult, err := os.ReadFile("testdata/requests/demo/consult.xml")
	if err != nil {
		return nil, err
	}
	return lt.presign(consult, n, func(i int) map[string]string {
		return map[string]string{"ssin": ssins[0], "ticket": fmt.Sprintf("load-q-%d", i)}
	})
}

// creates presigns n createCarmed, each for its own new person.
func (lt *loadTarget) creates(n int) ([][]byte, error) {
	ssins, err := lt.persons(n)
	if err != nil {
		return nil, err
	}
	create, err := os.ReadFile("testdata/requests/demo/create.xml")
	if err != nil {
		return nil, err
	}
	stamp := time.Now().UnixNano() % 1e9
	return lt.presign(create, n, func(i int) map[string]string {
		return map[string]string{"ssin": ssins[i], "ticket": fmt.Sprintf("load-%d-%d", stamp, i)}
	})
}

// presign signs n variants of payload on every core, before the clock starts.
func (lt *loadTarget) presign(payload []byte, n int, vary func(i int) map[string]string) ([][]byte, error) {
	out := make([][]byte, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make(chan error, runtime.GOMAXPROCS(0))
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				var err error
				out[i], err = lt.signed(payload, vary(i))
				if err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	return out, <-errs
}

// signed is payload with sets applied, in a SOAP 1.1 envelope signed as cpas-namur.
func (lt *loadTarget) signed(payload []byte, sets map[string]string) ([]byte, error) {
	p, err := client.Set(payload, sets)
	if err != nil {
		return nil, err
	}
	doc, err := client.Envelope(p, false)
	if err != nil {
		return nil, err
	}
	if err := lt.cpas.Signer.SignEnvelope(doc); err != nil {
		return nil, err
	}
	return doc.WriteToBytes()
}

// drive posts the pool at conc in flight until dur has passed or the pool is spent.
// drive sends the pool for dur at conc in flight; keep[i], for i < len(keep), gets the answer to pool[i].
func (lt *loadTarget) drive(op string, pool [][]byte, conc int, dur time.Duration, pid int, keep [][]byte) loadResult {
	action := "urn:carmed:cpas:v1:" + op + "Carmed"
	url := lt.base + "/cpas/v1"
	r := loadResult{Op: op, Concurrency: conc, Errors: map[string]int{}}
	var next atomic.Int64
	lat := make([]time.Duration, len(pool))
	class := make([]string, len(pool))
	stopRSS := make(chan struct{})
	peak := make(chan float64)
	go func() { peak <- watchRSS(pid, stopRSS) }()
	cpu0, self0 := procCPU(pid), procCPU(os.Getpid())
	begin := time.Now()
	deadline := begin.Add(dur)
	var wg sync.WaitGroup
	for range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for time.Now().Before(deadline) {
				i := int(next.Add(1) - 1)
				if i >= len(pool) {
					return
				}
				t0 := time.Now()
				var body []byte
				class[i], body = lt.exchange(url, action, pool[i])
				if i < len(keep) {
					keep[i] = body
				}
				lat[i] = time.Since(t0)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(begin)
	cpu1, self1 := procCPU(pid), procCPU(os.Getpid())
	close(stopRSS)
	r.PeakRSSMB = <-peak
	r.Sent = min(int(next.Load()), len(pool))
	r.Exhausted = r.Sent == len(pool) && time.Now().Before(deadline)
	r.Seconds = elapsed.Seconds()
	var done []time.Duration
	for i := 0; i < r.Sent; i++ {
		if class[i] == "" {
			r.OK++
		} else {
			r.Errors[class[i]]++
		}
		done = append(done, lat[i])
	}
	sort.Slice(done, func(a, b int) bool { return done[a] < done[b] })
	pct := func(p float64) float64 {
		if len(done) == 0 {
			return 0
		}
		return float64(done[min(len(done)-1, int(p*float64(len(done))))].Microseconds()) / 1000
	}
	r.P50ms, r.P90ms, r.P99ms = pct(0.50), pct(0.90), pct(0.99)
	r.RPS = float64(r.OK) / r.Seconds
	if pid > 0 {
		r.GatewayCPU = (cpu1 - cpu0) / r.Seconds
		if r.OK > 0 {
			r.CPUPerReqMs = (cpu1 - cpu0) * 1000 / float64(r.OK)
		}
	}
	r.ClientCPU = (self1 - self0) / r.Seconds
	return r
}

var (
	reFaultCode = regexp.MustCompile(`<(?:[A-Za-z0-9]+:)?(?:faultcode|Value)>([^<]+)</`)
	reStatus    = regexp.MustCompile(`<value>([A-Z_]+)</value>`)
)

// post sends one presigned envelope and classifies the answer without verifying it (the client
// must not take the cores it measures): "" for DATA_FOUND / NO_DATA_FOUND, else a class.
func (lt *loadTarget) post(url, action string, env []byte) string {
	class, _ := lt.exchange(url, action, env)
	return class
}

// exchange is post, returning the answer's bytes too.
func (lt *loadTarget) exchange(url, action string, env []byte) (string, []byte) {
	req, err := http.NewRequest(http.MethodPost, url, bytes.NewReader(env))
	if err != nil {
		return "transport", nil
	}
	req.Header.Set("Content-Type", "text/xml; charset=utf-8")
	req.Header.Set("SOAPAction", `"`+action+`"`)
	resp, err := lt.http.Do(req)
	if err != nil {
		return "transport", nil
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(resp.Body); err != nil {
		return "transport", nil
	}
	body := buf.Bytes()
	if resp.StatusCode != http.StatusOK {
		if m := reFaultCode.FindSubmatch(body); m != nil {
			return "fault " + string(m[1]), body
		}
		return fmt.Sprintf("http %d", resp.StatusCode), body
	}
	if m := reStatus.FindSubmatch(body); m != nil {
		switch v := string(m[1]); v {
		case "DATA_FOUND", "NO_DATA_FOUND":
			return "", body
		default:
			return "rejected " + v, body
		}
	}
	return "unreadable answer", body
}

// saveEnvelopes writes the consults kept (those answered) and their answers into dir.
func saveEnvelopes(dir string, pool, answers [][]byte) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for i, a := range answers {
		if a == nil {
			continue
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("req-%03d.xml", i)), pool[i], 0o644); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("ans-%03d.xml", i)), a, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// procCPU is the user + system CPU seconds of a process so far (0 without /proc or pid).
func procCPU(pid int) float64 {
	if pid <= 0 {
		return 0
	}
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// The command name (field 2) may hold spaces: count fields after its closing parenthesis.
	f := strings.Fields(string(raw[bytes.LastIndexByte(raw, ')')+1:]))
	if len(f) < 13 {
		return 0
	}
	var ut, st float64
	fmt.Sscan(f[11], &ut)
	fmt.Sscan(f[12], &st)
	return (ut + st) / clockTicks
}

// watchRSS samples the process's resident set until stop, and returns the largest in MB (with
// the kernel's own high-water mark, VmHWM, when it is larger: a peak between samples).
func watchRSS(pid int, stop <-chan struct{}) float64 {
	if pid <= 0 {
		<-stop
		return 0
	}
	var peak float64
	read := func() {
		for _, k := range []string{"VmRSS:", "VmHWM:"} {
			if v := procStatusKB(pid, k); v/1024 > peak {
				peak = v / 1024
			}
		}
	}
	t := time.NewTicker(rssSample)
	defer t.Stop()
	for {
		read()
		select {
		case <-stop:
			read()
			return peak
		case <-t.C:
		}
	}
}

func procStatusKB(pid int, key string) float64 {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), key); ok {
			var kb float64
			fmt.Sscan(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), &kb)
			return kb
		}
	}
	return 0
}

func printLoad(r loadResult) {
	fmt.Printf("%s: %d sent, %d ok in %.2fs at %d in flight: %.0f/s  p50 %.2fms p90 %.2fms p99 %.2fms",
		r.Label, r.Sent, r.OK, r.Seconds, r.Concurrency, r.RPS, r.P50ms, r.P90ms, r.P99ms)
	if r.Exhausted {
		fmt.Print("  (pool spent before the duration: raise --max)")
	}
	fmt.Println()
	if r.GatewayCPU > 0 {
		fmt.Printf("  gateway %.2f cores, %.3f ms CPU per answer, peak RSS %.0f MB; client %.2f cores\n",
			r.GatewayCPU, r.CPUPerReqMs, r.PeakRSSMB, r.ClientCPU)
	}
	fmt.Printf("  vs Go signing on %d cores: %.2f× RSA-2048 (%.0f/s), %.3f× P-256 (%.0f/s)\n",
		r.Cores, r.RPS/r.RSASignRate, r.RSASignRate, r.RPS/r.ECSignRate, r.ECSignRate)
	keys := make([]string, 0, len(r.Errors))
	for k := range r.Errors {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Printf("  errors %s: %d\n", k, r.Errors[k])
	}
}

func appendJSONLine(path string, r loadResult) error {
	b, err := json.Marshal(r)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(append(b, '\n')); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// loadReport prints the goals of issue 14 that a load run measures, each against its anchor
// from the same run: P1 (RSA consult ÷ Go RSA signing), P2 (P-256 gateway CPU per consult, and
// ÷ P1's rate), P3 (durable create ÷ consult), and the peak RSS (P5).
func loadReport(path string) int {
	raw, err := os.ReadFile(path)
	if err != nil {
		return fail("load --report: %v", err)
	}
	runs := map[string]loadResult{}
	for _, line := range bytes.Split(bytes.TrimSpace(raw), []byte("\n")) {
		var r loadResult
		if err := json.Unmarshal(line, &r); err != nil {
			return fail("load --report: %v", err)
		}
		runs[r.Label] = r // the last run of a label wins
	}
	rc, okRC := runs["rsa/consult"]
	rw, okRW := runs["rsa/create"]
	ec, okEC := runs["ecdsa/consult"]
	goal := func(ok bool) string {
		if ok {
			return "met"
		}
		return "NOT met"
	}
	if okRC {
		p1 := rc.RPS / rc.RSASignRate
		fmt.Printf("P1 RSA consult %.0f/s ÷ Go RSA-2048 %.0f/s = %.2f× (goal ≥ 0.85: %s)\n", rc.RPS, rc.RSASignRate, p1, goal(p1 >= 0.85))
	}
	if okEC {
		fmt.Printf("P2 P-256 consult %.0f/s, %.3f ms gateway CPU each (goal ≤ 0.4: %s)", ec.RPS, ec.CPUPerReqMs, goal(ec.CPUPerReqMs > 0 && ec.CPUPerReqMs <= 0.4))
		if okRC {
			fmt.Printf(", %.2f× P1's rate (goal ≥ 2: %s)", ec.RPS/rc.RPS, goal(ec.RPS >= 2*rc.RPS))
		}
		fmt.Println()
		// The anchor the goal stands for: libxmlsec1 verifying and signing the same envelopes
		// (tools/xmlsec_anchor.py), measured in the same run.
		if xs, ok := runs["xmlsec/anchor"]; ok && xs.RPS > 0 && ec.CPUPerReqMs > 0 {
			fmt.Printf("P2 anchor: libxmlsec1 verify + sign %.0f/s, %.3f ms CPU each; carmed %.2f× its rate, %.2f× its CPU per answer (goal: ≥ 2× the rate, ≤ 0.5× the CPU: %s)\n",
				xs.RPS, xs.CPUPerReqMs, ec.RPS/xs.RPS, ec.CPUPerReqMs/xs.CPUPerReqMs, goal(ec.CPUPerReqMs <= xs.CPUPerReqMs/2))
		}
	}
	if okRC && okRW {
		p3 := rw.RPS / rc.RPS
		fmt.Printf("P3 durable create %.0f/s ÷ consult %.0f/s = %.2f× (goal ≥ 0.7: %s)\n", rw.RPS, rc.RPS, p3, goal(p3 >= 0.7))
	}
	var peak float64
	for _, r := range runs {
		peak = max(peak, r.PeakRSSMB)
	}
	if peak > 0 {
		fmt.Printf("P5 gateway peak RSS %.0f MB (goal ≤ 150: %s)\n", peak, goal(peak <= 150))
	}
	return exitOK
}
