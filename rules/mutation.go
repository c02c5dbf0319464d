package rules

import "time"

// MutationKind is the kind of registry event the harness feeds in (rules.md §5, 000 §3.11).
type MutationKind string

const (
	MutName      MutationKind = "NAME"       // minor: last and first name (R-MUT-NAME)
	MutGender    MutationKind = "GENDER"     // major (R-MUT-MAJOR)
	MutBirthDate MutationKind = "BIRTH_DATE" // major (R-MUT-MAJOR)
	MutSSIN      MutationKind = "SSIN"       // BIS → national number, or merge (R-MUT-SSIN)
	MutDeath     MutationKind = "DEATH"      // (R-MUT-DEATH)
	MutSituation MutationKind = "SITUATION"  // residence / insurance situation (R-MUT-REFUND)
)

// MutationKinds lists the kinds in wire order.
var MutationKinds = []MutationKind{MutName, MutGender, MutBirthDate, MutSSIN, MutDeath, MutSituation}

// SSIN mutation flavours, reported back to the harness.
const (
	SSINChange = "CHANGE" // the new SSIN was unknown: the record moves to it (BIS → national number)
	SSINMerge  = "MERGE"  // the new SSIN is a known person: the old one merges into it
)

// Mutation is one registry event. Only the fields of its Kind are read.
type Mutation struct {
	Seq       uint64 // the store's sequence, set before Mutate; copied into suspensions and notices
	Kind      MutationKind
	SSIN      string // the person it concerns
	Effective Date   // the date the change takes effect in the register

	LastName, FirstName string    // NAME
	Gender              string    // GENDER: "M" or "F"
	BirthDate           Date      // BIRTH_DATE
	NewSSIN             string    // SSIN
	Situation           Situation // SITUATION: From is set to Effective
	// DEATH: the death date is Effective.
}

// MutationFacts is what Mutate reads: the person, the person under the new SSIN for an SSIN
// mutation (nil when unknown: a change, not a merge), and every decision of both.
type MutationFacts struct {
	Person    *Person
	Target    *Person
	Decisions []Decision
	CPAS      func(cbe string) (CPAS, bool)
}

// NextAction is one action the managing CPAS may take on a noticed decision (R-NOTICE).
type NextAction struct {
	Action string // ACTIVATE, STOP, CLOSE
	// MinStopDate and MaxStopDate bound the stop date of a STOP (R-STOP-SUSPENDED); NoDate otherwise.
	MinStopDate, MaxStopDate Date
}

// Next actions.
const (
	NextActivate = "ACTIVATE"
	NextStop     = "STOP"
	NextClose    = "CLOSE"
)

// Notice tells the managing CPAS that a mutation made a version of one of its decisions
// (R-NOTICE). It is delivered by consultNotices until the CPAS acknowledges it.
type Notice struct {
	ID        string // 12 digits, assigned by the store
	Manager   string // CBE of the managing CPAS, the addressee
	SSIN      string // the beneficiary's SSIN after the mutation
	OldSSIN   string // SSIN mutations: the SSIN before
	Number    string
	Version   int
	Status    Status
	Cause     MutationKind
	Mutation  uint64
	Effective Date
	// Suspension is the suspension this mutation added, nil when it only changed data.
	Suspension *Suspension
	Actions    []NextAction
	Created    time.Time
	WrittenOn  Date
	// Acknowledged is set by the store when the CPAS acknowledged the notice.
	Acknowledged bool
}

// MutationResult is everything one mutation changes, to be committed in one transaction.
type MutationResult struct {
	Person   Person  // the registry record after the mutation (under the new SSIN for SSIN)
	Replaced *Person // SSIN mutations: the old record, with ReplacedBy set
	Change   string  // SSIN mutations: SSINChange or SSINMerge
	Versions []Version
	Notices  []Notice // one per version made, in the order of Versions
	Messages []Message
}

// Rejected reports whether the mutation was refused (nothing to write).
func (r MutationResult) Rejected() bool { return hasError(r.Messages) }

// FirstToHandle is the pending suspension the next action must handle (R-MUT-ORDER):
// refund-code and death suspensions in arrival order, then SSIN-overlap ones. nil when none.
func (v *Version) FirstToHandle() *Suspension {
	for i := range v.Suspensions {
		if r := v.Suspensions[i].Reason; r == SuspendRefundCode || r == SuspendDeath {
			return &v.Suspensions[i]
		}
	}
	if len(v.Suspensions) > 0 {
		return &v.Suspensions[0]
	}
	return nil
}
