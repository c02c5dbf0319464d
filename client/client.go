// Package client is the signing SOAP client behind `carmed call` and the end-to-end tests: it wraps
// a request payload in an envelope, signs it with WS-Security, sends it, and verifies the signed answer.
package client

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/beevik/etree"

	"github.com/carmed/carmed/wssec"
)

const (
	nsSoap11 = "http://schemas.xmlsoap.org/soap/envelope/"
	nsSoap12 = "http://www.w3.org/2003/05/soap-envelope"
	// maxAnswerBytes bounds what we read back from a server.
	maxAnswerBytes = 32 << 20 // a CAAMI send of 10,000 lines is answered line by line (~15 MiB with a warning on each)
)

// Outcome classifies an answer: what `carmed call` turns into its exit status.
type Outcome int

const (
	Success  Outcome = iota // DATA_FOUND or NO_DATA_FOUND (or an eHealth Success)
	Rejected                // NO_RESULT: a business rejection
	Faulted                 // a SOAP Fault
)

func (o Outcome) String() string {
	return [...]string{"success", "rejected", "fault"}[o]
}

// Client signs and sends requests.
type Client struct {
	URL    string
	Signer *wssec.Signer
	// Verifier checks the gateway's signature on answers; nil skips verification (never the default in cmd).
	Verifier *wssec.Verifier
	SOAP12   bool
	HTTP     *http.Client
}

// Answer is a server's reply.
type Answer struct {
	HTTPStatus  int
	Raw         []byte
	Payload     *etree.Element // the Body's first element (a Fault included)
	Outcome     Outcome
	StatusValue string // status/value (CPAS face) or the StatusCode URI (eHealth face)
	Code        string // status/code, or the fault code
	Verified    bool
}

// Envelope wraps a payload document in a SOAP envelope of the chosen version.
func Envelope(payload []byte, soap12 bool) (*etree.Document, error) {
	pd := etree.NewDocument()
	if err := pd.ReadFromBytes(payload); err != nil {
		return nil, fmt.Errorf("request payload is not XML: %w", err)
	}
	root := pd.Root()
	if root == nil {
		return nil, errors.New("request payload is empty")
	}
	ns := nsSoap11
	if soap12 {
		ns = nsSoap12
	}
	doc := etree.NewDocument()
	doc.CreateProcInst("xml", `version="1.0" encoding="UTF-8"`)
	env := doc.CreateElement("soapenv:Envelope")
	env.CreateAttr("xmlns:soapenv", ns)
	env.CreateElement("soapenv:Header")
	body := env.CreateElement("soapenv:Body")
	body.AddChild(root.Copy())
	return doc, nil
}

// SOAPAction of a payload: the service namespace, ':' and the operation, which is the root name less
// "Request" in lowerCamelCase (createCarmedRequest → createCarmed; the eHealth
// ConsultCarmedInterventionRequest → consultCarmedIntervention), except for the requests of
// otherActions.
func SOAPAction(root *etree.Element) string {
	if a, ok := otherActions[root.NamespaceURI()+" "+root.Tag]; ok {
		return a
	}
	op := strings.TrimSuffix(root.Tag, "Request")
	if op != "" && 'A' <= op[0] && op[0] <= 'Z' {
		op = string(op[0]+'a'-'A') + op[1:]
	}
	return root.NamespaceURI() + ":" + op
}

// nsUMA is the eHealth MediPrima UMA v1 protocol namespace.
const nsUMA = "urn:be:fgov:ehealth:mediprima:uma:protocol:v1"

// otherActions are the SOAPActions (by "namespace local-name" of the request) that the naming rule
// does not give: eHealth UMA v1's are the service's own, "…MedicalEmergencyAttestion" misspelling
// included (wsdl/ehealth-mediprima-uma-v1.wsdl), and a gateway refuses a SOAPAction that is not
// the operation's.
var otherActions = map[string]string{
	nsUMA + " SendUrgentMedicalAidAttestationRequest":   nsUMA + ":sendMedicalEmergencyAttestion",
	nsUMA + " SearchUrgentMedicalAidAttestationRequest": nsUMA + ":searchMedicalEmergencyAttestion",
	nsUMA + " DeleteUrgentMedicalAidAttestationRequest": nsUMA + ":deleteMedicalEmergencyAttestion",
}

// Call signs payload (an operation element), posts it and reads the answer.
func (c *Client) Call(ctx context.Context, payload []byte, action string) (*Answer, error) {
	doc, err := Envelope(payload, c.SOAP12)
	if err != nil {
		return nil, err
	}
	if action == "" {
		action = SOAPAction(doc.FindElement("//Body/*"))
	}
	if err := c.Signer.SignEnvelope(doc); err != nil {
		return nil, fmt.Errorf("signing: %w", err)
	}
	raw, err := doc.WriteToBytes()
	if err != nil {
		return nil, err
	}
	return c.Post(ctx, raw, action)
}

// Post sends an already-built envelope as is (used for replays and for hand-signed messages).
func (c *Client) Post(ctx context.Context, envelope []byte, action string) (*Answer, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.URL, bytes.NewReader(envelope))
	if err != nil {
		return nil, err
	}
	if c.SOAP12 {
		req.Header.Set("Content-Type", fmt.Sprintf(`application/soap+xml; charset=utf-8; action="%s"`, action))
	} else {
		req.Header.Set("Content-Type", "text/xml; charset=utf-8")
		req.Header.Set("SOAPAction", `"`+action+`"`)
	}
	hc := c.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: 30 * time.Second}
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxAnswerBytes))
	if err != nil {
		return nil, err
	}
	return c.Read(resp.StatusCode, raw)
}

// Read parses and verifies an answer and classifies it.
func (c *Client) Read(httpStatus int, raw []byte) (*Answer, error) {
	a := &Answer{HTTPStatus: httpStatus, Raw: raw}
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(raw); err != nil {
		return a, fmt.Errorf("answer is not XML (HTTP %d)", httpStatus)
	}
	if c.Verifier != nil {
		v, err := c.Verifier.Verify(doc)
		if err != nil {
			return a, fmt.Errorf("the answer's signature does not verify: %w", err)
		}
		a.Verified = true
		a.Payload = v.Payload
	} else {
		a.Payload = doc.FindElement("//Body/*")
	}
	if a.Payload == nil {
		return a, errors.New("answer has an empty Body")
	}
	classify(a)
	return a, nil
}

func classify(a *Answer) {
	p := a.Payload
	if p.Tag == "Fault" {
		a.Outcome = Faulted
		if fc := p.FindElement("faultcode"); fc != nil {
			a.Code = fc.Text()
		} else if sv := p.FindElement("./Code/Subcode/Value"); sv != nil {
			a.Code = sv.Text()
		} else if v := p.FindElement("./Code/Value"); v != nil {
			a.Code = v.Text()
		}
		if rc := p.FindElement(".//error/reasonCode"); rc != nil {
			a.Code += " " + rc.Text()
		}
		return
	}
	if v := p.FindElement("./status/value"); v != nil {
		a.StatusValue = v.Text()
		if code := p.FindElement("./status/code"); code != nil {
			a.Code = code.Text()
		}
		if a.StatusValue == "NO_RESULT" {
			a.Outcome = Rejected
		}
		return
	}
	if sc := p.FindElement("./Status/StatusCode"); sc != nil {
		a.StatusValue = sc.SelectAttrValue("Value", "")
		if !strings.HasSuffix(a.StatusValue, ":Success") {
			a.Outcome = Rejected
		}
		// The first reason code of the service's detail: Consult v2's MedicalCardRegistryMessage,
		// UMA v1's RegistryStatus/ErrorDetail.
		if rc := p.FindElement("./Status/StatusDetail//ReasonCode"); rc != nil {
			a.Code = rc.Text()
		} else if rc := p.FindElement("./Status/StatusDetail/RegistryStatus/ErrorDetail/Code"); rc != nil {
			a.Code = rc.Text()
		}
	}
}

// Set replaces the text of every element with the given local name in a payload (`carmed call --set`),
// so fixture files stay schema-valid while a user points them at another decision number or ticket.
func Set(payload []byte, sets map[string]string) ([]byte, error) {
	if len(sets) == 0 {
		return payload, nil
	}
	doc := etree.NewDocument()
	if err := doc.ReadFromBytes(payload); err != nil {
		return nil, err
	}
	for name, val := range sets {
		els := doc.FindElements("//" + name)
		if len(els) == 0 {
			return nil, fmt.Errorf("--set %s: no such element in the request", name)
		}
		for _, e := range els {
			e.SetText(val)
		}
	}
	return doc.WriteToBytes()
}
