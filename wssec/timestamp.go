package wssec

import (
	"errors"
	"strings"
	"time"

	"github.com/beevik/etree"
)

var errTimestampShape = errors.New("Timestamp needs one Created and at most one Expires, as xs:dateTime with a zone")

// parseTimestamp reads wsu:Created and wsu:Expires (whole seconds or fractions, 'Z' or an offset).
// Expires is optional (WSS 1.1 §10, Basic Security Profile; WSS4J omits it with a ttl of 0): its
// absence gives a zero expires, which checkFreshness replaces by Created plus the maximum lifetime.
func parseTimestamp(ts *etree.Element) (created, expires time.Time, err error) {
	c, es := child(ts, nsWSU, "Created"), children(ts, nsWSU, "Expires")
	if c == nil || len(es) > 1 {
		return created, expires, errTimestampShape
	}
	if created, err = parseDateTime(c.Text()); err != nil {
		return created, expires, errTimestampShape
	}
	if len(es) == 0 {
		return created, time.Time{}, nil
	}
	if expires, err = parseDateTime(es[0].Text()); err != nil {
		return created, expires, errTimestampShape
	}
	return created, expires, nil
}

func parseDateTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if len(s) > maxTimestampChars {
		return time.Time{}, errTimestampShape
	}
	return time.Parse(time.RFC3339Nano, s)
}

// checkFreshness applies the Timestamp policy: Created not after now+skew, Expires after
// now-skew, Expires after Created, and a lifetime of at most maxTTL. A Timestamp without Expires
// (zero expires) lives the maximum: it is judged, and returned, as if Expires were Created+maxTTL,
// so the replay window of its caller covers it too.
func checkFreshness(created, expires, now time.Time, skew, maxTTL time.Duration) (time.Time, *Error) {
	if expires.IsZero() {
		expires = created.Add(maxTTL)
	}
	return expires, freshness(created, expires, now, skew, maxTTL)
}

func freshness(created, expires, now time.Time, skew, maxTTL time.Duration) *Error {
	switch {
	case !expires.After(created):
		return fail(InvalidSecurity, reasonBadTimestamp, errors.New("Expires is not after Created"))
	case expires.Sub(created) > maxTTL:
		return fail(InvalidSecurity, reasonLongTimestamp, errors.New("Timestamp lifetime above the maximum"))
	case created.After(now.Add(skew)):
		return fail(MessageExpired, reasonFuture, errors.New("Created is beyond the allowed skew"))
	case !expires.After(now.Add(-skew)):
		return fail(MessageExpired, reasonExpired, errors.New("Expires has passed"))
	}
	return nil
}
