package console

import (
	"net/url"
	"strings"

	"github.com/carmed/carmed/rules"
)

// fieldErrors are a form's errors by field name, each a translation key: the page shows each
// next to its field.
type fieldErrors map[string]string

// ssinField reads an SSIN (spaces, dots and dashes allowed, as people write them); it must be
// 11 digits with a valid check (R-SSIN).
func ssinField(q url.Values, name string, errs fieldErrors) string {
	raw := strings.TrimSpace(q.Get(name))
	s := strings.Map(func(r rune) rune {
		switch r {
		case ' ', '.', '-':
			return -1
		}
		return r
	}, raw)
	switch {
	case raw == "":
		errs[name] = "err.required"
	case !rules.AllDigits(s, 11):
		errs[name] = "err.ssin.digits"
	case !rules.ValidSSIN(s):
		errs[name] = "err.ssin.check"
	}
	return s
}

// dateField reads a date YYYY-MM-DD (what an <input type=date> sends); empty gives def when
// optional.
func dateField(q url.Values, name string, optional bool, def rules.Date, errs fieldErrors) rules.Date {
	raw := strings.TrimSpace(q.Get(name))
	if raw == "" {
		if !optional {
			errs[name] = "err.required"
		}
		return def
	}
	d, err := rules.ParseDate(raw)
	if err != nil {
		errs[name] = "err.date"
		return def
	}
	return d
}
