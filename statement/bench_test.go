package statement

import (
	"io"
	"runtime"
	"runtime/metrics"
	"sync"
	"testing"
	"time"
)

// statementLines is the size of the statements benchmarked: a large CPAS's month (the issue's
// "statement of 100,000 lines written with bounded memory").
const statementLines = 100_000

// peakHeap samples the live heap every millisecond while fn runs and returns the peak in bytes:
// the figure that shows whether a writer holds the statement in memory.
func peakHeap(fn func()) uint64 {
	runtime.GC()
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	var peak uint64
	var mu sync.Mutex
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(time.Millisecond)
		defer tick.Stop()
		for {
			metrics.Read(s)
			mu.Lock()
			peak = max(peak, s[0].Value.Uint64())
			mu.Unlock()
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	fn()
	close(done)
	wg.Wait()
	return peak
}

func benchWriter(b *testing.B, write func(io.Writer, Header, Source) error) {
	var peak uint64
	b.ReportAllocs()
	for b.Loop() {
		p := peakHeap(func() {
			if err := write(io.Discard, header, generated(statementLines)); err != nil {
				b.Fatal(err)
			}
		})
		peak = max(peak, p)
	}
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
	b.ReportMetric(float64(statementLines)*float64(b.N)/b.Elapsed().Seconds(), "lines/s")
}

// BenchmarkWriteXMLStatement writes a detailed statement of 100,000 lines.
func BenchmarkWriteXMLStatement(b *testing.B) { benchWriter(b, WriteXML) }

// BenchmarkWriteXLSXStatement writes the summary workbook of the same 100,000 lines (5,000 rows).
func BenchmarkWriteXLSXStatement(b *testing.B) { benchWriter(b, WriteXLSX) }
