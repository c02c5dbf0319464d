package rules

import "testing"

func coverCases() []ruleCase {
	year := func(covers ...Cover) Content { return content("2025-03-01", "2026-02-28", covers...) }
	// v1 of num1: a one-year decision with a doctor cover of 92 days from today.
	first := func() Decision {
		return decision(num1, cpasA, Active, year(cover(Doctor, "2025-03-01", "2025-05-31")))
	}
	asylumOutside := func() *Person {
		p := person()
		p.Situations = []Situation{{From: MustDate("2024-01-01"), Kind: SitAsylum, ResidenceINS: insB}}
		return p
	}
	incomeAbove := func(c Content) Content {
		c.IncomeAboveRI = true
		return c
	}
	withProviders := func(cv Cover, ids ...string) Cover {
		cv.Providers = ids
		return cv
	}
	hospital := mkNIHII("71000", 8)
	withComments := func(cv Cover, f func(*Cover)) Cover {
		f(&cv)
		return cv
	}
	return []ruleCase{
		{"R-COVER-92/a cover of 92 days for an illegal stay is accepted", func(t *testing.T) {
			accepted(t, create(person(), year(cover(Doctor, "2025-03-01", "2025-05-31"))))
		}},
		{"R-COVER-92/a cover of 93 days for an illegal stay is rejected with the last allowed end", func(t *testing.T) {
			rejected(t, create(person(), year(cover(Doctor, "2025-03-01", "2025-06-01"))), []string{CodeCoverTooLong},
				Info{"coverKind", "doctor"}, Info{"coverStart", "2025-03-01"}, Info{"coverEnd", "2025-06-01"}, Info{"maxCoverEnd", "2025-05-31"})
		}},
		{"R-COVER-92/a cover of a whole year for a legal resident is accepted", func(t *testing.T) {
			accepted(t, create(legal(), year(cover(Doctor, "2025-03-01", "2026-02-28"))))
		}},
		{"R-COVER-92/a prolongation by 92 days beyond the previous end is accepted", func(t *testing.T) {
			accepted(t, modify(cpasA, 1, year(cover(Doctor, "2025-03-01", "2025-08-31")), first()))
		}},
		{"R-COVER-92/a prolongation by 93 days beyond the previous end is rejected", func(t *testing.T) {
			rejected(t, modify(cpasA, 1, year(cover(Doctor, "2025-03-01", "2025-09-01")), first()), []string{CodeCoverTooLong},
				Info{"maxCoverEnd", "2025-08-31"})
		}},
		{"R-COVER-92/a cover new in a version is rejected beyond 92 days from its own start", func(t *testing.T) {
			rejected(t, modify(cpasA, 1, year(cover(Doctor, "2025-03-01", "2025-05-31"), cover(Paramedic, "2025-03-10", "2025-06-10")), first()),
				[]string{CodeCoverTooLong}, Info{"coverKind", "paramedic"}, Info{"maxCoverEnd", "2025-06-09"})
		}},
		{"R-COVER-92/prolongations stop at the one-year limit of the decision: one day more is rejected", func(t *testing.T) {
			d := decision(num1, cpasA, Active, year(cover(Doctor, "2025-03-01", "2025-12-31")))
			accepted(t, modify(cpasA, 1, year(cover(Doctor, "2025-03-01", "2026-02-28")), d))
			rejected(t, modify(cpasA, 1, content("2025-03-01", "2026-03-01", cover(Doctor, "2025-03-01", "2026-03-01")), d),
				[]string{CodePeriodTooLong})
		}},

		{"R-COVER-CONTIGUOUS/a started cover prolonged by a period that follows it is accepted", func(t *testing.T) {
			d := decision(num1, cpasA, Active, year(cover(Doctor, "2025-03-01", "2025-03-15")))
			accepted(t, modify(cpasA, 1, year(cover(Doctor, "2025-03-01", "2025-04-30")), d))
		}},
		{"R-COVER-CONTIGUOUS/a second period that does not follow a started cover is rejected", func(t *testing.T) {
			d := decision(num1, cpasA, Active, year(cover(Doctor, "2025-03-01", "2025-03-15")))
			rejected(t, modify(cpasA, 1, year(cover(Doctor, "2025-04-01", "2025-04-30")), d), []string{CodeCoverDisjoint},
				Info{"coverKind", "doctor"}, Info{"previousStart", "2025-03-01"}, Info{"previousEnd", "2025-03-15"},
				Info{"requestedStart", "2025-04-01"}, Info{"requestedEnd", "2025-04-30"})
		}},
		{"R-COVER-CONTIGUOUS/moving a future cover to a later period is accepted", func(t *testing.T) {
			d := decision(num1, cpasA, Active, year(cover(Doctor, "2025-04-01", "2025-04-15")))
			accepted(t, modify(cpasA, 1, year(cover(Doctor, "2025-05-01", "2025-05-31")), d))
		}},

		{"R-HOSP-AMB/a hospitalisation cover alone on 2018-01-31 is accepted", func(t *testing.T) {
			accepted(t, createOn(legal(), MustDate("2018-01-31"), decided(content("2018-01-31", "2018-03-31",
				cover(Hospitalization, "2018-01-31", "2018-03-31")), "2018-01-31")))
		}},
		{"R-HOSP-AMB/a hospitalisation cover alone on 2018-02-01 is rejected", func(t *testing.T) {
			rejected(t, createOn(legal(), MustDate("2018-02-01"), decided(content("2018-02-01", "2018-03-31",
				cover(Hospitalization, "2018-02-01", "2018-03-31")), "2018-02-01")), []string{CodeHospWithoutAmb},
				Info{"coverStart", "2018-02-01"}, Info{"coverEnd", "2018-03-31"}, Info{"since", "2018-02-01"})
		}},
		{"R-HOSP-AMB/a hospitalisation cover with a shorter ambulatory cover on 2018-02-01 is rejected", func(t *testing.T) {
			rejected(t, createOn(legal(), MustDate("2018-02-01"), decided(content("2018-02-01", "2018-03-31",
				cover(Hospitalization, "2018-02-01", "2018-03-31"), cover(AmbulatoryHospitalization, "2018-02-02", "2018-03-31")), "2018-02-01")),
				[]string{CodeHospWithoutAmb}, Info{"ambulatoryHospitalizationStart", "2018-02-02"})
		}},
		{"R-HOSP-AMB/an ambulatory cover alone on 2021-01-28 is accepted", func(t *testing.T) {
			accepted(t, createOn(legal(), MustDate("2021-01-28"), decided(content("2021-01-28", "2021-03-31",
				cover(AmbulatoryHospitalization, "2021-01-28", "2021-03-31")), "2021-01-28")))
		}},
		{"R-HOSP-AMB/an ambulatory cover alone on 2021-01-29 is rejected", func(t *testing.T) {
			rejected(t, createOn(legal(), MustDate("2021-01-29"), decided(content("2021-01-29", "2021-03-31",
				cover(AmbulatoryHospitalization, "2021-01-29", "2021-03-31")), "2021-01-29")), []string{CodeAmbWithoutHosp},
				Info{"since", "2021-01-29"})
		}},
		{"R-HOSP-AMB/a longer ambulatory cover than the hospitalisation one on 2021-01-28 is accepted", func(t *testing.T) {
			accepted(t, createOn(legal(), MustDate("2021-01-28"), decided(content("2021-01-28", "2021-03-31",
				cover(Hospitalization, "2021-02-01", "2021-03-31"), cover(AmbulatoryHospitalization, "2021-01-28", "2021-03-31")), "2021-01-28")))
		}},
		{"R-HOSP-AMB/a longer ambulatory cover than the hospitalisation one on 2021-01-29 is rejected", func(t *testing.T) {
			rejected(t, createOn(legal(), MustDate("2021-01-29"), decided(content("2021-01-29", "2021-03-31",
				cover(Hospitalization, "2021-02-01", "2021-03-31"), cover(AmbulatoryHospitalization, "2021-01-29", "2021-03-31")), "2021-01-29")),
				[]string{CodeAmbWithoutHosp}, Info{"hospitalizationStart", "2021-02-01"})
		}},
		{"R-HOSP-AMB/both covers over the same period today are accepted", func(t *testing.T) {
			accepted(t, create(person(), content("2025-03-01", "2025-05-31", hospAmb("2025-03-01", "2025-05-31")...)))
		}},

		{"R-CPAS-PART/taking the supplements in full is accepted: the State never pays them", func(t *testing.T) {
			accepted(t, create(person(), year(shares(cover(Doctor, "2025-03-01", "2025-05-31"), Nothing, Nothing, Full))))
		}},
		{"R-CPAS-PART/taking in full a patient part the State pays at 100 percent is rejected", func(t *testing.T) {
			rejected(t, create(person(), year(shares(cover(Doctor, "2025-03-01", "2025-05-31"), Nothing, Full, Nothing))),
				[]string{CodeShareStatePaid}, Info{"coverKind", "doctor"}, Info{"part", "patientPart"}, Info{"statePercent", "100"},
				Info{"refundCode", "1"})
		}},
		{"R-CPAS-PART/taking in full both parts of other care the State pays at 50 percent is accepted", func(t *testing.T) {
			accepted(t, create(asylumOutside(), year(shares(cover(PharmaceuticalDrug, "2025-03-01", "2026-02-28"), Full, Full, Full))))
		}},
		{"R-CPAS-PART/for an asylum seeker outside the territory a full doctor patient part is rejected: the State pays ambulatory care at 100 percent", func(t *testing.T) {
			rejected(t, create(asylumOutside(), year(shares(cover(Doctor, "2025-03-01", "2026-02-28"), Nothing, Full, Nothing))),
				[]string{CodeShareStatePaid}, Info{"coverKind", "doctor"}, Info{"part", "patientPart"}, Info{"statePercent", "100"},
				Info{"refundCode", "7"})
		}},
		{"R-CPAS-PART/with income above the integration income a full ambulatory patient part is accepted", func(t *testing.T) {
			accepted(t, create(person(), incomeAbove(year(shares(cover(Doctor, "2025-03-01", "2025-05-31"), Nothing, Full, Nothing)))))
		}},
		{"R-CPAS-PART/with income above the integration income a full hospital patient part is rejected", func(t *testing.T) {
			c := incomeAbove(year(shares(cover(Hospitalization, "2025-03-01", "2025-05-31"), Nothing, Full, Nothing),
				cover(AmbulatoryHospitalization, "2025-03-01", "2025-05-31")))
			rejected(t, create(person(), c), []string{CodeShareStatePaid}, Info{"coverKind", "hospitalization"}, Info{"refundCode", "2"})
		}},
		{"R-CPAS-PART/a share other than NOTHING, PARTIAL or FULL is rejected", func(t *testing.T) {
			rejected(t, create(person(), year(shares(cover(Doctor, "2025-03-01", "2025-05-31"), Nothing, "SOME", Nothing))),
				[]string{CodeShareInvalid}, Info{"part", "patientPart"}, Info{"value", "SOME"})
		}},

		{"R-COMMENTS/a partial patient part with a maximum amount is accepted", func(t *testing.T) {
			cv := withComments(shares(cover(Doctor, "2025-03-01", "2025-05-31"), Nothing, Partial, Nothing),
				func(c *Cover) { c.MaxPatientPart = cents(2500) })
			accepted(t, create(asylumOutside(), year(cv)))
		}},
		{"R-COMMENTS/a partial supplement part under a convention on a hospitalisation is accepted", func(t *testing.T) {
			h := withComments(shares(cover(Hospitalization, "2025-03-01", "2025-05-31"), Nothing, Nothing, Partial),
				func(c *Cover) { c.Support.Convention = flag(true) })
			accepted(t, create(person(), year(h, cover(AmbulatoryHospitalization, "2025-03-01", "2025-05-31"))))
		}},
		{"R-COMMENTS/a partial patient part under a prescription on an ambulatory cover is accepted", func(t *testing.T) {
			a := withComments(shares(cover(AmbulatoryHospitalization, "2025-03-01", "2025-05-31"), Nothing, Partial, Nothing),
				func(c *Cover) { c.Support.Prescription = flag(true) })
			accepted(t, create(asylumOutside(), year(cover(Hospitalization, "2025-03-01", "2025-05-31"), a)))
		}},
		{"R-COMMENTS/a prescription restricting the AMI part is rejected: conditions restrict the patient part and supplements only", func(t *testing.T) {
			a := withComments(shares(cover(AmbulatoryHospitalization, "2025-03-01", "2025-05-31"), Partial, Nothing, Nothing),
				func(c *Cover) { c.Support.Prescription = flag(true) })
			rejected(t, create(person(), year(cover(Hospitalization, "2025-03-01", "2025-05-31"), a)),
				[]string{CodeAmiPartial, CodeCommentNoPart})
		}},
		{"R-COMMENTS/a partial supplement part without any condition is rejected", func(t *testing.T) {
			rejected(t, create(person(), year(shares(cover(Doctor, "2025-03-01", "2025-05-31"), Nothing, Nothing, Partial))),
				[]string{CodePartialNoCond}, Info{"coverKind", "doctor"}, Info{"part", "supplement"})
		}},
		{"R-CPAS-PART/a partial AMI part is rejected: the CPAS takes it wholly or not at all", func(t *testing.T) {
			rejected(t, create(asylumOutside(), year(shares(cover(Doctor, "2025-03-01", "2025-05-31"), Partial, Nothing, Nothing))),
				[]string{CodeAmiPartial}, Info{"coverKind", "doctor"}, Info{"part", "zivAmiPart"})
		}},
		{"R-CPAS-PART/a full AMI part the State does not pay in full is accepted", func(t *testing.T) {
			accepted(t, create(asylumOutside(), year(shares(cover(PharmaceuticalDrug, "2025-03-01", "2025-05-31"), Full, Nothing, Nothing))))
		}},
		{"R-COMMENTS/a maximum patient-part amount without a partial patient part is rejected", func(t *testing.T) {
			cv := withComments(cover(Doctor, "2025-03-01", "2025-05-31"), func(c *Cover) { c.MaxPatientPart = cents(2500) })
			rejected(t, create(person(), year(cv)), []string{CodeCommentNoPart}, Info{"comment", "amountPatientPartMax"})
		}},
		{"R-COMMENTS/a convention on a doctor cover is rejected", func(t *testing.T) {
			cv := withComments(shares(cover(Doctor, "2025-03-01", "2025-05-31"), Nothing, Nothing, Partial), func(c *Cover) {
				c.Support.Convention = flag(true)
				c.MaxSupplement = cents(1000)
			})
			rejected(t, create(person(), year(cv)), []string{CodeCommentKind}, Info{"comment", "convention"})
		}},
		{"R-COMMENTS/supplement types on a pharmacy cover are rejected", func(t *testing.T) {
			cv := withComments(shares(cover(PharmaceuticalDrug, "2025-03-01", "2025-05-31"), Nothing, Nothing, Partial), func(c *Cover) {
				c.SupplementTypes = []string{"D"}
				c.MaxSupplement = cents(1000)
			})
			rejected(t, create(person(), year(cv)), []string{CodeCommentKind}, Info{"comment", "supplementTypeList"})
		}},
		{"R-COMMENTS/a negative maximum amount is rejected", func(t *testing.T) {
			cv := withComments(shares(cover(Doctor, "2025-03-01", "2025-05-31"), Nothing, Nothing, Partial),
				func(c *Cover) { c.MaxSupplement = cents(-1) })
			rejected(t, create(person(), year(cv)), []string{CodeAmountNegative}, Info{"comment", "amountMaxAllowed"})
		}},
		{"R-COMMENTS/a maximum amount of zero cents is accepted", func(t *testing.T) {
			cv := withComments(shares(cover(Doctor, "2025-03-01", "2025-05-31"), Nothing, Nothing, Partial),
				func(c *Cover) { c.MaxSupplement = cents(0) })
			accepted(t, create(person(), year(cv)))
		}},

		{"R-NIHII/a hospital list of care establishments numbered 710 and 720 is accepted", func(t *testing.T) {
			h := withProviders(cover(Hospitalization, "2025-03-01", "2025-05-31"), hospital, mkNIHII("72000", 11))
			accepted(t, create(person(), year(h, cover(AmbulatoryHospitalization, "2025-03-01", "2025-05-31"))))
		}},
		{"R-NIHII/a hospital list holding a doctor's NIHII number is rejected", func(t *testing.T) {
			h := withProviders(cover(Hospitalization, "2025-03-01", "2025-05-31"), "10012345")
			rejected(t, create(person(), year(h, cover(AmbulatoryHospitalization, "2025-03-01", "2025-05-31"))), []string{CodeProviderInvalid},
				Info{"coverKind", "hospitalization"}, Info{"provider", "10012345"}, Info{"expected", "NIHII_710_720"})
		}},
		{"R-NIHII/doctor numbers of 8 and 11 digits are accepted", func(t *testing.T) {
			accepted(t, create(person(), year(withProviders(cover(Doctor, "2025-03-01", "2025-05-31"), "10012345", "10012345001"))))
		}},
		{"R-NIHII/a doctor number of 9 digits is rejected", func(t *testing.T) {
			rejected(t, create(person(), year(withProviders(cover(Doctor, "2025-03-01", "2025-05-31"), "100123456"))),
				[]string{CodeProviderInvalid}, Info{"expected", "NIHII"})
		}},
		{"R-NIHII/a transport company identified by its CBE number is accepted", func(t *testing.T) {
			accepted(t, create(person(), year(withProviders(cover(MedicalTransportation, "2025-03-01", "2025-05-31"), mkCBE("04440000")))))
		}},
		{"R-NIHII/a prosthesis company identified by a NIHII number is rejected", func(t *testing.T) {
			rejected(t, create(person(), year(withProviders(cover(Prosthesis, "2025-03-01", "2025-05-31"), "10012345"))),
				[]string{CodeProviderInvalid}, Info{"expected", "CBE"})
		}},

		{"R-PROVIDERS/a cover naming designated providers is accepted and only they may invoice it", func(t *testing.T) {
			v := accepted(t, create(person(), year(withProviders(cover(Paramedic, "2025-03-01", "2025-05-31"), "40012345"))))
			cv := v.Cover(Paramedic)
			if !cv.AllowsProvider("40012345") || cv.AllowsProvider("40099999") {
				t.Fatalf("providers = %v", cv.Providers)
			}
			if free := cover(Doctor, "2025-03-01", "2025-05-31"); !free.AllowsProvider("10012345") {
				t.Fatal("a cover without a list allows every provider")
			}
		}},
		{"R-PROVIDERS/a provider list on a miscellaneous cover is rejected", func(t *testing.T) {
			rejected(t, create(person(), year(withProviders(cover(Miscellaneous, "2025-03-01", "2025-05-31"), "10012345"))),
				[]string{CodeNoProviderList}, Info{"coverKind", "miscellaneous"})
		}},
		{"R-PROVIDERS/a provider named twice in a list is rejected", func(t *testing.T) {
			rejected(t, create(person(), year(withProviders(cover(Doctor, "2025-03-01", "2025-05-31"), "10012345", "10012345"))),
				[]string{CodeProviderTwice}, Info{"provider", "10012345"})
		}},
	}
}

// mkNIHII pads prefix with zeros to n digits (test identifiers only).
func mkNIHII(prefix string, n int) string {
	for len(prefix) < n {
		prefix += "0"
	}
	return prefix
}
