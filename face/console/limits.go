package console

import "time"

// The console's limits, each with why.
const (
	// SessionTTL is how long a demo sign-in lasts: a working day, then pick again.
	SessionTTL = 8 * time.Hour
	// MaxSessions caps the in-memory demo sessions, so a loop of sign-ins cannot grow memory.
	MaxSessions = 1000
	// MaxFormBytes caps a form body: the largest is the person load, fixture text of a few
	// hundred persons.
	MaxFormBytes = 1 << 20
	// HistoryYears is how far before and after the business date the inspector looks for a
	// CPAS (its consultation needs a period; decisions last months, a few years is every one).
	HistoryYears = 5
	// MaxClockDays bounds the harness form's move of the business date, either way: ten years
	// is beyond any decision's validity; the err.days text says the same number.
	MaxClockDays = 3650
	// MaxTimelineDecisions caps the decisions drawn for one person (the rest are listed).
	MaxTimelineDecisions = 12
)
