package server

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/carmed/carmed/client"
)

// FuzzDoor throws arbitrary bytes at the CPAS endpoint: the gateway must always answer with a SOAP
// envelope (never panic); a 200 only ever carries a business answer. Plain `go test` runs the seeds
// and any crashers kept in testdata/fuzz/FuzzDoor.
func FuzzDoor(f *testing.F) {
	e := newEnv(f)
	payload, _ := os.ReadFile(demoFile("consult.xml"))
	doc, _ := client.Envelope(payload, false)
	_ = e.client("cpas-namur").Signer.SignEnvelope(doc)
	signed, _ := doc.WriteToBytes()
	f.Add(signed)
	f.Add([]byte(`<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body/></soapenv:Envelope>`))
	f.Add([]byte(`<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>`))
	f.Add([]byte(`<a><![CDATA[<!DOCTYPE]]></a>`))
	f.Add([]byte("\xef\xbb\xbf<?xml version='1.0' encoding='ISO-8859-1'?><a/>"))
	h := e.srv.Handler()
	f.Fuzz(func(t *testing.T, body []byte) {
		req := httptest.NewRequest(http.MethodPost, "/cpas/v1", bytes.NewReader(body))
		req.Header.Set("Content-Type", "text/xml; charset=utf-8")
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code == 200 && !bytes.Contains(w.Body.Bytes(), []byte("DATA_FOUND")) {
			t.Fatalf("HTTP 200 without a business answer: %q", w.Body.String())
		}
		if !bytes.Contains(w.Body.Bytes(), []byte("Envelope")) {
			t.Fatalf("not a SOAP answer: %q", w.Body.String())
		}
	})
}
