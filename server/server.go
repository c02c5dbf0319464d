// Package server is the HTTP and SOAP face of carmed: the door for untrusted bytes, WS-Security,
// dispatch on the verified Body, the CPAS operations, faults, WSDL serving, logs and metrics.
package server

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	stdlog "log"
	"net/http"
	"net/netip"
	"time"
	_ "time/tzdata" // Europe/Brussels must resolve on machines without a zoneinfo database

	"github.com/rs/zerolog"

	"github.com/carmed/carmed/agreement"
	"github.com/carmed/carmed/rules"
	"github.com/carmed/carmed/store"
	"github.com/carmed/carmed/trust"
	"github.com/carmed/carmed/wssec"
)

// Config is what the gateway needs; every collaborator is injected.
type Config struct {
	Store  store.Store
	Rules  rules.Engine
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
	Clock *BusinessClock
	// TrustedProxies are the peers whose Forwarded / X-Forwarded-* headers set the service address
	// in the WSDLs (proxy.go); from anyone else those headers are ignored. Empty: trust none.
	TrustedProxies []netip.Prefix
	Logger         zerolog.Logger
}

// Server serves the faces of design §1.
type Server struct {
	cfg      Config
	verifier *wssec.Verifier
	metrics  *Metrics
	brussels *time.Location
	mux      *http.ServeMux
	cpas     *face
	provider *face
	harness  *face
}

// New checks the configuration and wires the routes.
func New(cfg Config) (*Server, error) {
	if cfg.Store == nil || cfg.Rules == nil || cfg.Trust == nil || cfg.Signer == nil || cfg.Agreements == nil {
		return nil, errors.New("server: Store, Rules, Trust, Signer and Agreements are required")
	}
	loc, err := time.LoadLocation("Europe/Brussels")
	if err != nil {
		return nil, err
	}
	if cfg.Harness && cfg.Clock == nil {
		return nil, errors.New("server: the harness needs a Clock")
	}
	s := &Server{cfg: cfg, brussels: loc}
	if s.cfg.Clock != nil && s.cfg.Today == nil {
		s.cfg.Today = s.cfg.Clock.Today
	}
	if s.cfg.Now == nil {
		s.cfg.Now = time.Now
	}
	if s.cfg.Signer.Now == nil {
		s.cfg.Signer.Now = s.cfg.Now
	}
	if s.cfg.Signer.TTL == 0 {
		s.cfg.Signer.TTL = ResponseTTL
	}
	s.verifier = &wssec.Verifier{Trust: cfg.Trust, AllowSHA1: cfg.AllowSHA1, Skew: ClockSkew,
		MaxTTL: MaxTimestampTTL, MaxNodes: MaxElements, Now: s.cfg.Now}
	s.metrics = NewMetrics(s.cfg.Now())
	s.mux = http.NewServeMux()
	if s.cpas, err = s.cpasFace(); err != nil {
		return nil, fmt.Errorf("server: CPAS contract: %w", err)
	}
	s.mux.HandleFunc("/cpas/v1", s.serveCPAS)
	if s.provider, err = s.providerFace(); err != nil {
		return nil, fmt.Errorf("server: provider contract: %w", err)
	}
	s.mux.HandleFunc("/MediPrima/Consult/v2", s.serveProvider)
	if cfg.Harness {
		if s.harness, err = s.harnessFace(); err != nil {
			return nil, fmt.Errorf("server: harness contract: %w", err)
		}
		s.mux.HandleFunc("/harness/v1", s.serveHarness)
	}
	s.mux.HandleFunc("/healthz", s.serveHealth)
	s.mux.HandleFunc("/readyz", s.serveReady)
	s.mux.Handle("/metrics", s.metrics.Handler())
	return s, nil
}

// Handler is the gateway's HTTP handler.
func (s *Server) Handler() http.Handler { return s.mux }

// HTTPServer wraps the handler with the timeouts of limits.go; net/http's own error lines go to the
// gateway's log. Set its TLSConfig (see TLSConfig) to serve HTTPS.
func (s *Server) HTTPServer(addr string) *http.Server {
	return &http.Server{Addr: addr, Handler: s.mux, ReadHeaderTimeout: ReadHeaderTimeout,
		ReadTimeout: ReadTimeout, WriteTimeout: WriteTimeout, IdleTimeout: IdleTimeout, MaxHeaderBytes: MaxHeaderBytes,
		ErrorLog: stdlog.New(httpErrorLog{s.cfg.Logger}, "", 0)}
}

// today is the business date.
func (s *Server) today() rules.Date {
	if s.cfg.Today != nil {
		return s.cfg.Today()
	}
	return rules.DateOf(s.cfg.Now().In(s.brussels))
}

func (s *Server) serveHealth(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("ok\n"))
}

// serveReady answers 200 only when the store answers a read.
func (s *Server) serveReady(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	err := s.cfg.Store.View(func(store.Reader) error { return nil })
	if err != nil {
		s.cfg.Logger.Error().Err(err).Msg("readiness check failed")
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("store unavailable\n"))
		return
	}
	_, _ = w.Write([]byte("ready\n"))
}

// requestID is a random id for correlating log lines; it is echoed in X-Request-Id.
func requestID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
