package rules

import (
	"strings"
	"testing"
)

func identityCases() []ruleCase {
	ssinCase := func(name, s string, want bool) ruleCase {
		return ruleCase{name, func(t *testing.T) {
			if got := ValidSSIN(s); got != want {
				t.Fatalf("ValidSSIN(%s) = %v, want %v", s, got, want)
			}
		}}
	}
	cbeCase := func(name, s string, want bool) ruleCase {
		return ruleCase{name, func(t *testing.T) {
			if got := ValidCBE(s); got != want {
				t.Fatalf("ValidCBE(%s) = %v, want %v", s, got, want)
			}
		}}
	}
	born2000 := mkSSIN("050312123", true)
	wrongCheck := ssinAlice[:9] + "00"
	cbeWrong := cpasA[:8] + "00"
	return []ruleCase{
		ssinCase("R-SSIN/a national number of a person born before 2000 is valid", ssinAlice, true),
		ssinCase("R-SSIN/a national number of a person born in 2000 or later is valid with the 2 prefix", born2000, true),
		ssinCase("R-SSIN/a BIS number with the month raised by 20 is valid", mkSSIN("852730033", false), true),
		ssinCase("R-SSIN/a BIS number with the month raised by 40 is valid", mkSSIN("854730033", false), true),
		ssinCase("R-SSIN/a wrong check number is invalid", wrongCheck, false),
		ssinCase("R-SSIN/ten digits are invalid", ssinAlice[:10], false),
		ssinCase("R-SSIN/a letter among the digits is invalid", "85073A03328", false),
		ssinCase("R-SSIN/a month of 13 is invalid even with a good check number", mkSSIN("851330033", false), false),
		{"R-SSIN/a create with an invalid SSIN is refused as a technical error that never echoes the SSIN", func(t *testing.T) {
			r := engine.Create(CreateCmd{Caller: cpasA, SSIN: wrongCheck, Content: content("2025-03-01", "2025-05-31")},
				facts(person()), today, now)
			rejected(t, r, []string{CodeSSINInvalid})
			if !r.Messages[0].Technical || len(r.Messages[0].Info) != 0 {
				t.Fatalf("want a technical message without info, got %+v", r.Messages[0])
			}
		}},
		{"R-SSIN/a consultation with an invalid SSIN is refused as a technical error", func(t *testing.T) {
			res := engine.Consult(ConsultCmd{Caller: cpasA, Mode: ByDate, SSIN: wrongCheck, Date: NoDate}, facts(person()), today)
			expectMessages(t, res.Messages, []string{CodeSSINInvalid})
			if !res.Messages[0].Technical {
				t.Fatal("want Technical")
			}
		}},
		cbeCase("R-CBE/a CBE starting with 0 and a good check number is valid", cpasA, true),
		cbeCase("R-CBE/a CBE starting with 1 and a good check number is valid", mkCBE("12345678"), true),
		cbeCase("R-CBE/a CBE starting with 2 is invalid even with a good check number", mkCBE("22345678"), false),
		cbeCase("R-CBE/a CBE with a wrong check number is invalid", cbeWrong, false),
		cbeCase("R-CBE/a CBE of nine digits is invalid", cpasA[:9], false),
		{"R-CBE/a CBE that is not the signer's is refused as a business error with its own code", func(t *testing.T) {
			m := MsgCBEMismatch()
			if m.Code != CodeCBEMismatch || m.Rule != "R-CBE" || m.Technical || m.Severity != SevError {
				t.Fatalf("got %+v", m)
			}
		}},
		{"R-PERSON-KNOWN/a create for a person in the registry is accepted", func(t *testing.T) {
			v := accepted(t, create(person(), content("2025-03-01", "2025-05-31")))
			if v.Beneficiary.SSIN != ssinAlice || v.Beneficiary.Gender != "F" {
				t.Fatalf("beneficiary snapshot = %+v", v.Beneficiary)
			}
		}},
		{"R-PERSON-KNOWN/a create for a person unknown to the registry is rejected", func(t *testing.T) {
			rejected(t, create(nil, content("2025-03-01", "2025-05-31")), []string{CodePersonUnknown})
		}},
		{"R-PERSON-KNOWN/a modify when the registry no longer knows the person is rejected", func(t *testing.T) {
			d := decision("000000000001", cpasA, Active, content("2025-03-01", "2025-05-31"))
			r := engine.Modify(ModifyCmd{Caller: cpasA, Number: "000000000001", BaseVersion: 1, Action: ActionModify,
				Content: content("2025-03-01", "2025-06-30")}, facts(nil, d), today, now)
			rejected(t, r, []string{CodePersonUnknown})
		}},
		{"R-GENDER/a create for a person with a registered gender is accepted", func(t *testing.T) {
			accepted(t, create(person(), content("2025-03-01", "2025-05-31")))
		}},
		{"R-GENDER/a create for a person without gender is rejected", func(t *testing.T) {
			p := person()
			p.Gender = ""
			rejected(t, create(p, content("2025-03-01", "2025-05-31")), []string{CodeGenderMissing})
		}},
		{"R-GENDER/a modify for a person without gender is rejected", func(t *testing.T) {
			p := person()
			p.Gender = ""
			d := decision("000000000001", cpasA, Active, content("2025-03-01", "2025-05-31"))
			r := engine.Modify(ModifyCmd{Caller: cpasA, Number: "000000000001", BaseVersion: 1,
				Content: content("2025-03-01", "2025-06-30")}, facts(p, d), today, now)
			rejected(t, r, []string{CodeGenderMissing})
		}},
		{"R-GENDER/a missing gender is rejected together with independent content errors", func(t *testing.T) {
			p := person()
			p.Gender = ""
			c := content("2025-03-01", "2026-03-01", cover(Doctor, "2025-02-01", "2025-04-01"))
			rejected(t, create(p, c), []string{CodeGenderMissing, CodePeriodTooLong, CodeCoverOutside})
		}},
		{"R-GENDER/rejection texts and info never carry the SSIN or the person's names", func(t *testing.T) {
			p := person()
			p.Gender = ""
			r := create(p, content("2025-03-01", "2026-03-01"), decision("000000000009", cpasB, Active, content("2025-01-01", "2025-12-31")))
			for _, m := range r.Messages {
				all := m.Fr + m.Nl
				for _, i := range m.Info {
					all += i.Name + i.Value
				}
				for _, secret := range []string{ssinAlice, p.LastName, p.FirstName} {
					if strings.Contains(all, secret) {
						t.Fatalf("message %s leaks personal data", m.Code)
					}
				}
			}
		}},
	}
}

func contentCases() []ruleCase {
	return []ruleCase{
		{"R-DATES/a one-day decision is accepted", func(t *testing.T) {
			accepted(t, create(person(), content("2025-03-01", "2025-03-01")))
		}},
		{"R-DATES/a missing decision date is rejected naming the field", func(t *testing.T) {
			c := content("2025-03-01", "2025-05-31")
			c.DecisionDate = NoDate
			rejected(t, create(person(), c), []string{CodeDateMissing}, Info{"field", "decisionDate"})
		}},
		{"R-DATES/a missing end date is rejected naming the field", func(t *testing.T) {
			c := content("2025-03-01", "2025-05-31")
			c.Period.End = NoDate
			rejected(t, create(person(), c), []string{CodeDateMissing}, Info{"field", "endDate"})
		}},
		{"R-DATES/a start after the end is rejected with both dates", func(t *testing.T) {
			rejected(t, create(person(), content("2025-03-02", "2025-03-01")), []string{CodePeriodInverted},
				Info{"startDate", "2025-03-02"}, Info{"endDate", "2025-03-01"})
		}},
		{"R-DATES/a cover starting after its end is rejected naming the cover", func(t *testing.T) {
			c := content("2025-03-01", "2025-05-31", cover(Paramedic, "2025-04-02", "2025-04-01"))
			rejected(t, create(person(), c), []string{CodeCoverInverted}, Info{"coverKind", "paramedic"})
		}},
		{"R-MAX-12M/a validity of exactly twelve months is accepted", func(t *testing.T) {
			accepted(t, create(person(), content("2025-03-01", "2026-02-28")))
		}},
		{"R-MAX-12M/a validity of twelve months and one day is rejected with the last allowed end", func(t *testing.T) {
			rejected(t, create(person(), content("2025-03-01", "2026-03-01")), []string{CodePeriodTooLong},
				Info{"maxEndDate", "2026-02-28"})
		}},
		{"R-MAX-12M/a decision from 29 February to 28 February of the next year is accepted", func(t *testing.T) {
			c := content("2024-02-29", "2025-02-28")
			c.JudicialDecision = true
			accepted(t, create(person(), c))
		}},
		{"R-MAX-12M/a decision from 29 February to 1 March of the next year is rejected", func(t *testing.T) {
			c := content("2024-02-29", "2025-03-01")
			c.JudicialDecision = true
			rejected(t, create(person(), c), []string{CodePeriodTooLong}, Info{"maxEndDate", "2025-02-28"})
		}},
		{"R-RETRO-60/a start 60 days before the decision date is accepted", func(t *testing.T) {
			accepted(t, create(person(), content("2024-12-31", "2025-05-31")))
		}},
		{"R-RETRO-60/a start 61 days before the decision date is rejected with the earliest start", func(t *testing.T) {
			rejected(t, create(person(), content("2024-12-30", "2025-05-31")), []string{CodeStartTooEarly},
				Info{"decisionDate", "2025-03-01"}, Info{"minStartDate", "2024-12-31"})
		}},
		{"R-RETRO-60/a judicial decision starting more than 60 days earlier is accepted", func(t *testing.T) {
			c := content("2024-06-01", "2025-05-31")
			c.JudicialDecision = true
			accepted(t, create(person(), c))
		}},
		{"R-RETRO-60/a decision without State intervention starting more than 60 days earlier is accepted with code 0", func(t *testing.T) {
			c := content("2024-11-01", "2024-12-30")
			c.NoStateIntervention = true
			v := accepted(t, create(person(), c))
			if v.State.RefundCode != 0 || v.State.Hospital != (Percent{}) {
				t.Fatalf("state = %+v", v.State)
			}
		}},
		{"R-RETRO-60/a new version moving the start beyond the limit is rejected", func(t *testing.T) {
			d := decision("000000000001", cpasA, Active, content("2025-03-01", "2025-05-31"))
			r := engine.Modify(ModifyCmd{Caller: cpasA, Number: "000000000001", BaseVersion: 1,
				Content: content("2024-12-30", "2025-05-31")}, facts(person(), d), today, now)
			rejected(t, r, []string{CodeStartTooEarly})
		}},
		{"R-PRINCIPLE/a decision without any cover is accepted as a principle decision", func(t *testing.T) {
			v := accepted(t, create(person(), content("2025-03-01", "2025-05-31")))
			if !v.IsPrinciple() {
				t.Fatal("want a principle decision")
			}
		}},
		{"R-PRINCIPLE/a second decision over a principle decision of the same CPAS is rejected", func(t *testing.T) {
			d := decision("000000000001", cpasA, Active, content("2025-01-01", "2025-06-30"))
			rejected(t, create(person(), content("2025-03-01", "2025-05-31", cover(Doctor, "2025-03-01", "2025-05-31")), d),
				[]string{CodeOverlapOwnCPAS}, Info{"decisionNumber", "000000000001"})
		}},
		{"R-COVER-IN-DECISION/a cover over the whole validity is accepted", func(t *testing.T) {
			v := accepted(t, create(person(), content("2025-03-01", "2025-05-31",
				cover(Hospitalization, "2025-03-01", "2025-05-31"), cover(AmbulatoryHospitalization, "2025-03-01", "2025-05-31"))))
			if len(v.Covers) != 2 {
				t.Fatalf("covers = %d", len(v.Covers))
			}
		}},
		{"R-COVER-IN-DECISION/a cover starting the day before the decision is rejected with both periods", func(t *testing.T) {
			c := content("2025-03-01", "2025-05-31", cover(Doctor, "2025-02-28", "2025-05-31"))
			rejected(t, create(person(), c), []string{CodeCoverOutside}, Info{"coverKind", "doctor"},
				Info{"coverStart", "2025-02-28"}, Info{"decisionStart", "2025-03-01"}, Info{"decisionEnd", "2025-05-31"})
		}},
		{"R-COVER-IN-DECISION/a cover ending the day after the decision is rejected", func(t *testing.T) {
			c := content("2025-03-01", "2025-05-31", cover(Doctor, "2025-03-01", "2025-06-01"))
			rejected(t, create(person(), c), []string{CodeCoverOutside}, Info{"coverEnd", "2025-06-01"})
		}},
		{"R-COVER-CONTIGUOUS/two periods for one cover kind are rejected", func(t *testing.T) {
			c := content("2025-03-01", "2025-05-31", cover(Doctor, "2025-03-01", "2025-03-31"), cover(Doctor, "2025-05-01", "2025-05-31"))
			rejected(t, create(person(), c), []string{CodeCoverDuplicate}, Info{"coverKind", "doctor"})
		}},
	}
}
