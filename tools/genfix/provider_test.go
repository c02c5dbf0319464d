package main

import (
	"bytes"
	"encoding/xml"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/carmed/carmed/gen/provider"
)

// The provider face's namespaces (shared/reference/mediprima-wire.md §1.1).
const (
	protocolNS = "urn:be:fgov:ehealth:mediprima:protocol:v2"
	mcoreNS    = "urn:be:fgov:ehealth:mediprima:core:v2"
	coreNS     = "urn:be:fgov:ehealth:commons:core:v2"
	successURI = "urn:be:fgov:ehealth:2.0:status:Success"
)

// Our schema, and the published eHealth one the project must match (a test oracle, never copied).
const (
	ourProviderXSD = "xsd/ehealth-mediprima-protocol-v2.xsd"
	oracleDir      = "../shared/reference/ehealth-xsd"
	oracleXSD      = oracleDir + "/ehealth-mediprima/XSD/ehealth-mediprima-protocol-2_0.xsd"
)

// schemas are the XSDs every provider document must satisfy: ours always, the eHealth one when the
// reference folder is there (it is outside the repository, so the oracle half is skipped without it).
func schemas(t *testing.T) []string {
	t.Helper()
	out := []string{filepath.Join(repoRoot, ourProviderXSD)}
	if _, err := os.Stat(filepath.Join(repoRoot, oracleDir)); err != nil {
		t.Logf("skipping the eHealth oracle: %s is absent", oracleDir)
		return out
	}
	return append(out, filepath.Join(repoRoot, oracleXSD))
}

// xmllintAll validates files against schema in one run; it returns xmllint's complaint, "" when valid.
func xmllintAll(t *testing.T, xmllint, schema string, files ...string) string {
	t.Helper()
	out, err := exec.Command(xmllint, append([]string{"--noout", "--schema", schema}, files...)...).CombinedOutput()
	if err != nil {
		return string(out)
	}
	return ""
}

func marshalAs(t *testing.T, space, local string, v any) []byte {
	t.Helper()
	var b bytes.Buffer
	b.WriteString(xml.Header)
	if err := xml.NewEncoder(&b).EncodeElement(v, provider.RootStart(space, local)); err != nil {
		t.Fatalf("marshal %s: %v", local, err)
	}
	return b.Bytes()
}

func names(s string) []provider.NameType {
	return []provider.NameType{{Value: s + " (fr)", Lang: "fr"}, {Value: s + " (nl)", Lang: "nl"}}
}

func pperiod() *provider.PeriodType {
	return &provider.PeriodType{StartDate: "2026-11-15", EndDate: "2026-12-14"}
}

func criteria(byPeriod bool) *provider.ConsultCarmedDataType {
	b := &provider.BySsinType{Ssin: "85031412302"}
	if byPeriod {
		b.Period = pperiod()
	} else {
		b.ReferenceDate = ptr(provider.Date("2026-12-01"))
	}
	return &provider.ConsultCarmedDataType{BySsin: b}
}

// The full samples keep required booleans false and numbers at zero, so a dropped zero shows.
func coverCommon() provider.MedicalCoverCommonInformationType {
	return provider.MedicalCoverCommonInformationType{
		ValidityPeriod:       pperiod(),
		PswcSupport:          &provider.PswcSupportType{ZivAmiPart: "FULL", PatientPart: "PARTIAL", Supplement: "PARTIAL", Convention: ptr(false), Prescription: ptr(true)},
		AmountPatientPartMax: ptr(int32(0)),
		AllowedSupplements:   &provider.AllowedSupplementsType{AmountMaxAllowed: ptr(int32(0)), SupplementTypeList: &provider.SupplementTypeListType{SupplementType: []string{"ROOM"}}},
	}
}

func fullCarmed() provider.ConsultCarmedInterventionResultType {
	nihii := &provider.NihiiNumberListType{NihiiNumber: []string{"71012345000", "10012345004"}}
	cbe := &provider.CompanyListType{CbeNumber: []string{"0207373429"}}
	part := &provider.ZivAmiPatientPartType{ZivAmiPart: "0", PatientPart: "0.0"}
	c := identificationOnly()
	c.CarmedIdentifier.Beneficiary = &provider.BeneficiaryType{Ssin: "85031412302", LastName: "Exemple", FirstName: ptr("Adam"), Gender: ptr("M"), BirthDate: ptr("1985-03-14"), DeathDate: ptr("")}
	c.CarmedContent = &provider.CarmedContentCareType{
		MedicalCover: &provider.MedicalCoverType{
			Doctor:                    &provider.DoctorType{MedicalCoverCommonInformationType: coverCommon(), HealthCareProviderList: nihii},
			Hospitalization:           &provider.HospitalizationType{MedicalCoverCommonInformationType: coverCommon(), HospitalList: nihii},
			AmbulatoryHospitalization: &provider.HospitalizationType{MedicalCoverCommonInformationType: coverCommon()},
			MedicalTransportation:     &provider.MedicalTransportationType{MedicalCoverCommonInformationType: coverCommon(), CompanyList: cbe},
			Miscellaneous:             &provider.MiscellaneousType{MedicalCoverCommonInformationType: coverCommon()},
			Paramedic:                 &provider.ParamedicType{MedicalCoverCommonInformationType: coverCommon(), ProviderList: nihii},
			PharmaceuticalDrug:        &provider.PharmaceuticalDrugType{MedicalCoverCommonInformationType: coverCommon(), PharmacyList: nihii},
			Prosthesis:                &provider.ProsthesisType{MedicalCoverCommonInformationType: coverCommon(), CompanyList: cbe},
		},
		RefundPodmiSppis: &provider.RefundPodmiSppisType{
			RefundCode: "0", AffiliedMutualityInd: false, BeneficiaryStatus: "I", Justification: names("why"),
			PodmiSppisPart:    &provider.PodmiSppisPartType{HospitalizationPart: part, AmbulatoryCarePart: part, OtherPart: part},
			MedicalUrgencyInd: false,
		},
	}
	c.AgreementNumber = ptr("CMA1.k1.token")
	c.UrgentMedicalAidAttestationNumber = ptr("UMA-1")
	return c
}

func identificationOnly() provider.ConsultCarmedInterventionResultType {
	return provider.ConsultCarmedInterventionResultType{CarmedIdentifier: &provider.CarmedIdentifierType{
		CarmedNumber:   "000000004711",
		VersionNumber:  "0",
		Beneficiary:    &provider.BeneficiaryType{Ssin: "85031412302", LastName: "Exemple"},
		ValidityPeriod: pperiod(),
		Pswc:           &provider.OcmwCpasType{CbeNumber: "0212345668", MunicipalityIns: "21004", Name: names("CPAS")},
	}}
}

func registryStatus() *provider.MedicalCardRegistryStatus {
	return &provider.MedicalCardRegistryStatus{MedicalCardRegistryMessage: []provider.MedicalCardRegistryMessageType{
		{Severity: "ERROR", ReasonCode: "PERIOD_OVER_30", Source: "ECARMED", Communication: names("too long")},
		{Severity: "WARNING", ReasonCode: "W", Source: "ECARMED", Communication: append(names("w"), provider.NameType{Value: "w (de)", Lang: "de"})},
	}}
}

func cbssStatus(full bool) *provider.CbssStatus {
	s := &provider.CbssStatus{Value: "NO_RESULT", Code: "MSG00003"}
	if full {
		s.Description = ptr("d")
		s.Information = []provider.InformationType{{FieldName: "a"}, {FieldName: "b", FieldValue: ptr("")}}
	}
	return s
}

// anyOf is the StatusDetail content for v, built the one safe way.
func anyOf(t testing.TB, space, local string, v any) string {
	t.Helper()
	s, err := provider.AnyElement(space, local, v)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func fullStatus(t testing.TB) *provider.StatusType {
	return &provider.StatusType{
		StatusCode:    &provider.StatusCodeType{Value: "urn:be:fgov:ehealth:2.0:status:Requester", StatusCode: &provider.StatusCodeType{Value: "urn:be:fgov:ehealth:2.0:status:InvalidInput"}},
		StatusMessage: ptr(""),
		StatusDetail: &provider.StatusDetailType{InnerXML: anyOf(t, mcoreNS, "MedicalCardRegistryStatus", registryStatus()) +
			anyOf(t, mcoreNS, "CbssStatus", cbssStatus(true))},
	}
}

func response(t testing.TB, full bool) *provider.ConsultCarmedInterventionResponse {
	r := &provider.ConsultCarmedInterventionResponse{
		StatusResponseType: provider.StatusResponseType{
			ResponseType: provider.ResponseType{Id: "_1", IssueInstant: "2026-12-01T09:20:00Z"},
			Status:       &provider.StatusType{StatusCode: &provider.StatusCodeType{Value: successURI}},
		},
		SelectionCriteria: criteria(false),
	}
	if full {
		r.InResponseTo = ptr("R3f2b8c1e-6d4a-4e8b-9a51-0c7d2e9f4a10")
		r.SelectionCriteria = criteria(true)
		r.Result = &provider.CarmedAttributedListType{Carmed: []provider.ConsultCarmedInterventionResultType{fullCarmed(), identificationOnly()}}
	}
	return r
}

type providerSample struct {
	name     xml.Name
	min, max any
}

// providerSamples is one minimal and one full value of every global element of the provider schemas.
func providerSamples(t *testing.T) []providerSample {
	request := func(full bool) *provider.ConsultCarmedInterventionRequest {
		r := &provider.ConsultCarmedInterventionRequest{RequestType: provider.RequestType{IssueInstant: "2026-12-01T09:15:00.000+01:00"}, SelectionCriteria: criteria(full)}
		if full {
			r.Id = ptr(provider.ID("R3f2b8c1e-6d4a-4e8b-9a51-0c7d2e9f4a10"))
		}
		return r
	}
	success := &provider.StatusCodeType{Value: successURI}
	return []providerSample{
		{xml.Name{Space: protocolNS, Local: "ConsultCarmedInterventionRequest"}, request(false), request(true)},
		{xml.Name{Space: protocolNS, Local: "ConsultCarmedInterventionResponse"}, response(t, false), response(t, true)},
		{xml.Name{Space: mcoreNS, Local: "MedicalCardRegistryStatus"},
			&provider.MedicalCardRegistryStatus{MedicalCardRegistryMessage: registryStatus().MedicalCardRegistryMessage[:1]}, registryStatus()},
		{xml.Name{Space: mcoreNS, Local: "CbssStatus"}, cbssStatus(false), cbssStatus(true)},
		{xml.Name{Space: coreNS, Local: "Status"}, &provider.Status{StatusCode: success}, (*provider.Status)(fullStatus(t))},
		{xml.Name{Space: coreNS, Local: "StatusCode"}, (*provider.StatusCode)(success), (*provider.StatusCode)(fullStatus(t).StatusCode)},
		{xml.Name{Space: coreNS, Local: "StatusMessage"}, ptr(provider.StatusMessage("")), ptr(provider.StatusMessage("Demande refusée / Aanvraag geweigerd"))},
		{xml.Name{Space: coreNS, Local: "StatusDetail"}, &provider.StatusDetail{}, (*provider.StatusDetail)(fullStatus(t).StatusDetail)},
	}
}

func TestEveryProviderElementMarshalledMinimalAndFullValidatesAgainstOurXSDAndTheEHealthXSD(t *testing.T) {
	xmllint := requireXmllint(t)
	set, err := loadWSDL(filepath.Join(repoRoot, providerWSDL))
	if err != nil {
		t.Fatal(err)
	}
	all := providerSamples(t)
	for name := range set.elements {
		if !slices.ContainsFunc(all, func(s providerSample) bool { return s.name == name }) {
			t.Errorf("element %s has no sample here: add one", qstr(name))
		}
	}
	dir := t.TempDir()
	var files []string
	for _, s := range all {
		for i, v := range []any{s.min, s.max} {
			f := filepath.Join(dir, s.name.Local+[]string{"-minimal", "-full"}[i]+".xml")
			if err := os.WriteFile(f, marshalAs(t, s.name.Space, s.name.Local, v), 0o644); err != nil {
				t.Fatal(err)
			}
			files = append(files, f)
		}
	}
	for _, schema := range schemas(t) {
		if msg := xmllintAll(t, xmllint, schema, files...); msg != "" {
			t.Errorf("%s refused the marshalled elements:\n%s", schema, msg)
		}
	}
}

// sampleFiles are the hand-written documents of testdata/provider and the Go type each decodes into.
var sampleFiles = map[string]func() any{
	"request-reference-date.xml":  func() any { return new(provider.ConsultCarmedInterventionRequest) },
	"request-period.xml":          func() any { return new(provider.ConsultCarmedInterventionRequest) },
	"response-success.xml":        func() any { return new(provider.ConsultCarmedInterventionResponse) },
	"response-business-error.xml": func() any { return new(provider.ConsultCarmedInterventionResponse) },
}

// decodeSample reads testdata/provider/NAME into its Go type.
func decodeSample(t *testing.T, name string) ([]byte, any) {
	t.Helper()
	doc, err := os.ReadFile(filepath.Join(repoRoot, "testdata/provider", name))
	if err != nil {
		t.Fatal(err)
	}
	v := sampleFiles[name]()
	if err := xml.Unmarshal(doc, v); err != nil {
		t.Fatalf("%s does not decode: %v", name, err)
	}
	return doc, v
}

func TestTheProviderSampleFilesValidateAndStayValidThroughTheGoTypes(t *testing.T) {
	xmllint := requireXmllint(t)
	entries, err := filepath.Glob(filepath.Join(repoRoot, "testdata/provider/*.xml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != len(sampleFiles) {
		t.Fatalf("testdata/provider has %d XML files, this test knows %d: list the new ones in sampleFiles", len(entries), len(sampleFiles))
	}
	dir := t.TempDir()
	var again []string
	for _, path := range entries {
		name := filepath.Base(path)
		if sampleFiles[name] == nil {
			t.Fatalf("testdata/provider/%s is not listed in sampleFiles", name)
		}
		_, v := decodeSample(t, name)
		// The root elements' Go types carry their names.
		out := marshalAs(t, protocolNS, reflect.TypeOf(v).Elem().Name(), v)
		f := filepath.Join(dir, "remarshalled-"+name)
		if err := os.WriteFile(f, out, 0o644); err != nil {
			t.Fatal(err)
		}
		again = append(again, f)
	}
	for _, schema := range schemas(t) {
		if msg := xmllintAll(t, xmllint, schema, entries...); msg != "" {
			t.Errorf("%s refused a sample file:\n%s", schema, msg)
		}
		if msg := xmllintAll(t, xmllint, schema, again...); msg != "" {
			t.Errorf("%s refused a sample file decoded and marshalled again:\n%s", schema, msg)
		}
	}
}

func TestTheSuccessSampleDecodesIntoAFullCardAndAnIdentificationOnlyCard(t *testing.T) {
	_, v := decodeSample(t, "response-success.xml")
	r := v.(*provider.ConsultCarmedInterventionResponse)
	if r.Status.StatusCode.Value != successURI || r.InResponseTo == nil || r.Id == "" {
		t.Fatalf("status or attributes lost: %+v", r.StatusResponseType)
	}
	if r.Result == nil || len(r.Result.Carmed) != 2 {
		t.Fatalf("want two cards, got %+v", r.Result)
	}
	full, ident := r.Result.Carmed[0], r.Result.Carmed[1]
	cover := reflect.ValueOf(*full.CarmedContent.MedicalCover)
	for i := 0; i < cover.NumField(); i++ {
		if cover.Field(i).IsNil() {
			t.Errorf("cover %s missing from the full card", cover.Type().Field(i).Name)
		}
	}
	refund := full.CarmedContent.RefundPodmiSppis
	if n, err := refund.RefundCode.Int64(); err != nil || n != 1 || !refund.MedicalUrgencyInd || refund.BeneficiaryStatus != "I" {
		t.Errorf("refund block read as %+v", refund)
	}
	if pct, err := refund.PodmiSppisPart.OtherPart.PatientPart.Scaled(1); err != nil || pct != 1000 {
		t.Errorf("OtherPart/PatientPart read as %v, %v; want 100.0", pct, err)
	}
	if got := refund.Justification[1].Lang; got != "nl" {
		t.Errorf("second justification language %q, want nl", got)
	}
	if full.AgreementNumber == nil || *full.AgreementNumber == "" {
		t.Error("the full card lost its agreement number")
	}
	if ident.CarmedContent != nil || ident.AgreementNumber != nil {
		t.Error("the identification-only card carries content or an agreement")
	}
	if v, err := ident.CarmedIdentifier.VersionNumber.Int64(); err != nil || v != 1 {
		t.Errorf("version read as %v, %v", v, err)
	}
}

func TestTheBusinessErrorSampleCarriesARegistryMessageInFrenchAndDutch(t *testing.T) {
	_, v := decodeSample(t, "response-business-error.xml")
	r := v.(*provider.ConsultCarmedInterventionResponse)
	if r.Status.StatusCode.Value == successURI || r.Result != nil {
		t.Fatalf("an error answer must not be a success with results: %+v", r.Status.StatusCode)
	}
	var reg provider.MedicalCardRegistryStatus
	if err := xml.Unmarshal([]byte(r.Status.StatusDetail.InnerXML), &reg); err != nil {
		t.Fatalf("StatusDetail does not hold a MedicalCardRegistryStatus: %v", err)
	}
	if len(reg.MedicalCardRegistryMessage) != 1 {
		t.Fatalf("%d messages", len(reg.MedicalCardRegistryMessage))
	}
	m := reg.MedicalCardRegistryMessage[0]
	var langs []provider.Language
	for _, c := range m.Communication {
		langs = append(langs, c.Lang)
	}
	if m.Severity != "ERROR" || m.Source != "ECARMED" || m.ReasonCode == "" || !slices.Equal(langs, []provider.Language{"fr", "nl"}) {
		t.Errorf("message read as %+v", m)
	}
}

func TestXMLLangIsWrittenWithTheReservedXMLPrefixAndReadBack(t *testing.T) {
	in := provider.OcmwCpasType{CbeNumber: "0212345668", MunicipalityIns: "21004", Name: []provider.NameType{{Value: "CPAS de Bruxelles", Lang: "fr"}, {Value: "OCMW van Brussel", Lang: "nl-BE"}}}
	out := marshalAs(t, "", "Pswc", &in)
	if !bytes.Contains(out, []byte(`<Name xml:lang="fr">CPAS de Bruxelles</Name>`)) {
		t.Fatalf("xml:lang not written as such:\n%s", out)
	}
	for _, bad := range []string{"xmlns:_", "xmlns:xml", "XML/1998"} {
		if bytes.Contains(out, []byte(bad)) {
			t.Errorf("output declares %q:\n%s", bad, out)
		}
	}
	var back provider.OcmwCpasType
	if err := xml.Unmarshal(out, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, in) {
		t.Fatalf("round trip changed the names: %+v", back.Name)
	}
	if _, err := xml.Marshal(&provider.NameType{Value: "x"}); err == nil {
		t.Error("a name without its required language marshalled")
	}
}

// childSpaces lists the root's direct children as {namespace}local, in document order.
func childSpaces(t *testing.T, doc []byte, depthWanted int) []string {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(doc))
	var out []string
	depth := 0
	for {
		tok, err := d.Token()
		if err != nil {
			break
		}
		switch e := tok.(type) {
		case xml.StartElement:
			if depth == depthWanted {
				out = append(out, qstr(e.Name))
			}
			depth++
		case xml.EndElement:
			depth--
		}
	}
	return out
}

func TestCoreStatusIsWrittenInItsNamespaceFirstAndItsSiblingsStayUnqualified(t *testing.T) {
	out := marshalAs(t, protocolNS, "ConsultCarmedInterventionResponse", response(t, true))
	want := []string{"{" + coreNS + "}Status", "SelectionCriteria", "Result"}
	if got := childSpaces(t, out, 1); !slices.Equal(got, want) {
		t.Fatalf("children %v, want %v", got, want)
	}
	if got := childSpaces(t, out, 2)[0]; got != "{"+coreNS+"}StatusCode" {
		t.Fatalf("first grandchild %s, want core StatusCode", got)
	}
	if !bytes.Contains(out, []byte(`<Status xmlns="`+coreNS+`"><StatusCode xmlns="`+coreNS+`" Value="`+successURI+`"></StatusCode></Status>`)) {
		t.Fatalf("status not written as expected:\n%s", out)
	}
}

func TestAStatusDetailNeedsAnyElementToKeepTheRegistryMessageUnqualified(t *testing.T) {
	xmllint := requireXmllint(t)
	build := func(inner string) string {
		r := response(t, false)
		r.Status = fullStatus(t)
		r.Status.StatusDetail.InnerXML = inner
		f := filepath.Join(t.TempDir(), "r.xml")
		if err := os.WriteFile(f, marshalAs(t, protocolNS, "ConsultCarmedInterventionResponse", r), 0o644); err != nil {
			t.Fatal(err)
		}
		return f
	}
	good := build(anyOf(t, mcoreNS, "MedicalCardRegistryStatus", registryStatus()))
	// The same element written with RootStart alone: inside StatusDetail's default namespace its
	// unqualified children would be read as core elements.
	var b strings.Builder
	if err := xml.NewEncoder(&b).EncodeElement(registryStatus(), provider.RootStart(mcoreNS, "MedicalCardRegistryStatus")); err != nil {
		t.Fatal(err)
	}
	bad := build(b.String())
	for _, schema := range schemas(t) {
		if msg := xmllintAll(t, xmllint, schema, good); msg != "" {
			t.Errorf("%s refused the AnyElement form:\n%s", schema, msg)
		}
		if msg := xmllintAll(t, xmllint, schema, bad); msg == "" {
			t.Errorf("%s accepted the form without xmlns=\"\"; AnyElement's reset would then be unnecessary", schema)
		}
	}
}

func TestDecimalKeepsTheLexicalFormAndRefusesWhatTheSchemaRefuses(t *testing.T) {
	xmllint := requireXmllint(t)
	cases := []struct {
		name, in string
		ok       bool
	}{
		{"100.0 is accepted", "100.0", true},
		{"an integer form is accepted", "50", true},
		{"trailing zeros are accepted and kept", "0.00", true},
		{"a leading sign is accepted", "-0.5", true},
		{"a leading point is accepted", ".5", true},
		{"a trailing point is accepted", "+1.", true},
		{"exponent notation is refused", "1e2", false},
		{"an empty value is refused", "", false},
		{"two points are refused", "1.2.3", false},
		{"a decimal comma is refused", "1,5", false},
		{"NaN is refused", "NaN", false},
		{"a lone sign is refused", "+", false},
		{"a lone point is refused", ".", false},
		{"two signs are refused", "--1", false},
		{"an inner space is refused", "1 0", false},
	}
	ref, err := os.ReadFile(filepath.Join(repoRoot, "testdata/provider/response-success.xml"))
	if err != nil {
		t.Fatal(err)
	}
	const slot = "<OtherPart><ZivAmiPart>100.0</ZivAmiPart>"
	if !bytes.Contains(ref, []byte(slot)) {
		t.Fatalf("response-success.xml no longer contains %s", slot)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var v provider.ZivAmiPatientPartType
			err := xml.Unmarshal([]byte("<p><ZivAmiPart>"+c.in+"</ZivAmiPart><PatientPart>0</PatientPart></p>"), &v)
			if c.ok != (err == nil) {
				t.Fatalf("decode: ok=%v, err=%v", c.ok, err)
			}
			if c.ok && string(v.ZivAmiPart) != c.in {
				t.Fatalf("decoded as %q, want the lexical form %q kept", v.ZivAmiPart, c.in)
			}
			var lex *provider.LexicalError
			if err != nil && !errors.As(err, &lex) {
				t.Fatalf("error %v is not a *provider.LexicalError", err)
			}
			out, err := xml.Marshal(&provider.ZivAmiPatientPartType{ZivAmiPart: provider.Decimal(c.in), PatientPart: "0"})
			if c.ok != (err == nil) {
				t.Fatalf("marshal: ok=%v, err=%v", c.ok, err)
			}
			if c.ok && !bytes.Contains(out, []byte("<ZivAmiPart>"+c.in+"</ZivAmiPart>")) {
				t.Fatalf("marshalled as %s", out)
			}
			// The schema validator must agree with the Go check on the same value.
			doc := bytes.Replace(ref, []byte(slot), []byte("<OtherPart><ZivAmiPart>"+c.in+"</ZivAmiPart>"), 1)
			f := filepath.Join(t.TempDir(), "d.xml")
			if err := os.WriteFile(f, doc, 0o644); err != nil {
				t.Fatal(err)
			}
			for _, schema := range schemas(t) {
				if msg := xmllintAll(t, xmllint, schema, f); c.ok != (msg == "") {
					t.Errorf("%s disagrees with Decimal: ok=%v\n%s", filepath.Base(schema), c.ok, msg)
				}
			}
		})
	}
}

func TestDecimalHelpersAreExact(t *testing.T) {
	for _, c := range []struct {
		units int64
		scale int
		want  provider.Decimal
	}{{1000, 1, "100.0"}, {50, 0, "50"}, {0, 2, "0.00"}, {-5, 1, "-0.5"}, {7, 3, "0.007"}, {-9223372036854775808, 0, "-9223372036854775808"}} {
		if got := provider.MakeDecimal(c.units, c.scale); got != c.want {
			t.Errorf("MakeDecimal(%d, %d) = %q, want %q", c.units, c.scale, got, c.want)
		}
	}
	for _, c := range []struct {
		in    provider.Decimal
		scale int
		want  int64
		ok    bool
	}{{"100.0", 1, 1000, true}, {"50", 1, 500, true}, {"0.10", 1, 1, true}, {".5", 0, 0, false}, {"-0.50", 2, -50, true}, {"99999999999999999999", 0, 0, false}, {"1e2", 0, 0, false}} {
		got, err := c.in.Scaled(c.scale)
		if c.ok != (err == nil) || got != c.want {
			t.Errorf("%q.Scaled(%d) = %d, %v", c.in, c.scale, got, err)
		}
	}
}

func TestIntegerIDAndLanguageRefuseValuesOutsideTheirLexicalSpace(t *testing.T) {
	type check interface{ Validate() error }
	cases := []struct {
		name string
		v    check
		ok   bool
	}{
		{"a version number is an integer", provider.Integer("2"), true},
		{"a signed integer with leading zeros is an integer", provider.Integer("+007"), true},
		{"an integer far beyond int64 is still an integer", provider.Integer("123456789012345678901234567890"), true},
		{"a decimal is not an integer", provider.Integer("2.0"), false},
		{"an empty integer is refused", provider.Integer(""), false},
		{"a lone minus is not an integer", provider.Integer("-"), false},
		{"R and a UUID is an ID", provider.ID("R3f2b8c1e-6d4a-4e8b-9a51-0c7d2e9f4a10"), true},
		{"an underscore start is an ID", provider.ID("_1"), true},
		{"a digit start is not an ID", provider.ID("1abc"), false},
		{"a colon is not allowed in an ID", provider.ID("a:b"), false},
		{"an empty ID is refused", provider.ID(""), false},
		{"fr is a language", provider.Language("fr"), true},
		{"nl-BE is a language", provider.Language("nl-BE"), true},
		{"an empty language is refused", provider.Language(""), false},
		{"a digit first part is refused", provider.Language("1a"), false},
		{"a part of nine characters is refused", provider.Language("fr-abcdefghi"), false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if err := c.v.Validate(); c.ok != (err == nil) {
				t.Fatalf("ok=%v, err=%v", c.ok, err)
			}
		})
	}
	if n, err := provider.MakeInteger(-42).Int64(); err != nil || n != -42 {
		t.Errorf("MakeInteger round trip: %d, %v", n, err)
	}
	if _, err := provider.Integer("9223372036854775808").Int64(); err == nil {
		t.Error("Int64 accepted a value beyond int64")
	}
	var u provider.AnyURI
	if err := u.UnmarshalText([]byte("\n urn:be:fgov:ehealth:2.0:status:Success\t")); err != nil || u != successURI {
		t.Errorf("AnyURI whitespace not collapsed: %q, %v", u, err)
	}
	if _, err := xml.Marshal(&provider.ResponseType{Id: "1bad", IssueInstant: "2026-12-01T00:00:00Z"}); err == nil {
		t.Error("a response with an invalid Id marshalled")
	}
}

func BenchmarkMarshalFullProviderResponse(b *testing.B) {
	v := response(b, true)
	start := provider.RootStart(protocolNS, "ConsultCarmedInterventionResponse")
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := xml.NewEncoder(&buf).EncodeElement(v, start); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(buf.Len()))
}

func BenchmarkUnmarshalSuccessSample(b *testing.B) {
	doc, err := os.ReadFile(filepath.Join(repoRoot, "testdata/provider/response-success.xml"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(doc)))
	for b.Loop() {
		var v provider.ConsultCarmedInterventionResponse
		if err := xml.Unmarshal(doc, &v); err != nil {
			b.Fatal(err)
		}
	}
}
