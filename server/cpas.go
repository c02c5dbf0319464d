package server

import (
	"encoding/xml"
	"net/http"

	"github.com/beevik/etree"

	"github.com/carmed/carmed"
	"github.com/carmed/carmed/schema"
	"github.com/carmed/carmed/trust"
)

// NSCpas is the CPAS service namespace (design §1).
const NSCpas = "urn:carmed:cpas:v1"

// cpasFace lists the CPAS operations, dispatched on the verified Body child's QName.
func (s *Server) cpasFace() (*face, error) {
	return newFace("cpas", NSCpas, "xsd/carmed-cpas-v1.xsd", trust.KindCPAS, cpasFaultDetail, []handler{
		{"createCarmed", s.createCarmed},
		{"modifyCarmed", s.modifyCarmed},
		{"stopCarmed", s.stopCarmed},
		{"closeCarmed", s.closeCarmed},
		{"consultCarmed", s.consultCarmed},
		{"simulate", s.simulate},
		{"queryCarmedManager", s.queryCarmedManager},
		{"consultNotices", s.consultNotices},
	})
}

// handler is one operation of a project face: its lowerCamelCase name and what serves it.
type handler struct {
	name   string
	handle func(c *call) *reply
}

// newFace builds a project face (CPAS, harness): every operation is for one party kind, its
// request element is NAME+"Request" in ns and its SOAPAction ns:NAME; the schema is compiled
// from the embedded contracts.
func newFace(name, ns, xsd string, kind trust.Kind, detail func(*call, *Fault) *etree.Element, hs []handler) (*face, error) {
	m := make(map[xml.Name]*operation, len(hs))
	for _, h := range hs {
		m[xml.Name{Space: ns, Local: h.name + "Request"}] = &operation{name: h.name, action: ns + ":" + h.name, kind: kind, handle: h.handle}
	}
	sch, err := schema.Compile(carmed.Contracts, xsd)
	if err != nil {
		return nil, err
	}
	return &face{name: name, schema: sch, ops: m, detail: detail}, nil
}

func (s *Server) serveCPAS(w http.ResponseWriter, r *http.Request) {
	s.serveFace(w, r, s.cpas, "carmed-cpas-v1.wsdl", "/cpas/v1")
}

// serveFace answers POST with the SOAP pipeline and GET with the face's contract.
func (s *Server) serveFace(w http.ResponseWriter, r *http.Request, fc *face, wsdl, path string) {
	switch r.Method {
	case http.MethodPost:
		s.serveSOAP(w, r, fc)
	case http.MethodGet, http.MethodHead:
		s.serveContract(w, r, wsdl, path)
	default:
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	}
}

// cpasFaultDetail is the carmedFault element: informationCBSS and the error with its reason code.
func cpasFaultDetail(c *call, f *Fault) *etree.Element {
	d := etree.NewElement("tns:carmedFault")
	d.CreateAttr("xmlns:tns", NSCpas)
	cbss := d.CreateElement("informationCBSS")
	cbss.CreateElement("ticketCBSS").SetText(newTicketCBSS())
	cbss.CreateElement("timestampReceive").SetText(xsdDateTime(c.received))
	cbss.CreateElement("timestampReply").SetText(xsdDateTime(c.s.cfg.Now()))
	faultError(d, f)
	return d
}

// faultError appends the error element of the project faces' fault detail (carmedFault,
// harnessFault): severity, reason code, diagnostic and information pairs, clipped to the XSD.
func faultError(d *etree.Element, f *Fault) {
	e := d.CreateElement("error")
	e.CreateElement("severity").SetText("FATAL")
	e.CreateElement("reasonCode").SetText(f.Code)
	e.CreateElement("diagnostic").SetText(truncate(f.Reason, 256))
	for _, in := range f.info {
		i := e.CreateElement("information")
		i.CreateElement("fieldName").SetText(truncate(in.Name, 64))
		i.CreateElement("fieldValue").SetText(truncate(in.Value, 256))
	}
}
