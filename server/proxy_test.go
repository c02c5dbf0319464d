package server_test

import (
	"github.com/carmed/carmed/server"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// wsdlVia asks the gateway for path (a ?wsdl or ?xsd= URL) from peer with the given headers, and
// answers the document.
func wsdlVia(t *testing.T, s *server.Server, peer, path string, h http.Header) string {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, "http://gateway.internal:8080"+path, nil)
	req.RemoteAddr = peer
	for k, vs := range h {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("GET %s: HTTP %d", path, rec.Code)
	}
	b, _ := io.ReadAll(rec.Body)
	return string(b)
}

// address is the soap:address location of a WSDL.
func address(t *testing.T, wsdl string) string {
	t.Helper()
	const attr = `<soap:address location="`
	i := strings.Index(wsdl, attr)
	if i < 0 {
		t.Fatalf("no soap:address in\n%.300s", wsdl)
	}
	rest := wsdl[i+len(attr):]
	return rest[:strings.IndexByte(rest, '"')]
}

// proxyCase is a WSDL request from peer with headers h, and the soap:address it must name.
type proxyCase struct {
	name, peer string
	h          http.Header
	want       string
}

// TestWSDLAddressBehindAProxy: the service address in the WSDLs follows the Forwarded or
// X-Forwarded-* headers of a configured trusted proxy only; from any other peer, or when a value
// is not a plain host, the request's own Host is used and the headers' value appears nowhere.
func TestWSDLAddressBehindAProxy(t *testing.T) {
	e := newEnv(t)
	proxies, err := server.ParseTrustedProxies(" 10.1.0.0/16, 2001:db8::7 ")
	if err != nil {
		t.Fatal(err)
	}
	e.srv.SetTrustedProxies(proxies) // as `serve --trusted-proxy '10.1.0.0/16,2001:db8::7'`

	const (
		trusted   = "10.1.2.3:40000"
		trusted6  = "[2001:db8::7]:40000"
		untrusted = "192.0.2.9:40000"
		direct    = "http://gateway.internal:8080/cpas/v1"
	)
	hdr := func(kv ...string) http.Header {
		h := http.Header{}
		for i := 0; i < len(kv); i += 2 {
			h.Add(kv[i], kv[i+1])
		}
		return h
	}
	cases := []proxyCase{
		{"no proxy headers: the request's Host", trusted, nil, direct},
		{"Forwarded from a trusted proxy", trusted,
			hdr("Forwarded", `for=192.0.2.60;proto=https;host="carmed.example.be:8443"`), "https://carmed.example.be:8443/cpas/v1"},
		{"Forwarded with a bare host:port and upper-case names", trusted,
			hdr("Forwarded", `For=192.0.2.60;Proto=HTTPS;Host=carmed.example.be:8443`), "https://carmed.example.be:8443/cpas/v1"},
		{"Forwarded from a trusted IPv6 proxy", trusted6,
			hdr("Forwarded", `proto=https;host=carmed.example.be`), "https://carmed.example.be/cpas/v1"},
		{"X-Forwarded-* from a trusted proxy, with a prefix", trusted,
			hdr("X-Forwarded-Proto", "https", "X-Forwarded-Host", "carmed.example.be", "X-Forwarded-Prefix", "/mediprima/"),
			"https://carmed.example.be/mediprima/cpas/v1"},
		{"an IPv6 literal host", trusted, hdr("X-Forwarded-Host", "[2001:db8::42]:8443"), "http://[2001:db8::42]:8443/cpas/v1"},
		{"the element the trusted proxy appended wins over one the client sent", trusted,
			hdr("Forwarded", `host=evil.example;proto=http`, "Forwarded", `for=192.0.2.60;host=carmed.example.be;proto=https`),
			"https://carmed.example.be/cpas/v1"},
		{"the X-Forwarded-Host value the trusted proxy appended wins", trusted,
			hdr("X-Forwarded-Host", "evil.example, carmed.example.be"), "http://carmed.example.be/cpas/v1"},
		{"Forwarded wins over X-Forwarded-*", trusted,
			hdr("Forwarded", `host=carmed.example.be`, "X-Forwarded-Host", "evil.example"), "http://carmed.example.be/cpas/v1"},
		{"Forwarded from an untrusted peer is ignored", untrusted,
			hdr("Forwarded", `proto=https;host=evil.example`), direct},
		{"X-Forwarded-* from an untrusted peer are ignored", untrusted,
			hdr("X-Forwarded-Proto", "https", "X-Forwarded-Host", "evil.example", "X-Forwarded-Prefix", "/evil"), direct},
		{"a peer next to the trusted range is not trusted", "10.2.0.1:40000", hdr("X-Forwarded-Host", "evil.example"), direct},
	}
	// Hosts a trusted proxy might pass on from a client: none is a plain host[:port].
	for _, bad := range []string{`evil.example/phish`, `evil.example"/><x a="`, `evil.example evil`, `evil.example:99999`,
		`evil.example:80:80`, `evil..example`, `-evil.example`, `user@evil.example`, `[fe80::1%eth0]`, `[2001:db8::1`,
		`evil.example:`, `evil.example?x=1`, `evil.example#x`, `evil_example`, strings.Repeat("evil.", 60) + "example"} {
		cases = append(cases,
			proxyCase{"X-Forwarded-Host " + bad + " is refused", trusted, hdr("X-Forwarded-Host", bad), direct},
			proxyCase{"Forwarded host " + bad + " is refused", trusted,
				hdr("Forwarded", `proto=https;host="`+strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(bad)+`"`), "https://gateway.internal:8080/cpas/v1"})
	}
	for _, bad := range []string{`for=x;host=evil.example;host=other.example`, `host="evil.example`, `host=evil.example;;proto`,
		`host=evil example`, `=evil.example`} {
		cases = append(cases, proxyCase{"a malformed Forwarded " + bad + " is ignored whole", trusted, hdr("Forwarded", bad), direct})
	}
	cases = append(cases, []proxyCase{
		{"a proto other than http or https is refused", trusted, hdr("X-Forwarded-Proto", "javascript"), direct},
		{"a prefix with a dot-dot segment is refused", trusted, hdr("X-Forwarded-Prefix", "/a/../evil"), direct},
		{"a prefix that is not a path is refused", trusted, hdr("X-Forwarded-Prefix", "//evil.example"), direct},
		{"a prefix with a quote is refused", trusted, hdr("X-Forwarded-Prefix", `/a"b`), direct},
	}...)

	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := wsdlVia(t, e.srv, tc.peer, "/cpas/v1?wsdl", tc.h)
			if got := address(t, w); got != tc.want {
				t.Fatalf("soap:address %s, want %s", got, tc.want)
			}
			if strings.Contains(w, "evil") {
				t.Fatalf("a refused value reached the WSDL:\n%s", w)
			}
			prefix := ""
			if strings.Contains(tc.want, "/mediprima/") {
				prefix = "/mediprima"
			}
			if want := `schemaLocation="` + prefix + `/cpas/v1?xsd=carmed-cpas-v1.xsd"`; !strings.Contains(w, want) {
				t.Fatalf("the WSDL lacks %s", want)
			}
		})
	}
}

// TestSchemaLinksBehindAProxy: the imports between served schemas carry the prefix of a trusted
// proxy, and only of a trusted one.
func TestSchemaLinksBehindAProxy(t *testing.T) {
	e := newEnv(t)
	ps, _ := server.ParseTrustedProxies("10.1.2.3")
	e.srv.SetTrustedProxies(ps)
	h := http.Header{"X-Forwarded-Prefix": {"/mediprima"}}
	const path = "/MediPrima/Consult/v2?xsd=ehealth-mediprima-protocol-v2.xsd"
	if x := wsdlVia(t, e.srv, "10.1.2.3:1", path, h); !strings.Contains(x,
		`schemaLocation="/mediprima/MediPrima/Consult/v2?xsd=ehealth-mediprima-core-v2.xsd"`) {
		t.Fatalf("through the trusted proxy the schema import lacks the prefix:\n%.600s", x)
	}
	if x := wsdlVia(t, e.srv, "10.1.2.4:1", path, h); !strings.Contains(x,
		`schemaLocation="/MediPrima/Consult/v2?xsd=ehealth-mediprima-core-v2.xsd"`) || strings.Contains(x, "/mediprima/") {
		t.Fatalf("from an untrusted peer the prefix was used:\n%.600s", x)
	}
}

// TestParseTrustedProxies: addresses and prefixes, IPv4 and IPv6; anything else is refused.
func TestParseTrustedProxies(t *testing.T) {
	ps, err := server.ParseTrustedProxies("10.0.0.1, 192.168.0.0/24,2001:db8::/32,::ffff:10.9.9.9")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, p := range ps {
		got = append(got, p.String())
	}
	if strings.Join(got, " ") != "10.0.0.1/32 192.168.0.0/24 2001:db8::/32 10.9.9.9/32" {
		t.Fatalf("parsed %v", got)
	}
	for _, bad := range []string{"10.0.0.300", "10.0.0.0/33", "proxy.example", "fe80::1%eth0"} {
		if _, err := server.ParseTrustedProxies(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}
