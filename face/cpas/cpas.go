// Package cpas is the CPAS face (design §1): createCarmed … consultNotices, simulateModify and
// consultCarmedAtAgreementDate on POST /cpas/v1, signed by a CPAS certificate. It maps the gen/ types to rules commands and back; the pipeline
// (package server) does the bytes, the signatures and the faults.
package cpas

import (
	"errors"

	"github.com/carmed/carmed/agreement"
	"github.com/carmed/carmed/face"
	"github.com/carmed/carmed/rules"
	"github.com/carmed/carmed/server"
	"github.com/carmed/carmed/store"
	"github.com/carmed/carmed/trust"
)

// NS is the CPAS service namespace (design §1).
const NS = "urn:carmed:cpas:v1"

// Config is what the CPAS face needs besides the pipeline.
type Config struct {
	Rules rules.Engine
	// Agreements checks the provider face's agreement numbers (consultCarmedAtAgreementDate).
	Agreements *agreement.Keyring
}

// service serves the CPAS operations with the pipeline's store and trust file.
type service struct {
	Config
	store store.Store
	trust *trust.Store
}

// Register adds the CPAS face to the pipeline: its operations, dispatched on the verified Body
// child's QName.
func Register(srv *server.Server, cfg Config) error {
	if cfg.Rules == nil || cfg.Agreements == nil {
		return errors.New("cpas: Rules and Agreements are required")
	}
	s := &service{Config: cfg, store: srv.Store(), trust: srv.Trust()}
	return srv.Register(server.Face{Name: "cpas", Path: "/cpas/v1", WSDL: "carmed-cpas-v1.wsdl",
		Schema: "xsd/carmed-cpas-v1.xsd", Detail: faultDetail,
		Operations: face.ProjectOperations(NS, trust.KindCPAS,
			face.Op{Name: "createCarmed", Handle: s.createCarmed},
			face.Op{Name: "modifyCarmed", Handle: s.modifyCarmed},
			face.Op{Name: "stopCarmed", Handle: s.stopCarmed},
			face.Op{Name: "closeCarmed", Handle: s.closeCarmed},
			face.Op{Name: "consultCarmed", Handle: s.consultCarmed},
			face.Op{Name: "simulate", Handle: s.simulate},
			face.Op{Name: "queryCarmedManager", Handle: s.queryCarmedManager},
			face.Op{Name: "consultNotices", Handle: s.consultNotices},
			face.Op{Name: "simulateModify", Handle: s.simulateModify},
			face.Op{Name: "consultCarmedAtAgreementDate", Handle: s.consultCarmedAtAgreementDate},
			// The CAAMI back office's monthly statements (R-DECOMPTE), statements.go.
			face.Op{Name: "listStatements", Handle: s.listStatements},
			face.Op{Name: "getStatement", Handle: s.getStatement},
		)})
}

// faultDetail is the carmedFault element: informationCBSS and the error with its reason code.
var faultDetail = face.FaultDetail(NS, "carmedFault", true)

// facts gathers what the rules may read about one beneficiary.
func (s *service) facts(r store.Reader, ssin string) (rules.Facts, error) {
	return face.Facts(r, s.trust, ssin)
}

// decisionFacts loads the facts for the beneficiary of an existing decision.
func (s *service) decisionFacts(r store.Reader, number string) (rules.Facts, error) {
	return face.DecisionFacts(r, s.trust, number)
}
