package rules

// holdsPeriod reports whether a decision's latest version still occupies its period: every
// status but CLOSED. A stopped decision keeps its (shortened) period — the second CPAS may
// only take over after the first one's end (000 §3.2.1) — and a closed one blocks nothing
// (R-CLOSE). This matches the store invariant "at most one non-closed decision per day".
func holdsPeriod(v *Version) bool { return v.Status != Closed }

// checkOverlap applies R-OVERLAP: no other non-closed decision of the beneficiary, from any
// CPAS, may share a day with p. Principle decisions block like any other (R-PRINCIPLE).
// exclude is the number of the decision being modified ("" on create). ignore, when not
// nil, skips further versions (used by reactivation).
func checkOverlap(f *Facts, caller string, p Period, exclude string, ignore func(*Version) bool) []Message {
	var msgs []Message
	for i := range f.Decisions {
		d := &f.Decisions[i]
		if len(d.Versions) == 0 || (exclude != "" && d.Number() == exclude) {
			continue
		}
		lv := d.Latest()
		if !holdsPeriod(lv) || !lv.Period.Overlaps(p) || (ignore != nil && ignore(lv)) {
			continue
		}
		if lv.Manager == caller {
			msgs = append(msgs, NewMessage(CodeOverlapOwnCPAS, Info{"decisionNumber", d.Number()},
				infoInt("currentVersion", lv.Version), infoDate("decisionStart", lv.Period.Start),
				infoDate("decisionEnd", lv.Period.End)))
			continue
		}
		// Another CPAS: name it (CBE and names) and nothing of its decision (000 §3.2.1).
		c := f.cpas(lv.Manager)
		msgs = append(msgs, NewMessage(CodeOverlapOther, Info{"managerCbe", c.CBE},
			Info{"managerNameFr", c.NameFr}, Info{"managerNameNl", c.NameNl}))
	}
	return msgs
}

// cpas resolves a CBE through Facts.CPAS, falling back to the bare CBE.
func (f *Facts) cpas(cbe string) CPAS { return cpasOf(f.CPAS, cbe) }

// cpasOf resolves a CBE through lookup (may be nil), falling back to the bare CBE.
func cpasOf(lookup func(string) (CPAS, bool), cbe string) CPAS {
	if lookup != nil {
		if c, ok := lookup(cbe); ok {
			if c.CBE == "" {
				c.CBE = cbe
			}
			return c
		}
	}
	return CPAS{CBE: cbe}
}

// decision finds a decision by number among the facts.
func (f *Facts) decision(number string) *Decision {
	for i := range f.Decisions {
		d := &f.Decisions[i]
		if len(d.Versions) > 0 && d.Number() == number {
			return d
		}
	}
	return nil
}
