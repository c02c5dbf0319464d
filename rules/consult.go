package rules

import "sort"

// Consult answers a CPAS consultation (R-CONSULT-CPAS): by SSIN + date (default today) or
// SSIN + period, the latest version of each decision in force; by number (+ version), for the
// manager only; the history of an SSIN over a period, newest first, at most MaxHistory with
// More set when some were left out. The managing CPAS sees full versions; any other CPAS sees
// only the manager, the number and the validity (R-VIEW-OTHER-CPAS) of the version it may see
// today (R-RESTRICTION-NEXT-DAY). Closed decisions give no rights: only their manager sees
// them, by number or in the history. There is no search by name (R-NO-SEARCH-BY-NAME).
func (r *Rules) Consult(cmd ConsultCmd, f Facts, today Date) ConsultResult {
	if cmd.Mode == ByNumber {
		return consultByNumber(cmd, &f, today)
	}
	if !ValidSSIN(cmd.SSIN) {
		return ConsultResult{Messages: []Message{MsgSSINInvalid()}}
	}
	var p Period
	switch cmd.Mode {
	case ByDate:
		day := cmd.Date
		if !day.Valid() {
			day = today
		}
		p = Period{Start: day, End: day}
	case ByPeriod, History:
		var msgs []Message
		if !checkPeriod(cmd.Period, &msgs) {
			return ConsultResult{Messages: msgs}
		}
		p = cmd.Period
	default:
		return ConsultResult{}
	}
	if cmd.Mode == History {
		return history(cmd.Caller, &f, p, today)
	}
	var hits []*Version
	for i := range f.Decisions {
		d := &f.Decisions[i]
		if len(d.Versions) == 0 {
			continue
		}
		if v := seenBy(d, cmd.Caller, today); holdsPeriod(v) && v.Period.Overlaps(p) {
			hits = append(hits, v)
		}
	}
	sort.SliceStable(hits, func(i, j int) bool {
		if hits[i].Period.Start != hits[j].Period.Start {
			return hits[i].Period.Start < hits[j].Period.Start
		}
		return hits[i].Number < hits[j].Number
	})
	res := ConsultResult{Views: make([]View, 0, len(hits))}
	for _, v := range hits {
		res.Views = append(res.Views, viewOf(&f, cmd.Caller, v, today))
	}
	return res
}

func consultByNumber(cmd ConsultCmd, f *Facts, today Date) ConsultResult {
	d := f.decision(cmd.Number)
	if d == nil {
		return ConsultResult{} // NO_DATA_FOUND
	}
	lv := d.Latest()
	if lv.Manager != cmd.Caller {
		return ConsultResult{Messages: []Message{notManager(f, d)}}
	}
	v := lv
	if cmd.Version != 0 {
		if cmd.Version < 1 || cmd.Version > len(d.Versions) {
			return ConsultResult{Messages: []Message{NewMessage(CodeVersionUnknown,
				Info{"decisionNumber", d.Number()}, infoInt("latestVersion", lv.Version),
				infoInt("requestedVersion", cmd.Version))}}
		}
		v = &d.Versions[cmd.Version-1]
	}
	return ConsultResult{Views: []View{viewOf(f, cmd.Caller, v, today)}}
}

// history lists, newest first, every version of the caller's decisions that touch p and
// one summary per other CPAS's decision in force there; at most MaxHistory, More if cut.
func history(caller string, f *Facts, p Period, today Date) ConsultResult {
	var hits []*Version
	for i := range f.Decisions {
		d := &f.Decisions[i]
		if len(d.Versions) == 0 {
			continue
		}
		if d.Latest().Manager != caller {
			if v := d.PublicVersion(today); holdsPeriod(v) && v.Period.Overlaps(p) {
				hits = append(hits, v)
			}
			continue
		}
		touches := false
		for j := range d.Versions {
			if d.Versions[j].Period.Overlaps(p) {
				touches = true
				break
			}
		}
		if touches {
			for j := range d.Versions {
				hits = append(hits, &d.Versions[j])
			}
		}
	}
	sort.SliceStable(hits, func(i, j int) bool {
		a, b := hits[i], hits[j]
		if !a.Created.Equal(b.Created) {
			return a.Created.After(b.Created)
		}
		if a.Number != b.Number {
			return a.Number > b.Number
		}
		return a.Version > b.Version
	})
	res := ConsultResult{}
	if len(hits) > MaxHistory {
		hits, res.More = hits[:MaxHistory], true
	}
	res.Views = make([]View, 0, len(hits))
	for _, v := range hits {
		res.Views = append(res.Views, viewOf(f, caller, v, today))
	}
	return res
}

// viewOf shows v to caller: whole for the manager, otherwise a summary that cannot leak
// content even if a renderer ignores Full (R-VIEW-OTHER-CPAS).
func viewOf(f *Facts, caller string, v *Version, today Date) View {
	m := f.cpas(v.Manager)
	if v.Manager == caller {
		full := *v
		full.Content = cloneContent(v.Content)
		others := 0
		if d := f.decision(v.Number); d != nil {
			others = d.PublicVersion(today).Version
		}
		return View{Full: true, Version: full, Manager: m, OthersSee: others}
	}
	return View{Manager: m, Version: Version{Number: v.Number, Manager: v.Manager,
		Content: Content{Period: v.Period}}}
}
