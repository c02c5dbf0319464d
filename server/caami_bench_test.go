package server_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"testing"

	"github.com/carmed/carmed/client"
)

// BenchmarkCAAMISend10000Lines: one send of 10,000 invoice lines (100 invoices of 100 lines)
// through the CAAMI face's handler, no network: the door and its BulkDoor budget, WS-Security,
// schema validation, decoding, the controls of every line (rules.Caami.ControlSend), the payment,
// one store commit of the send with its paid lines, and the signed answer. Each iteration is a
// new send of new line references, so every line is accepted and written. Reports lines/s and
// the peak heap seen.
func BenchmarkCAAMISend10000Lines(b *testing.B) {
	const invoices, perInvoice = 100, 100
	e := caamiEnv(b, true)
	e.clock.frozen = true
	c := e.clientAt(hospital, caamiPath)
	reqs := make([][]byte, b.N)
	for n := range reqs {
		invs := make([]invoice, invoices)
		for i := range invs {
			ls := make([]line, perInvoice)
			for j := range ls {
				ls[j] = hospLine(fmt.Sprintf("S%d-%d-%d", n, i, j), fmt.Sprintf("2025-11-%02d", 1+(i+j)%28))
			}
			invs[i] = invoice{ref: fmt.Sprintf("S%d-I%d", n, i), ssin: adam, cpas: namurCBE, lines: ls}
		}
		doc, err := client.Envelope([]byte(sendXML(fmt.Sprintf("bench-send-%d", n), hospitalID, invs...)), false)
		if err != nil {
			b.Fatal(err)
		}
		if err := c.Signer.SignEnvelope(doc); err != nil {
			b.Fatal(err)
		}
		reqs[n], _ = doc.WriteToBytes()
	}
	h := e.srv.Handler()
	var peak uint64
	var answerBytes int
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		req := httptest.NewRequest(http.MethodPost, caamiPath, bytes.NewReader(reqs[n]))
		req.Header.Set("Content-Type", "text/xml; charset=utf-8")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != 200 || !bytes.Contains(w.Body.Bytes(), []byte("<acceptedLines>10000</acceptedLines>")) {
			b.Fatalf("HTTP %d: %.400s", w.Code, w.Body.String())
		}
		answerBytes = w.Body.Len()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		peak = max(peak, ms.HeapAlloc)
	}
	b.ReportMetric(float64(invoices*perInvoice*b.N)/b.Elapsed().Seconds(), "lines/s")
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MiB")
	b.ReportMetric(float64(len(reqs[0]))/(1<<20), "request-MiB")
	b.ReportMetric(float64(answerBytes)/(1<<20), "answer-MiB")
}
