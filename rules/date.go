package rules

import (
	"fmt"
	"time"
)

// Date is a civil date (no time of day, no zone) counted in days since
// 1970-01-01. Integer days make "day 60 vs 61" comparisons exact and cheap.
type Date int32

// NoDate marks an absent optional date.
const NoDate Date = -1 << 31

const dateLayout = "2006-01-02"

// ParseDate reads an xs:date without zone (YYYY-MM-DD).
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(dateLayout, s)
	if err != nil {
		return NoDate, fmt.Errorf("bad date %q", s)
	}
	return DateOf(t), nil
}

// MustDate is ParseDate for literals in tests and tables; it panics on a bad literal.
func MustDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// DateOf takes the calendar date of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400)
}

// Time is midnight UTC of d.
func (d Date) Time() time.Time { return time.Unix(int64(d)*86400, 0).UTC() }

func (d Date) String() string {
	if d == NoDate {
		return ""
	}
	return d.Time().Format(dateLayout)
}

// Valid reports whether d is a real date (not NoDate).
func (d Date) Valid() bool { return d != NoDate }

// AddDays moves d by n days.
func (d Date) AddDays(n int) Date { return d + Date(n) }

// AddYears moves d by whole calendar years (29 Feb → 1 Mar in a common year, as time.AddDate does).
func (d Date) AddYears(n int) Date { return DateOf(d.Time().AddDate(n, 0, 0)) }

// AddMonths moves d by whole calendar months.
func (d Date) AddMonths(n int) Date { return DateOf(d.Time().AddDate(0, n, 0)) }

// Period is an inclusive range of days.
type Period struct {
	Start, End Date
}

// Contains reports whether day lies in p (inclusive).
func (p Period) Contains(day Date) bool { return p.Start <= day && day <= p.End }

// Overlaps reports whether p and q share at least one day.
func (p Period) Overlaps(q Period) bool { return p.Start <= q.End && q.Start <= p.End }

// Covers reports whether p includes every day of q.
func (p Period) Covers(q Period) bool { return p.Start <= q.Start && q.End <= p.End }

// Days is the number of days in p, both ends included.
func (p Period) Days() int { return int(p.End-p.Start) + 1 }

func (p Period) String() string { return p.Start.String() + "/" + p.End.String() }
