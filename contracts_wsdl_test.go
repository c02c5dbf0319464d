package carmed_test

import (
	"io/fs"
	"strings"
	"testing"

	"github.com/beevik/etree"
	"github.com/carmed/carmed"
)

const (
	wsdlNS   = "http://schemas.xmlsoap.org/wsdl/"
	soap11NS = "http://schemas.xmlsoap.org/wsdl/soap/"
	soap12NS = "http://schemas.xmlsoap.org/wsdl/soap12/"
	xsNS     = "http://www.w3.org/2001/XMLSchema"
)

func embeddedDoc(t *testing.T, file string) *etree.Document {
	t.Helper()
	b, err := fs.ReadFile(carmed.Contracts, file)
	if err != nil {
		t.Fatalf("%s is not embedded in carmed.Contracts: %v", file, err)
	}
	return parseDoc(t, b)
}

// children are e's child elements of one namespace and local name.
func children(e *etree.Element, ns, local string) []*etree.Element {
	var out []*etree.Element
	for _, c := range e.ChildElements() {
		if c.Tag == local && c.NamespaceURI() == ns {
			out = append(out, c)
		}
	}
	return out
}

// wsdlOperations are the portType's operation names, in order.
func wsdlOperations(t *testing.T, wsdl string) []string {
	t.Helper()
	root := embeddedDoc(t, wsdl).Root()
	var ops []string
	for _, pt := range children(root, wsdlNS, "portType") {
		for _, op := range children(pt, wsdlNS, "operation") {
			ops = append(ops, op.SelectAttrValue("name", ""))
		}
	}
	if len(ops) == 0 {
		t.Fatalf("%s has no operation", wsdl)
	}
	return ops
}

// TestEachServiceContractBindsEveryOperationTheSameWay checks the conventions a client generator
// relies on: document/literal wrapped (messages name the opRequest / opResponse elements the XSD
// declares), one fault element, both SOAP bindings for every operation with SOAPAction
// "namespace:operation" (what `carmed call` derives from the payload), and the service path.
func TestEachServiceContractBindsEveryOperationTheSameWay(t *testing.T) {
	for _, c := range []struct{ wsdl, xsd, ns, fault, path string }{
		{"wsdl/carmed-cpas-v1.wsdl", cpasXSD, cpasNS, "carmedFault", "/cpas/v1"},
		{"wsdl/carmed-harness-v1.wsdl", harnessXSD, harnessNS, "harnessFault", "/harness/v1"},
		{"wsdl/carmed-caami-v1.wsdl", caamiXSD, caamiNS, "caamiFault", "/caami/v1"},
	} {
		t.Run(c.wsdl, func(t *testing.T) {
			root := embeddedDoc(t, c.wsdl).Root()
			globals := map[string]bool{}
			for _, e := range children(embeddedDoc(t, c.xsd).Root(), xsNS, "element") {
				globals[e.SelectAttrValue("name", "")] = true
			}
			messages := map[string]string{} // message name → element local name
			for _, m := range children(root, wsdlNS, "message") {
				for _, p := range children(m, wsdlNS, "part") {
					el := p.SelectAttrValue("element", "")
					if !strings.HasPrefix(el, "tns:") || !globals[strings.TrimPrefix(el, "tns:")] {
						t.Errorf("message %s names %s, not a global element of %s", m.SelectAttrValue("name", ""), el, c.xsd)
					}
					messages[m.SelectAttrValue("name", "")] = strings.TrimPrefix(el, "tns:")
				}
			}
			ops := wsdlOperations(t, c.wsdl)
			for _, pt := range children(root, wsdlNS, "portType") {
				for _, op := range children(pt, wsdlNS, "operation") {
					name := op.SelectAttrValue("name", "")
					for dir, suffix := range map[string]string{"input": "Request", "output": "Response", "fault": ""} {
						io := children(op, wsdlNS, dir)
						want := name + suffix
						if dir == "fault" {
							want = c.fault
						}
						if len(io) != 1 || messages[strings.TrimPrefix(io[0].SelectAttrValue("message", ""), "tns:")] != want {
							t.Errorf("%s: %s is not the element %s", name, dir, want)
						}
					}
				}
			}
			bindings := children(root, wsdlNS, "binding")
			if len(bindings) != 2 {
				t.Fatalf("%d bindings, want SOAP 1.1 and SOAP 1.2", len(bindings))
			}
			for _, b := range bindings {
				soapNS := soap11NS
				if len(children(b, soap12NS, "binding")) == 1 {
					soapNS = soap12NS
				}
				bound := map[string]string{}
				for _, op := range children(b, wsdlNS, "operation") {
					for _, so := range children(op, soapNS, "operation") {
						bound[op.SelectAttrValue("name", "")] = so.SelectAttrValue("soapAction", "")
					}
				}
				for _, op := range ops {
					if got, want := bound[op], c.ns+":"+op; got != want {
						t.Errorf("binding %s: operation %s has SOAPAction %q, want %q", b.SelectAttrValue("name", ""), op, got, want)
					}
				}
				if len(bound) != len(ops) {
					t.Errorf("binding %s binds %d operations, the portType has %d", b.SelectAttrValue("name", ""), len(bound), len(ops))
				}
			}
			for _, svc := range children(root, wsdlNS, "service") {
				for _, port := range children(svc, wsdlNS, "port") {
					for _, a := range port.ChildElements() {
						if a.Tag == "address" && !strings.HasSuffix(a.SelectAttrValue("location", ""), c.path) {
							t.Errorf("port %s is at %s, want the path %s", port.SelectAttrValue("name", ""), a.SelectAttrValue("location", ""), c.path)
						}
					}
				}
			}
		})
	}
}

func TestTheCpasContractOffersConsultNotices(t *testing.T) {
	for _, op := range wsdlOperations(t, "wsdl/carmed-cpas-v1.wsdl") {
		if op == "consultNotices" {
			return
		}
	}
	t.Fatal("consultNotices is not an operation of the CPAS service")
}

func TestTheHarnessContractOffersItsThirteenOperations(t *testing.T) {
	got := strings.Join(wsdlOperations(t, "wsdl/carmed-harness-v1.wsdl"), " ")
	if want := "loadRegistry applyMutation setClock listNotices consultPerson verifyAgreement " +
		"createTenant listTenants resetTenant deleteTenant closeMonth setStatementFormat getSppFile"; got != want {
		t.Fatalf("operations %q, want %q", got, want)
	}
}
