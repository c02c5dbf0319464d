package rules

// The CAAMI back office (rules.md §11 and §12): what a provider's software does after the
// consultation. Tarification and invoice control are pure functions of (provider, lines,
// facts, today) like the decision rules; the face maps its wire types to these.

// Provider kinds of the trust file (the kind of a provider certificate).
const (
	ProviderDoctor     = "doctor"
	ProviderHospital   = "hospital"
	ProviderPharmacy   = "pharmacy"
	ProviderParamedic  = "paramedic"
	ProviderTransport  = "transport"
	ProviderProsthesis = "prosthesis"
)

// GPException is one of the grounds on which a GP may still bill the CPAS after the 2025
// routes (R-GP-ROUTE; 001 §2 and §3, 003).
type GPException string

const (
	ExcOutsidePractice GPException = "OUTSIDE_PRACTICE" // billed outside the practice, e-invoicing impossible
	ExcForceMajeure    GPException = "FORCE_MAJEURE"
	ExcAge67           GPException = "AGE_67"          // the doctor was 67 or more on 2023-01-01
	ExcGPPost          GPException = "GP_POST"         // poste de garde billing with its own software
	ExcMedicalHouse    GPException = "MEDICAL_HOUSE"   // maison médicale au forfait billing per act
	ExcFamilyPlanning  GPException = "FAMILY_PLANNING" // family-planning centre (003), until 2026-01-15
)

// GPExceptions lists the exceptions in wire order.
var GPExceptions = []GPException{ExcOutsidePractice, ExcForceMajeure, ExcAge67, ExcGPPost, ExcMedicalHouse, ExcFamilyPlanning}

// ProviderInfo is what the rules need of the provider that tarifies or invoices: its identifier
// and kind from the certificate, and from the provider record the birth date (for the age
// exception of R-GP-ROUTE) and the exceptions it declared once for all its lines.
type ProviderInfo struct {
	ID         string // NIHII (or CBE for transport and prosthesis companies)
	Kind       string // ProviderDoctor, ProviderHospital, …
	BirthDate  Date   // NoDate when the record has none
	Exceptions []GPException
}

// AgreementCheck is an agreement number a line cites, already verified by the face with the
// agreement keyring (the rules do not hold keys): Valid is false for a malformed, tampered or
// unknown-key number; otherwise the claims it guarantees (R-AGREEMENT-30).
type AgreementCheck struct {
	Valid     bool
	Number    string // decision number
	Version   int    // the version the provider saw
	Provider  string // the provider it was issued to
	Guarantee Period // the 30 days it covers
}

// StatedAmounts are the amounts a provider states on an invoice line (euro cents), checked
// against the tariff (R-TARIFF).
type StatedAmounts struct {
	Fee, AmiPart, PatientPart int64
}

// InvoiceLine is one line of care, as tarified or invoiced.
type InvoiceLine struct {
	Ref          string // the provider's own line reference (R-INVOICE-ONCE)
	CareDate     Date
	CareType     CoverKind
	Nomenclature string
	Supplements  int64          // euro cents, never paid by the State
	Stated       *StatedAmounts // sendInvoices: the amounts invoiced; nil in a tarification
	// RefundCode and StatePercent are what the invoice states of the State part
	// (R-CAAMI-COVER-CODE); RefundCode < 0 = not stated (tarification).
	RefundCode   int
	StatePercent *Percent
	Agreement    *AgreementCheck // nil when the line cites no agreement number
	Exceptions   []GPException   // GP exceptions declared for this line (R-GP-ROUTE)
}

// Invoice is one individual invoice of a send: one beneficiary, one debtor CPAS (the
// provider's split, R-INVOICE-SPLIT), its lines.
type Invoice struct {
	Ref   string // the provider's invoice number
	SSIN  string
	CPAS  string // CBE of the CPAS the provider charges
	Lines []InvoiceLine
}

// SendCmd is a sendInvoices request: one send of a provider, identified by its send id.
type SendCmd struct {
	Provider ProviderInfo
	SendID   string
	Invoices []Invoice
}

// TarifyCmd is a tarify request: lines of care for one beneficiary, nothing stored.
type TarifyCmd struct {
	Provider ProviderInfo
	SSIN     string
	Lines    []InvoiceLine
}

// InvoiceFacts is what the controls read, loaded by the face for the beneficiaries of a send.
type InvoiceFacts struct {
	// Decisions maps an SSIN to every decision of that beneficiary (all CPAS).
	Decisions map[string][]Decision
	// Attestations maps an SSIN to the beneficiary's UMA attestations.
	Attestations map[string][]Attestation
	// Accepted reports whether this provider already had a line of that reference accepted
	// (R-INVOICE-ONCE); nil = none.
	Accepted func(lineRef string) bool
}

// Amounts is the tarification of one line (R-TARIFF), euro cents.
type Amounts struct {
	Fee, AmiPart, PatientPart, Supplements int64
	StateAmi, StatePatient                 int64 // what the State pays of the AMI and patient parts
	CPAS                                   int64 // what the CPAS takes of the rest (cover shares and maxima)
	Patient                                int64 // what the patient pays: the rest
	RefundCode                             int
	Percent                                Percent // the State percentages applied
	// CPASConditional is set when a PARTIAL share depends on a convention or a prescription
	// the CAAMI cannot read: the CPAS part of it is left at 0 for the provider to settle.
	CPASConditional bool
}

// State is the State part of the line: what the CAAMI pays the provider (R-PAYMENT).
func (a Amounts) State() int64 { return a.StateAmi + a.StatePatient }

// Total is everything the line costs: fee plus supplements.
func (a Amounts) Total() int64 { return a.Fee + a.Supplements }

// Add sums b into a (totals of an invoice or a statement); the refund code and percentages
// of a are kept.
func (a *Amounts) Add(b Amounts) {
	a.Fee += b.Fee
	a.AmiPart += b.AmiPart
	a.PatientPart += b.PatientPart
	a.Supplements += b.Supplements
	a.StateAmi += b.StateAmi
	a.StatePatient += b.StatePatient
	a.CPAS += b.CPAS
	a.Patient += b.Patient
}

// Route says where a GP bills care (R-GP-ROUTE).
type Route string

const (
	RouteCPAS          Route = "CPAS"           // the CPAS as before; MediPrima allowed
	RouteEither        Route = "EITHER"         // transition: the CPAS or MediPrima
	RouteMediPrima     Route = "MEDIPRIMA"      // MediPrima only
	RouteCPASJustified Route = "CPAS_JUSTIFIED" // the CPAS with a written justification (an exception)
)

// GPRoute is the route of a GP's line and why.
type GPRoute struct {
	Route     Route
	Reason    string      // BEFORE_2025_09, DECISION_BEFORE_2025_09, TRANSITION, EXCEPTION, FAMILY_PLANNING, MANDATORY
	Exception GPException // the exception applied, for EXCEPTION and FAMILY_PLANNING
}

// LineResult is the answer for one line: accepted with its tarification, or rejected with the
// control's message (one error: the first control that fails).
type LineResult struct {
	InvoiceRef string
	Ref        string
	Accepted   bool
	Messages   []Message // the error of a rejected line; warnings of an accepted one
	Decision   string    // the decision governing the care date
	Version    int       // and its version (the agreed one under an agreement)
	CPAS       string    // CBE of the CPAS the line is charged to (R-INVOICE-SPLIT)
	Amounts    Amounts
	Route      *GPRoute // GP lines only
}

// SendResult is the control of a whole send, line by line in send order.
type SendResult struct {
	Lines              []LineResult
	Accepted, Rejected int
	State              int64 // what the CAAMI pays for the send (R-PAYMENT)
}

// TarifyResult is a tarification, line by line.
type TarifyResult struct {
	Lines []LineResult
}
