package server

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"sync"
	"time"
)

// latencyBuckets (seconds) span a P-256 round trip (~0.2 ms) to a slow fsync'd write.
var latencyBuckets = []float64{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5}

// Metrics is a small Prometheus text-format registry: request counts by operation and outcome, and a
// latency histogram by operation. Hand-written so the binary needs no metrics library.
type Metrics struct {
	mu       sync.Mutex
	requests map[[2]string]uint64 // (operation, outcome) → count
	hist     map[string]*histogram
	started  time.Time
}

type histogram struct {
	counts []uint64 // per bucket, non-cumulative
	sum    float64
	n      uint64
}

// NewMetrics starts an empty registry.
func NewMetrics(now time.Time) *Metrics {
	return &Metrics{requests: map[[2]string]uint64{}, hist: map[string]*histogram{}, started: now}
}

// Observe records one finished request.
func (m *Metrics) Observe(op, outcome string, d time.Duration) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.requests[[2]string{op, outcome}]++
	h := m.hist[op]
	if h == nil {
		h = &histogram{counts: make([]uint64, len(latencyBuckets)+1)}
		m.hist[op] = h
	}
	s := d.Seconds()
	i := sort.SearchFloat64s(latencyBuckets, s)
	h.counts[i]++
	h.sum += s
	h.n++
}

// WriteTo writes the registry in the Prometheus text exposition format.
func (m *Metrics) WriteTo(w io.Writer) (int64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var b strings.Builder
	b.WriteString("# HELP carmed_requests_total SOAP requests by operation and outcome.\n")
	b.WriteString("# TYPE carmed_requests_total counter\n")
	keys := make([][2]string, 0, len(m.requests))
	for k := range m.requests {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i][0] != keys[j][0] {
			return keys[i][0] < keys[j][0]
		}
		return keys[i][1] < keys[j][1]
	})
	for _, k := range keys {
		fmt.Fprintf(&b, "carmed_requests_total{operation=%q,outcome=%q} %d\n", k[0], k[1], m.requests[k])
	}
	b.WriteString("# HELP carmed_request_duration_seconds Time from first byte read to last byte written.\n")
	b.WriteString("# TYPE carmed_request_duration_seconds histogram\n")
	ops := make([]string, 0, len(m.hist))
	for op := range m.hist {
		ops = append(ops, op)
	}
	sort.Strings(ops)
	for _, op := range ops {
		h := m.hist[op]
		var cum uint64
		for i, le := range latencyBuckets {
			cum += h.counts[i]
			fmt.Fprintf(&b, "carmed_request_duration_seconds_bucket{operation=%q,le=\"%g\"} %d\n", op, le, cum)
		}
		cum += h.counts[len(latencyBuckets)]
		fmt.Fprintf(&b, "carmed_request_duration_seconds_bucket{operation=%q,le=\"+Inf\"} %d\n", op, cum)
		fmt.Fprintf(&b, "carmed_request_duration_seconds_sum{operation=%q} %g\n", op, h.sum)
		fmt.Fprintf(&b, "carmed_request_duration_seconds_count{operation=%q} %d\n", op, h.n)
	}
	b.WriteString("# HELP carmed_start_time_seconds Process start time.\n# TYPE carmed_start_time_seconds gauge\n")
	fmt.Fprintf(&b, "carmed_start_time_seconds %d\n", m.started.Unix())
	n, err := io.WriteString(w, b.String())
	return int64(n), err
}
