package wssec

import (
	"testing"
	"time"
)

func TestDateTimesClientsSendParse(t *testing.T) {
	want := time.Date(2026, 11, 22, 9, 59, 25, 0, time.UTC)
	for _, c := range []struct {
		name, in string
		want     time.Time
	}{
		{"whole seconds in UTC (zeep, node-soap)", "2026-11-22T09:59:25Z", want},
		{"milliseconds in UTC (WSS4J)", "2026-11-22T09:59:25.744Z", want.Add(744 * time.Millisecond)},
		{"an offset instead of Z", "2026-11-22T10:59:25+01:00", want},
		{"surrounding whitespace", "\n 2026-11-22T09:59:25Z \n", want},
	} {
		t.Run(c.name, func(t *testing.T) {
			got, err := parseDateTime(c.in)
			if err != nil || !got.Equal(c.want) {
				t.Fatalf("got %v, %v", got, err)
			}
		})
	}
	for _, c := range []struct{ name, in string }{
		{"a time without zone is refused", "2026-11-22T09:59:25"},
		{"a date alone is refused", "2026-11-22"},
		{"an overlong value is refused", "2026-11-22T09:59:25.0000000000000000000000000000000000000000000000000000000Z"},
	} {
		t.Run(c.name, func(t *testing.T) {
			if _, err := parseDateTime(c.in); err == nil {
				t.Fatal("accepted")
			}
		})
	}
}

func TestFreshnessBoundaries(t *testing.T) {
	now := time.Date(2026, 11, 22, 12, 0, 0, 0, time.UTC)
	skew, ttl := DefaultSkew, DefaultMaxTTL
	for _, c := range []struct {
		name             string
		created, expires time.Time
		want             FaultCode // "" = accepted
	}{
		{"a Timestamp created exactly at now+skew is accepted", now.Add(skew), now.Add(skew + time.Minute), ""},
		{"a Timestamp created a second beyond now+skew is refused", now.Add(skew + time.Second), now.Add(skew + time.Minute), MessageExpired},
		{"a Timestamp expiring a second after now-skew is accepted", now.Add(-skew - time.Minute), now.Add(-skew + time.Second), ""},
		{"a Timestamp expiring exactly at now-skew is refused", now.Add(-skew - time.Minute), now.Add(-skew), MessageExpired},
		{"a lifetime of exactly the maximum is accepted", now.Add(-time.Minute), now.Add(-time.Minute + ttl), ""},
		{"a lifetime a second over the maximum is refused", now.Add(-time.Minute), now.Add(-time.Minute + ttl + time.Second), InvalidSecurity},
		{"Expires before Created is refused", now, now.Add(-time.Second), InvalidSecurity},
		// No Expires (zero): the message lives Created plus the maximum lifetime.
		{"no Expires, created now, is accepted", now, time.Time{}, ""},
		{"no Expires, created a second short of the maximum lifetime plus skew ago, is accepted", now.Add(-ttl - skew + time.Second), time.Time{}, ""},
		{"no Expires, created exactly the maximum lifetime plus skew ago, is refused", now.Add(-ttl - skew), time.Time{}, MessageExpired},
		{"no Expires, created beyond now+skew, is refused", now.Add(skew + time.Second), time.Time{}, MessageExpired},
	} {
		t.Run(c.name, func(t *testing.T) {
			exp, e := checkFreshness(c.created, c.expires, now, skew, ttl)
			if e == nil && c.expires.IsZero() && !exp.Equal(c.created.Add(ttl)) {
				t.Fatalf("effective Expires %v, want Created+maximum lifetime", exp)
			}
			switch {
			case c.want == "" && e != nil:
				t.Fatalf("refused: %v", e)
			case c.want != "" && (e == nil || e.Code != c.want):
				t.Fatalf("got %v, want %s", e, c.want)
			}
		})
	}
}
