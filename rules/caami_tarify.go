package rules

import "strconv"

// tarify is R-TARIFF's arithmetic for one line: the fee of the tariff split into AMI part and
// patient part; the State pays the refund code's percentages of each for the cover's care type
// (never the supplements); the CPAS takes what its shares and maxima give of the rest; the
// patient pays what remains. Euro cents throughout; a percentage is rounded half up.
//
// Reading: a PARTIAL share with a maximum amount gives at most that amount for the line (the
// manual's maxima are per hospitalisation and per month; the face may lower them by what the
// month already used). A PARTIAL share resting on a convention or a prescription cannot be
// computed by the CAAMI (000 §5.1 "Si le prestataire ne peut distinguer clairement"): the line
// then says so (CPASConditional) and leaves that part to the patient's column.
func tarify(tf Tariff, supplements int64, sp *StatePart, cv *Cover) Amounts {
	pct := sp.Percent(cv.Kind.CareType())
	a := Amounts{Fee: tf.Fee, AmiPart: tf.AmiPart(), PatientPart: tf.PatientPart, Supplements: supplements,
		RefundCode: sp.RefundCode, Percent: pct}
	a.StateAmi = percentOf(a.AmiPart, pct.AmiPart)
	a.StatePatient = percentOf(a.PatientPart, pct.PatientPart)
	conditional := cv.Support.Convention != nil || cv.Support.Prescription != nil
	ami, c1 := cpasShare(cv.Support.AmiPart, a.AmiPart-a.StateAmi, nil, false)
	pat, c2 := cpasShare(cv.Support.PatientPart, a.PatientPart-a.StatePatient, cv.MaxPatientPart, conditional)
	sup, c3 := cpasShare(cv.Support.Supplement, supplements, cv.MaxSupplement, conditional || len(cv.SupplementTypes) > 0)
	a.CPAS = ami + pat + sup
	a.CPASConditional = c1 || c2 || c3
	a.Patient = a.Total() - a.State() - a.CPAS
	return a
}

// percentOf is pct % of cents, rounded half up.
func percentOf(cents int64, pct int) int64 { return (cents*int64(pct) + 50) / 100 }

// cpasShare is what the CPAS takes of rest under share s (R-CPAS-PART): all of it for FULL,
// nothing for NOTHING; for PARTIAL up to the maximum when there is one, and whether it also
// depends on a condition the CAAMI cannot check (then, without a maximum, nothing is counted).
func cpasShare(s Share, rest int64, maxAmount *int64, conditional bool) (int64, bool) {
	switch s {
	case Full:
		return rest, false
	case Partial:
		if maxAmount == nil {
			return 0, true
		}
		return min(rest, max(*maxAmount, 0)), conditional
	}
	return 0, false
}

func infoCents(name string, cents int64) Info {
	return Info{Name: name, Value: strconv.FormatInt(cents, 10)}
}
