package server_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"net/http"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/beevik/etree"

	"github.com/carmed/carmed/internal/needtool"
)

// The namespaces a policy-driven stack looks for: WS-SecurityPolicy 1.2 and WS-Policy 1.5.
const (
	policyNS = "http://www.w3.org/ns/ws-policy"
	spNS     = "http://docs.oasis-open.org/ws-sx/ws-securitypolicy/200702"
	wsuNS    = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"
	wsdl11NS = "http://schemas.xmlsoap.org/wsdl/"
)

// servedContracts are the services whose WSDL a client downloads, with the service each declares.
var servedContracts = []struct{ path, service string }{
	{"/cpas/v1", "CarmedCpasService"},
	{"/MediPrima/Consult/v2", "MediPrimaConsultService"},
	{"/harness/v1", "CarmedHarnessService"},
	{"/MediPrima/UMA/v1", "MediPrimaUmaService"},
}

// fetchWSDL GETs PATH?wsdl from the running gateway.
func fetchWSDL(t *testing.T, e *env, path string) []byte {
	t.Helper()
	resp, err := http.Get(e.url + path + "?wsdl")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s?wsdl: %d %v", path, resp.StatusCode, err)
	}
	return b
}

// kids are e's child elements of one namespace and local name.
func kids(e *etree.Element, ns, local string) []*etree.Element {
	var out []*etree.Element
	for _, c := range e.ChildElements() {
		if c.Tag == local && c.NamespaceURI() == ns {
			out = append(out, c)
		}
	}
	return out
}

// only is e's single child of that name, or nil when there is not exactly one.
func only(e *etree.Element, ns, local string) *etree.Element {
	if e == nil {
		return nil
	}
	if k := kids(e, ns, local); len(k) == 1 {
		return k[0]
	}
	return nil
}

// nested is the assertion found by walking down the names, each assertion's content being one
// nested wsp:Policy as WS-SecurityPolicy requires.
func nested(e *etree.Element, path ...string) *etree.Element {
	for _, name := range path {
		e = only(only(e, policyNS, "Policy"), spNS, name)
	}
	return e
}

// assertions resolves a wsp:PolicyReference child of e to the assertions of the one alternative of
// the policy it names; nil when there is no reference or it does not resolve.
func assertions(e *etree.Element, policies map[string]*etree.Element) *etree.Element {
	ref := only(e, policyNS, "PolicyReference")
	if ref == nil || !strings.HasPrefix(ref.SelectAttrValue("URI", ""), "#") {
		return nil
	}
	p := policies[strings.TrimPrefix(ref.SelectAttrValue("URI", ""), "#")]
	return only(only(p, policyNS, "ExactlyOne"), policyNS, "All")
}

// TestServedWSDLsCarryTheSecurityPolicy: a stack that configures WS-Security from the contract (CXF,
// WCF, Metro) finds on every binding of every served WSDL an X.509 asymmetric binding — client token
// sent to the gateway, gateway token sent back, SHA-256 suite, exclusive c14n, signed Timestamp,
// whole-element signatures — and on every input, output and fault a signed Body, in the WS-SecurityPolicy
// 1.2 and WS-Policy 1.5 namespaces, referenced by wsu:Id.
func TestServedWSDLsCarryTheSecurityPolicy(t *testing.T) {
	e := newEnv(t)
	for _, c := range servedContracts {
		t.Run(c.path, func(t *testing.T) {
			doc := etree.NewDocument()
			if err := doc.ReadFromBytes(fetchWSDL(t, e, c.path)); err != nil {
				t.Fatal(err)
			}
			root := doc.Root()
			policies := map[string]*etree.Element{}
			for _, p := range kids(root, policyNS, "Policy") {
				if id := p.SelectAttr("wsu:Id"); id != nil && id.NamespaceURI() == wsuNS {
					policies[id.Value] = p
				}
			}
			bindings := kids(root, wsdl11NS, "binding")
			if len(bindings) == 0 {
				t.Fatal("no binding")
			}
			for _, b := range bindings {
				name := b.SelectAttrValue("name", "")
				all := assertions(b, policies)
				ab := only(all, spNS, "AsymmetricBinding")
				if ab == nil {
					t.Fatalf("binding %s: no wsp:PolicyReference to a policy with one sp:AsymmetricBinding", name)
				}
				for _, tok := range []struct{ role, include string }{
					{"InitiatorToken", spNS + "/IncludeToken/AlwaysToRecipient"},
					{"RecipientToken", spNS + "/IncludeToken/AlwaysToInitiator"},
				} {
					x := nested(ab, tok.role, "X509Token")
					if x == nil || nested(x, "WssX509V3Token10") == nil {
						t.Errorf("binding %s: %s is not an X.509 v3 token", name, tok.role)
						continue
					}
					if got := x.SelectAttr("sp:IncludeToken"); got == nil || got.NamespaceURI() != spNS || got.Value != tok.include {
						t.Errorf("binding %s: %s IncludeToken %v, want %s", name, tok.role, got, tok.include)
					}
				}
				suite := nested(ab, "AlgorithmSuite")
				if nested(suite, "Basic256Sha256") == nil {
					t.Errorf("binding %s: the algorithm suite is not Basic256Sha256 (SHA-256 digests)", name)
				}
				if nested(suite, "InclusiveC14N") != nil {
					t.Errorf("binding %s: sp:InclusiveC14N, but the gateway accepts exclusive c14n only", name)
				}
				for _, a := range []string{"IncludeTimestamp", "OnlySignEntireHeadersAndBody"} {
					if nested(ab, a) == nil {
						t.Errorf("binding %s: no sp:%s", name, a)
					}
				}
				if nested(ab, "EncryptSignature") != nil || only(all, spNS, "EncryptedParts") != nil {
					t.Errorf("binding %s asks for encryption, which the gateway does not do", name)
				}
				messages := 0
				for _, op := range kids(b, wsdl11NS, "operation") {
					for _, dir := range []string{"input", "output", "fault"} {
						for _, m := range kids(op, wsdl11NS, dir) {
							messages++
							sp := only(assertions(m, policies), spNS, "SignedParts")
							if only(sp, spNS, "Body") == nil {
								t.Errorf("binding %s, %s %s: no policy with sp:SignedParts/sp:Body", name, op.SelectAttrValue("name", ""), dir)
							}
						}
					}
				}
				if messages == 0 {
					t.Errorf("binding %s binds no message", name)
				}
			}
		})
	}
}

// zeepLoad is a zeep client that loads one served WSDL and prints, per port, its operations.
const zeepLoad = `
import json, sys, zeep
client = zeep.Client(sys.argv[1])
print(json.dumps({p.name: sorted(p.binding._operations) for s in client.wsdl.services.values() for p in s.ports.values()}))
`

// TestZeepLoadsTheServedWSDLs: zeep, which ignores WS-Policy, still loads every served WSDL with its
// policies and offers every operation on every port.
func TestZeepLoadsTheServedWSDLs(t *testing.T) {
	py := needtool.PythonWith(t, "zeep")
	e := newEnv(t)
	for _, c := range servedContracts {
		t.Run(c.path, func(t *testing.T) {
			want := portOperations(t, fetchWSDL(t, e, c.path))
			out, err := exec.Command(py, "-c", zeepLoad, e.url+c.path+"?wsdl").CombinedOutput()
			if err != nil {
				t.Fatalf("zeep cannot load %s?wsdl: %v\n%s", c.path, err, out)
			}
			var got map[string][]string
			if err := json.Unmarshal(out, &got); err != nil {
				t.Fatalf("zeep printed %s: %v", out, err)
			}
			for port, ops := range want {
				if !slices.Equal(got[port], ops) {
					t.Errorf("zeep port %s offers %v, the WSDL binds %v", port, got[port], ops)
				}
			}
			if len(got) != len(want) {
				t.Errorf("zeep sees ports %v, the WSDL declares %v", got, want)
			}
		})
	}
}

// portOperations maps each port of the WSDL to the sorted operation names of its binding.
func portOperations(t *testing.T, wsdl []byte) map[string][]string {
	t.Helper()
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(wsdl); err != nil {
		t.Fatal(err)
	}
	bound := map[string][]string{}
	for _, b := range kids(doc.Root(), wsdl11NS, "binding") {
		for _, op := range kids(b, wsdl11NS, "operation") {
			bound[b.SelectAttrValue("name", "")] = append(bound[b.SelectAttrValue("name", "")], op.SelectAttrValue("name", ""))
		}
		slices.Sort(bound[b.SelectAttrValue("name", "")])
	}
	out := map[string][]string{}
	for _, s := range kids(doc.Root(), wsdl11NS, "service") {
		for _, p := range kids(s, wsdl11NS, "port") {
			_, binding, _ := strings.Cut(p.SelectAttrValue("binding", ""), ":")
			out[p.SelectAttrValue("name", "")] = bound[binding]
		}
	}
	return out
}

// phpLoad is PHP's SoapClient loading one served WSDL and printing the operation names it offers.
const phpLoad = `$c = new SoapClient($argv[1], ["cache_wsdl" => WSDL_CACHE_NONE]);
foreach ($c->__getFunctions() as $f) { if (preg_match('/ (\w+)\(/', $f, $m)) echo $m[1], "\n"; }`

// TestOtherStacksImportTheServedWSDLs: PHP's SoapClient and JAX-WS's wsimport (the stub generator
// Java clients start from) import every served WSDL, policies included, without an error or a warning
// other than wsimport's notice that SOAP 1.2 needs -extension. The tools are optional here (Debian
// php-cli and php-soap; jaxws with a JDK): without them the subtest is skipped, CI included, until
// the CI installs them.
func TestOtherStacksImportTheServedWSDLs(t *testing.T) {
	e := newEnv(t)
	t.Run("PHP SoapClient", func(t *testing.T) {
		php, err := exec.LookPath("php")
		if err == nil {
			err = exec.Command(php, "-r", `exit(extension_loaded("soap") ? 0 : 1);`).Run()
		}
		if err != nil {
			t.Skipf("PHP with the soap extension is not installed (Debian php-cli php-soap): %v", err)
		}
		for _, c := range servedContracts {
			out, err := exec.Command(php, "-r", phpLoad, e.url+c.path+"?wsdl").CombinedOutput()
			if err != nil {
				t.Errorf("SoapClient cannot load %s?wsdl: %v\n%s", c.path, err, out)
				continue
			}
			got := slices.Compact(slices.Sorted(slices.Values(strings.Fields(string(out)))))
			var want []string
			for _, ops := range portOperations(t, fetchWSDL(t, e, c.path)) {
				want = append(want, ops...)
			}
			want = slices.Compact(slices.Sorted(slices.Values(want)))
			if !slices.Equal(got, want) {
				t.Errorf("SoapClient offers %v for %s, the WSDL binds %v", got, c.path, want)
			}
		}
	})
	t.Run("wsimport", func(t *testing.T) {
		wsimport, err := exec.LookPath("wsimport")
		if err != nil {
			t.Skipf("wsimport is not installed (Debian jaxws, with a JDK): %v", err)
		}
		for _, c := range servedContracts {
			t.Run(c.path, func(t *testing.T) {
				t.Parallel() // a JVM start each: seconds of wall time otherwise spent waiting
				wsimportOne(t, wsimport, e.url+c.path+"?wsdl", c.service)
			})
		}
	})
}

// wsimportOne generates JAX-WS stubs from url and checks they include the service class.
func wsimportOne(t *testing.T, wsimport, url, service string) {
	t.Helper()
	dir := t.TempDir()
	cmd := exec.Command(wsimport, "-extension", "-Xnocompile", "-d", dir, url)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			t.Fatal(err)
		}
		t.Fatalf("wsimport %s exits %d:\n%s", url, exit.ExitCode(), out.String())
	}
	for _, line := range strings.Split(out.String(), "\n") {
		if strings.Contains(line, "[ERROR]") ||
			strings.Contains(line, "[WARNING]") && !strings.Contains(line, "non-standard SOAP 1.2 binding") {
			t.Errorf("wsimport %s: %s\n%s", url, line, out.String())
		}
	}
	generated := false
	_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		generated = generated || err == nil && d.Name() == service+".java"
		return err
	})
	if !generated {
		t.Errorf("wsimport %s generated no %s.java", url, service)
	}
}
