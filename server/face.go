package server

import (
	"encoding/xml"
	"errors"
	"fmt"
	"net/http"
	"sync"

	"github.com/beevik/etree"

	"github.com/carmed/carmed"
	"github.com/carmed/carmed/schema"
	"github.com/carmed/carmed/trust"
	"github.com/carmed/carmed/wssec"
)

// A face is one SOAP service of design §1 (CPAS, provider, harness, and the UMA and CAAMI faces
// to come). Adding one is three steps, all in the face's own package under face/:
//
//  1. write a Handler per operation: decode the request with Call.Decode, map it to a rules
//     command, run it on the store (Call.Once for a write), and answer with MarshalBytes (Answer.Body);
//  2. list them in a Face with the service's path, WSDL, XSD and fault detail;
//  3. call Register from the face's own Register function, and call that from package gateway.
//
// The pipeline does the rest: the door, WS-Security, the replay check, the party and its kind,
// dispatch on the verified Body's QName, schema validation, sealing the answer or the fault, the
// log line and the metrics.
//
// Tenants (design §4): package gateway builds one pipeline per tenant, served under its prefix
// (Config.Prefix, "/t/NAME"), and registers every face on each (gateway.pipeline). A face is
// tenant-aware when it takes its world from the pipeline it is registered with — srv.Store(),
// srv.Trust(), Call.Today(), and what its Config is given per pipeline (the harness clock) — and
// keeps no state of its own beyond that: no package variables, no store or clock captured
// elsewhere. Its Path stays unprefixed; the pipeline adds the prefix to the route and the WSDL.
type Face struct {
	Name string // in logs and metric labels ("cpas" → operation "cpas.createCarmed")
	Path string // where it is served: POST for SOAP, GET ?wsdl / ?xsd= for its contract
	WSDL string // its WSDL, a file of wsdl/ in the embedded contracts
	// Schema is the XSD its requests are validated against, a path in the embedded contracts. It
	// is empty only for a face whose wire the validator cannot enforce (the token service's SAML
	// 1.1 protocol types values as xs:anyType): such a face checks its request's shape itself.
	Schema string
	// Detail is the service's fault element for a fault's Detail; nil or a nil result for none.
	Detail     func(c *Call, f *Fault) *etree.Element
	Operations []Operation
	// SAML accepts, besides the X.509 token profile, a request signed with a SAML 1.1
	// holder-of-key assertion of a token service the trust file names; the party is then read from
	// the assertion (saml.go). The provider faces turn it on.
	SAML bool
	// AllowSHA1 turns the legacy SHA-1 switch on for this face alone (the token service: the
	// official eHealth connector signs its STS request with RSA-SHA1).
	AllowSHA1 bool
	// Door is the face's budget for one request (limits.go); nil = DefaultDoor.
	Door *Door
}

// Operation is one operation of a face, found by the qualified name of the verified Body's child.
type Operation struct {
	Element xml.Name   // the request element
	Name    string     // for logs and metrics
	Action  string     // its SOAPAction, checked for consistency when a client sends one
	Kind    trust.Kind // the only party kind that may call it
	Handle  Handler
	// SchemaRefusal, when set, sees a verified request the schema refuses: the service's own
	// business refusal for it (UMA answers a search without criteria with its reason code), or
	// nil and nil to send the schema fault. It decodes, writes nothing and never runs Handle.
	SchemaRefusal func(c *Call, err error) (*Answer, error)
}

// Handler serves one verified, schema-valid request. It answers the operation's response, or an
// error: a *Fault (sealed as a SOAP Fault, e.g. SchemaFault or TechnicalFault), a Rejection (its
// business answer is sent and nothing is written), or any other error — a server fault whose
// cause goes to the log only.
type Handler func(c *Call) (*Answer, error)

// face is a registered Face with its compiled schema and its operations by request element.
type face struct {
	Face
	schema   *schema.Schema // nil: the face checks its own requests (Face.Schema)
	ops      map[xml.Name]*Operation
	door     Door
	verifier *wssec.Verifier // the pipeline's, with this face's SAML and SHA-1 choices and door
}

// Register serves f at f.Path (under Config.Prefix, a tenant's pipeline). It fails on a schema that does not compile, a path already taken
// or two operations with one request element.
func (s *Server) Register(f Face) error {
	if f.Name == "" || f.Path == "" || f.WSDL == "" {
		return errors.New("server: a face needs a name, a path and a WSDL")
	}
	var sch *schema.Schema
	if f.Schema != "" {
		var err error
		if sch, err = compiledSchema(f.Schema); err != nil {
			return fmt.Errorf("server: %s contract: %w", f.Name, err)
		}
	}
	fc := &face{Face: f, schema: sch, ops: make(map[xml.Name]*Operation, len(f.Operations)), door: DefaultDoor,
		verifier: s.verifierFor(f)}
	if f.Door != nil {
		fc.door = *f.Door
		fc.verifier.MaxNodes = f.Door.MaxElements // verifierFor made this face its own copy
	}
	for i := range f.Operations {
		op := &f.Operations[i]
		if fc.ops[op.Element] != nil {
			return fmt.Errorf("server: %s: two operations for %s", f.Name, op.Element.Local)
		}
		fc.ops[op.Element] = op
	}
	if s.faces[f.Path] {
		return fmt.Errorf("server: %s is already served", f.Path)
	}
	s.faces[f.Path] = true
	s.mux.HandleFunc(s.cfg.Prefix+f.Path, func(w http.ResponseWriter, r *http.Request) { s.serveFace(w, r, fc) })
	return nil
}

// compiled holds each contract schema compiled once for the process: gateway builds one pipeline
// per tenant (and again on each reset), every one registering the same faces, and the contracts are
// embedded and never change. A *schema.Schema is read-only once compiled (requests already validate
// against one concurrently), so the pipelines can share it.
var compiled = struct {
	sync.Mutex
	m map[string]*schema.Schema
}{m: map[string]*schema.Schema{}}

// compiledSchema is the schema of the embedded contract file, compiled on first use.
func compiledSchema(file string) (*schema.Schema, error) {
	compiled.Lock()
	defer compiled.Unlock()
	if sch := compiled.m[file]; sch != nil {
		return sch, nil
	}
	sch, err := schema.Compile(carmed.Contracts, file)
	if err != nil {
		return nil, err
	}
	compiled.m[file] = sch
	return sch, nil
}

// serveFace answers POST with the SOAP pipeline and GET with the face's contract.
func (s *Server) serveFace(w http.ResponseWriter, r *http.Request, fc *face) {
	switch r.Method {
	case http.MethodPost:
		s.serveSOAP(w, r, fc)
	case http.MethodGet, http.MethodHead:
		s.serveContract(w, r, fc.WSDL, fc.Path)
	default:
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	}
}
