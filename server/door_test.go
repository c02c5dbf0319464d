package server_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"

	"github.com/beevik/etree"

	"github.com/carmed/carmed/client"
	"github.com/carmed/carmed/server"
)

func post(t *testing.T, url, contentType string, body []byte, hdr map[string]string) (int, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	for k, v := range hdr {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, b
}

// signedConsult is a correctly signed consult envelope, as a tree to tamper with before sending.
func signedConsult(t *testing.T, e *env, party string) *etree.Document {
	t.Helper()
	payload, _ := os.ReadFile(demoFile("consult.xml"))
	doc, err := client.Envelope(payload, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.client(party).Signer.SignEnvelope(doc); err != nil {
		t.Fatal(err)
	}
	return doc
}

func TestTheDoorRefusesBadInputWithStableFaults(t *testing.T) {
	e := newEnv(t)
	url := e.url + "/cpas/v1"
	env11 := `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body/></soapenv:Envelope>`
	cases := []struct {
		name, ctype, body string
		status            int
		want              string
	}{
		{"a DOCTYPE is refused before parsing", "text/xml", `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]>` + env11, 500, "DTD_REFUSED"},
		{"a processing instruction is refused", "text/xml", `<?xml version="1.0"?><?evil x?>` + env11, 500, "PI_REFUSED"},
		{"text that is not XML is refused", "text/xml", `hello <`, 500, "NOT_XML"},
		{"XML that is not an envelope is refused", "text/xml", `<a/>`, 500, "NOT_SOAP"},
		{"a repeated attribute is refused", "text/xml", `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body x="1" x="2"/></soapenv:Envelope>`, 500, "NOT_XML"},
		{"a SOAP 1.2 envelope sent as text/xml is a version mismatch", "text/xml",
			`<e:Envelope xmlns:e="http://www.w3.org/2003/05/soap-envelope"><e:Body/></e:Envelope>`, 500, "VersionMismatch"},
		{"an unknown media type is 415", "application/json", `{}`, 415, "MEDIA_TYPE"},
		{"a body over the size cap is 413", "text/xml", env11 + strings.Repeat(" ", server.MaxBodyBytes), 413, "TOO_LARGE"},
		{"too deep a tree is refused", "text/xml", strings.Repeat("<a>", server.MaxDepth+2) + strings.Repeat("</a>", server.MaxDepth+2), 500, "NOT_XML"},
		{"an unsigned envelope is a security fault", "text/xml", env11, 500, "wsse:"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			status, body := post(t, url, c.ctype, []byte(c.body), nil)
			if status != c.status || !bytes.Contains(body, []byte(c.want)) {
				t.Fatalf("HTTP %d %s, want %d containing %q", status, body, c.status, c.want)
			}
			if !bytes.Contains(body, []byte("Signature")) {
				t.Fatal("faults must be signed too")
			}
			if strings.Contains(c.body, "evil") && bytes.Contains(body, []byte("evil")) {
				t.Fatal("a fault must not echo the input")
			}
		})
	}
}

func TestSecurityFailuresAtTheGateway(t *testing.T) {
	e := newEnv(t)
	url := e.url + "/cpas/v1"
	send := func(t *testing.T, doc *etree.Document, hdr map[string]string) (int, string) {
		raw, _ := doc.WriteToBytes()
		if hdr == nil {
			hdr = map[string]string{"SOAPAction": `"urn:carmed:cpas:v1:consultCarmed"`}
		}
		status, body := post(t, url, "text/xml; charset=utf-8", raw, hdr)
		a, err := e.client("cpas-namur").Read(status, body)
		if err != nil {
			t.Fatalf("answer: %v", err)
		}
		return status, a.Code
	}
	t.Run("an untampered request is answered", func(t *testing.T) {
		if _, code := send(t, signedConsult(t, e, "cpas-namur"), nil); code != "NO_DATA" {
			t.Fatalf("got %s", code)
		}
	})
	t.Run("a Body changed after signing fails the check", func(t *testing.T) {
		doc := signedConsult(t, e, "cpas-namur")
		doc.FindElement("//ssin").SetText("90072224663")
		if _, code := send(t, doc, nil); !strings.HasPrefix(code, "wsse:FailedCheck") {
			t.Fatalf("got %s", code)
		}
	})
	t.Run("a Body replaced while the signed one is moved to a header is refused", func(t *testing.T) {
		doc := signedConsult(t, e, "cpas-namur")
		env := doc.Root()
		body := env.SelectElement("Body")
		env.RemoveChild(body)
		wrapper := env.SelectElement("Header").CreateElement("x:Wrapper")
		wrapper.CreateAttr("xmlns:x", "urn:evil")
		wrapper.AddChild(body)
		evil := env.CreateElement("soapenv:Body")
		evil.AddChild(body.ChildElements()[0].Copy())
		evil.FindElement("//ssin").SetText("90072224663")
		if _, code := send(t, doc, nil); !strings.HasPrefix(code, "wsse:") {
			t.Fatalf("a wrapped Body got %s, want a WS-Security fault", code)
		}
	})
	t.Run("a certificate the trust file does not know is refused", func(t *testing.T) {
		other := demoPKI(t, "rsa") // the other demo PKI: another CA and other party keys
		c := e.client("cpas-namur")
		k2, c2 := loadPair(t, other, "cpas-liege")
		c.Signer.Key, c.Signer.Cert = k2, c2
		payload, _ := os.ReadFile(demoFile("consult.xml"))
		a, err := c.Call(context.Background(), payload, "")
		if err != nil {
			t.Fatal(err)
		}
		if a.Outcome != client.Faulted || !strings.HasPrefix(a.Code, "wsse:") {
			t.Fatalf("got %v %s", a.Outcome, a.Code)
		}
	})
	t.Run("a SOAPAction naming another operation is refused", func(t *testing.T) {
		_, code := send(t, signedConsult(t, e, "cpas-namur"), map[string]string{"SOAPAction": `"urn:carmed:cpas:v1:createCarmed"`})
		if !strings.Contains(code, "ACTION_MISMATCH") {
			t.Fatalf("got %s", code)
		}
	})
	t.Run("an unknown header marked mustUnderstand is refused", func(t *testing.T) {
		payload, _ := os.ReadFile(demoFile("consult.xml"))
		doc, _ := client.Envelope(payload, false)
		h := doc.Root().SelectElement("Header").CreateElement("x:Routing")
		h.CreateAttr("xmlns:x", "urn:other")
		h.CreateAttr("soapenv:mustUnderstand", "1")
		if err := e.client("cpas-namur").Signer.SignEnvelope(doc); err != nil {
			t.Fatal(err)
		}
		if _, code := send(t, doc, nil); !strings.HasPrefix(code, "env:MustUnderstand") {
			t.Fatalf("got %s", code)
		}
	})
}

func TestLogsCarryNoPersonalData(t *testing.T) {
	e := newEnv(t)
	wantOutcome(t, e.call("cpas-namur", demoFile("create.xml"), nil), "DATA_FOUND", "OK")
	e.call("cpas-namur", demoFile("consult.xml"), map[string]string{"ssin": "85031412303"})
	logs := e.logs.String()
	for _, secret := range []string{"85031412302", "85031412303", "Exemple", "Adam"} {
		if strings.Contains(logs, secret) {
			t.Fatalf("logs contain %q:\n%s", secret, logs)
		}
	}
	for _, want := range []string{`"op":"createCarmed"`, `"party":"0212345668"`, `"outcome":"DATA_FOUND"`,
		`"decision":"000000000001"`, `"latency_ms":`, `"req_id":`, `"code":"SSIN_INVALID"`} {
		if !strings.Contains(logs, want) {
			t.Fatalf("logs lack %s:\n%s", want, logs)
		}
	}
}

func TestOperationsEndpoints(t *testing.T) {
	e := newEnv(t)
	wantOutcome(t, e.call("cpas-namur", demoFile("create.xml"), nil), "DATA_FOUND", "OK")
	get := func(path string) (int, string) {
		resp, err := http.Get(e.url + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	if s, b := get("/healthz"); s != 200 || b != "ok\n" {
		t.Fatalf("healthz %d %q", s, b)
	}
	if s, _ := get("/readyz"); s != 200 {
		t.Fatalf("readyz %d", s)
	}
	fams := scrapeMetrics(t, e.url)
	if m := metricWith(fams, "carmed_requests_total", map[string]string{"operation": "cpas.createCarmed", "outcome": "DATA_FOUND"}); m.GetCounter().GetValue() != 1 {
		t.Fatalf("metrics lack the create: %v", m)
	}
	if h := metricWith(fams, "carmed_request_duration_seconds", map[string]string{"operation": "cpas.createCarmed"}); h.GetHistogram().GetSampleCount() != 1 {
		t.Fatalf("metrics lack the create's latency: %v", h)
	}
	s, w := get("/cpas/v1?wsdl")
	if s != 200 || !strings.Contains(w, `schemaLocation="/cpas/v1?xsd=carmed-cpas-v1.xsd"`) || !strings.Contains(w, e.url+"/cpas/v1") {
		t.Fatalf("wsdl %d:\n%.400s", s, w)
	}
	if s, x := get("/cpas/v1?xsd=carmed-cpas-v1.xsd"); s != 200 || !strings.Contains(x, `targetNamespace="urn:carmed:cpas:v1"`) {
		t.Fatalf("xsd %d", s)
	}
	if s, _ := get("/cpas/v1?xsd=../go.mod"); s != 404 {
		t.Fatalf("path traversal in ?xsd= got %d", s)
	}
}
