package server_test

import (
	"bytes"
	"crypto"
	"crypto/x509"
	"errors"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/carmed/carmed/client"
	"github.com/carmed/carmed/pki"
	"github.com/carmed/carmed/wssec"
)

// doorFace is where FuzzDoor sends its input: a face, in SOAP 1.1 or 1.2, and what a 200 from it
// must contain: a business answer (its status; NO_RESULT included, as a seed may run before the
// one that creates its decision), never a Fault or an echo.
type doorFace struct {
	path   string
	soap12 bool
	marker string
}

var doorFaces = []doorFace{
	{"/cpas/v1", false, "<status><value>"},
	{"/MediPrima/Consult/v2", false, "ConsultCarmedInterventionResponse"},
	{"/harness/v1", false, "<status><value>"},
	{"/cpas/v1", true, "<status><value>"},
	{"/MediPrima/Consult/v2", true, "ConsultCarmedInterventionResponse"},
	{"/harness/v1", true, "<status><value>"},
}

func (f doorFace) post(h http.Handler, body []byte) *httptest.ResponseRecorder {
	req := httptest.NewRequest(http.MethodPost, f.path, bytes.NewReader(body))
	req.Header.Set("Content-Type", "text/xml; charset=utf-8")
	if f.soap12 {
		req.Header.Set("Content-Type", "application/soap+xml; charset=utf-8")
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	return w
}

// The door's seed corpus is signed requests of every face under a fixed throwaway PKI
// (testdata/fuzz-pki), in Go's corpus format under testdata/fuzz/FuzzDoor. Regenerate with:
//
//	go test ./server -run TestFuzzDoorCorpus -update-corpus
var updateCorpus = flag.Bool("update-corpus", false, "rewrite the signed seeds of testdata/fuzz/FuzzDoor")

const (
	doorPKI       = "testdata/fuzz-pki"
	doorCorpusDir = "testdata/fuzz/FuzzDoor"
)

// doorCorpusAt is the signing time of the seeds and the frozen clock of FuzzDoor.
var doorCorpusAt = time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)

// doorEnv is a gateway on the fixed PKI whose clock stays at doorCorpusAt.
func doorEnv(t testing.TB) *env {
	t.Helper()
	e := newEnv(t, func(o *envOpt) { o.pki = doorPKI })
	e.clock.mu.Lock()
	e.clock.t, e.clock.frozen = doorCorpusAt, true
	e.clock.mu.Unlock()
	return e
}

// FuzzDoor throws arbitrary bytes at the faces: the gateway must always answer with a SOAP
// envelope (never panic); a 200 only ever carries a business answer. Plain `go test` runs the seeds
// and any crashers kept in testdata/fuzz/FuzzDoor.
func FuzzDoor(f *testing.F) {
	e := doorEnv(f)
	f.Add(byte(0), []byte(`<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body/></soapenv:Envelope>`))
	f.Add(byte(0), []byte(`<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>`))
	f.Add(byte(1), []byte(`<a><![CDATA[<!DOCTYPE]]></a>`))
	f.Add(byte(2), []byte("\xef\xbb\xbf<?xml version='1.0' encoding='ISO-8859-1'?><a/>"))
	h := e.srv.Handler()
	f.Fuzz(func(t *testing.T, face byte, body []byte) {
		fc := doorFaces[int(face)%len(doorFaces)]
		w := fc.post(h, body)
		if w.Code == 200 && !bytes.Contains(w.Body.Bytes(), []byte(fc.marker)) {
			t.Fatalf("HTTP 200 without a business answer: %q", w.Body.String())
		}
		if !bytes.Contains(w.Body.Bytes(), []byte("Envelope")) {
			t.Fatalf("not a SOAP answer: %q", w.Body.String())
		}
	})
}

// doorSeed is one signed request of the corpus.
type doorSeed struct {
	name, party string
	face        byte // index in doorFaces
	payload     string
	signer      func(s *wssec.Signer)
}

func doorSeeds(t testing.TB) []doorSeed {
	demo := func(f string) string { return readFixture(t, demoFile(f)) }
	harness := func(f string) string {
		return readFixture(t, filepath.Join("..", "testdata", "requests", "harness", f))
	}
	provider := `<mp:ConsultCarmedInterventionRequest xmlns:mp="urn:be:fgov:ehealth:mediprima:protocol:v2" Id="R-seed-1" IssueInstant="2026-12-01T08:00:00Z">` +
		`<SelectionCriteria><BySsin><Ssin>85031412302</Ssin><ReferenceDate>2026-12-01</ReferenceDate></BySsin></SelectionCriteria></mp:ConsultCarmedInterventionRequest>`
	same := func(*wssec.Signer) {}
	return []doorSeed{
		{"01-cpas-create", "cpas-namur", 0, demo("create.xml"), same},
		{"02-cpas-consult-sha512", "cpas-namur", 0, demo("consult.xml"), func(s *wssec.Signer) { s.Hash, s.Digest = crypto.SHA512, crypto.SHA512 }},
		{"03-cpas-consult-other-cpas-ecdsa", "cpas-liege", 0, demo("consult-as-liege.xml"), same},
		{"04-cpas-consult-soap12-thumbprint", "cpas-namur", 3, demo("consult.xml"), func(s *wssec.Signer) { s.KeyRef = wssec.RefThumbprint }},
		{"05-cpas-history-issuerserial", "cpas-namur", 0, demo("history.xml"), func(s *wssec.Signer) { s.KeyRef = wssec.RefIssuerSerial }},
		{"06-cpas-simulate-no-expires", "cpas-namur", 0, demo("simulate.xml"), func(s *wssec.Signer) { s.NoExpires = true }},
		{"07-cpas-modify-ski", "cpas-namur", 0, demo("modify.xml"), func(s *wssec.Signer) { s.KeyRef = wssec.RefSKI }},
		{"08-provider-consult-pkipath", "hospital-chr", 1, provider, nil},
		{"09-provider-consult-soap12-sha384", "gp-dupont", 4, provider, func(s *wssec.Signer) { s.Hash, s.Digest = crypto.SHA384, crypto.SHA384 }},
		{"10-harness-consult-person", "admin", 2, harness("consult-person.xml"), same},
		{"11-harness-list-notices-soap12", "admin", 5, harness("list-notices.xml"), same},
		{"12-cpas-stop-x509data", "cpas-namur", 0, demo("stop.xml"), func(s *wssec.Signer) { s.KeyRef = wssec.RefX509Data }},
	}
}

// TestFuzzDoorCorpus (re)writes the signed seeds with -update-corpus (and the fixed PKI when it is
// missing), and always replays them in order through a fresh gateway: each must be answered 200.
func TestFuzzDoorCorpus(t *testing.T) {
	if *updateCorpus {
		if _, err := os.Stat(filepath.Join(doorPKI, pki.TrustFile)); errors.Is(err, os.ErrNotExist) {
			if _, err := pki.Init(pki.Options{Dir: doorPKI, GatewayKey: pki.GatewayECDSA, Now: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
				t.Fatal(err)
			}
		}
		e := doorEnv(t)
		ca, err := pki.LoadCert(filepath.Join(doorPKI, pki.CACertFile))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(doorCorpusDir, 0o755); err != nil {
			t.Fatal(err)
		}
		for _, s := range doorSeeds(t) {
			fc := doorFaces[s.face]
			c := e.clientAt(s.party, fc.path)
			if s.signer == nil { // the provider seed: a PKIPath of CA and leaf
				c.Signer.KeyRef, c.Signer.Path = wssec.RefPKIPath, []*x509.Certificate{ca}
			} else {
				s.signer(c.Signer)
			}
			doc, err := client.Envelope([]byte(s.payload), fc.soap12)
			if err != nil {
				t.Fatal(err)
			}
			if err := c.Signer.SignEnvelope(doc); err != nil {
				t.Fatal(err)
			}
			b, err := doc.WriteToBytes()
			if err != nil {
				t.Fatal(err)
			}
			seed := fmt.Appendf(nil, "go test fuzz v1\nbyte(%q)\n[]byte(%q)\n", s.face, b)
			if err := os.WriteFile(filepath.Join(doorCorpusDir, "signed-"+s.name), seed, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	e := doorEnv(t)
	h := e.srv.Handler()
	for _, s := range doorSeeds(t) {
		raw, err := os.ReadFile(filepath.Join(doorCorpusDir, "signed-"+s.name))
		if err != nil {
			t.Fatal(err)
		}
		face, body, err := parseDoorSeed(raw)
		if err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		fc := doorFaces[int(face)%len(doorFaces)]
		// In order, each seed is accepted and served: no rule refuses it (NO_RESULT).
		if w := fc.post(h, body); w.Code != 200 || !bytes.Contains(w.Body.Bytes(), []byte(fc.marker)) ||
			bytes.Contains(w.Body.Bytes(), []byte("NO_RESULT")) {
			t.Errorf("%s: HTTP %d\n%s", s.name, w.Code, w.Body.String())
		}
	}
}

func parseDoorSeed(raw []byte) (byte, []byte, error) {
	lines := strings.SplitN(string(raw), "\n", 4)
	if len(lines) < 3 || lines[0] != "go test fuzz v1" || !strings.HasPrefix(lines[1], "byte(") || !strings.HasPrefix(lines[2], "[]byte(") {
		return 0, nil, errors.New("not a (byte, []byte) corpus file")
	}
	c, err := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(lines[1], "byte("), ")"))
	if err != nil || len(c) != 1 {
		return 0, nil, errors.New("bad byte argument")
	}
	b, err := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(lines[2], "[]byte("), ")"))
	return c[0], []byte(b), err
}
