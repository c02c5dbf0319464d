package pki

import (
	"crypto/x509/pkix"

	"github.com/carmed/carmed/trust"
)

// Identifiers of the demo parties, shared by the request fixtures and the tests. The CBE
// numbers are made up but carry a valid mod-97 check; the INS codes are the real
// municipalities'.
const (
	DemoCBENamur     = "0212345668"
	DemoCBELiege     = "0207456769"
	DemoCBEBruxelles = "0212567877"

	DemoINSNamur     = "92094"
	DemoINSLiege     = "62063"
	DemoINSBruxelles = "21004"

	// DemoNIHIIHospitalCHR is a care-establishment number (710…); DemoNIHIIGPDupont and
	// DemoNIHIIDentistMartin are individual providers' 11-digit numbers (a doctor's starts with
	// 1, a dentist's with 3), DemoNIHIIPharmacyCentrale a pharmacy's 8-digit one. The GP and the
	// dentist may attest urgent medical aid (R-UMA-SEND); the pharmacy may not.
	DemoNIHIIHospitalCHR      = "71012345"
	DemoNIHIIGPDupont         = "19912345004"
	DemoNIHIIDentistMartin    = "39912345001"
	DemoNIHIIPharmacyCentrale = "25012345"

	DemoAdminID = "admin"

	// DemoGPDupontBirthDate is the demo GP's record: under 67 on 2023-01-01, so the age exception
	// of the 2025 GP routes (R-GP-ROUTE) does not apply to him.
	DemoGPDupontBirthDate = "1968-04-12"
)

// Names of the demo parties: each has NAME.crt and NAME.key in the PKI directory.
const (
	PartyCPASNamur     = "cpas-namur"
	PartyCPASLiege     = "cpas-liege"
	PartyCPASBruxelles = "cpas-bruxelles"
	PartyHospitalCHR   = "hospital-chr"
	PartyGPDupont      = "gp-dupont"
	PartyDentistMartin = "dentist-martin"
	PartyPharmacy      = "pharmacy-centrale"
	PartyAdmin         = "admin"
)

type demoSpec struct {
	name         string
	kind         trust.Kind
	id           string
	nameFr       string // CPAS only
	nameNl       string // CPAS only
	ins          string // CPAS only
	display      string // provider and admin
	providerKind string
	birthDate    string // provider record (R-GP-ROUTE's age exception); "" = none
	subject      pkix.Name
}

// demoParties is the fixed demo population. CPAS and admin are matched by pinned key,
// providers by CA + subject, so both trust match modes are exercised.
var demoParties = []demoSpec{
	{name: PartyCPASNamur, kind: trust.KindCPAS, id: DemoCBENamur, nameFr: "CPAS de Namur",
		nameNl: "OCMW Namen", ins: DemoINSNamur,
		subject: pkix.Name{CommonName: "CPAS de Namur (demo)", Organization: []string{"CPAS de Namur"},
			SerialNumber: DemoCBENamur, Country: []string{"BE"}}},
	{name: PartyCPASLiege, kind: trust.KindCPAS, id: DemoCBELiege, nameFr: "CPAS de Liège",
		nameNl: "OCMW Luik", ins: DemoINSLiege,
		subject: pkix.Name{CommonName: "CPAS de Liège (demo)", Organization: []string{"CPAS de Liège"},
			SerialNumber: DemoCBELiege, Country: []string{"BE"}}},
	{name: PartyCPASBruxelles, kind: trust.KindCPAS, id: DemoCBEBruxelles, nameFr: "CPAS de Bruxelles",
		nameNl: "OCMW Brussel", ins: DemoINSBruxelles,
		subject: pkix.Name{CommonName: "CPAS de Bruxelles (demo)", Organization: []string{"CPAS de Bruxelles"},
			SerialNumber: DemoCBEBruxelles, Country: []string{"BE"}}},
	{name: PartyHospitalCHR, kind: trust.KindProvider, id: DemoNIHIIHospitalCHR,
		display: "CHR (demo hospital)", providerKind: trust.ProviderHospital,
		subject: pkix.Name{CommonName: "CHR (demo hospital)", Organization: []string{"CHR demo"},
			SerialNumber: DemoNIHIIHospitalCHR, Country: []string{"BE"}}},
	{name: PartyGPDupont, kind: trust.KindProvider, id: DemoNIHIIGPDupont,
		display: "Dr Dupont (demo GP)", providerKind: trust.ProviderDoctor, birthDate: DemoGPDupontBirthDate,
		subject: pkix.Name{CommonName: "Dr Dupont (demo GP)", SerialNumber: DemoNIHIIGPDupont,
			Country: []string{"BE"}}},
	{name: PartyDentistMartin, kind: trust.KindProvider, id: DemoNIHIIDentistMartin,
		display: "Dr Martin (demo dentist)", providerKind: trust.ProviderDentist,
		subject: pkix.Name{CommonName: "Dr Martin (demo dentist)", SerialNumber: DemoNIHIIDentistMartin,
			Country: []string{"BE"}}},
	{name: PartyPharmacy, kind: trust.KindProvider, id: DemoNIHIIPharmacyCentrale,
		display: "Pharmacie Centrale (demo pharmacy)", providerKind: trust.ProviderPharmacy,
		subject: pkix.Name{CommonName: "Pharmacie Centrale (demo pharmacy)", Organization: []string{"Pharmacie Centrale demo"},
			SerialNumber: DemoNIHIIPharmacyCentrale, Country: []string{"BE"}}},
	{name: PartyAdmin, kind: trust.KindAdmin, id: DemoAdminID, display: "carmed harness operator (demo)",
		subject: pkix.Name{CommonName: "carmed admin (demo)", Country: []string{"BE"}}},
}
