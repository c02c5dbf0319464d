package server

import (
	"encoding/xml"
	"net/http"

	"github.com/beevik/etree"

	"github.com/carmed/carmed"
	"github.com/carmed/carmed/server/schema"
	"github.com/carmed/carmed/server/trust"
)

// NSCpas is the CPAS service namespace (design §1).
const NSCpas = "urn:carmed:cpas:v1"

// cpasFace lists the CPAS operations, dispatched on the verified Body child's QName.
func (s *Server) cpasFace() (*face, error) {
	op := func(name string, h func(c *call) *reply) *operation {
		return &operation{name: name, action: NSCpas + ":" + name, kind: trust.KindCPAS, handle: h}
	}
	ops := []*operation{
		op("createCarmed", s.createCarmed),
		op("modifyCarmed", s.modifyCarmed),
		op("stopCarmed", s.stopCarmed),
		op("closeCarmed", s.closeCarmed),
		op("consultCarmed", s.consultCarmed),
		op("simulate", s.simulate),
		op("queryCarmedManager", s.queryCarmedManager),
		op("consultNotices", s.consultNotices),
	}
	m := make(map[xml.Name]*operation, len(ops))
	for _, o := range ops {
		m[xml.Name{Space: NSCpas, Local: o.name + "Request"}] = o
	}
	sch, err := schema.Compile(carmed.Contracts, "xsd/carmed-cpas-v1.xsd")
	if err != nil {
		return nil, err
	}
	return &face{name: "cpas", schema: sch, ops: m, detail: cpasFaultDetail}, nil
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
	e := d.CreateElement("error")
	e.CreateElement("severity").SetText("FATAL")
	e.CreateElement("reasonCode").SetText(f.Code)
	e.CreateElement("diagnostic").SetText(truncate(f.Reason, 256))
	for _, in := range f.info {
		i := e.CreateElement("information")
		i.CreateElement("fieldName").SetText(truncate(in.Name, 64))
		i.CreateElement("fieldValue").SetText(truncate(in.Value, 256))
	}
	return d
}
