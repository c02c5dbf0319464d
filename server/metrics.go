package server

import (
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// latencyBuckets (seconds) span a P-256 round trip (~0.2 ms) to a slow fsync'd write.
var latencyBuckets = []float64{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5}

// Metrics is the gateway's Prometheus registry: request counts by operation and outcome, a latency
// histogram by operation, the start time, and the Go runtime and process collectors. The registry is
// private to one Server (not prometheus.DefaultRegisterer), so several gateways in one process — the
// tests — never share or clash over a series. The metric names and labels are the ones the
// hand-written exposition used before, so existing scrapes and dashboards keep working.
type Metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	latency  *prometheus.HistogramVec
}

// NewMetrics starts a registry for a gateway started at now (the injected clock's time).
func NewMetrics(now time.Time) *Metrics {
	m := &Metrics{
		reg: prometheus.NewRegistry(),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "carmed_requests_total",
			Help: "SOAP requests by operation and outcome.",
		}, []string{"operation", "outcome"}),
		latency: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "carmed_request_duration_seconds",
			Help:    "Time from first byte read to last byte written.",
			Buckets: latencyBuckets,
		}, []string{"operation"}),
	}
	start := prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "carmed_start_time_seconds",
		Help: "Process start time.",
	})
	start.Set(float64(now.Unix()))
	m.reg.MustRegister(m.requests, m.latency, start,
		collectors.NewGoCollector(),
		collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// Observe records one finished request.
func (m *Metrics) Observe(op, outcome string, d time.Duration) {
	m.requests.WithLabelValues(op, outcome).Inc()
	m.latency.WithLabelValues(op).Observe(d.Seconds())
}

// Handler serves the registry at GET /metrics in the exposition format the scraper asks for.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{})
}
