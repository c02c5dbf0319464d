package rules

import "time"

// Status is a decision's life-cycle state.
type Status string

const (
	Active    Status = "ACTIVE"
	Suspended Status = "SUSPENDED"
	Stopped   Status = "STOPPED"
	Closed    Status = "CLOSED"
)

// Share is how much of one part of the cost the CPAS takes on (R-CPAS-PART).
type Share string

const (
	Nothing Share = "NOTHING"
	Partial Share = "PARTIAL"
	Full    Share = "FULL"
)

// CoverKind names one of the eight care categories, in wire order.
type CoverKind string

const (
	Doctor                    CoverKind = "doctor"
	Hospitalization           CoverKind = "hospitalization"
	AmbulatoryHospitalization CoverKind = "ambulatoryHospitalization"
	MedicalTransportation     CoverKind = "medicalTransportation"
	Miscellaneous             CoverKind = "miscellaneous"
	Paramedic                 CoverKind = "paramedic"
	PharmaceuticalDrug        CoverKind = "pharmaceuticalDrug"
	Prosthesis                CoverKind = "prosthesis"
)

// CoverKinds lists the categories in the order of the wire (eHealth MedicalCover).
var CoverKinds = []CoverKind{Doctor, Hospitalization, AmbulatoryHospitalization, MedicalTransportation,
	Miscellaneous, Paramedic, PharmaceuticalDrug, Prosthesis}

// CareType is the State-part column a cover kind is refunded under (rules.md §8).
func (k CoverKind) CareType() CareType {
	switch k {
	case Hospitalization:
		return CareHospital
	case AmbulatoryHospitalization, Doctor, Paramedic:
		return CareAmbulatory
	default:
		return CareOther
	}
}

// CareType is one column of the refund-code table.
type CareType int

const (
	CareHospital CareType = iota
	CareAmbulatory
	CareOther
)

// Support is the CPAS share of each part of the cost for one cover.
type Support struct {
	AmiPart     Share
	PatientPart Share
	Supplement  Share
	// Convention and Prescription are structured comments (R-COMMENTS); nil = absent.
	Convention   *bool
	Prescription *bool
}

// Cover is one care category granted by a decision version.
type Cover struct {
	Kind    CoverKind
	Period  Period
	Support Support
	// MaxPatientPart and MaxSupplement are euro cents per hospitalisation / month; nil = absent.
	MaxPatientPart  *int64
	MaxSupplement   *int64
	SupplementTypes []string
	// Providers is the designated-provider list (NIHII or CBE numbers); empty = any provider.
	Providers []string
}

// AllowsProvider reports whether the provider identified by id (NIHII or CBE) may invoice this
// cover: any provider when the list is empty, otherwise only a designated one (R-PROVIDERS).
func (c *Cover) AllowsProvider(id string) bool {
	if len(c.Providers) == 0 {
		return true
	}
	for _, p := range c.Providers {
		if p == id {
			return true
		}
	}
	return false
}

// Percent is a State share in whole percent.
type Percent struct {
	AmiPart, PatientPart int
}

// StatePart is what the State pays, computed by the gateway (R-STATE-PART), never set by a client.
type StatePart struct {
	RefundCode        int
	JustificationFr   string
	JustificationNl   string
	BeneficiaryStatus string // "L" legal, "I" illegal
	AMU               bool   // urgent medical aid attestation required
	Mutuality         bool   // person affiliated with a mutuality when computed
	Hospital          Percent
	Ambulatory        Percent
	Other             Percent
}

// Beneficiary is the snapshot of the person a version was made for.
type Beneficiary struct {
	SSIN      string
	LastName  string
	FirstName string
	Gender    string // "M", "F" or "" (unknown)
	BirthDate Date   // NoDate if unknown
	DeathDate Date   // NoDate if alive
}

// Content is what a CPAS sets in a create or modify.
type Content struct {
	DecisionDate        Date
	Period              Period
	JudicialDecision    bool
	IncomeAboveRI       bool // income ≥ integration income
	NoStateIntervention bool
	Covers              []Cover // at most one per kind; none = principle decision (R-PRINCIPLE)
}

// Cover returns the cover of kind k, or nil.
func (c *Content) Cover(k CoverKind) *Cover {
	for i := range c.Covers {
		if c.Covers[i].Kind == k {
			return &c.Covers[i]
		}
	}
	return nil
}

// IsPrinciple reports a decision without any cover (R-PRINCIPLE).
func (c *Content) IsPrinciple() bool { return len(c.Covers) == 0 }

// Cause says why a version was written.
type Cause string

const (
	CauseCreate   Cause = "CREATE"
	CauseModify   Cause = "MODIFY"
	CauseActivate Cause = "ACTIVATE"
	CauseStop     Cause = "STOP"
	CauseClose    Cause = "CLOSE"
	CauseMutation Cause = "MUTATION"
)

// Suspension records why and since when a decision is suspended (rules.md §5). A decision
// may carry several, in arrival order (R-MUT-ORDER).
type Suspension struct {
	Reason string // REFUND_CODE, DEATH, SSIN_OVERLAP
	// Date is the first day the guarantee is suspended: the mutation's effective date for a
	// refund-code change, the day after the death, the first overlapping day for an overlap.
	Date Date
	// Mutation is the registry mutation that caused it (the store's sequence); 0 if unknown.
	Mutation uint64
	// OldRefundCode and NewRefundCode are set for REFUND_CODE; NoRefundCode when the new
	// situation gives no State part at all (e.g. housed by Fedasil).
	OldRefundCode, NewRefundCode int
	// OldSSIN is, for SSIN_OVERLAP, the SSIN the decision had before the SSIN mutation ("" for
	// the decision that was already under the new SSIN).
	OldSSIN string
}

// NoRefundCode marks a registry situation that gives no refund code (no State part).
const NoRefundCode = -1

// Version is one immutable version of a decision. Versions are values: rules compute
// them, the store writes them once.
type Version struct {
	Number      string // 12 digits, zero-padded; assigned by the store on create
	Version     int    // 1..n without gaps
	Manager     string // CBE of the managing CPAS
	Beneficiary Beneficiary
	Content
	State   StatePart
	Status  Status
	Cause   Cause
	Author  string    // CBE of the CPAS that made it, or "MEDIPRIMA" for mutations
	Created time.Time // when this version was written
	// WrittenOn is the business date (the gateway's today, Europe/Brussels) the version was
	// written on, set by the rules from their today so time travel stays consistent; it drives
	// R-RESTRICTION-NEXT-DAY. Zero in records written before it existed: see WrittenDay.
	WrittenOn Date
	// Suspensions are the pending suspensions, in arrival order; non-empty exactly when
	// Status is SUSPENDED. Each reactivation or stop handles one (R-MUT-ORDER).
	Suspensions []Suspension
	// EverStoppedRetro is carried forward once a decision was stopped retroactively (R-EXPIRED-EXTEND).
	EverStoppedRetro bool
}

// WrittenDay is the business date the version was written on: WrittenOn, or for older records
// the calendar date of Created in its own location (the server stamps it in Europe/Brussels).
func (v *Version) WrittenDay() Date {
	switch {
	case v.WrittenOn > 0:
		return v.WrittenOn
	case !v.Created.IsZero():
		return DateOf(v.Created)
	}
	return NoDate
}

// InForce reports whether the version gives or blocks rights (active or suspended).
func (v *Version) InForce() bool { return v.Status == Active || v.Status == Suspended }

// Decision is a decision's full history, oldest version first.
type Decision struct {
	Versions []Version
}

// Latest is the newest version. A Decision always has at least one.
func (d *Decision) Latest() *Version { return &d.Versions[len(d.Versions)-1] }

// Number is the decision number.
func (d *Decision) Number() string { return d.Versions[0].Number }

// Situation is one period of a person's register/insurance situation, effective from From.
type Situation struct {
	From Date
	Kind SituationKind
	// ResidenceINS is the municipality of residence (asylum seekers: inside or outside the CPAS territory).
	ResidenceINS string
}

// SituationKind drives the refund code (rules.md §8).
type SituationKind string

const (
	SitIllegal     SituationKind = "ILLEGAL"
	SitRegularised SituationKind = "REGULARISED"
	Sit9ter        SituationKind = "9TER"
	SitAsylum      SituationKind = "ASYLUM"
	SitStruckOff   SituationKind = "STRUCK_OFF"
	SitInsured     SituationKind = "INSURED"
	SitResident    SituationKind = "RESIDENT" // insurable resident: no State intervention
	SitFedasil     SituationKind = "FEDASIL"  // housed in a Fedasil reception centre (R-FEDASIL)
)

// Person is the registry's record of a beneficiary (stand-in for the National/BIS register).
type Person struct {
	SSIN       string
	LastName   string
	FirstName  string
	Gender     string // "M", "F" or "" when the register has none (R-GENDER)
	BirthDate  Date
	DeathDate  Date        // NoDate if alive
	Situations []Situation // sorted by From; the situation on a day is the last with From ≤ day
	// ReplacedBy is set when an SSIN mutation (BIS → national number, merge) replaced this
	// SSIN: the record is kept for history and its decisions moved to ReplacedBy (R-MUT-SSIN).
	ReplacedBy string
}

// SituationOn returns the situation in force on day, or false before the first one.
func (p *Person) SituationOn(day Date) (Situation, bool) {
	var s Situation
	ok := false
	for _, x := range p.Situations {
		if x.From <= day {
			s, ok = x, true
		}
	}
	return s, ok
}

// CPAS is a CPAS known to the gateway (from the trust file).
type CPAS struct {
	CBE    string
	NameFr string
	NameNl string
	INS    string // municipality INS code
}

// Beneficiary builds the snapshot stored in a version.
func (p *Person) Beneficiary() Beneficiary {
	return Beneficiary{SSIN: p.SSIN, LastName: p.LastName, FirstName: p.FirstName, Gender: p.Gender,
		BirthDate: p.BirthDate, DeathDate: p.DeathDate}
}
