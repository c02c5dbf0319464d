package server

import (
	"testing"
	"time"

	"github.com/carmed/carmed/rules"
)

func TestBusinessClock(t *testing.T) {
	wall := time.Date(2026, 11, 22, 22, 30, 0, 0, time.UTC) // 23:30 in Brussels
	now := func() time.Time { return wall }
	start := rules.MustDate("2025-03-01")

	fixed := NewBusinessClock(start, false, now)
	wall = wall.Add(48 * time.Hour)
	if got := fixed.Today(); got != start {
		t.Fatalf("a fixed clock moved to %s", got)
	}

	wall = time.Date(2026, 11, 22, 22, 30, 0, 0, time.UTC)
	adv := NewBusinessClock(start, true, now)
	if got := adv.Today(); got != start {
		t.Fatalf("an advancing clock starts at %s, want %s", got, start)
	}
	wall = wall.Add(31 * time.Minute) // past midnight in Brussels, still the 22nd in UTC
	if got := adv.Today(); got != start.AddDays(1) {
		t.Fatalf("after Brussels midnight the advancing clock says %s, want %s", got, start.AddDays(1))
	}
	wall = wall.Add(10 * 24 * time.Hour)
	if got := adv.Today(); got != start.AddDays(11) {
		t.Fatalf("ten days later: %s, want %s", got, start.AddDays(11))
	}
	adv.Set(rules.MustDate("2024-01-15"))
	if got := adv.Today(); got != rules.MustDate("2024-01-15") {
		t.Fatalf("after Set: %s", got)
	}
}
