// Package server is the shared SOAP pipeline of carmed (design §2): the one door for untrusted
// bytes, WS-Security verify and the replay check, the party from the certificate, dispatch on the
// verified Body's QName, schema validation, decoding, the sealing (signing) of answers and faults,
// the idempotent write (Call.Once), WSDL serving, metrics and the request log line, TLS and proxy
// plumbing. It knows no operation: each face (face/cpas, face/provider, face/harness) registers
// its operations with Register (face.go), and package gateway assembles them.
package server

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	stdlog "log"
	"net/http"
	"net/netip"
	"time"
	_ "time/tzdata" // Europe/Brussels must resolve on machines without a zoneinfo database

	"github.com/rs/zerolog"

	"github.com/carmed/carmed/rules"
	"github.com/carmed/carmed/store"
	"github.com/carmed/carmed/trust"
	"github.com/carmed/carmed/wssec"
)

// Config is what the pipeline needs; every collaborator is injected. What only a face needs
// (the rules engine, the agreement keyring, the harness clock) is given to that face.
type Config struct {
	Store  store.Store
	Trust  *trust.Store
	Signer *wssec.Signer // the gateway's own key: every answer, faults included, is signed
	// AllowSHA1 is the legacy switch for SHA-1 signatures (default off).
	AllowSHA1 bool
	// Now is the wall clock for security checks (Timestamps, replay window); nil = time.Now.
	Now func() time.Time
	// Today is the business date (rules' "today"); nil = the Europe/Brussels date of Now.
	Today func() rules.Date
	// TrustedProxies are the peers whose Forwarded / X-Forwarded-* headers set the service address
	// in the WSDLs (proxy.go); from anyone else those headers are ignored. Empty: trust none.
	TrustedProxies []netip.Prefix
	Logger         zerolog.Logger
	// Prefix is the path every face of this pipeline is served under: "/t/NAME" for a tenant's
	// (design §4, package gateway), "" for the default tenant's. A pipeline with a prefix serves
	// no operations routes (/healthz, /readyz, /metrics): the default pipeline's cover the process.
	Prefix string
	// Metrics is a registry shared with another pipeline (a tenant's with the default's); nil:
	// the pipeline starts its own.
	Metrics *Metrics
}

// Server is the pipeline every registered face is served through.
type Server struct {
	cfg      Config
	verifier *wssec.Verifier
	metrics  *Metrics
	mux      *http.ServeMux
	faces    map[string]bool // paths taken by Register
}

// New checks the configuration and wires the operations routes; faces are added with Register.
func New(cfg Config) (*Server, error) {
	if cfg.Store == nil || cfg.Trust == nil || cfg.Signer == nil {
		return nil, errors.New("server: Store, Trust and Signer are required")
	}
	if brusselsErr != nil {
		return nil, brusselsErr
	}
	s := &Server{cfg: cfg, faces: map[string]bool{}}
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
	s.metrics = cfg.Metrics
	if s.metrics == nil {
		s.metrics = NewMetrics(s.cfg.Now())
	}
	s.mux = http.NewServeMux()
	if cfg.Prefix == "" {
		s.mux.HandleFunc("/healthz", s.serveHealth)
		s.mux.HandleFunc("/readyz", s.serveReady)
		s.mux.Handle("/metrics", s.metrics.Handler())
	}
	return s, nil
}

// Metrics is the pipeline's registry, for another pipeline to share (Config.Metrics).
func (s *Server) Metrics() *Metrics { return s.metrics }

// Mount serves h at pattern beside the faces: package gateway mounts the tenants' router (/t/)
// and the web console (/console/).
func (s *Server) Mount(pattern string, h http.Handler) { s.mux.Handle(pattern, h) }

// Store is the store the pipeline was given; faces read and write the same one.
func (s *Server) Store() store.Store { return s.cfg.Store }

// Trust is the trust file the pipeline maps certificates with; faces read names from it.
func (s *Server) Trust() *trust.Store { return s.cfg.Trust }

// Observe counts one request of a mounted handler in the gateway's metrics, as the pipeline
// counts each SOAP request (operation "face.op", outcome, latency).
func (s *Server) Observe(op, outcome string, d time.Duration) { s.metrics.Observe(op, outcome, d) }

// Handler is the gateway's HTTP handler.
func (s *Server) Handler() http.Handler { return s.mux }

// HTTPServer wraps the handler with the timeouts of limits.go; net/http's own error lines go to the
// gateway's log. Set its TLSConfig (see TLSConfig) to serve HTTPS.
func (s *Server) HTTPServer(addr string) *http.Server {
	return &http.Server{Addr: addr, Handler: s.mux, ReadHeaderTimeout: ReadHeaderTimeout,
		ReadTimeout: ReadTimeout, WriteTimeout: WriteTimeout, IdleTimeout: IdleTimeout, MaxHeaderBytes: MaxHeaderBytes,
		ErrorLog: stdlog.New(httpErrorLog{s.cfg.Logger}, "", 0)}
}

// Today is the business date the faces judge with (Config.Today, or the Europe/Brussels date).
func (s *Server) Today() rules.Date { return s.today() }

// today is the business date.
func (s *Server) today() rules.Date {
	if s.cfg.Today != nil {
		return s.cfg.Today()
	}
	return rules.DateOf(s.cfg.Now().In(brussels))
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
