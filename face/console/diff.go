package console

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/carmed/carmed/rules"
)

// line is one field of a version, flattened for the diff: key matches the same field in another
// version, label is what the page says.
type line struct {
	key, label, value string
}

// diffRow is one field of two versions side by side.
type diffRow struct {
	Label, A, B string
	Changed     bool
}

// versionLines flattens what a version says, field by field, covers by kind.
func versionLines(ver *rules.Version, v *visit) []line {
	var out []line
	add := func(key, label, value string) { out = append(out, line{key, label, value}) }
	add("status", v.T("f.status"), v.T("status."+string(ver.Status)))
	add("cause", v.T("f.cause"), v.T("cause."+string(ver.Cause)))
	add("period", v.T("f.validity"), ver.Period.String())
	add("decisionDate", v.T("f.decisionDate"), dateText(ver.DecisionDate))
	add("judicial", v.T("f.judicial"), yesNo(v, ver.JudicialDecision))
	add("income", v.T("f.incomeAboveRI"), yesNo(v, ver.IncomeAboveRI))
	add("noState", v.T("f.noState"), yesNo(v, ver.NoStateIntervention))
	add("name", v.T("f.beneficiary"), strings.TrimSpace(ver.Beneficiary.LastName+" "+ver.Beneficiary.FirstName))
	add("refund", v.T("f.refundCode"), strconv.Itoa(ver.State.RefundCode))
	add("state", v.T("f.statePart"), stateText(ver.State))
	for _, k := range rules.CoverKinds {
		cv := ver.Cover(k)
		val := ""
		if cv != nil {
			val = coverText(cv)
		}
		add("cover."+string(k), v.T("cover."+string(k)), val)
	}
	for i, s := range ver.Suspensions {
		add("susp"+strconv.Itoa(i), v.T("f.suspension"), s.Reason+" "+s.Date.String())
	}
	return out
}

// diffVersions pairs the fields of two versions (a's order, then b's extra fields).
func diffVersions(a, b []line) []diffRow {
	bv := map[string]string{}
	for _, l := range b {
		bv[l.key] = l.value
	}
	seen := map[string]bool{}
	var out []diffRow
	for _, l := range a {
		seen[l.key] = true
		out = append(out, diffRow{Label: l.label, A: l.value, B: bv[l.key], Changed: l.value != bv[l.key]})
	}
	for _, l := range b {
		if !seen[l.key] {
			out = append(out, diffRow{Label: l.label, B: l.value, Changed: l.value != ""})
		}
	}
	return out
}

func coverText(cv *rules.Cover) string {
	s := fmt.Sprintf("%s · AMI %s · patient %s · suppl. %s", cv.Period, cv.Support.AmiPart, cv.Support.PatientPart, cv.Support.Supplement)
	if len(cv.Providers) > 0 {
		s += " · " + strings.Join(cv.Providers, ", ")
	}
	return s
}

func stateText(sp rules.StatePart) string {
	return fmt.Sprintf("%s %d/%d · %s %d/%d · %s %d/%d", "H", sp.Hospital.AmiPart, sp.Hospital.PatientPart,
		"A", sp.Ambulatory.AmiPart, sp.Ambulatory.PatientPart, "O", sp.Other.AmiPart, sp.Other.PatientPart)
}

func dateText(d rules.Date) string {
	if !d.Valid() {
		return ""
	}
	return d.String()
}

func yesNo(v *visit, b bool) string {
	if b {
		return v.T("yes")
	}
	return v.T("no")
}
