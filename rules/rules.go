package rules

import "time"

// Rules is the decision engine: pure functions of (facts, command, today, now). It holds
// only reference data and is safe for concurrent use.
type Rules struct {
	table *RefundTable
}

var _ Engine = (*Rules)(nil)

// New returns an engine using refund table t (nil = DefaultRefundTable()).
func New(t *RefundTable) *Rules {
	if t == nil {
		t = DefaultRefundTable()
	}
	return &Rules{table: t}
}

// Table is the refund-code table in use.
func (r *Rules) Table() *RefundTable { return r.table }

// target resolves the decision a modify, stop or close names and applies R-MANAGER and
// R-VERSIONING, in that order, so a non-manager learns nothing about versions.
func target(f *Facts, caller, number string, base int) (*Decision, []Message) {
	d := f.decision(number)
	if d == nil {
		return nil, []Message{NewMessage(CodeDecisionUnknown, Info{"decisionNumber", number})}
	}
	lv := d.Latest()
	if lv.Manager != caller {
		return nil, []Message{notManager(f, d)}
	}
	if base != lv.Version {
		return nil, []Message{NewMessage(CodeVersionConflict, Info{"decisionNumber", number},
			infoInt("currentVersion", lv.Version), infoInt("requestedVersion", base))}
	}
	return d, nil
}

func notManager(f *Facts, d *Decision) Message {
	c := f.cpas(d.Latest().Manager)
	return NewMessage(CodeNotManager, Info{"decisionNumber", d.Number()}, Info{"managerCbe", c.CBE},
		Info{"managerNameFr", c.NameFr}, Info{"managerNameNl", c.NameNl})
}

// nextVersion is R-VERSIONING: version n+1 of d with the same number and manager, made by
// caller now (business date today) for cause; content is copied from the latest version (the
// caller then edits it).
func nextVersion(d *Decision, caller string, cause Cause, today Date, now time.Time) *Version {
	lv := d.Latest()
	v := *lv
	v.Content = cloneContent(lv.Content)
	v.Version = lv.Version + 1
	v.Number = d.Number()
	v.Manager = d.Versions[0].Manager
	v.Cause = cause
	v.Author = caller
	v.Created = now
	v.WrittenOn = today
	v.Suspensions = append([]Suspension(nil), lv.Suspensions...)
	return &v
}

// callerINS is the deciding CPAS's municipality, "" when unknown.
func callerINS(f *Facts, caller string) string { return f.cpas(caller).INS }
