package server_test

import (
	"testing"

	"github.com/beevik/etree"

	"github.com/carmed/carmed/client"
	"github.com/carmed/carmed/wssec"
)

// rehomeNamespaces does to a message what SAAJ does before JAX-WS hands it to WSS4J: the namespace
// declarations of the Body's descendants move up to the Body element.
func rehomeNamespaces(body *etree.Element) {
	var walk func(e *etree.Element)
	walk = func(e *etree.Element) {
		for _, c := range e.ChildElements() {
			for _, a := range append([]etree.Attr(nil), c.Attr...) {
				if a.Space == "xmlns" {
					c.RemoveAttr(a.FullKey())
					if body.SelectAttr(a.FullKey()) == nil {
						body.CreateAttr(a.FullKey(), a.Value)
					}
				}
			}
			walk(c)
		}
	}
	walk(body)
}

// TestASignedWSSecurityFaultStillVerifiesAfterASOAPStackRehomesItsNamespaces: WSS4J under JAX-WS
// verifies a SAAJ copy of the answer in which the Fault's namespace declarations sit on the Body;
// the gateway's signature over a WS-Security fault must survive that.
func TestASignedWSSecurityFaultStillVerifiesAfterASOAPStackRehomesItsNamespaces(t *testing.T) {
	e := newEnv(t)
	for _, soap12 := range []bool{false, true} {
		c := e.client("cpas-namur")
		c.SOAP12 = soap12
		c.Verifier = nil // read the raw answer; verified below, before and after the rewrite
		doc, err := client.Envelope([]byte(readFixture(t, demoFile("consult.xml"))), soap12)
		if err != nil {
			t.Fatal(err)
		}
		raw, err := doc.WriteToBytes() // unsigned: a wsse:InvalidSecurity fault
		if err != nil {
			t.Fatal(err)
		}
		a, err := c.Post(t.Context(), raw, "urn:carmed:cpas:v1:consultCarmed")
		if err != nil {
			t.Fatal(err)
		}
		if a.Outcome != client.Faulted {
			t.Fatalf("an unsigned request must get a fault, got %v", a.Outcome)
		}
		ans := etree.NewDocument()
		if err := ans.ReadFromBytes(a.Raw); err != nil {
			t.Fatal(err)
		}
		v := &wssec.Verifier{Trust: client.Pinned{Cert: e.gw}, Now: e.clock.Now}
		if _, err := v.Verify(ans.Copy()); err != nil {
			t.Fatalf("soap12=%v: the fault as sent does not verify: %v", soap12, err)
		}
		rehomeNamespaces(ans.FindElement("//Body"))
		if _, err := v.Verify(ans); err != nil {
			t.Fatalf("soap12=%v: the fault no longer verifies once its namespaces sit on the Body: %v", soap12, err)
		}
	}
}
