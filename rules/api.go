package rules

import "time"

// Severity of a message: ERROR rejects, WARNING rides along with a success.
type Severity string

const (
	SevError   Severity = "ERROR"
	SevWarning Severity = "WARNING"
)

// Info is a fieldName/fieldValue pair the caller needs to act on a message.
type Info struct {
	Name, Value string
}

// Message is one business message with a stable reason code (≤ 16 chars, codes.go).
type Message struct {
	Severity Severity
	Code     string // stable reason code, ≤ 16 chars
	Rule     string // rule id from rules.md, e.g. "R-RETRO-60"
	Fr, Nl   string
	Info     []Info // at most 5 (wire limit)
	// Technical marks an error that is not a business answer (R-SSIN): the server answers a
	// SOAP Fault carrying this code instead of a NO_RESULT status.
	Technical bool
}

// Action of a modifyCarmed request.
type Action string

const (
	ActionModify   Action = "MODIFY"
	ActionActivate Action = "ACTIVATE"
)

// Facts is everything the engine may read: the beneficiary's registry record and decisions.
type Facts struct {
	Person    *Person    // nil when the registry does not know the SSIN (R-PERSON-KNOWN)
	Decisions []Decision // every decision of the beneficiary, all CPAS, closed ones included
	// CPAS resolves a CBE to the CPAS's names (for messages naming another CPAS); may be nil.
	CPAS func(cbe string) (CPAS, bool)
	// Attestations are the beneficiary's urgent-medical-aid attestations, deleted ones included;
	// read by a provider consultation (R-UMA-NUMBER). nil = none known.
	Attestations []Attestation
}

// CreateCmd is a createCarmed request, already decoded.
type CreateCmd struct {
	Caller  string // CBE of the verified signer (R-CBE is checked by the server before)
	SSIN    string
	Content Content
}

// ModifyCmd is a modifyCarmed request. BaseVersion is the version the CPAS modifies.
type ModifyCmd struct {
	Caller      string
	Number      string
	BaseVersion int
	Action      Action
	Content     Content // ignored for ACTIVATE
	// Period is, for ACTIVATE, the validity requested (nil = keep it): the only thing a
	// reactivation may change (R-REACTIVATE).
	Period *Period
}

// StopCmd is a stopCarmed request.
type StopCmd struct {
	Caller      string
	Number      string
	BaseVersion int
	StopDate    Date
}

// CloseCmd is a closeCarmed request.
type CloseCmd struct {
	Caller      string
	Number      string
	BaseVersion int
}

// Result of a write: the new version (nil when rejected) and messages (errors and warnings).
type Result struct {
	Version  *Version
	Messages []Message
}

// Rejected reports whether any message is an error.
func (r Result) Rejected() bool {
	for _, m := range r.Messages {
		if m.Severity == SevError {
			return true
		}
	}
	return false
}

// ConsultMode selects the kind of consultation (R-CONSULT-CPAS).
type ConsultMode int

const (
	ByDate   ConsultMode = iota // SSIN + date (default today)
	ByPeriod                    // SSIN + period
	ByNumber                    // number (+ version), manager only
	History                     // SSIN + period, every decision and version, newest first, ≤ 24
)

// ConsultCmd is a consultCarmed request.
type ConsultCmd struct {
	Caller  string
	Mode    ConsultMode
	SSIN    string
	Date    Date   // ByDate; NoDate = today
	Period  Period // ByPeriod, History
	Number  string // ByNumber
	Version int    // ByNumber; 0 = latest
}

// View is one decision version as shown to the caller: Full for the manager,
// otherwise only manager identification, number and validity (R-VIEW-OTHER-CPAS).
type View struct {
	Full    bool
	Version Version
	Manager CPAS
	// OthersSee is, in the manager's views, the version number other CPAS and providers see
	// today: lower than Version.Version while a restriction written today waits for the next
	// day (R-RESTRICTION-NEXT-DAY). Zero in other CPAS's views.
	OthersSee int
}

// ConsultResult lists the views (may be empty: NO_DATA_FOUND) and whether more than MaxHistory exist.
type ConsultResult struct {
	Views    []View
	More     bool
	Messages []Message // errors reject the consultation (e.g. R-MANAGER on by-number)
}

// SimulateCmd is a simulate request (R-SIMULATE).
type SimulateCmd struct {
	Caller              string
	SSIN                string
	Period              Period
	DecisionDate        Date
	IncomeAboveRI       bool
	JudicialDecision    bool
	NoStateIntervention bool
}

// SimulateResult is the State part that a decision with this input would get.
type SimulateResult struct {
	State    StatePart
	Messages []Message
}

// QueryManagerCmd is a queryCarmedManager request: which CPAS manages the person's decision
// in force on Date (NoDate = today).
type QueryManagerCmd struct {
	Caller string
	SSIN   string
	Date   Date
}

// QueryManagerResult names the managing CPAS (identification only: CBE, names, INS). Empty =
// NO_DATA_FOUND. There is normally one; two only while decisions that an SSIN merge made
// overlap are suspended (rules.md §5).
type QueryManagerResult struct {
	Managers []CPAS
	Views    []View // identification only: manager, decision number and validity, one per manager
	Messages []Message
}

// Clock-free entry points: today and now are given by the caller (design §7.5).
type Engine interface {
	Create(cmd CreateCmd, f Facts, today Date, now time.Time) Result
	Modify(cmd ModifyCmd, f Facts, today Date, now time.Time) Result
	Stop(cmd StopCmd, f Facts, today Date, now time.Time) Result
	Close(cmd CloseCmd, f Facts, today Date, now time.Time) Result
	Consult(cmd ConsultCmd, f Facts, today Date) ConsultResult
	Simulate(cmd SimulateCmd, f Facts, today Date) SimulateResult
	QueryManager(cmd QueryManagerCmd, f Facts, today Date) QueryManagerResult
	ConsultProvider(cmd ProviderConsultCmd, f Facts, today Date) ProviderResult
	Mutate(m Mutation, f MutationFacts, today Date, now time.Time) MutationResult
}

// MaxHistory caps history consultations (R-CONSULT-CPAS).
const MaxHistory = 24
