package wssec

import (
	"errors"
	"strings"
	"time"

	"github.com/beevik/etree"
)

var errTimestampShape = errors.New("Timestamp needs one Created and one Expires, as xs:dateTime with a zone")

// parseTimestamp reads wsu:Created and wsu:Expires (whole seconds or fractions, 'Z' or an offset).
func parseTimestamp(ts *etree.Element) (created, expires time.Time, err error) {
	c, e := child(ts, nsWSU, "Created"), child(ts, nsWSU, "Expires")
	if c == nil || e == nil {
		return created, expires, errTimestampShape
	}
	if created, err = parseDateTime(c.Text()); err != nil {
		return created, expires, errTimestampShape
	}
	if expires, err = parseDateTime(e.Text()); err != nil {
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
// now-skew, Expires after Created, and a lifetime of at most maxTTL.
func checkFreshness(created, expires, now time.Time, skew, maxTTL time.Duration) *Error {
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
