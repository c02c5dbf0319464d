// Package gateway assembles carmed: the SOAP pipeline (package server) with every face registered
// on it (face/cpas, face/provider, face/caami, and face/harness when enabled). It is the one place that knows
// all the faces; carmed serve and the end-to-end tests start the gateway through it.
package gateway

import (
	"errors"
	"net/netip"
	"time"

	"github.com/rs/zerolog"

	"github.com/carmed/carmed/agreement"
	"github.com/carmed/carmed/face/caami"
	"github.com/carmed/carmed/face/console"
	"github.com/carmed/carmed/face/cpas"
	"github.com/carmed/carmed/face/harness"
	"github.com/carmed/carmed/face/provider"
	"github.com/carmed/carmed/face/sts"
	"github.com/carmed/carmed/face/uma"
	"github.com/carmed/carmed/rules"
	"github.com/carmed/carmed/server"
	"github.com/carmed/carmed/store"
	"github.com/carmed/carmed/trust"
	"github.com/carmed/carmed/wssec"
)

// Config is what the gateway needs; every collaborator is injected.
type Config struct {
	Store store.Store
	Rules rules.Engine
	// Caami is the CAAMI back office's rules with its tariff table; nil = the demo tariff.
	Caami  *rules.Caami
	Trust  *trust.Store
	Signer *wssec.Signer // the gateway's own key: every answer, faults included, is signed
	// Agreements issues the payment-commitment numbers of the provider face (R-AGREEMENT-30).
	Agreements *agreement.Keyring
	// AllowSHA1 is the legacy switch for SHA-1 signatures (default off).
	AllowSHA1 bool
	// Now is the wall clock for security checks (Timestamps, replay window); nil = time.Now.
	Now func() time.Time
	// Today is the business date (rules' "today"); nil = the Europe/Brussels date of Now.
	Today func() rules.Date
	// Harness turns on the harness face (POST /harness/v1, admin-signed): registry loads and
	// mutations, notices, agreement checks, and setting Clock. Off by default (design §1).
	Harness bool
	// Clock is the business clock the harness moves; required with Harness. When set and Today
	// is nil, Today is Clock.Today.
	Clock *server.BusinessClock
	// TrustedProxies are the peers whose Forwarded / X-Forwarded-* headers set the service address
	// in the WSDLs; from anyone else those headers are ignored. Empty: trust none.
	TrustedProxies []netip.Prefix
	Logger         zerolog.Logger
	// STS is the token service's key (face/sts on /IAM/Saml11TokenService/v1); nil serves none.
	STS *wssec.Signer
	// STSAllowSHA1 turns the legacy SHA-1 switch on for the token service alone.
	STSAllowSHA1 bool
	// Tenants, when set, serves the tenants it holds under /t/NAME (tenants.go) and lets the
	// harness create, list, reset and delete them; nil: the default tenant only.
	Tenants *Tenants
	// Console serves the web console under /console/ (face/console), for the default tenant;
	// ConsoleDemo adds its party picker, a sign-in without certificate for demonstrations only.
	Console, ConsoleDemo bool
}

// New checks the configuration, starts the pipeline and registers the faces: the default
// tenant's, and, with Tenants, each tenant's under its path prefix.
func New(cfg Config) (*server.Server, error) {
	if cfg.Store == nil || cfg.Rules == nil || cfg.Trust == nil || cfg.Signer == nil || cfg.Agreements == nil {
		return nil, errors.New("server: Store, Rules, Trust, Signer and Agreements are required")
	}
	if cfg.Harness && cfg.Clock == nil {
		return nil, errors.New("server: the harness needs a Clock")
	}
	today := cfg.Today
	if cfg.Clock != nil && today == nil {
		today = cfg.Clock.Today
	}
	var tenants harness.Tenants
	if cfg.Tenants != nil {
		tenants = cfg.Tenants
	}
	srv, err := pipeline(cfg, world{store: cfg.Store, trust: cfg.Trust, clock: cfg.Clock, today: today, tenants: tenants})
	if err != nil {
		return nil, err
	}
	if cfg.Tenants != nil {
		if err := cfg.Tenants.start(cfg, srv); err != nil {
			return nil, err
		}
	}
	return srv, nil
}

// world is what one tenant's pipeline serves: its store, parties and business clock. Every face
// gets it from the pipeline it is registered with (srv.Store, srv.Trust, the Call's Today), so
// a face is tenant-aware by being registered here, once per tenant.
type world struct {
	prefix  string // "/t/NAME", "" for the default tenant
	store   store.Store
	trust   *trust.Store
	clock   *server.BusinessClock
	today   func() rules.Date
	metrics *server.Metrics // shared with the default pipeline's; nil for the default
	log     zerolog.Logger
	tenants harness.Tenants // the default tenant's harness only
	// stop, when set, receives what ends the world's background work (its clock watch) at retire.
	stop *func()
}

// pipeline starts one tenant's pipeline and registers every face on it.
func pipeline(cfg Config, w world) (*server.Server, error) {
	lg := cfg.Logger
	if w.prefix != "" {
		lg = w.log
	}
	srv, err := server.New(server.Config{Store: w.store, Trust: w.trust, Signer: cfg.Signer, AllowSHA1: cfg.AllowSHA1,
		Now: cfg.Now, Today: w.today, TrustedProxies: cfg.TrustedProxies, Logger: lg, Prefix: w.prefix, Metrics: w.metrics})
	if err != nil {
		return nil, err
	}
	if err := followClock(w); err != nil {
		return nil, err
	}
	if err := cpas.Register(srv, cpas.Config{Rules: cfg.Rules, Agreements: cfg.Agreements}); err != nil {
		return nil, err
	}
	if err := provider.Register(srv, provider.Config{Rules: cfg.Rules, Agreements: cfg.Agreements}); err != nil {
		return nil, err
	}
	if err := caami.Register(srv, caami.Config{Caami: cfg.Caami, Agreements: cfg.Agreements}); err != nil {
		return nil, err
	}
	if err := uma.Register(srv, uma.Config{}); err != nil {
		return nil, err
	}
	if cfg.STS != nil {
		if err := sts.Register(srv, sts.Config{Signer: cfg.STS, AllowSHA1: cfg.STSAllowSHA1}); err != nil {
			return nil, err
		}
	}
	if cfg.Harness {
		if err := harness.Register(srv, harness.Config{Rules: cfg.Rules, Agreements: cfg.Agreements, Clock: w.clock,
			Tenants: w.tenants}); err != nil {
			return nil, err
		}
	}
	if cfg.Console && w.prefix == "" {
		cc := console.Config{Store: w.store, Trust: w.trust, Rules: cfg.Rules, Agreements: cfg.Agreements,
			Today: srv.Today, Now: cfg.Now, Demo: cfg.ConsoleDemo, Observe: srv.Observe, Logger: lg}
		if cfg.Harness {
			cc.Clock = w.clock
		}
		h, err := console.New(cc)
		if err != nil {
			return nil, err
		}
		srv.Mount(console.Path, h)
	}
	return srv, nil
}

// followClock makes the world's clock the one its store records, when gateways share the store
// (store.ClockWatcher): the clock last set by any of them now, and each set from then on. A lone
// gateway's clock is its own (a restart starts again from --today).
func followClock(w world) error {
	cw, ok := w.store.(store.ClockWatcher)
	if !ok || w.clock == nil {
		return nil
	}
	stop := cw.WatchClock(func(c store.ClockRecord) { w.clock.SetAt(c.Today, c.Since) })
	err := w.store.View(func(r store.Reader) error {
		c, ok, err := r.Clock()
		if ok {
			w.clock.SetAt(c.Today, c.Since)
		}
		return err
	})
	if err != nil {
		stop()
		return err
	}
	if w.stop != nil {
		*w.stop = stop
	}
	return nil
}
