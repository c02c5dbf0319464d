package rules

// QueryManager answers queryCarmedManager: which CPAS manages a decision of the person in
// force on the date (default today). Identification only (CBE, names, municipality), whatever
// the caller, so it reveals nothing of the decision's content (R-VIEW-OTHER-CPAS); a decision
// is judged as the caller may see it today (R-RESTRICTION-NEXT-DAY) and closed decisions do
// not count (R-CLOSE). As for every consultation the person key is the SSIN (R-SSIN,
// R-NO-SEARCH-BY-NAME).
func (r *Rules) QueryManager(cmd QueryManagerCmd, f Facts, today Date) QueryManagerResult {
	if !ValidSSIN(cmd.SSIN) {
		return QueryManagerResult{Messages: []Message{MsgSSINInvalid()}}
	}
	day := cmd.Date
	if !day.Valid() {
		day = today
	}
	var res QueryManagerResult
	seen := map[string]bool{}
	for i := range f.Decisions {
		d := &f.Decisions[i]
		if len(d.Versions) == 0 {
			continue
		}
		v := seenBy(d, cmd.Caller, today)
		if !holdsPeriod(v) || !v.Period.Contains(day) || seen[v.Manager] {
			continue
		}
		seen[v.Manager] = true
		mgr := f.cpas(v.Manager)
		res.Managers = append(res.Managers, mgr)
		res.Views = append(res.Views, View{Manager: mgr,
			Version: Version{Number: v.Number, Manager: v.Manager, Content: Content{Period: v.Period}}})
	}
	return res
}
