package server_test

import (
	"bytes"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"syscall"
	"testing"
	"time"

	"github.com/carmed/carmed/client"
	"github.com/carmed/carmed/pki"
	"github.com/carmed/carmed/rules"
)

// validSSIN makes a valid pre-2000 SSIN from a birth date and a serial (check = 97 − base mod 97).
func validSSIN(yymmdd string, serial int) string {
	base := fmt.Sprintf("%s%03d", yymmdd, serial)
	var n int64
	fmt.Sscan(base, &n)
	return fmt.Sprintf("%s%02d", base, 97-n%97)
}

// signedRequests pre-signs n requests as party so the benchmark measures the gateway, not the client.
func signedRequests(b *testing.B, e *env, party, file string, n int, vary func(i int) map[string]string) [][]byte {
	b.Helper()
	e.clock.frozen = true
	c := e.client(party)
	payload, err := os.ReadFile(file)
	if err != nil {
		b.Fatal(err)
	}
	out := make([][]byte, n)
	for i := range out {
		p, err := client.Set(payload, vary(i))
		if err != nil {
			b.Fatal(err)
		}
		doc, err := client.Envelope(p, false)
		if err != nil {
			b.Fatal(err)
		}
		if err := c.Signer.SignEnvelope(doc); err != nil {
			b.Fatal(err)
		}
		out[i], _ = doc.WriteToBytes()
	}
	return out
}

func serveOne(b *testing.B, h http.Handler, raw []byte, action string) {
	req := httptest.NewRequest(http.MethodPost, "/cpas/v1", bytes.NewReader(raw))
	req.Header.Set("Content-Type", "text/xml; charset=utf-8")
	req.Header.Set("SOAPAction", `"`+action+`"`)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	if w.Code != 200 || !bytes.Contains(w.Body.Bytes(), []byte("DATA_FOUND")) {
		b.Fatalf("HTTP %d: %.300s", w.Code, w.Body.String())
	}
}

// BenchmarkCreateCarmedHandler: a full createCarmed (verify, replay cache, rules, store commit,
// signed answer) through the handler, no network. Each iteration creates for a new person.
func BenchmarkCreateCarmedHandler(b *testing.B) {
	e := newEnv(b)
	var persons []rules.Person
	for i := 0; i < b.N; i++ {
		persons = append(persons, rules.Person{SSIN: validSSIN("800101", i+1), LastName: "Bench", Gender: "F",
			BirthDate: rules.MustDate("1980-01-01"), DeathDate: rules.NoDate,
			Situations: []rules.Situation{{From: rules.MustDate("2020-01-01"), Kind: rules.SitIllegal}}})
	}
	if b.N > 997 {
		b.Skip("synthetic SSIN serials exhausted; use -benchtime <= 997x")
	}
	if _, err := e.st.LoadRegistry(persons); err != nil {
		b.Fatal(err)
	}
	reqs := signedRequests(b, e, "cpas-liege", demoFile("create.xml"), b.N, func(i int) map[string]string {
		return map[string]string{"ticket": fmt.Sprintf("bench-create-%d", i), "ssin": persons[i].SSIN, "cbeNumber": "0207456769"}
	})
	h := e.srv.Handler()
	b.ReportAllocs()
	b.ResetTimer()
	cpu0 := processCPU(b)
	for i := 0; i < b.N; i++ {
		serveOne(b, h, reqs[i], "urn:carmed:cpas:v1:createCarmed")
	}
	b.StopTimer()
	b.ReportMetric((processCPU(b)-cpu0).Seconds()*1000/float64(b.N), "cpu-ms/op") // P3's CPU side
	b.ReportMetric(float64(e.st.BytesPerVersion()), "stored-B/version")           // P4 of issue 14
}

// BenchmarkConsultCarmedHandler: a consultCarmed by SSIN + date that finds one decision, signed
// by cpas-namur (RSA-2048, as `make load` signs), answered with a P-256 and an RSA-2048 gateway
// key. cpu-ms/op is the process's CPU (user + system, every goroutine: the replay key's group
// commit and the collector included) per consult: issue 14's P2 measure, without HTTP.
func BenchmarkConsultCarmedHandler(b *testing.B) {
	for _, key := range []string{pki.GatewayECDSA, pki.GatewayRSA} {
		b.Run(key, func(b *testing.B) {
			e := newEnv(b, func(o *envOpt) { o.gatewayKey = key })
			a := e.call("cpas-namur", demoFile("create.xml"), nil)
			if a.StatusValue != "DATA_FOUND" {
				b.Fatalf("setup create: %s", a.Code)
			}
			reqs := signedRequests(b, e, "cpas-namur", demoFile("consult.xml"), b.N, func(i int) map[string]string {
				return map[string]string{"ticket": fmt.Sprintf("bench-consult-%d", i), "cbeNumber": "0212345668"}
			})
			h := e.srv.Handler()
			b.ReportAllocs()
			cpu0 := processCPU(b)
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				serveOne(b, h, reqs[i], "urn:carmed:cpas:v1:consultCarmed")
			}
			b.StopTimer()
			b.ReportMetric((processCPU(b)-cpu0).Seconds()*1000/float64(b.N), "cpu-ms/op")
		})
	}
}

// processCPU is the user + system CPU time of this process so far.
func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
