package rules

// PublicVersion is the version of d that parties other than the managing CPAS (other CPAS,
// providers) see on day today (R-RESTRICTION-NEXT-DAY): a version that restricts rights is
// seen by them only from the day after it was written, while extensions are seen at once.
//
// The baseline is the newest version written before today (or version 1 when every version
// was written today: a creation is visible at once). Among the versions written today, the
// newest that gives at least what the baseline gave is shown; if each of them restricts the
// baseline, the baseline is. The manager always sees the latest version.
func (d *Decision) PublicVersion(today Date) *Version {
	base := 0
	for i := range d.Versions {
		if w := d.Versions[i].WrittenDay(); w.Valid() && w < today {
			base = i
		}
	}
	for i := len(d.Versions) - 1; i > base; i-- {
		if !restricts(&d.Versions[base], &d.Versions[i]) {
			return &d.Versions[i]
		}
	}
	return &d.Versions[base]
}

// GoverningVersion is the version of d that governs day for parties other than the manager, as
// seen on today (R-CONSULT-PROVIDER: "every version in force on some day of the period"). Today
// and later days are governed by the version public today (R-RESTRICTION-NEXT-DAY: a
// restriction written today is not seen before tomorrow). A past day is governed by the newest
// version written by then: once its day is over, the version written that day is the one that
// held for it. A day before the first version was written is governed by the first version
// (a retroactive creation covers its past days at once).
func (d *Decision) GoverningVersion(day, today Date) *Version {
	if day >= today {
		return d.PublicVersion(today)
	}
	v := &d.Versions[0]
	for i := range d.Versions {
		if w := d.Versions[i].WrittenDay(); w.Valid() && w > day {
			break
		}
		v = &d.Versions[i]
	}
	return v
}

// seenBy is the version caller sees of d today: the latest for the manager, the public one
// for anybody else.
func seenBy(d *Decision, caller string, today Date) *Version {
	if lv := d.Latest(); lv.Manager == caller {
		return lv
	}
	return d.PublicVersion(today)
}
