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
	"time"

	"github.com/carmed/carmed/gen"
	"github.com/carmed/carmed/internal/needtool"
)

const cpasNS = "urn:carmed:cpas:v1"

func ptr[T any](v T) *T { return &v }

// marshalRoot marshals v as the root element {urn:carmed:cpas:v1}local, the way the server must.
func marshalRoot(t *testing.T, local string, v any) []byte {
	t.Helper()
	var b bytes.Buffer
	b.WriteString(xml.Header)
	if err := xml.NewEncoder(&b).EncodeElement(v, gen.RootStart(cpasNS, local)); err != nil {
		t.Fatalf("marshal %s: %v", local, err)
	}
	return b.Bytes()
}

// requireXmllint returns xmllint's path; without it the test fails under CI and is skipped elsewhere.
func requireXmllint(t *testing.T) string {
	t.Helper()
	return needtool.Path(t, "xmllint")
}

func texts(s string) []gen.TextType {
	return []gen.TextType{{Value: s + " (fr)", Lang: gen.LangTypeFr}, {Value: s + " (nl)", Lang: gen.LangTypeNl}}
}

func infos(n int) []gen.InformationType {
	out := make([]gen.InformationType, n)
	for i := range out {
		out[i] = gen.InformationType{FieldName: "field" + string(rune('A'+i)), FieldValue: "v"}
	}
	return out
}

func period() *gen.PeriodType {
	return &gen.PeriodType{StartDate: "2025-01-01", EndDate: "2025-12-31"}
}

// The samples keep every required boolean false and every required number at its lowest valid value
// (0, or 1 for versionNumber), so that a dropped zero would show as a schema error.
func responseBase(full bool) gen.ResponseBaseType {
	b := gen.ResponseBaseType{
		InformationCustomer: &gen.InformationCustomerType{
			Ticket: "t-1", TimestampSent: "2025-03-01T10:00:00+01:00",
			CustomerIdentification: &gen.CustomerIdentificationType{CbeNumber: "0212345678"},
		},
		InformationCBSS: &gen.InformationCBSSType{TicketCBSS: "c-1", TimestampReceive: "2025-03-01T09:00:00Z", TimestampReply: "2025-03-01T09:00:00.125Z"},
		Status:          &gen.StatusType{Value: gen.StatusValueTypeDATA_FOUND, Code: "OK"},
	}
	if full {
		b.Status.Description = ptr("done")
		b.Status.Information = infos(5)
		b.Message = []gen.MessageType{{Severity: gen.SeverityTypeWARNING, ReasonCode: "W_1", RuleId: "R-1", Communication: texts("msg"), Information: infos(1)}}
	}
	return b
}

func requestBase() gen.RequestBaseType {
	return gen.RequestBaseType{
		InformationCustomer: &gen.InformationCustomerType{
			Ticket: "t-1", TimestampSent: "2025-03-01T10:00:00",
			CustomerIdentification: &gen.CustomerIdentificationType{CbeNumber: "0212345678"},
		},
		LegalContext: "carmed",
	}
}

func common() gen.MedicalCoverCommonType {
	return gen.MedicalCoverCommonType{
		ValidityPeriod:       period(),
		PswcSupport:          &gen.PswcSupportType{ZivAmiPart: gen.ShareTypeNOTHING, PatientPart: gen.ShareTypeFULL, Supplement: gen.ShareTypePARTIAL, Convention: ptr(false), Prescription: ptr(true)},
		AmountPatientPartMax: ptr(gen.AmountCentsType(0)),
		AllowedSupplements:   &gen.AllowedSupplementsType{AmountMaxAllowed: ptr(gen.AmountCentsType(0)), SupplementTypeList: &gen.SupplementTypeListType{SupplementType: []string{"room"}}},
	}
}

func medicalCover() *gen.MedicalCoverType {
	nihii := &gen.NihiiNumberListType{NihiiNumber: []gen.NihiiNumberType{"12345678", "12345678901"}}
	companies := &gen.CompanyListType{CbeNumber: []gen.CbeNumberType{"0212345678"}}
	return &gen.MedicalCoverType{
		Doctor:                    &gen.DoctorType{MedicalCoverCommonType: common(), HealthCareProviderList: nihii},
		Hospitalization:           &gen.HospitalizationType{MedicalCoverCommonType: common(), HospitalList: nihii},
		AmbulatoryHospitalization: &gen.HospitalizationType{MedicalCoverCommonType: common()},
		MedicalTransportation:     &gen.MedicalTransportationType{MedicalCoverCommonType: common(), CompanyList: companies},
		Miscellaneous:             &gen.MiscellaneousType{MedicalCoverCommonType: common()},
		Paramedic:                 &gen.ParamedicType{MedicalCoverCommonType: common(), ProviderList: nihii},
		PharmaceuticalDrug:        &gen.PharmaceuticalDrugType{MedicalCoverCommonType: common(), PharmacyList: nihii},
		Prosthesis:                &gen.ProsthesisType{MedicalCoverCommonType: common(), CompanyList: companies},
	}
}

func refund() *gen.RefundPodmiSppisType {
	part := &gen.PartType{ZivAmiPart: 0, PatientPart: 0}
	return &gen.RefundPodmiSppisType{
		RefundCode: 0, AffiliedMutualityInd: false, BeneficiaryStatus: gen.BeneficiaryStatusTypeL,
		Justification:     texts("why"),
		PodmiSppisPart:    &gen.PodmiSppisPartType{HospitalizationPart: part, AmbulatoryCarePart: part, OtherPart: part},
		MedicalUrgencyInd: false,
	}
}

func carmed(full bool) gen.CarmedType {
	c := gen.CarmedType{
		CarmedNumber:   "000000000001",
		ValidityPeriod: period(),
		Pswc:           &gen.PswcType{CbeNumber: "0212345678", MunicipalityIns: "21004", Name: texts("CPAS")},
	}
	if full {
		c.VersionNumber = ptr(gen.VersionNumberType(1))
		c.Status = ptr(gen.CarmedStatusTypeSUSPENDED)
		c.Beneficiary = &gen.BeneficiaryType{Ssin: "00000000000", LastName: "X", FirstName: ptr("Y"), Gender: ptr(gen.GenderTypeF), BirthDate: ptr(gen.Date("2000-02-29")), DeathDate: ptr(gen.Date("2025-01-01Z"))}
		c.Content = &gen.CarmedContentType{
			DecisionDate: "2025-01-01", MedicalCover: medicalCover(), RefundPodmiSppis: refund(),
			Cause: gen.CauseTypeCREATE, CreationTime: "2025-01-01T00:00:00", Author: "a",
			Suspension: []gen.SuspensionType{{Reason: "r", Date: "2025-02-01"}, suspension()},
		}
	}
	return c
}

func suspension() gen.SuspensionType {
	return gen.SuspensionType{Reason: "REFUND_CODE", Date: "2025-02-01", OldRefundCode: ptr(int32(0)),
		NewRefundCode: ptr(int32(-1)), OldSsin: ptr(gen.SsinType("00000000000"))}
}

func decision(full bool) *gen.DecisionType {
	d := &gen.DecisionType{DecisionDate: "2025-01-01", ValidityPeriod: period()}
	if full {
		d.MedicalCover = medicalCover()
	}
	return d
}

// samples is one minimal and one full value of every global element of the CPAS schema.
func samples() map[string][2]any {
	write := func(full bool) gen.WriteCarmedResponseType {
		w := gen.WriteCarmedResponseType{ResponseBaseType: responseBase(full)}
		if full {
			w.Carmed = ptr(carmed(true))
		}
		return w
	}
	consult := func(full bool) *gen.ConsultCarmedResponse {
		c := &gen.ConsultCarmedResponse{ResponseBaseType: responseBase(full)}
		if full {
			c.Carmed = []gen.CarmedType{carmed(true), carmed(false)}
			c.MoreResults = ptr(false)
		}
		return c
	}
	simulate := func(full bool) *gen.SimulateResponse {
		s := &gen.SimulateResponse{ResponseBaseType: responseBase(full)}
		if full {
			s.RefundPodmiSppis = refund()
		}
		return s
	}
	fault := func(full bool) *gen.CarmedFault {
		f := &gen.CarmedFault{InformationCBSS: responseBase(false).InformationCBSS, Error: &gen.ErrorType{Severity: gen.FaultSeverityTypeFATAL, ReasonCode: "E", Diagnostic: ""}}
		if full {
			f.Error.Information = infos(5)
		}
		return f
	}
	notices := func(full bool) *gen.ConsultNoticesResponse {
		n := &gen.ConsultNoticesResponse{ResponseBaseType: responseBase(full)}
		if full {
			notice := gen.NoticeType{NoticeId: "000000000001", CreationTime: "2025-01-01T00:00:00Z", Ssin: "00000000000",
				OldSsin: ptr(gen.SsinType("00000000000")), CarmedNumber: "000000000001", VersionNumber: 1,
				Status: gen.CarmedStatusTypeSUSPENDED, Cause: gen.MutationCauseTypeSITUATION, MutationId: "0",
				EffectiveDate: "2025-01-01", Suspension: ptr(suspension()),
				NextAction: []gen.NextActionType{{Action: gen.NextActionKindTypeACTIVATE},
					{Action: gen.NextActionKindTypeSTOP, MinStopDate: ptr(gen.Date("2025-01-01")), MaxStopDate: ptr(gen.Date("2025-01-01"))}}}
			n.Notice = []gen.NoticeType{notice, {NoticeId: "000000000002", CreationTime: "2025-01-01T00:00:00Z", Ssin: "00000000000",
				CarmedNumber: "000000000001", VersionNumber: 1, Status: gen.CarmedStatusTypeACTIVE, Cause: gen.MutationCauseTypeNAME,
				MutationId: "9223372036854775807", EffectiveDate: "2025-01-01"}}
			n.MoreNotices = ptr(true)
		}
		return n
	}
	pair := func(min, full any) [2]any { return [2]any{min, full} }
	modify := func(full bool) *gen.ModifyCarmedRequest {
		m := &gen.ModifyCarmedRequest{RequestBaseType: requestBase(), CarmedNumber: "000000000001", VersionNumber: 1, Action: gen.ActionTypeMODIFY}
		if full {
			m.Decision = decision(true)
		}
		return m
	}
	return map[string][2]any{
		"createCarmedResponse":   pair(ptr(gen.CreateCarmedResponse(write(false))), ptr(gen.CreateCarmedResponse(write(true)))),
		"modifyCarmedResponse":   pair(ptr(gen.ModifyCarmedResponse(write(false))), ptr(gen.ModifyCarmedResponse(write(true)))),
		"stopCarmedResponse":     pair(ptr(gen.StopCarmedResponse(write(false))), ptr(gen.StopCarmedResponse(write(true)))),
		"closeCarmedResponse":    pair(ptr(gen.CloseCarmedResponse(write(false))), ptr(gen.CloseCarmedResponse(write(true)))),
		"consultCarmedResponse":  pair(consult(false), consult(true)),
		"simulateResponse":       pair(simulate(false), simulate(true)),
		"carmedFault":            pair(fault(false), fault(true)),
		"consultNoticesResponse": pair(notices(false), notices(true)),
		"consultNoticesRequest": pair(&gen.ConsultNoticesRequest{RequestBaseType: requestBase()},
			&gen.ConsultNoticesRequest{RequestBaseType: requestBase(), Acknowledge: []gen.NoticeIdType{"000000000001", "000000000002"},
				MaxNotices: ptr(gen.MaxNoticesType(100))}),
		"queryCarmedManagerResponse": pair(&gen.QueryCarmedManagerResponse{ResponseBaseType: responseBase(false)},
			&gen.QueryCarmedManagerResponse{ResponseBaseType: responseBase(true), Carmed: ptr(carmed(false))}),
		"queryCarmedManagerRequest": pair(
			&gen.QueryCarmedManagerRequest{RequestBaseType: requestBase(), Ssin: "00000000000"},
			&gen.QueryCarmedManagerRequest{RequestBaseType: requestBase(), Ssin: "00000000000", ReferenceDate: ptr(gen.Date("2025-01-01"))}),
		"createCarmedRequest": pair(
			&gen.CreateCarmedRequest{RequestBaseType: requestBase(), Ssin: "00000000000", Decision: decision(false)},
			&gen.CreateCarmedRequest{RequestBaseType: requestBase(), Ssin: "00000000000", Decision: decision(true)}),
		"modifyCarmedRequest":    pair(modify(false), modify(true)),
		"simulateModifyRequest":  pair(ptr(gen.SimulateModifyRequest(*modify(false))), ptr(gen.SimulateModifyRequest(*modify(true)))),
		"simulateModifyResponse": pair(ptr(gen.SimulateModifyResponse(write(false))), ptr(gen.SimulateModifyResponse(write(true)))),
		"consultCarmedAtAgreementDateRequest": pair(
			&gen.ConsultCarmedAtAgreementDateRequest{RequestBaseType: requestBase(), AgreementNumber: "0"},
			&gen.ConsultCarmedAtAgreementDateRequest{RequestBaseType: requestBase(), AgreementNumber: "0416P-C8000-030E8-00DR8-FX5D4-0HYE0-2JDFE-ZQFK2-3421M-PC8CR"}),
		"consultCarmedAtAgreementDateResponse": pair(&gen.ConsultCarmedAtAgreementDateResponse{ResponseBaseType: responseBase(false)},
			&gen.ConsultCarmedAtAgreementDateResponse{ResponseBaseType: responseBase(true),
				Agreement: &gen.AgreementType{CarmedNumber: "000000000001", VersionNumber: 1, Provider: "71012345",
					ConsultationDate: "2025-01-01", GuaranteedPeriod: period()},
				Carmed: ptr(carmed(true))}),
		"stopCarmedRequest": pair(
			&gen.StopCarmedRequest{RequestBaseType: requestBase(), CarmedNumber: "000000000001", VersionNumber: 1, EndDate: "2025-06-30"},
			&gen.StopCarmedRequest{RequestBaseType: requestBase(), CarmedNumber: "000000000001", VersionNumber: 1, EndDate: "2025-06-30+02:00"}),
		"closeCarmedRequest": pair(
			&gen.CloseCarmedRequest{RequestBaseType: requestBase(), CarmedNumber: "000000000001", VersionNumber: 1},
			&gen.CloseCarmedRequest{RequestBaseType: requestBase(), CarmedNumber: "000000000001", VersionNumber: 1}),
		"consultCarmedRequest": pair(
			&gen.ConsultCarmedRequest{RequestBaseType: requestBase(), SelectionCriteria: &gen.SelectionCriteriaType{BySsin: &gen.BySsinType{Ssin: "00000000000"}}},
			&gen.ConsultCarmedRequest{RequestBaseType: requestBase(), SelectionCriteria: &gen.SelectionCriteriaType{BySsin: &gen.BySsinType{Ssin: "00000000000", Period: period()}}}),
		// The monthly statements (R-DECOMPTE).
		"listStatementsRequest": pair(&gen.ListStatementsRequest{RequestBaseType: requestBase()},
			&gen.ListStatementsRequest{RequestBaseType: requestBase(), FromMonth: ptr(gen.MonthType("2025-11")), ToMonth: ptr(gen.MonthType("2025-12"))}),
		"listStatementsResponse": pair(&gen.ListStatementsResponse{ResponseBaseType: responseBase(false)},
			&gen.ListStatementsResponse{ResponseBaseType: responseBase(true), Statement: []gen.StatementInfoType{{Month: "2025-11",
				Format: gen.StatementFormatTypeXML, ClosingDate: "2025-12-01", Invoices: 1, Lines: 2, StatePart: 100}}}),
		"getStatementRequest": pair(&gen.GetStatementRequest{RequestBaseType: requestBase(), Month: "2025-11"},
			&gen.GetStatementRequest{RequestBaseType: requestBase(), Month: "2025-11"}),
		"getStatementResponse": pair(&gen.GetStatementResponse{ResponseBaseType: responseBase(false)},
			&gen.GetStatementResponse{ResponseBaseType: responseBase(true),
				Statement: &gen.StatementInfoType{Month: "2025-11", Format: gen.StatementFormatTypeXLSX, ClosingDate: "2025-12-01"},
				File:      &gen.StatementFileType{FileName: "statement.xlsx", MediaType: "application/xml", Content: "UEsDBA=="}}),
		"simulateRequest": pair(
			&gen.SimulateRequest{RequestBaseType: requestBase(), Ssin: "00000000000", DecisionDate: "2025-01-01", ValidityPeriod: period()},
			&gen.SimulateRequest{RequestBaseType: requestBase(), Ssin: "00000000000", DecisionDate: "2025-01-01", ValidityPeriod: period(), JudicialDecision: true}),
	}
}

func TestEveryElementMarshalledWithZeroRequiredValuesIsSchemaValid(t *testing.T) {
	xmllint := requireXmllint(t)
	set, err := loadWSDL(filepath.Join(repoRoot, cpasWSDL))
	if err != nil {
		t.Fatal(err)
	}
	all := samples()
	for name := range set.elements {
		if _, ok := all[name.Local]; !ok {
			t.Errorf("element %s has no sample here: add one", name.Local)
		}
	}
	dir := t.TempDir()
	var files []string
	for _, name := range sortedKeys(all) {
		for i, v := range all[name] {
			f := filepath.Join(dir, name+[]string{"-minimal", "-full"}[i]+".xml")
			if err := os.WriteFile(f, marshalRoot(t, name, v), 0o644); err != nil {
				t.Fatal(err)
			}
			files = append(files, f)
		}
	}
	args := append([]string{"--noout", "--schema", filepath.Join(repoRoot, "xsd/carmed-cpas-v1.xsd")}, files...)
	if out, err := exec.Command(xmllint, args...).CombinedOutput(); err != nil {
		t.Fatalf("xmllint refused the marshalled elements: %v\n%s", err, out)
	}
}

func TestUnqualifiedChildrenMarshalledUnderADefaultNamespaceAreSchemaInvalid(t *testing.T) {
	// Why RootStart exists: the obvious xml.StartElement{Name: {Space: ns}} puts children in ns.
	xmllint := requireXmllint(t)
	var b bytes.Buffer
	v := samples()["closeCarmedRequest"][0]
	if err := xml.NewEncoder(&b).EncodeElement(v, xml.StartElement{Name: xml.Name{Space: cpasNS, Local: "closeCarmedRequest"}}); err != nil {
		t.Fatal(err)
	}
	f := filepath.Join(t.TempDir(), "default-ns.xml")
	if err := os.WriteFile(f, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := exec.Command(xmllint, "--noout", "--schema", filepath.Join(repoRoot, "xsd/carmed-cpas-v1.xsd"), f).Run(); err == nil {
		t.Fatal("the default-namespace form validated; RootStart would then be unnecessary")
	}
}

func TestRequiredFalseAndZeroAreWritten(t *testing.T) {
	out := string(marshalRoot(t, "simulateResponse", &gen.SimulateResponse{ResponseBaseType: responseBase(false), RefundPodmiSppis: refund()}))
	for _, want := range []string{
		"<refundCode>0</refundCode>",
		"<affiliedMutualityInd>false</affiliedMutualityInd>",
		"<medicalUrgencyInd>false</medicalUrgencyInd>",
		"<zivAmiPart>0</zivAmiPart>",
		"<patientPart>0</patientPart>",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("missing %s in\n%s", want, out)
		}
	}
	req := string(marshalRoot(t, "simulateRequest", samples()["simulateRequest"][0]))
	for _, want := range []string{"<judicialDecision>false</judicialDecision>", "<incomeAboveIntegrationIncome>false</incomeAboveIntegrationIncome>", "<noStateIntervention>false</noStateIntervention>"} {
		if !strings.Contains(req, want) {
			t.Errorf("missing %s in\n%s", want, req)
		}
	}
}

func TestAnOptionalFieldIsAbsentWhenNilAndPresentWhenZero(t *testing.T) {
	out := string(marshalRoot(t, "x", &gen.PswcSupportType{Convention: nil, Prescription: ptr(false)}))
	if strings.Contains(out, "<convention") {
		t.Errorf("nil optional convention was written:\n%s", out)
	}
	if !strings.Contains(out, "<prescription>false</prescription>") {
		t.Errorf("optional prescription=false was dropped:\n%s", out)
	}
	ben := string(marshalRoot(t, "x", &gen.BeneficiaryType{Ssin: "00000000000", LastName: "X"}))
	for _, absent := range []string{"<firstName", "<gender", "<birthDate", "<deathDate"} {
		if strings.Contains(ben, absent) {
			t.Errorf("absent optional %s was written:\n%s", absent, ben)
		}
	}

	var got gen.PswcSupportType
	if err := xml.Unmarshal([]byte(`<s><zivAmiPart>FULL</zivAmiPart><prescription>false</prescription></s>`), &got); err != nil {
		t.Fatal(err)
	}
	if got.Convention != nil {
		t.Error("an absent convention decoded as present")
	}
	if got.Prescription == nil || *got.Prescription {
		t.Errorf("prescription=false decoded as %v", got.Prescription)
	}
}

func TestTextTypeKeepsItsLangAttribute(t *testing.T) {
	in := gen.PswcType{CbeNumber: "0212345678", MunicipalityIns: "21004", Name: []gen.TextType{{Value: "OCMW Gent", Lang: gen.LangTypeNl}, {Value: "CPAS Gand", Lang: gen.LangTypeFr}}}
	out := marshalRoot(t, "pswc", &in)
	if !bytes.Contains(out, []byte(`<name lang="nl">OCMW Gent</name>`)) {
		t.Fatalf("lang attribute lost:\n%s", out)
	}
	var back gen.PswcType
	if err := xml.Unmarshal(out, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, in) {
		t.Fatalf("round trip changed the names: %+v", back.Name)
	}
}

func TestFiveInformationEntriesRoundTripAsASlice(t *testing.T) {
	in := gen.StatusType{Value: gen.StatusValueTypeNO_RESULT, Code: "C", Information: infos(5)}
	out := marshalRoot(t, "status", &in)
	if n := bytes.Count(out, []byte("<information>")); n != 5 {
		t.Fatalf("%d information elements written, want 5", n)
	}
	var back gen.StatusType
	if err := xml.Unmarshal(out, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, in) {
		t.Fatalf("round trip: got %+v", back)
	}
}

// childNames lists the local names of the root's direct children, in document order.
func childNames(t *testing.T, doc []byte) []string {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(doc))
	var names []string
	depth := 0
	for {
		tok, err := d.Token()
		if err != nil {
			break
		}
		switch e := tok.(type) {
		case xml.StartElement:
			if depth == 1 {
				names = append(names, e.Name.Local)
			}
			depth++
		case xml.EndElement:
			depth--
		}
	}
	return names
}

func TestExtensionsWriteAndReadTheBaseElementsFirstInOrder(t *testing.T) {
	req := samples()["createCarmedRequest"][1].(*gen.CreateCarmedRequest)
	out := marshalRoot(t, "createCarmedRequest", req)
	if got, want := childNames(t, out), []string{"informationCustomer", "legalContext", "ssin", "decision"}; !slices.Equal(got, want) {
		t.Fatalf("children %v, want %v", got, want)
	}
	var back gen.CreateCarmedRequest
	if err := xml.Unmarshal(out, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(&back, req) {
		t.Fatalf("round trip lost data:\n got %+v\nwant %+v", back, *req)
	}

	doc := marshalRoot(t, "doctor", &gen.DoctorType{MedicalCoverCommonType: common(), HealthCareProviderList: &gen.NihiiNumberListType{NihiiNumber: []gen.NihiiNumberType{"12345678"}}})
	want := []string{"validityPeriod", "pswcSupport", "amountPatientPartMax", "allowedSupplements", "healthCareProviderList"}
	if got := childNames(t, doc); !slices.Equal(got, want) {
		t.Fatalf("doctor children %v, want %v", got, want)
	}
}

func TestDateDecodingRefusesValuesOutsideTheLexicalSpace(t *testing.T) {
	cases := []struct {
		name, in string
		ok       bool
	}{
		{"a plain date is accepted", "2025-03-01", true},
		{"a date with Z is accepted", "2025-03-01Z", true},
		{"a date with an offset is accepted", "2025-03-01-05:30", true},
		{"surrounding whitespace is collapsed away", "\n 2025-03-01 \t", true},
		{"29 February of a leap year is accepted", "2024-02-29", true},
		{"month 13 is refused", "2025-13-01", false},
		{"a number in exponent form is refused", "1.2e3", false},
		{"29 February of a common year is refused", "2025-02-29", false},
		{"31 April is refused", "2025-04-31", false},
		{"year 0000 is refused", "0000-01-01", false},
		{"an empty element is refused", "", false},
		{"a time part is refused", "2025-03-01T00:00:00", false},
		{"a zone beyond 14 hours is refused", "2025-03-01+15:00", false},
		{"a short year is refused", "25-03-01", false},
		{"a signed month is refused", "2025-+3-01", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var v gen.SuspensionType
			err := xml.Unmarshal([]byte("<s><reason>r</reason><date>"+c.in+"</date></s>"), &v)
			if c.ok && err != nil {
				t.Fatalf("refused: %v", err)
			}
			if !c.ok && err == nil {
				t.Fatalf("accepted as %q", v.Date)
			}
			var lex *gen.LexicalError
			if err != nil && !errors.As(err, &lex) {
				t.Fatalf("error %v is not a *gen.LexicalError", err)
			}
		})
	}
}

func TestDateTimeDecodingRefusesValuesOutsideTheLexicalSpace(t *testing.T) {
	cases := []struct {
		name, in string
		ok       bool
	}{
		{"a local date-time is accepted", "2025-03-01T10:11:12", true},
		{"a UTC date-time with a fraction is accepted", "2025-03-01T10:11:12.123456789123Z", true},
		{"an offset is accepted", "2025-03-01T10:11:12+01:00", true},
		{"24:00:00 is accepted", "2025-03-01T24:00:00", true},
		{"24:00:01 is refused", "2025-03-01T24:00:01", false},
		{"hour 25 is refused", "2025-03-01T25:00:00", false},
		{"second 60 is refused", "2025-03-01T10:00:60", false},
		{"a bare date is refused", "2025-03-01", false},
		{"a dot without digits is refused", "2025-03-01T10:00:00.Z", false},
		{"a space instead of T is refused", "2025-03-01 10:00:00", false},
		{"a number in exponent form is refused", "1.2e3", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var v gen.DateTime
			err := v.UnmarshalText([]byte(c.in))
			if c.ok != (err == nil) {
				t.Fatalf("ok=%v, err=%v", c.ok, err)
			}
		})
	}
}

func TestMarshallingAnInvalidDateFails(t *testing.T) {
	for _, v := range []any{
		&gen.SuspensionType{Reason: "r", Date: "2025-13-01"},
		&gen.SuspensionType{Reason: "r"}, // a required date left at its zero value
		&gen.BeneficiaryType{Ssin: "0", LastName: "x", BirthDate: ptr(gen.Date("1.2e3"))},
		&gen.CarmedContentType{DecisionDate: "2025-01-01", CreationTime: "2025-01-01"},
		&gen.TextType{Value: "x", Lang: "fr"}, // control: must marshal
	} {
		_, err := xml.Marshal(v)
		_, control := v.(*gen.TextType)
		if control && err != nil {
			t.Fatalf("control value refused: %v", err)
		}
		if !control && err == nil {
			t.Fatalf("%T with an invalid date or time marshalled", v)
		}
	}
}

func TestLexicalErrorsDoNotEchoTheValue(t *testing.T) {
	// Dates may be birth dates: personal data must not reach logs through error strings.
	var d gen.Date
	err := d.UnmarshalText([]byte("1987-02-30"))
	if err == nil || strings.Contains(err.Error(), "1987") {
		t.Fatalf("got %v", err)
	}
}

func TestDateHelpersConvertToAndFromTime(t *testing.T) {
	brussels := time.FixedZone("CET", 3600)
	if got := gen.MakeDate(time.Date(2025, 3, 1, 23, 30, 0, 0, brussels)); got != "2025-03-01" {
		t.Errorf("MakeDate = %q", got)
	}
	if got := gen.MakeDateTime(time.Date(2025, 3, 1, 23, 30, 0, 5e8, brussels)); got != "2025-03-01T23:30:00.5+01:00" {
		t.Errorf("MakeDateTime = %q", got)
	}
	d, err := gen.Date("2025-03-01+01:00").Parse()
	if err != nil || !d.Equal(time.Date(2025, 2, 28, 23, 0, 0, 0, time.UTC)) {
		t.Errorf("Date.Parse = %v, %v", d, err)
	}
	if gen.Date("2025-03-01").HasZone() || !gen.Date("2025-03-01Z").HasZone() {
		t.Error("HasZone wrong for Date")
	}
	dt, err := gen.DateTime("2025-12-31T24:00:00Z").Parse()
	if err != nil || !dt.Equal(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("24:00:00 parsed as %v, %v", dt, err)
	}
	dt, err = gen.DateTime("2025-03-01T10:00:00.123456789999").Parse()
	if err != nil || dt.Nanosecond() != 123456789 || dt.Location() != time.UTC {
		t.Errorf("fraction parsed as %v, %v", dt, err)
	}
	if _, err := gen.Date("2025-02-30").Parse(); err == nil {
		t.Error("Parse accepted 30 February")
	}
}

func BenchmarkMarshalFullConsultResponse(b *testing.B) {
	v := samples()["consultCarmedResponse"][1]
	start := gen.RootStart(cpasNS, "consultCarmedResponse")
	var buf bytes.Buffer
	for b.Loop() {
		buf.Reset()
		if err := xml.NewEncoder(&buf).EncodeElement(v, start); err != nil {
			b.Fatal(err)
		}
	}
	b.SetBytes(int64(buf.Len()))
}

func BenchmarkUnmarshalFullCreateRequest(b *testing.B) {
	var buf bytes.Buffer
	if err := xml.NewEncoder(&buf).EncodeElement(samples()["createCarmedRequest"][1], gen.RootStart(cpasNS, "createCarmedRequest")); err != nil {
		b.Fatal(err)
	}
	doc := buf.Bytes()
	b.SetBytes(int64(len(doc)))
	for b.Loop() {
		var v gen.CreateCarmedRequest
		if err := xml.Unmarshal(doc, &v); err != nil {
			b.Fatal(err)
		}
	}
}
