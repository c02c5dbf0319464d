package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"time"

	"github.com/mattn/go-isatty"

	"github.com/carmed/carmed/conformance"
	"github.com/carmed/carmed/pki"
	"github.com/carmed/carmed/wssec"
)

// cmdReplay runs conformance cases against a server: `carmed replay DIR|CASE… --url URL`.
// Exit 0 when no case failed, 1 when one did, 3 when the cases cannot be run (a broken manifest, an
// unknown party, a server that does not answer).
func cmdReplay(args []string) int {
	fs := flag.NewFlagSet("replay", flag.ContinueOnError)
	url := fs.String("url", envOr("CARMED_URL", "http://127.0.0.1:8080"), "the server's base URL")
	pkiDir := fs.String("pki", filepath.Join("demo", "pki"), "PKI directory: PARTY.crt and PARTY.key for each party a case names, gateway.crt")
	cert := fs.String("cert", "", "sign every step with this certificate (PEM) instead of the party's")
	key := fs.String("key", "", "the key of --cert (PEM)")
	gwCert := fs.String("gateway-cert", "", "certificate that must have signed every answer (default PKI/gateway.crt)")
	admin := fs.String("admin", "admin", "the party that signs the harness setup (persons, business date)")
	junit := fs.String("junit", "", "write JUnit XML to this file")
	update := fs.Bool("update", false, "rewrite the golden answers from this run")
	runRe := fs.String("run", "", "run only the cases whose id matches this regular expression")
	parallel := fs.Int("parallel", 4, "cases of one business date run at once")
	plain := fs.Bool("plain", false, "no progress bar, even on a terminal")
	pos, err := parseArgs(fs, args)
	if err != nil {
		return exitError
	}
	if len(pos) == 0 {
		return fail("replay: name a conformance folder or case (e.g. testdata/conformance)")
	}
	cases, err := conformance.Discover(pos, *update)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return fail("replay: %d broken case(s): nothing was sent", countLines(err))
	}
	if *runRe != "" {
		re, err := regexp.Compile(*runRe)
		if err != nil {
			return fail("replay --run: %v", err)
		}
		var kept []*conformance.Case
		for _, c := range cases {
			if re.MatchString(c.ID) {
				kept = append(kept, c)
			}
		}
		if len(kept) == 0 {
			return fail("replay --run %q: no case id matches", *runRe)
		}
		cases = kept
	}
	gwFile := *gwCert
	if gwFile == "" {
		gwFile = filepath.Join(*pkiDir, "gateway.crt")
	}
	gw, err := pki.LoadCert(gwFile)
	if err != nil {
		return fail("replay: gateway certificate: %v", err)
	}
	signers := map[string]*wssec.Signer{}
	signer := func(party string) (*wssec.Signer, error) {
		if s, ok := signers[party]; ok {
			return s, nil
		}
		cf, kf := filepath.Join(*pkiDir, party+".crt"), filepath.Join(*pkiDir, party+".key")
		if *cert != "" || *key != "" {
			cf, kf = *cert, *key
		}
		k, c, err := pki.LoadKeyPair(cf, kf)
		if err != nil {
			return nil, fmt.Errorf("no key pair in %s", *pkiDir)
		}
		signers[party] = &wssec.Signer{Key: k, Cert: c}
		return signers[party], nil
	}
	r := &conformance.Runner{URL: *url, Signer: signer, Gateway: gw, Admin: *admin, Parallel: *parallel, Update: *update,
		Report: &conformance.Text{W: os.Stdout, TTY: !*plain && isatty.IsTerminal(os.Stdout.Fd())}}
	// Every signer is resolved before the run starts, so the map is only read from then on.
	if err := r.Check(cases); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return fail("replay: %d broken case(s): nothing was sent", countLines(err))
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	started := time.Now()
	sum, err := r.Run(ctx, cases)
	if *junit != "" && sum != nil {
		if jerr := conformance.WriteJUnit(*junit, sum, started); jerr != nil {
			return fail("replay --junit: %v", jerr)
		}
	}
	switch {
	case err != nil: // conformance.ErrUnreachable among others: the run could not finish
		return fail("replay: %v", err)
	case sum.Failed > 0:
		return exitRejected
	}
	return exitOK
}

func countLines(err error) int { return strings.Count(err.Error(), "\n") + 1 }
