package rules

import "testing"

func reductionCases() []ruleCase {
	// mod is a modify by cpasA today for the legal resident (no 92-day limit).
	mod := func(c Content, ds ...Decision) Result { return modifyOn(legal(), today, 1, c, ds...) }
	one := func(c Content) Decision { return decision(num1, cpasA, Active, c) }
	// started: a decision and a doctor cover that began a month ago.
	started := func(covers ...Cover) Content { return content("2025-02-01", "2025-06-30", covers...) }
	doc := func(a, b string) Cover { return cover(Doctor, a, b) }
	withMax := func(cv Cover, patient *int64) Cover {
		cv.MaxPatientPart = patient
		return cv
	}
	hosp := func(a, b string, f func(*Cover)) []Cover {
		h := shares(cover(Hospitalization, a, b), Nothing, Nothing, Partial)
		f(&h)
		return []Cover{h, cover(AmbulatoryHospitalization, a, b)}
	}
	list := func(cv Cover, ids ...string) Cover {
		cv.Providers = ids
		return cv
	}
	return []ruleCase{
		{"R-NO-PAST-REDUCTION/moving a started decision's start later is rejected naming the element and dates", func(t *testing.T) {
			rejected(t, mod(content("2025-02-02", "2025-06-30"), one(started())), []string{CodeStartLater},
				Info{"element", "startDate"}, Info{"previousStart", "2025-02-01"}, Info{"requestedStart", "2025-02-02"},
				Info{"today", "2025-03-01"})
		}},
		{"R-NO-PAST-REDUCTION/moving a started decision's start earlier is accepted", func(t *testing.T) {
			accepted(t, mod(content("2025-01-15", "2025-06-30"), one(started())))
		}},
		{"R-NO-PAST-REDUCTION/moving later a start that is today is rejected", func(t *testing.T) {
			rejected(t, mod(content("2025-03-02", "2025-06-30"), one(content("2025-03-01", "2025-06-30"))), []string{CodeStartLater})
		}},
		{"R-NO-PAST-REDUCTION/moving later a start that is tomorrow is accepted", func(t *testing.T) {
			accepted(t, mod(content("2025-03-10", "2025-06-30"), one(content("2025-03-02", "2025-06-30"))))
		}},
		{"R-NO-PAST-REDUCTION/moving the end earlier to today is accepted", func(t *testing.T) {
			accepted(t, mod(content("2025-02-01", "2025-03-01"), one(started())))
		}},
		{"R-NO-PAST-REDUCTION/moving the end earlier to yesterday is rejected with the earliest end allowed", func(t *testing.T) {
			rejected(t, mod(content("2025-02-01", "2025-02-28"), one(started())), []string{CodeEndTooEarly},
				Info{"element", "endDate"}, Info{"previousEnd", "2025-06-30"}, Info{"requestedEnd", "2025-02-28"},
				Info{"minEndDate", "2025-03-01"})
		}},
		{"R-NO-PAST-REDUCTION/removing a cover that started today is rejected", func(t *testing.T) {
			rejected(t, mod(started(), one(started(doc("2025-03-01", "2025-04-30")))), []string{CodeCoverRemoved},
				Info{"coverKind", "doctor"}, Info{"coverStart", "2025-03-01"}, Info{"coverEnd", "2025-04-30"})
		}},
		{"R-NO-PAST-REDUCTION/removing a cover that starts tomorrow is accepted", func(t *testing.T) {
			accepted(t, mod(started(), one(started(doc("2025-03-02", "2025-04-30")))))
		}},
		{"R-NO-PAST-REDUCTION/moving a started cover's start later is rejected", func(t *testing.T) {
			rejected(t, mod(started(doc("2025-02-10", "2025-04-30")), one(started(doc("2025-02-01", "2025-04-30")))),
				[]string{CodeCoverStartLate}, Info{"coverKind", "doctor"}, Info{"previousStart", "2025-02-01"})
		}},
		{"R-NO-PAST-REDUCTION/ending a started cover today is accepted", func(t *testing.T) {
			accepted(t, mod(started(doc("2025-02-01", "2025-03-01")), one(started(doc("2025-02-01", "2025-04-30")))))
		}},
		{"R-NO-PAST-REDUCTION/ending a started cover yesterday is rejected", func(t *testing.T) {
			rejected(t, mod(started(doc("2025-02-01", "2025-02-28")), one(started(doc("2025-02-01", "2025-04-30")))),
				[]string{CodeCoverEndEarly}, Info{"coverKind", "doctor"}, Info{"requestedEnd", "2025-02-28"}, Info{"minEndDate", "2025-03-01"})
		}},
		{"R-NO-PAST-REDUCTION/lowering a CPAS share of a started cover is rejected", func(t *testing.T) {
			was := shares(doc("2025-02-01", "2025-04-30"), Nothing, Nothing, Full)
			rejected(t, mod(started(doc("2025-02-01", "2025-04-30")), one(started(was))), []string{CodeShareReduced},
				Info{"coverKind", "doctor"}, Info{"part", "supplement"}, Info{"previous", "FULL"}, Info{"requested", "NOTHING"},
				Info{"coverStart", "2025-02-01"})
		}},
		{"R-NO-PAST-REDUCTION/lowering a CPAS share of a cover starting tomorrow is accepted", func(t *testing.T) {
			was := shares(doc("2025-03-02", "2025-04-30"), Nothing, Nothing, Full)
			accepted(t, mod(started(doc("2025-03-02", "2025-04-30")), one(started(was))))
		}},
		{"R-NO-PAST-REDUCTION/raising a CPAS share of a started cover is accepted", func(t *testing.T) {
			now := shares(doc("2025-02-01", "2025-04-30"), Nothing, Nothing, Full)
			accepted(t, mod(started(now), one(started(doc("2025-02-01", "2025-04-30")))))
		}},
		{"R-NO-PAST-REDUCTION/lowering a maximum amount of a started cover is rejected", func(t *testing.T) {
			was := withMax(shares(doc("2025-02-01", "2025-04-30"), Nothing, Partial, Nothing), cents(10000))
			now := withMax(shares(doc("2025-02-01", "2025-04-30"), Nothing, Partial, Nothing), cents(5000))
			rejected(t, mod(started(now), one(started(was))), []string{CodeAmountReduced},
				Info{"element", "amountPatientPartMax"}, Info{"previous", "10000"}, Info{"requested", "5000"}, Info{"coverStart", "2025-02-01"})
		}},
		{"R-NO-PAST-REDUCTION/raising a maximum amount of a started cover is accepted", func(t *testing.T) {
			was := withMax(shares(doc("2025-02-01", "2025-04-30"), Nothing, Partial, Nothing), cents(10000))
			now := withMax(shares(doc("2025-02-01", "2025-04-30"), Nothing, Partial, Nothing), cents(20000))
			accepted(t, mod(started(now), one(started(was))))
		}},
		{"R-NO-PAST-REDUCTION/a maximum amount appearing on a started partial cover is rejected", func(t *testing.T) {
			was := hosp("2025-02-01", "2025-04-30", func(c *Cover) { c.Support.Convention = flag(true) })
			now := hosp("2025-02-01", "2025-04-30", func(c *Cover) { c.Support.Convention = flag(true); c.MaxSupplement = cents(100) })
			rejected(t, mod(started(now...), one(started(was...))), []string{CodeAmountReduced},
				Info{"element", "amountMaxAllowed"}, Info{"previous", "none"})
		}},
		{"R-NO-PAST-REDUCTION/a prescription condition added to a started cover is rejected", func(t *testing.T) {
			was := hosp("2025-02-01", "2025-04-30", func(c *Cover) { c.MaxSupplement = cents(100) })
			now := hosp("2025-02-01", "2025-04-30", func(c *Cover) { c.MaxSupplement = cents(100); c.Support.Prescription = flag(true) })
			rejected(t, mod(started(now...), one(started(was...))), []string{CodeConditionAdded},
				Info{"coverKind", "hospitalization"}, Info{"element", "prescription"}, Info{"coverStart", "2025-02-01"})
		}},
		{"R-NO-PAST-REDUCTION/a prescription condition removed from a started cover is accepted", func(t *testing.T) {
			was := hosp("2025-02-01", "2025-04-30", func(c *Cover) { c.MaxSupplement = cents(100); c.Support.Prescription = flag(true) })
			now := hosp("2025-02-01", "2025-04-30", func(c *Cover) { c.MaxSupplement = cents(100) })
			accepted(t, mod(started(now...), one(started(was...))))
		}},
		{"R-NO-PAST-REDUCTION/a supplement type dropped from a started cover is rejected", func(t *testing.T) {
			was := hosp("2025-02-01", "2025-04-30", func(c *Cover) { c.SupplementTypes = []string{"ROOM", "DRUG_D"} })
			now := hosp("2025-02-01", "2025-04-30", func(c *Cover) { c.SupplementTypes = []string{"ROOM"} })
			rejected(t, mod(started(now...), one(started(was...))), []string{CodeConditionAdded}, Info{"element", "supplementTypeList"})
		}},

		{"R-RETRO-INCREASE/a cover added retroactively over the whole validity is accepted", func(t *testing.T) {
			was := decided(content("2024-12-15", "2025-06-30"), "2024-12-20")
			accepted(t, mod(content("2024-12-15", "2025-06-30", doc("2024-12-15", "2025-06-30")), one(was)))
		}},
		{"R-RETRO-INCREASE/a version keeping a start older than 60 days before its new decision date is accepted", func(t *testing.T) {
			was := decided(content("2024-12-15", "2025-06-30"), "2024-12-20")
			accepted(t, mod(decided(content("2024-12-15", "2025-08-31"), "2025-03-01"), one(was)))
		}},
		{"R-RETRO-INCREASE/moving the start earlier to 60 days before the decision date is accepted", func(t *testing.T) {
			accepted(t, mod(content("2024-12-31", "2025-06-30"), one(content("2025-01-15", "2025-06-30"))))
		}},
		{"R-RETRO-INCREASE/moving the start earlier to 61 days before the decision date is rejected", func(t *testing.T) {
			rejected(t, mod(content("2024-12-30", "2025-06-30"), one(content("2025-01-15", "2025-06-30"))), []string{CodeStartTooEarly},
				Info{"minStartDate", "2024-12-31"})
		}},
		{"R-RETRO-INCREASE/moving the start earlier beyond 60 days with the judicial flag is accepted", func(t *testing.T) {
			c := content("2024-10-01", "2025-06-30")
			c.JudicialDecision = true
			accepted(t, mod(c, one(content("2025-01-15", "2025-06-30"))))
		}},

		{"R-PROVIDER-LIST/removing the list of a started cover is accepted", func(t *testing.T) {
			accepted(t, mod(started(doc("2025-02-01", "2025-04-30")), one(started(list(doc("2025-02-01", "2025-04-30"), "10012345")))))
		}},
		{"R-PROVIDER-LIST/adding a provider to the list of a started cover is accepted", func(t *testing.T) {
			accepted(t, mod(started(list(doc("2025-02-01", "2025-04-30"), "10012345", "10099999")),
				one(started(list(doc("2025-02-01", "2025-04-30"), "10012345")))))
		}},
		{"R-PROVIDER-LIST/introducing a list on a started cover is rejected", func(t *testing.T) {
			rejected(t, mod(started(list(doc("2025-02-01", "2025-04-30"), "10012345")), one(started(doc("2025-02-01", "2025-04-30")))),
				[]string{CodeListIntroduced}, Info{"coverKind", "doctor"}, Info{"coverStart", "2025-02-01"}, Info{"today", "2025-03-01"})
		}},
		{"R-PROVIDER-LIST/introducing a list on a cover starting tomorrow is accepted", func(t *testing.T) {
			accepted(t, mod(started(list(doc("2025-03-02", "2025-04-30"), "10012345")), one(started(doc("2025-03-02", "2025-04-30")))))
		}},
		{"R-PROVIDER-LIST/removing one provider from a started cover's list is rejected", func(t *testing.T) {
			rejected(t, mod(started(list(doc("2025-02-01", "2025-04-30"), "10012345")),
				one(started(list(doc("2025-02-01", "2025-04-30"), "10012345", "10099999")))),
				[]string{CodeProviderRemoved}, Info{"provider", "10099999"}, Info{"decisionStart", "2025-02-01"})
		}},
		{"R-PROVIDER-LIST/removing one provider from a cover starting tomorrow in a started decision is rejected", func(t *testing.T) {
			rejected(t, mod(started(list(doc("2025-03-02", "2025-04-30"), "10012345")),
				one(started(list(doc("2025-03-02", "2025-04-30"), "10012345", "10099999")))),
				[]string{CodeProviderRemoved}, Info{"coverKind", "doctor"}, Info{"provider", "10099999"},
				Info{"decisionStart", "2025-02-01"}, Info{"today", "2025-03-01"})
		}},
		{"R-PROVIDER-LIST/removing one provider from a decision starting tomorrow is accepted", func(t *testing.T) {
			future := func(providers ...string) Content {
				return content("2025-03-02", "2025-06-30", list(doc("2025-03-02", "2025-04-30"), providers...))
			}
			accepted(t, mod(future("10012345"), one(future("10012345", "10099999"))))
		}},
		{"R-PROVIDER-LIST/removing one provider from a decision starting today is rejected", func(t *testing.T) {
			starting := func(providers ...string) Content {
				return content("2025-03-01", "2025-06-30", list(doc("2025-03-05", "2025-04-30"), providers...))
			}
			rejected(t, mod(starting("10012345"), one(starting("10012345", "10099999"))), []string{CodeProviderRemoved},
				Info{"decisionStart", "2025-03-01"})
		}},

		{"R-EXPIRED-EXTEND/a cover added inside the validity of an expired decision is accepted", func(t *testing.T) {
			expired := content("2025-01-01", "2025-02-15")
			v := accepted(t, mod(content("2025-01-01", "2025-02-15", doc("2025-01-10", "2025-02-15")), one(expired)))
			if v.Status != Active || v.Period.End != MustDate("2025-02-15") {
				t.Fatalf("version = %+v", v)
			}
		}},
		{"R-EXPIRED-EXTEND/a cover of an expired decision extended up to its end is accepted", func(t *testing.T) {
			expired := content("2025-01-01", "2025-02-15", doc("2025-01-01", "2025-01-31"))
			accepted(t, mod(content("2025-01-01", "2025-02-15", doc("2025-01-01", "2025-02-15")), one(expired)))
		}},
		{"R-EXPIRED-EXTEND/a cover of an expired decision extended beyond its end is rejected", func(t *testing.T) {
			expired := content("2025-01-01", "2025-02-15", doc("2025-01-01", "2025-01-31"))
			rejected(t, mod(content("2025-01-01", "2025-02-15", doc("2025-01-01", "2025-02-16")), one(expired)), []string{CodeCoverOutside})
		}},
		{"R-EXPIRED-EXTEND/a later end for a decision stopped retroactively is rejected", func(t *testing.T) {
			d := decision(num1, cpasA, Stopped, content("2025-02-01", "2025-02-19"))
			d.Versions[0].EverStoppedRetro = true
			rejected(t, mod(content("2025-02-01", "2025-03-31"), d), []string{CodeRetroStopped},
				Info{"decisionEnd", "2025-02-19"}, Info{"requestedEnd", "2025-03-31"})
		}},
		{"R-EXPIRED-EXTEND/a cover added inside a decision stopped retroactively is accepted", func(t *testing.T) {
			d := decision(num1, cpasA, Stopped, content("2025-02-01", "2025-02-19"))
			d.Versions[0].EverStoppedRetro = true
			v := accepted(t, mod(content("2025-02-01", "2025-02-19", doc("2025-02-01", "2025-02-19")), d))
			if !v.EverStoppedRetro || v.Status != Stopped {
				t.Fatalf("version = %+v", v)
			}
		}},
	}
}

func stopSuspendedCases() []ruleCase {
	suspended := func(reason, day string) Decision {
		d := decision(num1, cpasA, Suspended, content("2025-02-01", "2025-05-31", cover(Doctor, "2025-02-01", "2025-04-30")))
		d.Versions[0].Suspensions = []Suspension{{Reason: reason, Date: MustDate(day)}}
		return d
	}
	stopAt := func(p *Person, day string, d Decision) Result {
		return engine.Stop(StopCmd{Caller: cpasA, Number: num1, BaseVersion: 1, StopDate: MustDate(day)}, facts(p, d), today, now)
	}
	dead := func(day string) *Person {
		p := person()
		p.DeathDate = MustDate(day)
		return p
	}
	return []ruleCase{
		{"R-STOP-SUSPENDED/a retroactive stop the day before a refund-code suspension is accepted", func(t *testing.T) {
			v := accepted(t, stopAt(person(), "2025-02-19", suspended(SuspendRefundCode, "2025-02-20")))
			if v.Status != Stopped || v.Period.End != MustDate("2025-02-19") || v.Covers[0].Period.End != MustDate("2025-02-19") ||
				!v.EverStoppedRetro || len(v.Suspensions) != 0 {
				t.Fatalf("version = %+v", v)
			}
		}},
		{"R-STOP-SUSPENDED/a retroactive stop two days before a refund-code suspension is rejected", func(t *testing.T) {
			rejected(t, stopAt(person(), "2025-02-18", suspended(SuspendRefundCode, "2025-02-20")), []string{CodeStopSuspDate},
				Info{"stopDate", "2025-02-18"}, Info{"minStopDate", "2025-02-19"}, Info{"maxStopDate", "2025-02-19"},
				Info{"suspensionDate", "2025-02-20"}, Info{"suspensionReason", SuspendRefundCode})
		}},
		{"R-STOP-SUSPENDED/a suspension before the start makes a one-day decision: a stop on the start is accepted and leaves it STOPPED", func(t *testing.T) {
			d := suspended(SuspendRefundCode, "2025-01-15")
			v := accepted(t, stopAt(person(), "2025-02-01", d))
			if v.Period != period("2025-02-01", "2025-02-01") || v.Status != Stopped || len(v.Suspensions) != 0 {
				t.Fatalf("version = %s %s, pending %v", v.Period, v.Status, v.Suspensions)
			}
		}},
		{"R-STOP-SUSPENDED/a suspension on the start day makes a one-day decision: a stop on the start is accepted and leaves it STOPPED", func(t *testing.T) {
			v := accepted(t, stopAt(person(), "2025-02-01", suspended(SuspendRefundCode, "2025-02-01")))
			if v.Status != Stopped || len(v.Suspensions) != 0 {
				t.Fatalf("version = %s, pending %v", v.Status, v.Suspensions)
			}
		}},
		{"R-STOP-SUSPENDED/a suspension before the start: a stop the day after the start is rejected", func(t *testing.T) {
			rejected(t, stopAt(person(), "2025-02-02", suspended(SuspendRefundCode, "2025-01-15")), []string{CodeStopSuspDate},
				Info{"stopDate", "2025-02-02"}, Info{"minStopDate", "2025-02-01"}, Info{"maxStopDate", "2025-02-01"})
		}},
		{"R-MUT-ORDER/a one-day stop settles a refund-code suspension before the start and leaves the overlap one pending: accepted, still SUSPENDED", func(t *testing.T) {
			d := suspended(SuspendRefundCode, "2025-01-15")
			d.Versions[0].Suspensions = append(d.Versions[0].Suspensions, Suspension{Reason: SuspendSSINOverlap, Date: MustDate("2025-02-01")})
			v := accepted(t, stopAt(person(), "2025-02-01", d))
			if v.Status != Suspended || len(v.Suspensions) != 1 || v.Suspensions[0].Reason != SuspendSSINOverlap {
				t.Fatalf("version = %s, pending %v", v.Status, v.Suspensions)
			}
		}},
		{"R-STOP-SUSPENDED/a retroactive stop on the death date is accepted", func(t *testing.T) {
			accepted(t, stopAt(dead("2025-02-10"), "2025-02-10", suspended(SuspendDeath, "2025-02-10")))
		}},
		{"R-STOP-SUSPENDED/a retroactive stop on death + 5 is accepted", func(t *testing.T) {
			accepted(t, stopAt(dead("2025-02-10"), "2025-02-15", suspended(SuspendDeath, "2025-02-10")))
		}},
		{"R-STOP-SUSPENDED/a retroactive stop on death + 6 is rejected", func(t *testing.T) {
			rejected(t, stopAt(dead("2025-02-10"), "2025-02-16", suspended(SuspendDeath, "2025-02-10")), []string{CodeStopDeathDate},
				Info{"minStopDate", "2025-02-10"}, Info{"maxStopDate", "2025-02-15"})
		}},
		{"R-STOP-SUSPENDED/a stop outside the death window is rejected with the window, not the day before the suspension", func(t *testing.T) {
			r := stopAt(dead("2025-02-10"), "2025-03-01", suspended(SuspendDeath, "2025-02-11"))
			rejected(t, r, []string{CodeStopDeathDate}, Info{"stopDate", "2025-03-01"}, Info{"minStopDate", "2025-02-10"},
				Info{"maxStopDate", "2025-02-15"})
			says(t, r.Messages[0], []string{"décès + 5"}, []string{"la veille", "à partir d'aujourd'hui"},
				[]string{"overlijden + 5"}, []string{"dag vóór", "vanaf vandaag"})
		}},
		{"R-STOP-SUSPENDED/a stop today of a decision suspended for a refund code is rejected and the text offers no other date", func(t *testing.T) {
			r := stopAt(person(), "2025-03-01", suspended(SuspendRefundCode, "2025-02-20"))
			rejected(t, r, []string{CodeStopSuspDate}, Info{"minStopDate", "2025-02-19"}, Info{"maxStopDate", "2025-02-19"})
			says(t, r.Messages[0], []string{"la veille"}, []string{"décès", "à partir d'aujourd'hui"}, []string{"dag vóór"}, []string{"overlijden", "vanaf vandaag"})
		}},
		{"R-STOP-SUSPENDED/a retroactive stop the day before the death is rejected", func(t *testing.T) {
			rejected(t, stopAt(dead("2025-02-10"), "2025-02-09", suspended(SuspendDeath, "2025-02-10")), []string{CodeStopDeathDate})
		}},
		{"R-MUT-ORDER/a stop of a decision suspended for an SSIN overlap is rejected: the overlap is handled by reactivation", func(t *testing.T) {
			rejected(t, stopAt(person(), "2025-02-19", suspended(SuspendSSINOverlap, "2025-02-20")), []string{CodeStopOverlap},
				Info{"suspensionReason", SuspendSSINOverlap})
		}},
	}
}
