package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/debug"
	"runtime/pprof"
	"syscall"
	"time"

	"github.com/rs/zerolog"

	"github.com/carmed/carmed/agreement"
	"github.com/carmed/carmed/face/sts"
	"github.com/carmed/carmed/gateway"
	"github.com/carmed/carmed/pki"
	"github.com/carmed/carmed/rules"
	"github.com/carmed/carmed/server"
	"github.com/carmed/carmed/store"
	"github.com/carmed/carmed/trust"
	"github.com/carmed/carmed/wssec"
)

func cmdServe(args []string) int {
	fs := flag.NewFlagSet("serve", flag.ContinueOnError)
	listen := fs.String("listen", envOr("CARMED_LISTEN", "127.0.0.1:8080"), "listen address")
	data := fs.String("data", envOr("CARMED_DATA", "data"), "data directory (holds carmed.db, and the tenants' index)")
	storeAddr := fs.String("store", envOr("CARMED_STORE", ""),
		"keep decisions on an etcd cluster shared by several gateways: etcd://HOST:PORT,…[/PREFIX][?max-txn-ops=N] (default: DATA/carmed.db)")
	pkiDir := fs.String("pki", envOr("CARMED_PKI", ""), "PKI directory: trust.json, gateway.crt, gateway.key (each overridable)")
	trustFile := fs.String("trust", "", "trust file (default PKI/trust.json)")
	certFile := fs.String("cert", "", "gateway certificate (default PKI/gateway.crt)")
	keyFile := fs.String("key", "", "gateway private key, RSA or ECDSA P-256 (default PKI/gateway.key)")
	agreementKeys := fs.String("agreement-keys", "", "keyring of the agreement numbers (default PKI/agreement-keys.json)")
	registry := fs.String("registry", envOr("CARMED_REGISTRY", ""), "load person registry fixtures (*.json) from this directory at start")
	today := fs.String("today", envOr("CARMED_TODAY", ""), "fix the business date (YYYY-MM-DD); default: today in Europe/Brussels")
	advance := fs.Bool("advance", false, "with --today: let the business date move on one day per real day from there")
	harness := fs.Bool("harness", envOr("CARMED_HARNESS", "") == "1", "serve the harness face (POST /harness/v1, admin-signed): registry mutations, notices, clock")
	consoleOn := fs.Bool("console", envOr("CARMED_CONSOLE", "1") == "1", "serve the web console under /console/ (sign-in by TLS client certificate; --console=false turns it off)")
	consoleDemo := fs.Bool("console-demo", false, "demo only: the console's sign-in page lets anyone pick any party of the trust file, without a certificate")
	refunds := fs.String("refund-codes", "", "refund-code table (JSON) replacing the built-in one")
	tariffs := fs.String("tariffs", "", "CAAMI tariff table (JSON, like rules/tariffs.json) replacing the built-in demo one")
	allowSHA1 := fs.Bool("allow-sha1", false, "legacy: accept SHA-1 signatures and digests")
	stsFlags := addSTSFlags(fs)
	tlsCert := fs.String("tls-cert", envOr("CARMED_TLS_CERT", ""), "serve HTTPS (TLS 1.2 or later) with this certificate chain (PEM)")
	tlsKey := fs.String("tls-key", envOr("CARMED_TLS_KEY", ""), "and this key (PEM)")
	tlsClientCA := fs.String("tls-client-ca", envOr("CARMED_TLS_CLIENT_CA", ""),
		"with --tls-cert: require a client certificate chained to a CA of this PEM bundle (WS-Security is still required)")
	trustedProxy := fs.String("trusted-proxy", envOr("CARMED_TRUSTED_PROXY", ""),
		"CIDR[,CIDR]: reverse proxies whose Forwarded / X-Forwarded-* headers set the address the WSDLs give; ignored from anyone else")
	tenantMax := fs.Int("tenant-max-concurrent", gateway.TenantMaxConcurrent,
		"requests at once per tenant (/t/NAME/…); more are answered 503 with Retry-After")
	level := fs.String("log-level", envOr("CARMED_LOG_LEVEL", "info"), "log level: debug, info, warn, error")
	cpuProfile := fs.String("cpuprofile", "", "measuring: write a CPU profile of the whole run to this file (make load: LOAD_PROFILE)")
	if err := fs.Parse(args); err != nil {
		return exitError
	}
	tuneGC()
	if *cpuProfile != "" {
		stopProfile, err := startCPUProfile(*cpuProfile)
		if err != nil {
			return fail("--cpuprofile: %v", err)
		}
		defer stopProfile()
	}
	lvl, err := zerolog.ParseLevel(*level)
	if err != nil {
		return fail("bad --log-level: %v", err)
	}
	zerolog.TimeFieldFormat = time.RFC3339Nano
	var tlsConfig *tls.Config
	switch {
	case *tlsCert != "" || *tlsKey != "":
		if tlsConfig, err = server.TLSConfig(*tlsCert, *tlsKey, *tlsClientCA); err != nil {
			return fail("TLS: %v", err)
		}
	case *tlsClientCA != "":
		return fail("--tls-client-ca needs --tls-cert and --tls-key")
	}
	proxies, err := server.ParseTrustedProxies(*trustedProxy)
	if err != nil {
		return fail("--trusted-proxy: %v", err)
	}
	log := zerolog.New(os.Stderr).Level(lvl).With().Timestamp().Str("svc", "carmed").Logger()

	pick := func(v, name string) string {
		if v != "" || *pkiDir == "" {
			return v
		}
		return filepath.Join(*pkiDir, name)
	}
	*trustFile, *certFile, *keyFile = pick(*trustFile, "trust.json"), pick(*certFile, "gateway.crt"), pick(*keyFile, "gateway.key")
	*agreementKeys = pick(*agreementKeys, agreementKeyFile)
	if *trustFile == "" || *certFile == "" || *keyFile == "" || *agreementKeys == "" {
		return fail("serve needs --pki DIR or --trust, --cert, --key and --agreement-keys")
	}
	ring, err := agreement.LoadKeyring(*agreementKeys)
	if err != nil {
		return fail("agreement keys: %v", err)
	}
	ts, err := trust.Load(*trustFile)
	if err != nil {
		return fail("trust file: %v", err)
	}
	key, cert, err := pki.LoadKeyPair(*certFile, *keyFile)
	if err != nil {
		return fail("gateway key: %v", err)
	}
	stsSigner, err := stsFlags.signer(pick)
	if err != nil {
		return fail("token service key: %v", err)
	}
	table := rules.DefaultRefundTable()
	if *refunds != "" {
		b, err := os.ReadFile(*refunds)
		if err != nil {
			return fail("refund codes: %v", err)
		}
		if table, err = rules.ParseRefundTable(b); err != nil {
			return fail("refund codes: %v", err)
		}
	}
	var tariffTable *rules.TariffTable // nil: the built-in demo table
	if *tariffs != "" {
		b, err := os.ReadFile(*tariffs)
		if err != nil {
			return fail("tariffs: %v", err)
		}
		if tariffTable, err = rules.ParseTariffTable(b); err != nil {
			return fail("tariffs: %v", err)
		}
	}
	// The business clock: fixed at --today (moving on with --advance); with the harness and no
	// --today it starts at the real date and moves with it, so the harness can set it.
	var clock *server.BusinessClock
	switch {
	case *today != "":
		d, err := rules.ParseDate(*today)
		if err != nil {
			return fail("--today: want YYYY-MM-DD")
		}
		clock = server.NewBusinessClock(d, *advance, nil)
	case *harness:
		clock = server.NewBusinessClock(rules.DateOf(time.Now().In(brussels())), true, nil)
	}

	to := gateway.TenantOptions{Dir: filepath.Join(*data, "tenants"), MaxConcurrent: *tenantMax,
		Store: store.Options{Timeout: 2 * time.Second}}
	st, err := openStore(*storeAddr, *data, &to)
	if err != nil {
		return fail("%v", err)
	}
	defer st.Close()
	var ps []rules.Person // the start registry, also what a new tenant starts with
	if *registry != "" {
		ps, err = store.LoadRegistryFiles(*registry)
		if err != nil {
			return fail("registry: %v", err)
		}
		rep, err := st.LoadRegistry(ps)
		if err != nil {
			return fail("registry: %v", err)
		}
		// Stored persons are never overwritten: mutations applied since the last start win.
		log.Info().Int("added", rep.Added).Int("unchanged", rep.Unchanged).Int("kept_mutated", rep.Kept).
			Str("dir", *registry).Msg("registry loaded")
	}

	// Tenants: isolated worlds under /t/NAME, each its own store file in DATA/tenants (or its own
	// prefix on etcd, with the index shared by the gateways of the store).
	to.Registry = ps
	tenants, err := gateway.OpenTenants(to, log)
	if err != nil {
		return fail("%v", err)
	}
	defer tenants.Close()
	srv, err := gateway.New(gateway.Config{Store: st, Rules: rules.New(table), Caami: rules.NewCaami(tariffTable), Trust: ts,
		Signer: &wssec.Signer{Key: key, Cert: cert}, Agreements: ring, AllowSHA1: *allowSHA1, Clock: clock, Harness: *harness,
		STS: stsSigner, STSAllowSHA1: *stsFlags.allowSHA1, TrustedProxies: proxies, Logger: log, Tenants: tenants,
		Console: *consoleOn, ConsoleDemo: *consoleOn && *consoleDemo})
	if err != nil {
		return fail("%v", err)
	}
	if *storeAddr != "" {
		log.Info().Str("store", "etcd").Str("endpoints", *storeAddr).Msg("store on etcd")
	}
	hs := srv.HTTPServer(*listen)
	hs.TLSConfig = tlsConfig
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() {
		ev := log.Info().Str("listen", *listen).Str("cpas", "/cpas/v1").Str("provider", "/MediPrima/Consult/v2").
			Str("uma", "/MediPrima/UMA/v1").Str("caami", "/caami/v1")
		if *harness {
			ev = ev.Str("harness", "/harness/v1")
		}
		if stsSigner != nil {
			ev = ev.Str("sts", sts.Path).Bool("sts_allow_sha1", *stsFlags.allowSHA1)
		}
		ev = ev.Str("tenants", "/t/NAME/…")
		if *consoleOn {
			ev = ev.Str("console", "/console/").Bool("console_demo_picker", *consoleDemo)
		}
		if tlsConfig != nil {
			ev = ev.Bool("tls", true).Bool("tls_client_cert", tlsConfig.ClientCAs != nil)
		}
		ev.Msg("carmed serving")
		if tlsConfig != nil {
			errc <- hs.ListenAndServeTLS("", "") // the certificate is in hs.TLSConfig
		} else {
			errc <- hs.ListenAndServe()
		}
	}()
	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			return fail("%v", err)
		}
	case <-ctx.Done():
		log.Info().Msg("shutting down")
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		_ = hs.Shutdown(sctx)
	}
	return exitOK
}

// The gateway's garbage collector: its live heap is small (tens of MB) and every request
// allocates, so at Go's default (GOGC=100) the collector ran about every millisecond of traffic
// and took a sixth of the CPU of a signed consult (issue 14's profile). A larger growth ratio
// under a soft memory limit collects far less often while RSS stays bounded (P5: ≤ 150 MB).
// GOGC or GOMEMLIMIT in the environment win.
const (
	gcPercent   = 400
	gcSoftLimit = 100 << 20
)

func tuneGC() {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(gcSoftLimit)
	}
}

// startCPUProfile profiles the process until the returned stop runs (at a clean shutdown).
func startCPUProfile(file string) (func(), error) {
	f, err := os.Create(file)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

func envOr(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// brussels is the zone of the business date; UTC if the zone database is missing.
func brussels() *time.Location {
	loc, err := time.LoadLocation("Europe/Brussels")
	if err != nil {
		return time.UTC
	}
	return loc
}
