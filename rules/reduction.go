package rules

import "strconv"

// loss is one way a new version gives less than the version it replaces. first is the first
// day whose rights shrink: a loss on or before today is a reduction in the past, refused by
// R-NO-PAST-REDUCTION (or R-PROVIDER-LIST, R-COVER-CONTIGUOUS); any loss makes the version a
// restriction that other parties see only the next day (R-RESTRICTION-NEXT-DAY).
type loss struct {
	code  string
	first Date
	info  []Info
	// end marks the end-date codes: the end must stay ≥ min(prevEnd, today).
	end     bool
	prevEnd Date
}

// losses compares the rights of content b with those of a, element by element: the decision
// validity, then each cover of a (removed, moved, shortened, less generous shares, lower or new
// maximum amounts, new conditions, provider lists).
func losses(a, b *Content) []loss {
	var out []loss
	if usablePeriod(a.Period) && usablePeriod(b.Period) {
		out = append(out, periodLosses(a.Period, b.Period, "", CodeStartLater, CodeEndTooEarly)...)
	}
	for i := range a.Covers {
		old := &a.Covers[i]
		if !usablePeriod(old.Period) {
			continue
		}
		kind := Info{"coverKind", string(old.Kind)}
		cur := b.Cover(old.Kind)
		if cur == nil || !usablePeriod(cur.Period) {
			out = append(out, loss{code: CodeCoverRemoved, first: old.Period.Start,
				info: []Info{kind, infoDate("coverStart", old.Period.Start), infoDate("coverEnd", old.Period.End)}})
			continue
		}
		if !touches(old.Period, cur.Period) {
			// A period that does not follow the old one is a second period of the category.
			out = append(out, loss{code: CodeCoverDisjoint, first: old.Period.Start,
				info: []Info{kind, infoDate("previousStart", old.Period.Start), infoDate("previousEnd", old.Period.End),
					infoDate("requestedStart", cur.Period.Start), infoDate("requestedEnd", cur.Period.End)}})
			continue
		}
		out = append(out, periodLosses(old.Period, cur.Period, string(old.Kind), CodeCoverStartLate, CodeCoverEndEarly)...)
		out = append(out, supportLosses(old, cur)...)
		out = append(out, providerLosses(old, cur, a.Period.Start)...)
	}
	return out
}

// periodLosses reports the days of a that b drops at its start and at its end. kind is "" for
// the decision validity (the Info then names the element).
func periodLosses(a, b Period, kind, startCode, endCode string) []loss {
	head := Info{"element", "startDate"}
	tail := Info{"element", "endDate"}
	if kind != "" {
		head = Info{"coverKind", kind}
		tail = head
	}
	var out []loss
	if b.Start > a.Start {
		out = append(out, loss{code: startCode, first: a.Start,
			info: []Info{head, infoDate("previousStart", a.Start), infoDate("requestedStart", b.Start)}})
	}
	if b.End < a.End {
		out = append(out, loss{code: endCode, first: b.End.AddDays(1), end: true, prevEnd: a.End,
			info: []Info{tail, infoDate("previousEnd", a.End), infoDate("requestedEnd", b.End)}})
	}
	return out
}

// supportLosses compares the CPAS shares and their conditions (R-CPAS-PART, R-COMMENTS). A part
// made more generous is not compared further; a part that stays PARTIAL loses when a maximum
// amount drops or appears, a supplement type disappears or a type list appears, or a
// convention or prescription condition appears.
func supportLosses(old, cur *Cover) []loss {
	var out []loss
	kind := Info{"coverKind", string(old.Kind)}
	at := infoDate("coverStart", old.Period.Start)
	add := func(code string, info ...Info) {
		out = append(out, loss{code: code, first: old.Period.Start, info: append([]Info{kind}, append(info, at)...)})
	}
	o, c := parts(&old.Support), parts(&cur.Support)
	stillPartial := false
	for i := range o {
		lo, lc := shareLevel(o[i].share), shareLevel(c[i].share)
		switch {
		case lc < lo:
			add(CodeShareReduced, Info{"part", o[i].name}, Info{"previous", string(o[i].share)}, Info{"requested", string(c[i].share)})
		case lc == lo && lo == shareLevel(Partial):
			stillPartial = true
		}
	}
	amount := func(name string, was, now *int64, p Share, q Share) {
		if p != Partial || q != Partial || now == nil {
			return
		}
		if was == nil || *now < *was {
			add(CodeAmountReduced, Info{"element", name}, Info{"previous", amountText(was)}, Info{"requested", amountText(now)})
		}
	}
	amount("amountPatientPartMax", old.MaxPatientPart, cur.MaxPatientPart, old.Support.PatientPart, cur.Support.PatientPart)
	amount("amountMaxAllowed", old.MaxSupplement, cur.MaxSupplement, old.Support.Supplement, cur.Support.Supplement)
	if old.Support.Supplement == Partial && cur.Support.Supplement == Partial && len(cur.SupplementTypes) > 0 &&
		!subset(old.SupplementTypes, cur.SupplementTypes) {
		add(CodeConditionAdded, Info{"element", "supplementTypeList"})
	}
	if stillPartial {
		for _, x := range []struct {
			name     string
			was, now *bool
		}{{"convention", old.Support.Convention, cur.Support.Convention}, {"prescription", old.Support.Prescription, cur.Support.Prescription}} {
			if isTrue(x.now) && !isTrue(x.was) {
				add(CodeConditionAdded, Info{"element", x.name})
			}
		}
	}
	return out
}

// subset reports whether every element of need is in have; an empty need (no type list: any
// supplement type) is only contained in an empty have.
func subset(need, have []string) bool {
	if len(need) == 0 {
		return len(have) == 0
	}
	in := make(map[string]bool, len(have))
	for _, h := range have {
		in[h] = true
	}
	for _, n := range need {
		if !in[n] {
			return false
		}
	}
	return true
}

func isTrue(b *bool) bool { return b != nil && *b }

func amountText(v *int64) string {
	if v == nil {
		return "none"
	}
	return strconv.FormatInt(*v, 10)
}

// providerLosses is R-PROVIDER-LIST: dropping the list (any provider) or adding providers gives
// more; a list where there was none, or a provider removed from a list, gives less. A list
// introduced loses from the cover's start ("uniquement dans le futur"); a provider removed loses
// from the decision's start, whatever the cover's (000 §3.9: "si la décision d'aide débute à
// partir du lendemain"): a provider designated on a started decision may already be treating
// the beneficiary on the strength of it.
func providerLosses(old, cur *Cover, decisionStart Date) []loss {
	kind := Info{"coverKind", string(old.Kind)}
	if len(cur.Providers) == 0 {
		return nil
	}
	if len(old.Providers) == 0 {
		return []loss{{code: CodeListIntroduced, first: old.Period.Start, info: []Info{kind, infoDate("coverStart", old.Period.Start)}}}
	}
	for _, p := range old.Providers {
		if !cur.AllowsProvider(p) {
			return []loss{{code: CodeProviderRemoved, first: decisionStart,
				info: []Info{kind, Info{"provider", clip(p, 32)}, infoDate("decisionStart", decisionStart)}}}
		}
	}
	return nil
}

// pastReductions turns the losses on or before today into rejections (R-NO-PAST-REDUCTION,
// R-PROVIDER-LIST, R-COVER-CONTIGUOUS), each naming the element and the date.
func pastReductions(a, b *Content, today Date) []Message {
	var msgs []Message
	for _, l := range losses(a, b) {
		if l.first > today {
			continue // the rights lost lie wholly in the future: allowed
		}
		info := l.info
		if l.end {
			info = append(info, infoDate("minEndDate", min(l.prevEnd, today)))
		}
		if len(info) < MaxInfo {
			info = append(info, infoDate("today", today))
		}
		msgs = append(msgs, NewMessage(l.code, info...))
	}
	return msgs
}

// restricts reports whether version b gives less than version a in any way, past or future
// (R-RESTRICTION-NEXT-DAY). Registry mutations are not a CPAS's restriction: the suspensions
// they make must reach everyone at once (R-SUSPENDED-VIEW).
func restricts(a, b *Version) bool {
	if b.Cause == CauseMutation {
		return false
	}
	if b.Status == Closed && a.Status != Closed {
		return true
	}
	return len(losses(&a.Content, &b.Content)) > 0
}
