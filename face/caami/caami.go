// Package caami is the CAAMI back-office face (rules.md §11, §12): tarify, sendInvoices and
// consultPayments on POST /caami/v1, signed by a provider certificate. It maps the gen/caami types
// to the CAAMI rules (rules.Caami) and back; the pipeline (package server) does the bytes, the
// signatures and the faults. A send is one durable, idempotent write whose record is the send
// itself (store.PutSend), so it does not go through Call.Once.
package caami

import (
	"errors"

	"github.com/carmed/carmed/agreement"
	"github.com/carmed/carmed/face"
	gc "github.com/carmed/carmed/gen/caami"
	"github.com/carmed/carmed/rules"
	"github.com/carmed/carmed/server"
	"github.com/carmed/carmed/store"
	"github.com/carmed/carmed/trust"
)

// NS is the CAAMI service namespace.
const NS = "urn:carmed:caami:v1"

// Path is where the face is served.
const Path = "/caami/v1"

// Config is what the CAAMI face needs besides the pipeline.
type Config struct {
	Caami *rules.Caami // tariffs and controls; nil = rules.NewCaami(nil), the demo tariff
	// Agreements verifies the agreement numbers lines cite (R-CAAMI-AGREEMENT).
	Agreements *agreement.Keyring
}

type service struct {
	Config
	store store.Store
	trust *trust.Store
}

// Register adds the CAAMI face to the pipeline, with the batch door (server.BulkDoor): a send of
// 10,000 lines is over the default budget.
func Register(srv *server.Server, cfg Config) error {
	if cfg.Agreements == nil {
		return errors.New("caami: Agreements is required")
	}
	if cfg.Caami == nil {
		cfg.Caami = rules.NewCaami(nil)
	}
	s := &service{Config: cfg, store: srv.Store(), trust: srv.Trust()}
	door := server.BulkDoor
	return srv.Register(server.Face{Name: "caami", Path: Path, WSDL: "carmed-caami-v1.wsdl",
		Schema: "xsd/carmed-caami-v1.xsd", Detail: faultDetail, Door: &door, SAML: true, // eHealth clients sign with a holder-of-key token
		Operations: face.ProjectOperations(NS, trust.KindProvider,
			face.Op{Name: "tarify", Handle: s.tarify},
			face.Op{Name: "sendInvoices", Handle: s.sendInvoices},
			face.Op{Name: "consultPayments", Handle: s.consultPayments},
		)})
}

// faultDetail is the caamiFault element: informationCBSS and the error with its reason code.
var faultDetail = face.FaultDetail(NS, "caamiFault", true)

// checkCustomer is R-CBE for a provider: the NIHII (or CBE) named in informationCustomer is the
// signer's. It answers the provider's record for the rules.
func (s *service) checkCustomer(c *server.Call, base *gc.RequestBaseType) (*gc.InformationCustomerType, rules.ProviderInfo, *rules.Message, error) {
	if base == nil || base.InformationCustomer == nil || base.InformationCustomer.CustomerIdentification == nil {
		return nil, rules.ProviderInfo{}, nil, server.SchemaFault(face.ErrMissing)
	}
	ic := base.InformationCustomer
	id := ""
	switch ci := ic.CustomerIdentification; {
	case ci.NihiiNumber != nil:
		id = string(*ci.NihiiNumber)
	case ci.CbeNumber != nil:
		id = string(*ci.CbeNumber)
	}
	p := c.Party()
	if id != p.ID {
		m := rules.NewMessage(rules.CodeNIHIIMismatch)
		return ic, rules.ProviderInfo{}, &m, nil
	}
	info := rules.ProviderInfo{ID: p.ID, Kind: p.ProviderKind, BirthDate: rules.NoDate}
	if p.BirthDate != "" {
		d, err := rules.ParseDate(p.BirthDate)
		if err != nil { // the trust file was checked at load: this is our failure
			return nil, info, nil, err
		}
		info.BirthDate = d
	}
	for _, e := range p.GPExceptions {
		info.Exceptions = append(info.Exceptions, rules.GPException(e))
	}
	return ic, info, nil, nil
}

// responseBase builds informationCustomer (echo), informationCBSS and status with the messages.
func responseBase(c *server.Call, ic *gc.InformationCustomerType, value string, ms []rules.Message) gc.ResponseBaseType {
	code, desc, info := face.StatusOf(value, ms)
	return gc.ResponseBaseType{
		InformationCustomer: ic,
		InformationCBSS: &gc.InformationCBSSType{TicketCBSS: face.NewTicketCBSS(),
			TimestampReceive: gc.MakeDateTime(c.Received()), TimestampReply: gc.MakeDateTime(c.Now())},
		Status:  &gc.StatusType{Value: gc.StatusValueType(value), Code: gc.ReasonCodeType(code), Description: desc, Information: wireInfo(info)},
		Message: wireMessages(ms),
	}
}

// answer marshals a CAAMI response element.
func answer(name, value, code string, resp any) (*server.Answer, error) {
	body, err := server.MarshalBytes(NS, name, resp)
	if err != nil {
		return nil, err
	}
	return &server.Answer{Body: body, Outcome: value, Code: code}, nil
}

// closeMonths closes the months the business clock has finished (R-DECOMPTE) before a request
// is served, so a payment never lands in a month that should be closed.
func (s *service) closeMonths(c *server.Call) error {
	return face.CloseMonths(s.store, c.Today(), c.Received())
}
