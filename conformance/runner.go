package conformance

import (
	"context"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"sort"
	"sync"
	"time"

	"github.com/carmed/carmed/client"
	"github.com/carmed/carmed/wssec"
)

// registryDraws is how often the runner draws new SSINs when the server already knows one it drew:
// with random birth dates a second collision is already unlikely.
const registryDraws = 5

// httpTimeout bounds one round trip: a server that has not answered in that time is stuck.
const httpTimeout = 30 * time.Second

// Runner runs cases against one server.
type Runner struct {
	URL      string                                    // the server's base URL
	Signer   func(party string) (*wssec.Signer, error) // the key and certificate a party signs with
	Gateway  *x509.Certificate                         // every answer must be signed by it
	Admin    string                                    // the party that signs the harness setup (persons, clock)
	HTTP     *http.Client
	Parallel int  // cases run at once within a group of the same business date
	Update   bool // rewrite golden answers
	Report   Reporter
}

// Status of a case run.
type Status int

const (
	Passed Status = iota
	Failed
	Skipped
)

func (s Status) String() string { return [...]string{"PASS", "FAIL", "SKIP"}[s] }

// Result is one case's run.
type Result struct {
	Case     *Case
	Status   Status
	Message  string // why it failed or was skipped
	Steps    int    // steps whose answers were checked
	Duration time.Duration
}

// Summary counts a run.
type Summary struct {
	Passed, Failed, Skipped, Steps int
	Duration                       time.Duration
	Results                        []Result
}

// ErrUnreachable is a server that does not answer: one error for the run, not one per step.
var ErrUnreachable = errors.New("server unreachable")

// transportError marks a failure to talk to the server at all.
type transportError struct{ err error }

func (e *transportError) Error() string { return e.err.Error() }
func (e *transportError) Unwrap() error { return e.err }

// asTransport marks err as a transport failure when it is one (the request or the answer's body
// never got through); any other error is returned as is.
func asTransport(err error) error {
	var ue *url.Error
	var ne net.Error
	if errors.As(err, &ue) || errors.As(err, &ne) {
		return &transportError{err: unwrapURL(err)}
	}
	return err
}

// Check resolves every party every case signs as, before anything is sent: an unknown party is the
// case's error, at the line of the first step that names it.
func (r *Runner) Check(cases []*Case) error {
	var errs []error
	adminNeeded := false
	for _, c := range cases {
		adminNeeded = adminNeeded || c.NeedsHarness()
		for _, p := range c.Parties {
			if _, err := r.Signer(p); err != nil {
				line := c.line
				for i := range c.Steps {
					if c.Steps[i].As == p {
						line = c.Steps[i].Line
						break
					}
				}
				errs = append(errs, &LoadError{File: c.File, Line: line, Msg: fmt.Sprintf("unknown party %q: %v", p, err)})
			}
		}
	}
	if adminNeeded {
		if _, err := r.Signer(r.Admin); err != nil {
			errs = append(errs, fmt.Errorf("the harness setup signs as %q: %v", r.Admin, err))
		}
	}
	return errors.Join(errs...)
}

// probe asks the server for the CPAS WSDL (is it there at all?) and the harness WSDL (can cases
// that need persons and a clock run?).
func (r *Runner) probe(ctx context.Context) (harness bool, err error) {
	get := func(path string) (int, error) {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, r.URL+path+"?wsdl", nil)
		resp, err := r.HTTP.Do(req)
		if err != nil {
			return 0, err
		}
		resp.Body.Close()
		return resp.StatusCode, nil
	}
	if _, err := get(FacePath[FaceCPAS]); err != nil {
		return false, fmt.Errorf("%w at %s: %v", ErrUnreachable, r.URL, unwrapURL(err))
	}
	code, err := get(FacePath[FaceHarness])
	return err == nil && code == http.StatusOK, nil
}

func unwrapURL(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		return ue.Err
	}
	return err
}

// Run runs the cases: cases of one business date together (Parallel at a time), each date's clock
// set once; a case that moves the clock runs alone. It stops at the first sign the server is gone.
func (r *Runner) Run(ctx context.Context, cases []*Case) (*Summary, error) {
	if r.HTTP == nil {
		r.HTTP = &http.Client{Timeout: httpTimeout}
	}
	if r.Parallel < 1 {
		r.Parallel = 1
	}
	if r.Report == nil {
		r.Report = nopReporter{}
	}
	start := time.Now()
	harness, err := r.probe(ctx)
	if err != nil {
		return nil, err
	}
	sum := &Summary{}
	var mu sync.Mutex
	done := func(res Result) {
		mu.Lock()
		defer mu.Unlock()
		sum.Results = append(sum.Results, res)
		sum.Steps += res.Steps
		switch res.Status {
		case Passed:
			sum.Passed++
		case Failed:
			sum.Failed++
		case Skipped:
			sum.Skipped++
		}
		r.Report.Done(res)
	}
	r.Report.Begin(len(cases))
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	for _, g := range schedule(cases) {
		if !harness {
			for _, c := range g.cases {
				if c.NeedsHarness() {
					done(Result{Case: c, Status: Skipped, Message: "needs the harness face (persons, business date), which the server does not serve"})
				}
			}
		}
		if g.today != "" && harness {
			if err := r.setClock(ctx, g.today); err != nil {
				cancel(err)
				break
			}
		}
		sem := make(chan struct{}, r.Parallel)
		var wg sync.WaitGroup
		for _, c := range g.cases {
			if !harness && c.NeedsHarness() {
				continue
			}
			sem <- struct{}{}
			wg.Add(1)
			go func(c *Case) {
				defer wg.Done()
				defer func() { <-sem }()
				if ctx.Err() != nil {
					return
				}
				res := r.runCase(ctx, c)
				if res.transport != nil {
					cancel(res.transport)
					return
				}
				done(res.Result)
			}(c)
		}
		wg.Wait()
		if ctx.Err() != nil {
			break
		}
	}
	sum.Duration = time.Since(start)
	sort.Slice(sum.Results, func(i, j int) bool { return sum.Results[i].Case.ID < sum.Results[j].Case.ID })
	if cause := context.Cause(ctx); cause != nil && !errors.Is(cause, context.Canceled) {
		r.Report.End(*sum)
		return sum, fmt.Errorf("%w at %s: %v (after %d cases)", ErrUnreachable, r.URL, cause, len(sum.Results))
	}
	r.Report.End(*sum)
	return sum, nil
}

// group is a set of cases that can run at once: the same business date, none moving the clock.
type group struct {
	today string
	cases []*Case
}

// schedule groups cases by business date (cases without one first), a clock-moving case alone.
func schedule(cases []*Case) []group {
	byDay := map[string]*group{}
	var alone []group
	for _, c := range cases {
		if c.ChangesClock() || c.Alone {
			alone = append(alone, group{today: c.Today, cases: []*Case{c}})
			continue
		}
		g := byDay[c.Today]
		if g == nil {
			g = &group{today: c.Today}
			byDay[c.Today] = g
		}
		g.cases = append(g.cases, c)
	}
	var out []group
	for _, g := range byDay {
		out = append(out, *g)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].today < out[j].today })
	return append(out, alone...)
}

// caseRun is a case's result, or the transport failure that ends the whole run.
type caseRun struct {
	Result
	transport error
}

// sent is what a step posted, for a later resend.
type sent struct {
	raw    []byte
	action string
	url    string
	soap12 bool
}

// samlSigner is sg signing holder-of-key: a fresh assertion from the server's token service
// (client.STSPath), the party's certificate being both the identification and the holder one.
func (r *Runner) samlSigner(ctx context.Context, sg *wssec.Signer) (*wssec.Signer, error) {
	c := &client.Client{URL: r.URL + client.STSPath, Signer: sg, HTTP: r.HTTP,
		Verifier: &wssec.Verifier{Trust: client.Pinned{Cert: r.Gateway}}}
	as, _, err := c.RequestToken(ctx, client.TokenRequest{})
	if err != nil {
		return nil, fmt.Errorf("auth saml: %w", err)
	}
	out := *sg
	out.KeyRef, out.Assertion = wssec.RefSAML, as
	return &out, nil
}

func (r *Runner) client(face, party string, soap12 bool) (*client.Client, error) {
	sg, err := r.Signer(party)
	if err != nil {
		return nil, err
	}
	return &client.Client{URL: r.URL + FacePath[face], Signer: sg, SOAP12: soap12, HTTP: r.HTTP,
		Verifier: &wssec.Verifier{Trust: client.Pinned{Cert: r.Gateway}}}, nil
}

func (r *Runner) runCase(ctx context.Context, c *Case) caseRun {
	start := time.Now()
	res := caseRun{Result: Result{Case: c}}
	fail := func(step *Step, err error) caseRun {
		var te *transportError
		if errors.As(err, &te) {
			res.transport = te.err
			return res
		}
		res.Status = Failed
		if step != nil {
			res.Message = fmt.Sprintf("step %q (%s:%d): %v", step.Name, c.File, step.Line, err)
		} else {
			res.Message = err.Error()
		}
		res.Duration = time.Since(start)
		return res
	}
	v := newVars(c.Today)
	if len(c.Persons) > 0 {
		if err := r.loadPersons(ctx, c, v); err != nil {
			return fail(nil, fmt.Errorf("loading the persons: %w", err))
		}
	}
	lab := labels{}
	masks := append(append([]Mask{}, c.SuiteMasks...), c.Masks...)
	posted := map[string]sent{}
	for i := range c.Steps {
		s := &c.Steps[i]
		a, out, err := r.runStep(ctx, s, v, posted)
		if err != nil {
			return fail(s, err)
		}
		res.Steps++
		if err := s.check(readAnswer(a.Payload)); err != nil {
			return fail(s, err)
		}
		for name, path := range s.Capture {
			el, err := find(a.Payload, path, v)
			if err != nil {
				return fail(s, err)
			}
			v.capture(name, el)
		}
		if s.Expect.Absent != "" {
			found, err := present(a.Payload, s.Expect.Absent, v)
			if err != nil {
				return fail(s, err)
			}
			if found {
				return fail(s, fmt.Errorf("absent: %q finds an element in the answer", s.Expect.Absent))
			}
		}
		if s.Expect.Golden != "" {
			got, err := goldenOf(a.Payload, s.Expect.Select, v, masks, lab)
			if err != nil {
				return fail(s, err)
			}
			if err := compareGolden(c, s, got, r.Update); err != nil {
				return fail(s, err)
			}
		}
		posted[s.Name] = out
	}
	res.Status = Passed
	res.Duration = time.Since(start)
	return res
}

// runStep builds, signs and posts one step's request (or posts an earlier step's bytes again) and
// reads the verified answer.
func (r *Runner) runStep(ctx context.Context, s *Step, v *vars, posted map[string]sent) (*client.Answer, sent, error) {
	var out sent
	if s.Resend != "" {
		out = posted[s.Resend]
	} else {
		ticket := freshTicket()
		text, err := v.expand(s.payload, ticket)
		if err != nil {
			return nil, out, err
		}
		sets := map[string]string{}
		for el, val := range s.Set {
			if sets[el], err = v.expand(val, ticket); err != nil {
				return nil, out, err
			}
		}
		payload, err := client.Set([]byte(text), sets)
		if err != nil {
			return nil, out, err
		}
		if usesFreshTicket(s) {
			v.set("ticket."+s.Name, ticket)
		} else if t := ticketOf(payload); t != "" {
			v.set("ticket."+s.Name, t)
		}
		doc, err := client.Envelope(payload, s.SOAP12)
		if err != nil {
			return nil, out, err
		}
		sg, err := r.Signer(s.As)
		if err != nil {
			return nil, out, err
		}
		if s.Auth == AuthSAML {
			if sg, err = r.samlSigner(ctx, sg); err != nil {
				return nil, out, err
			}
		}
		if err := sg.SignEnvelope(doc); err != nil {
			return nil, out, fmt.Errorf("signing: %w", err)
		}
		raw, err := doc.WriteToBytes()
		if err != nil {
			return nil, out, err
		}
		out = sent{raw: raw, action: client.SOAPAction(doc.FindElement("//Body/*")), url: r.URL + FacePath[s.Face], soap12: s.SOAP12}
	}
	c, err := r.client(s.Face, s.As, out.soap12)
	if err != nil {
		return nil, out, err
	}
	a, err := c.Post(ctx, out.raw, out.action)
	if err != nil {
		return nil, out, asTransport(err)
	}
	return a, out, nil
}

// usesFreshTicket reports whether the step sends ${ticket}, in its request or in a setting.
func usesFreshTicket(s *Step) bool {
	for _, m := range placeholder.FindAllStringSubmatch(s.payload, -1) {
		if m[1] == "ticket" {
			return true
		}
	}
	for _, val := range s.Set {
		if val == "${ticket}" {
			return true
		}
	}
	return false
}

// ticketOf is the ticket a payload carries (CPAS informationCustomer/ticket, harness ticket).
func ticketOf(payload []byte) string {
	return findText(payload, "//informationCustomer/ticket", "/*/ticket")
}

// harnessCall signs a setup request as the admin and expects DATA_FOUND (or reports the code).
func (r *Runner) harnessCall(ctx context.Context, payload []byte) (answer, error) {
	c, err := r.client(FaceHarness, r.Admin, false)
	if err != nil {
		return answer{}, err
	}
	a, err := c.Call(ctx, payload, "")
	if err != nil {
		return answer{}, asTransport(err)
	}
	return readAnswer(a.Payload), nil
}

func (r *Runner) setClock(ctx context.Context, today string) error {
	a, err := r.harnessCall(ctx, setClockPayload(today, freshTicket()))
	if err != nil {
		return err // a transport error reads as its cause, and unwraps to it
	}
	if a.value != "DATA_FOUND" {
		return fmt.Errorf("setting the business date to %s: %s", today, a.outcome())
	}
	return nil
}

// loadPersons draws the case's SSINs and loads the persons; a draw the server already knows is
// drawn again.
func (r *Runner) loadPersons(ctx context.Context, c *Case, v *vars) error {
	for i := 0; i < registryDraws; i++ {
		v.drawPersons(c)
		a, err := r.harnessCall(ctx, loadRegistryPayload(c, v, freshTicket()))
		if err != nil {
			return err
		}
		switch {
		case a.value == "DATA_FOUND":
			return nil
		case a.code == "PERSON_EXISTS":
			continue
		default:
			return fmt.Errorf("loadRegistry answered %s %v", a.outcome(), a.errors)
		}
	}
	return fmt.Errorf("the server knew every SSIN drawn, %d times", registryDraws)
}
