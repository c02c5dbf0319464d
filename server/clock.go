package server

import (
	"sync"
	"time"

	"github.com/carmed/carmed/rules"
)

// BusinessClock gives the rules their "today". Fixed (serve --today D) it always answers D; with
// Advance it starts at D and moves on one day per real day (Europe/Brussels midnights), so a long
// demo or soak behaves like the real service while its fixtures stay valid. The harness will set it.
type BusinessClock struct {
	mu      sync.Mutex
	start   rules.Date
	advance bool
	since   time.Time // wall time at which start was set
	now     func() time.Time
	loc     *time.Location
}

// brussels is the zone business dates are read in, loaded once: every tenant's pipeline and clock
// needs it, and LoadLocation reads the zone database from disk on each call.
var brussels, brusselsErr = time.LoadLocation("Europe/Brussels")

// NewBusinessClock fixes today at start; advance lets it move with the wall clock now (nil = time.Now).
func NewBusinessClock(start rules.Date, advance bool, now func() time.Time) *BusinessClock {
	if now == nil {
		now = time.Now
	}
	loc := brussels
	if brusselsErr != nil {
		loc = time.UTC
	}
	return &BusinessClock{start: start, advance: advance, since: now(), now: now, loc: loc}
}

// Today is the business date.
func (c *BusinessClock) Today() rules.Date {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.advance {
		return c.start
	}
	elapsed := rules.DateOf(c.now().In(c.loc)) - rules.DateOf(c.since.In(c.loc))
	return c.start + elapsed
}

// Set moves the business date to d (and restarts the advance from now, if on).
func (c *BusinessClock) Set(d rules.Date) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.start, c.since = d, c.now()
}

// SetAt is Set as another gateway of the same world did it at since (store.ClockRecord), so
// that every gateway's clock reads the same date, advancing or not.
func (c *BusinessClock) SetAt(d rules.Date, since time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.start, c.since = d, since
}

// Now is the wall time the clock counts from (what Set records as since).
func (c *BusinessClock) Now() time.Time { return c.now() }

// Advance moves the business date by n days (negative goes back).
func (c *BusinessClock) Advance(n int) {
	c.Set(c.Today().AddDays(n))
}

// Frozen reports whether the date stays put (no --advance).
func (c *BusinessClock) Frozen() bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return !c.advance
}
