package server_test

import (
	"math"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"
)

// scrapeMetrics GETs /metrics as a Prometheus server without content negotiation does and parses
// the text exposition with Prometheus's own parser.
func scrapeMetrics(t *testing.T, url string) map[string]*dto.MetricFamily {
	t.Helper()
	resp, err := http.Get(url + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain; version=0.0.4") {
		t.Fatalf("/metrics: %d %q, want 200 and the text exposition format", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	p := expfmt.NewTextParser(model.LegacyValidation)
	fams, err := p.TextToMetricFamilies(resp.Body)
	if err != nil {
		t.Fatalf("/metrics is not valid Prometheus text: %v", err)
	}
	return fams
}

// metricWith is the series of family name whose labels are exactly labels, or nil.
func metricWith(fams map[string]*dto.MetricFamily, name string, labels map[string]string) *dto.Metric {
	f := fams[name]
	if f == nil {
		return nil
	}
	for _, m := range f.GetMetric() {
		got := map[string]string{}
		for _, l := range m.GetLabel() {
			got[l.GetName()] = l.GetValue()
		}
		if len(got) == len(labels) && func() bool {
			for k, v := range labels {
				if got[k] != v {
					return false
				}
			}
			return true
		}() {
			return m
		}
	}
	return nil
}

// TestMetricsKeepTheirNamesAndAddRuntimeAndProcess: a scraper sees the request counter and latency
// histogram under the names, labels and buckets the gateway always exposed, the start time from the
// injected clock, and the Go runtime and process metrics of the standard collectors.
func TestMetricsKeepTheirNamesAndAddRuntimeAndProcess(t *testing.T) {
	e := newEnv(t)
	wantOutcome(t, e.call("cpas-namur", demoFile("create.xml"), nil), "DATA_FOUND", "OK")
	resp, err := http.Post(e.url+"/cpas/v1", "text/xml", strings.NewReader("not xml"))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	fams := scrapeMetrics(t, e.url)

	for _, c := range []struct{ op, outcome string }{{"cpas.createCarmed", "DATA_FOUND"}, {"cpas.unknown", "FAULT"}} {
		m := metricWith(fams, "carmed_requests_total", map[string]string{"operation": c.op, "outcome": c.outcome})
		if m == nil || m.GetCounter().GetValue() != 1 {
			t.Errorf("carmed_requests_total{operation=%q,outcome=%q} = %v, want a counter at 1", c.op, c.outcome, m)
		}
	}
	if got := fams["carmed_requests_total"].GetType(); got != dto.MetricType_COUNTER {
		t.Errorf("carmed_requests_total is a %v", got)
	}

	h := metricWith(fams, "carmed_request_duration_seconds", map[string]string{"operation": "cpas.createCarmed"}).GetHistogram()
	if h == nil || h.GetSampleCount() != 1 || h.GetSampleSum() <= 0 {
		t.Fatalf("carmed_request_duration_seconds{operation=\"cpas.createCarmed\"} = %v, want one positive observation", h)
	}
	var bounds []float64
	for _, b := range h.GetBucket() {
		bounds = append(bounds, b.GetUpperBound())
	}
	// the buckets dashboards were built on: changing them breaks their quantiles
	if want := []float64{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, math.Inf(1)}; !slices.Equal(bounds, want) {
		t.Errorf("latency buckets %v, want %v", bounds, want)
	}

	start := metricWith(fams, "carmed_start_time_seconds", map[string]string{}).GetGauge().GetValue()
	if first := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC); start <= float64(first.Unix()) || start > float64(e.clock.Now().Unix()) {
		t.Errorf("carmed_start_time_seconds = %v, want the injected clock's reading at start", start)
	}

	for _, name := range []string{"go_goroutines", "go_memstats_heap_alloc_bytes", "go_gc_duration_seconds", "go_info",
		"process_start_time_seconds", "process_resident_memory_bytes", "process_open_fds", "process_cpu_seconds_total"} {
		f := fams[name]
		if f == nil || len(f.GetMetric()) == 0 {
			t.Errorf("%s is not exposed", name)
		}
	}
	if g := metricWith(fams, "go_goroutines", map[string]string{}).GetGauge().GetValue(); g < 1 {
		t.Errorf("go_goroutines = %v", g)
	}
	if rss := metricWith(fams, "process_resident_memory_bytes", map[string]string{}).GetGauge().GetValue(); rss <= 0 {
		t.Errorf("process_resident_memory_bytes = %v", rss)
	}
}
