package main

import (
	"bytes"
	"encoding/xml"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/carmed/carmed/gen/uma"
)

// The UMA face's namespaces (shared/reference/mediprima-wire.md §1.1, §3).
const (
	umaProtocolNS = "urn:be:fgov:ehealth:mediprima:uma:protocol:v1"
	umaCoreNS     = "urn:be:fgov:ehealth:mediprima:uma:core:v1"
	commonsProtNS = "urn:be:fgov:ehealth:commons:protocol:v2"
	nihiiPhysType = "urn:be:fgov:ehealth:1.0:physician:nihii-number"
)

// Our UMA schema, and the published eHealth one it must match (a test oracle, never copied).
const (
	ourUMAXSD    = "xsd/ehealth-mediprima-uma-protocol-v1.xsd"
	oracleUMAXSD = oracleDir + "/ehealth-mediprima-uma/XSD/ehealth-mediprima-uma-protocol-1_0.xsd"
)

// umaSchemas are ours always, and the eHealth one when the reference folder is there.
func umaSchemas(t *testing.T) []string {
	t.Helper()
	out := []string{filepath.Join(repoRoot, ourUMAXSD)}
	if _, err := os.Stat(filepath.Join(repoRoot, oracleDir)); err != nil {
		t.Logf("skipping the eHealth oracle: %s is absent", oracleDir)
		return out
	}
	return append(out, filepath.Join(repoRoot, oracleUMAXSD))
}

func umaMarshal(t testing.TB, space, local string, v any) []byte {
	t.Helper()
	var b bytes.Buffer
	b.WriteString(xml.Header)
	if err := xml.NewEncoder(&b).EncodeElement(v, uma.RootStart(space, local)); err != nil {
		t.Fatalf("marshal %s: %v", local, err)
	}
	return b.Bytes()
}

// umaAuthor is a minimal author (one id, a name) or a full one (two parties, first names).
func umaAuthor(full bool) *uma.AuthorType {
	a := &uma.AuthorType{HcParty: []uma.ActorType{{Id: []uma.IdType{{Value: "19912345004", Type: nihiiPhysType}}, Name: "Dupont"}}}
	if full {
		a.HcParty[0].FirstName = []string{"Jean", "Marie"}
		a.HcParty[0].Id = append(a.HcParty[0].Id, uma.IdType{Value: "85031412302", Type: "urn:be:fgov:person:ssin"})
		a.HcParty = append(a.HcParty, uma.ActorType{Id: []uma.IdType{{Value: "39912345003", Type: "urn:be:fgov:ehealth:1.0:dentist:nihii-number"}}, Name: ""})
	}
	return a
}

func umaPeriod(full bool) *uma.PeriodType {
	p := &uma.PeriodType{StartDate: "2026-12-01"}
	if full {
		p.EndDate = ptr(uma.Date("2026-12-15+01:00"))
	}
	return p
}

func umaAttestation(full bool) uma.AttestationType {
	return uma.AttestationType{Author: umaAuthor(full), BeneficiarySsin: "85031412302", ValidityPeriod: umaPeriod(full),
		MedicalCover: "", AttestationNumber: "UMA000000000001"}
}

func umaRegistryStatus(full bool) *uma.RegistryStatus {
	r := &uma.RegistryStatus{ErrorDetail: []uma.ErrorType{{Origin: "ECARMED", Code: "UMA_NOT_DOCTOR",
		Message: []uma.NameType{{Value: "refusé", Lang: "fr"}}}}}
	if full {
		r.ErrorDetail[0].Message = append(r.ErrorDetail[0].Message, uma.NameType{Value: "geweigerd", Lang: "nl"})
		r.ErrorDetail = append(r.ErrorDetail, uma.ErrorType{Origin: "", Code: "", Message: []uma.NameType{{Value: "", Lang: "en"}}})
	}
	return r
}

func umaStatus(t testing.TB, ok bool) *uma.StatusType {
	if ok {
		return &uma.StatusType{StatusCode: &uma.StatusCodeType{Value: successURI}}
	}
	inner, err := uma.AnyElement(umaCoreNS, "RegistryStatus", umaRegistryStatus(true))
	if err != nil {
		t.Fatal(err)
	}
	return &uma.StatusType{
		StatusCode:    &uma.StatusCodeType{Value: "urn:be:fgov:ehealth:2.0:status:Requester", StatusCode: &uma.StatusCodeType{Value: "urn:be:fgov:ehealth:2.0:status:InvalidInput"}},
		StatusMessage: ptr("refusé"),
		StatusDetail:  &uma.StatusDetailType{InnerXML: inner},
	}
}

func umaResponseBase(t testing.TB, full bool) uma.StatusResponseType {
	b := uma.StatusResponseType{ResponseType: uma.ResponseType{Id: "_1", IssueInstant: "2026-12-01T09:20:00Z"}, Status: umaStatus(t, !full)}
	if full {
		b.InResponseTo = ptr("R5b8e2f14-7c3a-4d1e-9f60-2a4b6c8d0e12")
	}
	return b
}

func umaRequestBase(full bool) uma.RequestType {
	r := uma.RequestType{IssueInstant: "2026-12-01T09:15:00.000+01:00"}
	if full {
		r.Id = ptr(uma.ID("R5b8e2f14-7c3a-4d1e-9f60-2a4b6c8d0e12"))
	}
	return r
}

type umaSample struct {
	name     xml.Name
	min, max any
}

// umaSamples is one minimal and one full value of every global element of the UMA schemas. The full
// answers carry both a refusal status and their payload: the schema allows it, the gateway never
// sends it, and it shows every element's place.
func umaSamples(t *testing.T) []umaSample {
	send := func(full bool) *uma.SendUrgentMedicalAidAttestationRequest {
		return &uma.SendUrgentMedicalAidAttestationRequest{AuthorRequestType: uma.AuthorRequestType{RequestType: umaRequestBase(full), Author: umaAuthor(full)},
			BeneficiarySsin: "85031412302", ValidityPeriod: umaPeriod(full), MedicalCover: "Soins urgents"}
	}
	search := func(full bool) *uma.SearchUrgentMedicalAidAttestationRequest {
		c := &uma.CriteriaType{BeneficiarySsin: "85031412302", AttestationNumber: ptr("UMA000000000001")}
		if full {
			c = &uma.CriteriaType{BeneficiarySsin: "85031412302", Period: umaPeriod(true), MedicalCover: ptr(uma.MedicalCoverType("Soins urgents"))}
		}
		return &uma.SearchUrgentMedicalAidAttestationRequest{RequestType: umaRequestBase(full), Criteria: c}
	}
	del := func(full bool) *uma.DeleteUrgentMedicalAidAttestationRequest {
		return &uma.DeleteUrgentMedicalAidAttestationRequest{AuthorRequestType: uma.AuthorRequestType{RequestType: umaRequestBase(full), Author: umaAuthor(full)},
			BeneficiarySsin: "85031412302", AttestationNumber: "UMA000000000001"}
	}
	sendResp := func(full bool) *uma.SendUrgentMedicalAidAttestationResponse {
		r := &uma.SendUrgentMedicalAidAttestationResponse{StatusResponseType: umaResponseBase(t, full)}
		if full {
			r.Attestion = ptr(umaAttestation(true))
		}
		return r
	}
	searchResp := func(full bool) *uma.SearchUrgentMedicalAidAttestationResponse {
		r := &uma.SearchUrgentMedicalAidAttestationResponse{StatusResponseType: umaResponseBase(t, full)}
		if full {
			r.Attestation = []uma.AttestationType{umaAttestation(true), umaAttestation(false)}
		}
		return r
	}
	delResp := func(full bool) *uma.DeleteUrgentMedicalAidAttestationResponse {
		r := &uma.DeleteUrgentMedicalAidAttestationResponse{StatusResponseType: umaResponseBase(t, full)}
		if full {
			r.AttestionNumber = ptr("UMA000000000001")
		}
		return r
	}
	success := &uma.StatusCodeType{Value: successURI}
	return []umaSample{
		{xml.Name{Space: umaProtocolNS, Local: "SendUrgentMedicalAidAttestationRequest"}, send(false), send(true)},
		{xml.Name{Space: umaProtocolNS, Local: "SendUrgentMedicalAidAttestationResponse"}, sendResp(false), sendResp(true)},
		{xml.Name{Space: umaProtocolNS, Local: "SearchUrgentMedicalAidAttestationRequest"}, search(false), search(true)},
		{xml.Name{Space: umaProtocolNS, Local: "SearchUrgentMedicalAidAttestationResponse"}, searchResp(false), searchResp(true)},
		{xml.Name{Space: umaProtocolNS, Local: "DeleteUrgentMedicalAidAttestationRequest"}, del(false), del(true)},
		{xml.Name{Space: umaProtocolNS, Local: "DeleteUrgentMedicalAidAttestationResponse"}, delResp(false), delResp(true)},
		{xml.Name{Space: umaCoreNS, Local: "RegistryStatus"}, umaRegistryStatus(false), umaRegistryStatus(true)},
		{xml.Name{Space: coreNS, Local: "Status"}, &uma.Status{StatusCode: success}, (*uma.Status)(umaStatus(t, false))},
		{xml.Name{Space: coreNS, Local: "StatusCode"}, (*uma.StatusCode)(success), (*uma.StatusCode)(umaStatus(t, false).StatusCode)},
		{xml.Name{Space: coreNS, Local: "StatusMessage"}, ptr(uma.StatusMessage("")), ptr(uma.StatusMessage("Demande refusée"))},
		{xml.Name{Space: coreNS, Local: "StatusDetail"}, &uma.StatusDetail{}, (*uma.StatusDetail)(umaStatus(t, false).StatusDetail)},
	}
}

func TestEveryUMAElementMarshalledMinimalAndFullValidatesAgainstOurXSDAndTheEHealthXSD(t *testing.T) {
	xmllint := requireXmllint(t)
	set, err := loadWSDL(filepath.Join(repoRoot, umaWSDL))
	if err != nil {
		t.Fatal(err)
	}
	all := umaSamples(t)
	for name := range set.elements {
		if !slices.ContainsFunc(all, func(s umaSample) bool { return s.name == name }) {
			t.Errorf("element %s has no sample here: add one", qstr(name))
		}
	}
	dir := t.TempDir()
	var files []string
	for _, s := range all {
		for i, v := range []any{s.min, s.max} {
			f := filepath.Join(dir, s.name.Local+[]string{"-minimal", "-full"}[i]+".xml")
			if err := os.WriteFile(f, umaMarshal(t, s.name.Space, s.name.Local, v), 0o644); err != nil {
				t.Fatal(err)
			}
			files = append(files, f)
		}
	}
	for _, schema := range umaSchemas(t) {
		if msg := xmllintAll(t, xmllint, schema, files...); msg != "" {
			t.Errorf("%s refused the marshalled elements:\n%s", schema, msg)
		}
	}
}

// umaSampleFiles are the hand-written documents of testdata/uma and the Go type each decodes into.
var umaSampleFiles = map[string]func() any{
	"send-request.xml":          func() any { return new(uma.SendUrgentMedicalAidAttestationRequest) },
	"send-request-one-day.xml":  func() any { return new(uma.SendUrgentMedicalAidAttestationRequest) },
	"send-response.xml":         func() any { return new(uma.SendUrgentMedicalAidAttestationResponse) },
	"send-response-refused.xml": func() any { return new(uma.SendUrgentMedicalAidAttestationResponse) },
	"search-request-number.xml": func() any { return new(uma.SearchUrgentMedicalAidAttestationRequest) },
	"search-request-period.xml": func() any { return new(uma.SearchUrgentMedicalAidAttestationRequest) },
	"search-response.xml":       func() any { return new(uma.SearchUrgentMedicalAidAttestationResponse) },
	"search-response-none.xml":  func() any { return new(uma.SearchUrgentMedicalAidAttestationResponse) },
	"delete-request.xml":        func() any { return new(uma.DeleteUrgentMedicalAidAttestationRequest) },
	"delete-response.xml":       func() any { return new(uma.DeleteUrgentMedicalAidAttestationResponse) },
}

func decodeUMASample(t *testing.T, name string) any {
	t.Helper()
	doc, err := os.ReadFile(filepath.Join(repoRoot, "testdata/uma", name))
	if err != nil {
		t.Fatal(err)
	}
	v := umaSampleFiles[name]()
	if err := xml.Unmarshal(doc, v); err != nil {
		t.Fatalf("%s does not decode: %v", name, err)
	}
	return v
}

func TestTheUMASampleFilesValidateAndStayValidThroughTheGoTypes(t *testing.T) {
	xmllint := requireXmllint(t)
	entries, err := filepath.Glob(filepath.Join(repoRoot, "testdata/uma/*.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != len(umaSampleFiles) {
		t.Fatalf("testdata/uma has %d XML files, this test knows %d: list the new ones in umaSampleFiles", len(entries), len(umaSampleFiles))
	}
	dir := t.TempDir()
	var again []string
	for _, path := range entries {
		name := filepath.Base(path)
		if umaSampleFiles[name] == nil {
			t.Fatalf("testdata/uma/%s is not listed in umaSampleFiles", name)
		}
		v := decodeUMASample(t, name)
		out := umaMarshal(t, umaProtocolNS, reflect.TypeOf(v).Elem().Name(), v)
		f := filepath.Join(dir, "remarshalled-"+name)
		if err := os.WriteFile(f, out, 0o644); err != nil {
			t.Fatal(err)
		}
		again = append(again, f)
	}
	for _, schema := range umaSchemas(t) {
		if msg := xmllintAll(t, xmllint, schema, entries...); msg != "" {
			t.Errorf("%s refused a sample file:\n%s", schema, msg)
		}
		if msg := xmllintAll(t, xmllint, schema, again...); msg != "" {
			t.Errorf("%s refused a sample file decoded and marshalled again:\n%s", schema, msg)
		}
	}
}

func TestTheUMARequestAuthorIsInTheCommonsProtocolNamespaceAndTheAnswersAuthorIsUnqualified(t *testing.T) {
	req := decodeUMASample(t, "send-request.xml").(*uma.SendUrgentMedicalAidAttestationRequest)
	if req.Author == nil || len(req.Author.HcParty) != 1 || req.Author.HcParty[0].Id[0].Value != "19912345004" ||
		req.Author.HcParty[0].Id[0].Type != nihiiPhysType || req.Author.HcParty[0].Name != "Dupont" {
		t.Fatalf("author read as %+v", req.Author)
	}
	if req.ValidityPeriod == nil || req.ValidityPeriod.EndDate == nil || !req.ValidityPeriod.StartDate.HasZone() {
		t.Fatalf("validity read as %+v", req.ValidityPeriod)
	}
	out := umaMarshal(t, umaProtocolNS, "SendUrgentMedicalAidAttestationRequest", req)
	if got, want := childSpaces(t, out, 1), []string{"{" + commonsProtNS + "}Author", "BeneficiarySsin", "ValidityPeriod", "MedicalCover"}; !slices.Equal(got, want) {
		t.Fatalf("request children %v, want %v", got, want)
	}
	resp := decodeUMASample(t, "send-response.xml").(*uma.SendUrgentMedicalAidAttestationResponse)
	if resp.Attestion == nil || resp.Attestion.AttestationNumber == "" || resp.Attestion.Author == nil {
		t.Fatalf("the sent attestation is lost: %+v", resp.Attestion)
	}
	out = umaMarshal(t, umaProtocolNS, "SendUrgentMedicalAidAttestationResponse", resp)
	if got, want := childSpaces(t, out, 1), []string{"{" + coreNS + "}Status", "Attestion"}; !slices.Equal(got, want) {
		t.Fatalf("answer children %v, want %v", got, want)
	}
	if got := childSpaces(t, out, 2); !slices.Contains(got, "Author") || slices.Contains(got, "{"+commonsProtNS+"}Author") {
		t.Fatalf("the attestation's Author must be unqualified: %v", got)
	}
}

func TestTheUMASearchCriteriaKeepTheirBranchAndItsOrder(t *testing.T) {
	byNumber := decodeUMASample(t, "search-request-number.xml").(*uma.SearchUrgentMedicalAidAttestationRequest)
	if c := byNumber.Criteria; c.AttestationNumber == nil || c.Period != nil || c.MedicalCover != nil {
		t.Fatalf("by number read as %+v", c)
	}
	byPeriod := decodeUMASample(t, "search-request-period.xml").(*uma.SearchUrgentMedicalAidAttestationRequest)
	c := byPeriod.Criteria
	if c.AttestationNumber != nil || c.Period == nil || c.MedicalCover == nil || !strings.HasPrefix(string(*c.MedicalCover), "Consultations") {
		t.Fatalf("by period read as %+v", c)
	}
	out := umaMarshal(t, umaProtocolNS, "SearchUrgentMedicalAidAttestationRequest", byPeriod)
	if got, want := childSpaces(t, out, 2), []string{"BeneficiarySsin", "Period", "MedicalCover"}; !slices.Equal(got, want) {
		t.Fatalf("criteria %v, want %v", got, want)
	}
}

func TestTheUMARefusalCarriesARegistryStatusErrorDetailInFrenchAndDutch(t *testing.T) {
	r := decodeUMASample(t, "send-response-refused.xml").(*uma.SendUrgentMedicalAidAttestationResponse)
	if r.Status.StatusCode.Value == successURI || r.Attestion != nil {
		t.Fatalf("a refusal must not be a success with an attestation: %+v", r.Status.StatusCode)
	}
	var reg uma.RegistryStatus
	if err := xml.Unmarshal([]byte(r.Status.StatusDetail.InnerXML), &reg); err != nil {
		t.Fatalf("StatusDetail does not hold a RegistryStatus: %v", err)
	}
	if len(reg.ErrorDetail) != 1 {
		t.Fatalf("%d error details", len(reg.ErrorDetail))
	}
	e := reg.ErrorDetail[0]
	var langs []uma.Language
	for _, m := range e.Message {
		langs = append(langs, m.Lang)
	}
	if e.Code != "UMA_NOT_DOCTOR" || e.Origin == "" || !slices.Equal(langs, []uma.Language{"fr", "nl"}) {
		t.Errorf("error detail read as %+v", e)
	}
}
