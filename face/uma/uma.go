// Package uma is the urgent-medical-aid attestation face (design §1, rules.md §10): exactly the
// public eHealth MediPrima UMA v1 message on POST /MediPrima/UMA/v1, signed by a provider
// certificate. A doctor or dentist sends, searches and deletes attestations; the provider face
// shows their numbers (R-UMA-NUMBER). It maps the gen/uma types to rules commands and back; the
// pipeline (package server) does the bytes, the signatures and the faults.
package uma

import (
	"encoding/xml"
	"errors"
	"fmt"

	"github.com/carmed/carmed/face"
	um "github.com/carmed/carmed/gen/uma"
	"github.com/carmed/carmed/rules"
	"github.com/carmed/carmed/server"
	"github.com/carmed/carmed/store"
	"github.com/carmed/carmed/trust"
)

// The UMA face speaks exactly the public eHealth MediPrima UMA v1 message. The SOAPActions are
// the service's own, misspelling included (wsdl/ehealth-mediprima-uma-v1.wsdl).
const (
	Path       = "/MediPrima/UMA/v1"
	NSProtocol = "urn:be:fgov:ehealth:mediprima:uma:protocol:v1"
	NSCore     = "urn:be:fgov:ehealth:mediprima:uma:core:v1"

	ActionSend   = NSProtocol + ":sendMedicalEmergencyAttestion"
	ActionSearch = NSProtocol + ":searchMedicalEmergencyAttestion"
	ActionDelete = NSProtocol + ":deleteMedicalEmergencyAttestion"
)

// MaxRequestIDBytes bounds the request Id that keys an idempotent reply in the store: eHealth
// clients send "R" and a UUID (37 bytes); a store key must stay small.
const MaxRequestIDBytes = 128

// Config is what the UMA face needs besides the pipeline: nothing today (the rules of §10 are
// plain functions of package rules), kept for the shape every face registers with.
type Config struct{}

// service serves the UMA operations with the pipeline's store.
type service struct {
	store store.Store
}

// Register adds the UMA face to the pipeline.
func Register(srv *server.Server, _ Config) error {
	s := &service{store: srv.Store()}
	op := func(local, name, action string, h server.Handler) server.Operation {
		return server.Operation{Element: xml.Name{Space: NSProtocol, Local: local}, Name: name, Action: action,
			Kind: trust.KindProvider, Handle: h}
	}
	search := op("SearchUrgentMedicalAidAttestationRequest", "searchUrgentMedicalAidAttestation", ActionSearch, s.search)
	search.SchemaRefusal = searchRefusal
	return srv.Register(server.Face{Name: "uma", Path: Path, WSDL: "ehealth-mediprima-uma-v1.wsdl",
		Schema: "xsd/ehealth-mediprima-uma-protocol-v1.xsd", SAML: true, // eHealth clients sign with a holder-of-key token
		Operations: []server.Operation{
			op("SendUrgentMedicalAidAttestationRequest", "sendUrgentMedicalAidAttestation", ActionSend, s.send),
			search,
			op("DeleteUrgentMedicalAidAttestationRequest", "deleteUrgentMedicalAidAttestation", ActionDelete, s.delete),
		}})
}

// send records an attestation (R-UMA-SEND) once per (NIHII, request Id): the store numbers it, the
// answer shows it back with its number, and the request and the signed answer are its audit.
func (s *service) send(c *server.Call) (*server.Answer, error) {
	var req um.SendUrgentMedicalAidAttestationRequestType
	if err := c.Decode(&req); err != nil {
		return nil, err
	}
	id, err := requestID(req.Id)
	if err != nil {
		return nil, err
	}
	if req.Author == nil || req.ValidityPeriod == nil {
		return nil, server.SchemaFault(face.ErrMissing)
	}
	start, end, err := period(req.ValidityPeriod)
	if err != nil {
		return nil, server.SchemaFault(err)
	}
	cmd := rules.UMASendCmd{Provider: c.Party().ID, ProviderKind: c.Party().ProviderKind, Author: parties(req.Author),
		SSIN: req.BeneficiarySsin, Start: start, End: end, Cover: string(req.MedicalCover)}
	const name = "SendUrgentMedicalAidAttestationResponse"
	reused := func() (*server.Answer, error) { return refusal(c, id, name, rules.MsgTicketReused(id)) }
	return c.Once(id, reused, func(tx store.Writer) (*server.Answer, error) {
		var f rules.Facts
		p, err := tx.Person(cmd.SSIN)
		switch {
		case err == nil:
			f.Person = &p
		case !errors.Is(err, store.ErrNotFound):
			return nil, err
		}
		res := rules.SendAttestation(cmd, f, c.Today(), c.Received())
		if res.Rejected() || res.Attestation == nil {
			return nil, rejectAll(c, id, name, res.Messages)
		}
		att := res.Attestation
		if err := tx.PutAttestation(att); err != nil {
			return nil, err
		}
		resp := &um.SendUrgentMedicalAidAttestationResponseType{StatusResponseType: statusResponse(c, id, success("")),
			Attestion: attestation(att)}
		a, err := answer(name, resp, face.StatusFound, face.CodeOK)
		if err != nil {
			return nil, err
		}
		a.Attestation = &server.AttestationWritten{Number: att.Number, Event: store.EventSend}
		return a, nil
	})
}

// search finds a beneficiary's live attestations by number or by period (R-UMA-SEARCH); it writes
// nothing.
func (s *service) search(c *server.Call) (*server.Answer, error) {
	var req um.SearchUrgentMedicalAidAttestationRequestType
	if err := c.Decode(&req); err != nil {
		return nil, err
	}
	id, err := requestID(req.Id)
	if err != nil {
		return nil, err
	}
	cr := req.Criteria
	if cr == nil {
		return nil, server.SchemaFault(face.ErrMissing)
	}
	cmd, err := searchCmd(cr)
	if err != nil {
		return nil, server.SchemaFault(err)
	}
	const name = "SearchUrgentMedicalAidAttestationResponse"
	var res rules.UMASearchResult
	if err := s.store.View(func(r store.Reader) error {
		atts, err := r.AttestationsBySSIN(cmd.SSIN)
		if err != nil {
			return err
		}
		res = rules.SearchAttestations(cmd, atts)
		return nil
	}); err != nil {
		return nil, err
	}
	if (rules.Result{Messages: res.Messages}).Rejected() {
		return refusal(c, id, name, res.Messages...)
	}
	outcome, code, sub := face.StatusFound, face.CodeOK, ""
	if len(res.Attestations) == 0 {
		outcome, code, sub = face.StatusNotFound, face.CodeNoData, face.EHealthNoData
	}
	resp := &um.SearchUrgentMedicalAidAttestationResponseType{StatusResponseType: statusResponse(c, id, success(sub))}
	for i := range res.Attestations {
		resp.Attestation = append(resp.Attestation, *attestation(&res.Attestations[i]))
	}
	return answer(name, resp, outcome, code)
}

// searchRefusal answers a search the schema refuses for its criteria — neither an attestation
// number nor a period, or both — with R-UMA-SEARCH's reason code, as the rules would; any other
// schema error stays a schema fault.
func searchRefusal(c *server.Call, _ error) (*server.Answer, error) {
	var req um.SearchUrgentMedicalAidAttestationRequestType
	if err := c.Decode(&req); err != nil || req.Criteria == nil || req.Criteria.BeneficiarySsin == "" {
		return nil, nil
	}
	cr := req.Criteria
	if (cr.AttestationNumber == nil) != (cr.Period == nil) {
		return nil, nil
	}
	id, err := requestID(req.Id)
	if err != nil {
		return nil, nil
	}
	cmd, err := searchCmd(cr)
	if err != nil {
		return nil, nil
	}
	res := rules.SearchAttestations(cmd, nil)
	if !(rules.Result{Messages: res.Messages}).Rejected() {
		return nil, nil
	}
	return refusal(c, id, "SearchUrgentMedicalAidAttestationResponse", res.Messages...)
}

// delete marks an attestation deleted (R-UMA-DELETE) once per (NIHII, request Id); it stays in the
// store with its send and delete audits.
func (s *service) delete(c *server.Call) (*server.Answer, error) {
	var req um.DeleteUrgentMedicalAidAttestationRequestType
	if err := c.Decode(&req); err != nil {
		return nil, err
	}
	id, err := requestID(req.Id)
	if err != nil {
		return nil, err
	}
	if req.Author == nil {
		return nil, server.SchemaFault(face.ErrMissing)
	}
	cmd := rules.UMADeleteCmd{Provider: c.Party().ID, Author: parties(req.Author), SSIN: req.BeneficiarySsin,
		Number: req.AttestationNumber}
	const name = "DeleteUrgentMedicalAidAttestationResponse"
	reused := func() (*server.Answer, error) { return refusal(c, id, name, rules.MsgTicketReused(id)) }
	return c.Once(id, reused, func(tx store.Writer) (*server.Answer, error) {
		atts, err := tx.AttestationsBySSIN(cmd.SSIN)
		if err != nil {
			return nil, err
		}
		res := rules.DeleteAttestation(cmd, atts, c.Today(), c.Received())
		if res.Rejected() || res.Attestation == nil {
			return nil, rejectAll(c, id, name, res.Messages)
		}
		att := res.Attestation
		if err := tx.PutAttestation(att); err != nil {
			return nil, err
		}
		number := att.Number
		resp := &um.DeleteUrgentMedicalAidAttestationResponseType{StatusResponseType: statusResponse(c, id, success("")),
			AttestionNumber: &number}
		a, err := answer(name, resp, face.StatusFound, face.CodeOK)
		if err != nil {
			return nil, err
		}
		a.Attestation = &server.AttestationWritten{Number: number, Event: store.EventDelete}
		return a, nil
	})
}

// searchCmd reads search criteria: the SSIN and a number, or a period and a cover.
func searchCmd(cr *um.CriteriaType) (rules.UMASearchCmd, error) {
	cmd := rules.UMASearchCmd{SSIN: cr.BeneficiarySsin, Start: rules.NoDate, End: rules.NoDate}
	if cr.AttestationNumber != nil {
		cmd.Number = *cr.AttestationNumber
	}
	if cr.Period != nil {
		var err error
		if cmd.Start, cmd.End, err = period(cr.Period); err != nil {
			return cmd, err
		}
	}
	if cr.MedicalCover != nil {
		cmd.Cover = string(*cr.MedicalCover)
	}
	return cmd, nil
}

// requestID is the request's optional Id: the idempotency key of a write, echoed as InResponseTo.
func requestID(id *um.ID) (string, error) {
	if id == nil {
		return "", nil
	}
	if len(*id) > MaxRequestIDBytes {
		return "", server.SchemaFault(fmt.Errorf("request Id of %d bytes, at most %d", len(*id), MaxRequestIDBytes))
	}
	return string(*id), nil
}

// period reads a validity or search period: the start (required by the schema) and the end,
// NoDate when absent.
func period(p *um.PeriodType) (start, end rules.Date, err error) {
	t, err := p.StartDate.Parse()
	if err != nil {
		return rules.NoDate, rules.NoDate, err
	}
	start, end = rules.DateOf(t), rules.NoDate
	if p.EndDate != nil {
		t, err := p.EndDate.Parse()
		if err != nil {
			return rules.NoDate, rules.NoDate, err
		}
		end = rules.DateOf(t)
	}
	return start, end, nil
}

// parties reads an eHealth Author.
func parties(a *um.AuthorType) []rules.HcParty {
	out := make([]rules.HcParty, len(a.HcParty))
	for i, p := range a.HcParty {
		hp := rules.HcParty{FirstNames: p.FirstName, Name: p.Name}
		for _, id := range p.Id {
			hp.IDs = append(hp.IDs, rules.PartyID{Type: string(id.Type), Value: id.Value})
		}
		out[i] = hp
	}
	return out
}
