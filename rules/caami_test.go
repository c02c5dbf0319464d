package rules

import (
	"reflect"
	"testing"
)

// sendDay is the business date of most sends below.
const sendDay = "2025-12-10"

// eveDecision is decision numA of cpasA for Eve (refund code 3: the State pays 100/100),
// decided and created on 2025-11-01 for six months, covering hospital stays, ambulatory care,
// the doctor and the pharmacy.
func eveDecision(t *testing.T, covers ...Cover) Decision {
	t.Helper()
	if covers == nil {
		covers = []Cover{cover(Hospitalization, "2025-11-01", "2026-04-30"), cover(AmbulatoryHospitalization, "2025-11-01", "2026-04-30"),
			cover(Doctor, "2025-11-01", "2026-04-30"), cover(PharmaceuticalDrug, "2025-11-01", "2026-04-30")}
	}
	return made(t, regularisedPerson(ssinEve), numA, cpasA, MustDate("2025-11-01"),
		decidedOn("2025-11-01", "2025-11-01", "2026-04-30", covers...))
}

func caamiCases() []ruleCase {
	var cs []ruleCase
	for _, g := range [][]ruleCase{tariffCases(), patientCases(), periodCases(), caamiUMACases(), careTypeCases(),
		coverCodeCases(), providerCases(), agreementCases(), splitCases(), twoYearCases(), onceCases(),
		gpRouteCases(), paymentCases(), decompteCases()} {
		cs = append(cs, g...)
	}
	return cs
}

func tariffCases() []ruleCase {
	return []ruleCase{
		{"R-TARIFF/a GP consultation under refund code 3 is answered with the State paying the AMI and the patient part", func(t *testing.T) {
			tf := tariff(t, "101010")
			r := caami.Tarify(TarifyCmd{Provider: gp, SSIN: ssinEve, Lines: []InvoiceLine{line("", "2025-12-01", Doctor, "101010")}},
				invoiceFacts(ssinEve, eveDecision(t)), MustDate(sendDay))
			a := r.Lines[0].Amounts
			if !r.Lines[0].Accepted || a.Fee != tf.Fee || a.StateAmi != tf.AmiPart() || a.StatePatient != tf.PatientPart ||
				a.CPAS != 0 || a.Patient != 0 || a.RefundCode != 3 {
				t.Fatalf("tarification %+v (messages %v)", a, codes(r.Lines[0].Messages))
			}
			if r.Lines[0].CPAS != cpasA || r.Lines[0].Decision != numA {
				t.Fatalf("charged to %s under %s", r.Lines[0].CPAS, r.Lines[0].Decision)
			}
		}},
		{"R-TARIFF/other care under refund code 7 is answered with half for the State and the patient part for the CPAS", func(t *testing.T) {
			p := asylumOutside(ssinEve)
			d := made(t, p, numA, cpasA, MustDate("2025-11-01"), decidedOn("2025-11-01", "2025-11-01", "2026-01-31",
				shares(cover(PharmaceuticalDrug, "2025-11-01", "2026-01-31"), Nothing, Full, Nothing)))
			if d.Latest().State.RefundCode != 7 {
				t.Fatalf("fixture refund code %d", d.Latest().State.RefundCode)
			}
			tf := tariff(t, "750016")
			ph := ProviderInfo{ID: "52012345", Kind: ProviderPharmacy}
			r := caami.Tarify(TarifyCmd{Provider: ph, SSIN: ssinEve, Lines: []InvoiceLine{line("", "2025-12-01", PharmaceuticalDrug, "750016")}},
				invoiceFacts(ssinEve, d), MustDate(sendDay))
			a := r.Lines[0].Amounts
			wantStateAmi, wantStatePat := (tf.AmiPart()*50+50)/100, (tf.PatientPart*50+50)/100
			if a.StateAmi != wantStateAmi || a.StatePatient != wantStatePat || a.CPAS != tf.PatientPart-wantStatePat ||
				a.Patient != tf.AmiPart()-wantStateAmi || a.State()+a.CPAS+a.Patient != a.Total() {
				t.Fatalf("tarification %+v", a)
			}
		}},
		{"R-TARIFF/supplements are answered as never paid by the State, and capped for a PARTIAL CPAS share", func(t *testing.T) {
			hosp := shares(cover(Hospitalization, "2025-11-01", "2026-04-30"), Nothing, Nothing, Partial)
			hosp.MaxSupplement = cents(1000)
			d := eveDecision(t, hosp, cover(AmbulatoryHospitalization, "2025-11-01", "2026-04-30"))
			l := line("", "2025-12-01", Hospitalization, "768003")
			l.Supplements = 2500
			r := caami.Tarify(TarifyCmd{Provider: hospital, SSIN: ssinEve, Lines: []InvoiceLine{l}}, invoiceFacts(ssinEve, d), MustDate(sendDay))
			a := r.Lines[0].Amounts
			if a.State() != a.Fee || a.CPAS != 1000 || a.Patient != 1500 {
				t.Fatalf("tarification %+v", a)
			}
		}},
		{"R-TARIFF/a PARTIAL share resting on a convention is accepted and is warned as conditional", func(t *testing.T) {
			hosp := shares(cover(Hospitalization, "2025-11-01", "2026-04-30"), Nothing, Nothing, Partial)
			hosp.Support.Convention = flag(true)
			d := eveDecision(t, hosp, cover(AmbulatoryHospitalization, "2025-11-01", "2026-04-30"))
			l := line("H1", "2025-12-01", Hospitalization, "768003")
			l.Supplements = 800
			r := send(hospital, invoiceFacts(ssinEve, d), ssinEve, cpasA, sendDay, l)
			got := lineAccepted(t, r, 0)
			if !got.Amounts.CPASConditional || got.Amounts.CPAS != 0 || got.Amounts.Patient != 800 {
				t.Fatalf("amounts %+v", got.Amounts)
			}
			expectMessages(t, got.Messages, []string{CodeCPASConditional})
		}},
		{"R-TARIFF/the same lines on the same day are answered the same", func(t *testing.T) {
			cmd := TarifyCmd{Provider: gp, SSIN: ssinEve, Lines: []InvoiceLine{line("", "2025-12-01", Doctor, "103110"),
				line("", "2025-12-02", Doctor, "101032")}}
			f := invoiceFacts(ssinEve, eveDecision(t))
			if a, b := caami.Tarify(cmd, f, MustDate(sendDay)), caami.Tarify(cmd, f, MustDate(sendDay)); !reflect.DeepEqual(a, b) {
				t.Fatalf("two answers:\n%+v\n%+v", a, b)
			}
		}},
		{"R-TARIFF/a nomenclature code not in the tariff is rejected", func(t *testing.T) {
			r := send(gp, invoiceFacts(ssinEve, eveDecision(t)), ssinEve, cpasA, sendDay, line("G1", "2025-12-01", Doctor, "123456"))
			lineRejected(t, r, 0, CodeTariffUnknown, Info{"nomenclatureCode", "123456"})
		}},
		{"R-TARIFF/a hospital-stay code invoiced as doctor care is rejected", func(t *testing.T) {
			r := send(gp, invoiceFacts(ssinEve, eveDecision(t)), ssinEve, cpasA, sendDay, line("G1", "2025-12-01", Doctor, "768003"))
			lineRejected(t, r, 0, CodeTariffUnknown, Info{"careType", "doctor"})
		}},
		{"R-TARIFF/amounts that do not add up to the fee are rejected with the tariff's amounts", func(t *testing.T) {
			tf := tariff(t, "101010")
			l := line("G1", "2025-12-01", Doctor, "101010")
			l.Stated.AmiPart++
			r := send(gp, invoiceFacts(ssinEve, eveDecision(t)), ssinEve, cpasA, sendDay, l)
			lineRejected(t, r, 0, CodeAmountsDiffer, infoCents("fee", tf.Fee), infoCents("amiPart", tf.AmiPart()))
		}},
	}
}

func patientCases() []ruleCase {
	return []ruleCase{
		{"R-CAAMI-PATIENT/a beneficiary with a decision is accepted", func(t *testing.T) {
			lineAccepted(t, send(gp, invoiceFacts(ssinEve, eveDecision(t)), ssinEve, cpasA, sendDay,
				line("G1", "2025-12-01", Doctor, "101010")), 0)
		}},
		{"R-CAAMI-PATIENT/a beneficiary unknown to the decision register is rejected", func(t *testing.T) {
			f := invoiceFacts(ssinEve, eveDecision(t))
			lineRejected(t, send(gp, f, ssinNone, cpasA, sendDay, line("G1", "2025-12-01", Doctor, "101010")), 0, CodeLineNoPatient)
		}},
		{"R-CAAMI-PATIENT/a beneficiary whose only decision was closed is rejected", func(t *testing.T) {
			d := eveDecision(t)
			d.Versions[0].Status = Closed
			lineRejected(t, send(gp, invoiceFacts(ssinEve, d), ssinEve, cpasA, sendDay, line("G1", "2025-12-01", Doctor, "101010")),
				0, CodeLineNoPatient)
		}},
	}
}

func periodCases() []ruleCase {
	return []ruleCase{
		{"R-CAAMI-PERIOD/care on the first day of the decision is accepted", func(t *testing.T) {
			lineAccepted(t, send(gp, invoiceFacts(ssinEve, eveDecision(t)), ssinEve, cpasA, sendDay,
				line("G1", "2025-11-01", Doctor, "101010")), 0)
		}},
		{"R-CAAMI-PERIOD/care the day before the decision starts is rejected", func(t *testing.T) {
			lineRejected(t, send(gp, invoiceFacts(ssinEve, eveDecision(t)), ssinEve, cpasA, sendDay,
				line("G1", "2025-10-31", Doctor, "101010")), 0, CodeCareUncovered, Info{"reason", "noDecision"})
		}},
		{"R-CAAMI-PERIOD/care from the suspension date of a suspended decision is rejected", func(t *testing.T) {
			d := eveDecision(t)
			d.Versions[0].Status = Suspended
			d.Versions[0].Suspensions = []Suspension{{Reason: "REFUND_CODE", Date: MustDate("2025-11-20")}}
			f := invoiceFacts(ssinEve, d)
			lineAccepted(t, send(gp, f, ssinEve, cpasA, sendDay, line("G1", "2025-11-19", Doctor, "101010")), 0)
			lineRejected(t, send(gp, f, ssinEve, cpasA, sendDay, line("G2", "2025-11-20", Doctor, "101010")), 0,
				CodeCareUncovered, Info{"reason", "suspended"})
		}},
		{"R-CAAMI-PERIOD/care under a principle decision is rejected", func(t *testing.T) {
			d := made(t, regularisedPerson(ssinEve), numA, cpasA, MustDate("2025-11-01"), decidedOn("2025-11-01", "2025-11-01", "2026-04-30"))
			lineRejected(t, send(gp, invoiceFacts(ssinEve, d), ssinEve, cpasA, sendDay, line("G1", "2025-12-01", Doctor, "101010")),
				0, CodeCareUncovered, Info{"reason", "principle"})
		}},
		{"R-CAAMI-PERIOD/care dated after the send is rejected", func(t *testing.T) {
			lineRejected(t, send(gp, invoiceFacts(ssinEve, eveDecision(t)), ssinEve, cpasA, sendDay,
				line("G1", "2025-12-11", Doctor, "101010")), 0, CodeCareFuture, Info{"today", sendDay})
		}},
	}
}

// amuDecision is decision numA of cpasA for Eve in illegal stay (refund code 1, AMU) with a
// doctor cover of 92 days from 2025-11-01.
func caamiAMUDecision(t *testing.T) Decision {
	return made(t, illegal(ssinEve), numA, cpasA, MustDate("2025-11-01"),
		decidedOn("2025-11-01", "2025-11-01", "2026-04-30", cover(Doctor, "2025-11-01", "2026-01-31")))
}

func caamiUMACases() []ruleCase {
	attest := func(day string, deleted bool) Attestation {
		return Attestation{Number: "UMA-1", SSIN: ssinEve, Period: period(day, day), Deleted: deleted}
	}
	run := func(t *testing.T, as ...Attestation) SendResult {
		f := invoiceFacts(ssinEve, caamiAMUDecision(t))
		f.Attestations[ssinEve] = as
		return send(gp, f, ssinEve, cpasA, sendDay, withRefund(line("G1", "2025-12-01", Doctor, "101010"), 1))
	}
	return []ruleCase{
		{"R-CAAMI-UMA/care of an AMU beneficiary with an attestation of that day is accepted", func(t *testing.T) {
			lineAccepted(t, run(t, attest("2025-12-01", false)), 0)
		}},
		{"R-CAAMI-UMA/care of an AMU beneficiary without an attestation is rejected", func(t *testing.T) {
			lineRejected(t, run(t), 0, CodeUMAMissing, Info{"careDate", "2025-12-01"})
		}},
		{"R-CAAMI-UMA/care of an AMU beneficiary whose attestation names another day is rejected", func(t *testing.T) {
			lineRejected(t, run(t, attest("2025-12-02", false)), 0, CodeUMAMissing)
		}},
		{"R-CAAMI-UMA/care of an AMU beneficiary whose attestation was deleted is rejected", func(t *testing.T) {
			lineRejected(t, run(t, attest("2025-12-01", true)), 0, CodeUMAMissing)
		}},
		{"R-CAAMI-UMA/care of an AMU beneficiary with only another person's attestation is rejected", func(t *testing.T) {
			a := attest("2025-12-01", false)
			a.SSIN = ssinNone
			lineRejected(t, run(t, a), 0, CodeUMAMissing)
		}},
		{"R-CAAMI-UMA/care of a beneficiary who is not AMU is accepted without an attestation", func(t *testing.T) {
			lineAccepted(t, send(gp, invoiceFacts(ssinEve, eveDecision(t)), ssinEve, cpasA, sendDay,
				line("G1", "2025-12-01", Doctor, "101010")), 0)
		}},
	}
}

func careTypeCases() []ruleCase {
	return []ruleCase{
		{"R-CAAMI-CARE-TYPE/a hospital stay billed by a hospital under a hospitalisation cover is accepted", func(t *testing.T) {
			lineAccepted(t, send(hospital, invoiceFacts(ssinEve, eveDecision(t)), ssinEve, cpasA, sendDay,
				line("H1", "2025-12-01", Hospitalization, "768003")), 0)
		}},
		{"R-CAAMI-CARE-TYPE/physiotherapy under a decision without a paramedic cover is rejected", func(t *testing.T) {
			kine := ProviderInfo{ID: "54012345", Kind: ProviderParamedic}
			lineRejected(t, send(kine, invoiceFacts(ssinEve, eveDecision(t)), ssinEve, cpasA, sendDay,
				line("K1", "2025-12-01", Paramedic, "560011")), 0, CodeCareTypeNoCov, Info{"careType", "paramedic"})
		}},
		{"R-CAAMI-CARE-TYPE/a GP consultation after the doctor cover ended is rejected", func(t *testing.T) {
			d := eveDecision(t, cover(Doctor, "2025-11-01", "2025-11-30"), cover(PharmaceuticalDrug, "2025-11-01", "2026-04-30"))
			f := invoiceFacts(ssinEve, d)
			lineAccepted(t, send(gp, f, ssinEve, cpasA, sendDay, line("G1", "2025-11-30", Doctor, "101010")), 0)
			lineRejected(t, send(gp, f, ssinEve, cpasA, sendDay, line("G2", "2025-12-01", Doctor, "101010")), 0,
				CodeCareTypeNoCov, Info{"careDate", "2025-12-01"})
		}},
		{"R-CAAMI-CARE-TYPE/a GP consultation billed by a hospital is rejected", func(t *testing.T) {
			lineRejected(t, send(hospital, invoiceFacts(ssinEve, eveDecision(t)), ssinEve, cpasA, sendDay,
				line("H1", "2025-12-01", Doctor, "101010")), 0, CodeProviderKind, Info{"providerKind", "hospital"})
		}},
	}
}

func coverCodeCases() []ruleCase {
	return []ruleCase{
		{"R-CAAMI-COVER-CODE/an invoice stating the decision's refund code and percentages is accepted", func(t *testing.T) {
			l := line("G1", "2025-12-01", Doctor, "101010")
			l.StatePercent = &Percent{AmiPart: 100, PatientPart: 100}
			lineAccepted(t, send(gp, invoiceFacts(ssinEve, eveDecision(t)), ssinEve, cpasA, sendDay, l), 0)
		}},
		{"R-CAAMI-COVER-CODE/an invoice stating another refund code is rejected with the decision's", func(t *testing.T) {
			lineRejected(t, send(gp, invoiceFacts(ssinEve, eveDecision(t)), ssinEve, cpasA, sendDay,
				withRefund(line("G1", "2025-12-01", Doctor, "101010"), 4)), 0, CodeRefundMismatch,
				Info{"refundCode", "3"}, Info{"decisionNumber", numA})
		}},
		{"R-CAAMI-COVER-CODE/an invoice stating other State percentages is rejected", func(t *testing.T) {
			l := line("G1", "2025-12-01", Doctor, "101010")
			l.StatePercent = &Percent{AmiPart: 100, PatientPart: 0}
			lineRejected(t, send(gp, invoiceFacts(ssinEve, eveDecision(t)), ssinEve, cpasA, sendDay, l), 0,
				CodeRefundMismatch, Info{"patientPercent", "100"})
		}},
	}
}

func providerCases() []ruleCase {
	designated := func(t *testing.T) Decision {
		h := cover(Hospitalization, "2025-11-01", "2026-04-30")
		h.Providers = []string{hospital.ID}
		return eveDecision(t, h, cover(AmbulatoryHospitalization, "2025-11-01", "2026-04-30"))
	}
	return []ruleCase{
		{"R-CAAMI-PROVIDER/the designated hospital is accepted", func(t *testing.T) {
			lineAccepted(t, send(hospital, invoiceFacts(ssinEve, designated(t)), ssinEve, cpasA, sendDay,
				line("H1", "2025-12-01", Hospitalization, "768003")), 0)
		}},
		{"R-CAAMI-PROVIDER/a hospital the cover does not designate is rejected", func(t *testing.T) {
			other := ProviderInfo{ID: "71099999", Kind: ProviderHospital}
			lineRejected(t, send(other, invoiceFacts(ssinEve, designated(t)), ssinEve, cpasA, sendDay,
				line("H1", "2025-12-01", Hospitalization, "768003")), 0, CodeNotDesignated, Info{"careType", "hospitalization"})
		}},
	}
}

// stoppedEve is Eve's decision numA stopped at 2025-11-10 (version 2, written that day).
func stoppedEve(t *testing.T) Decision { return stoppedAt(eveDecision(t), "2025-11-10", "2025-11-10") }

// agreed is an agreement on version 1 of numA consulted by the hospital on 2025-11-05.
func agreed(provider string) *AgreementCheck {
	return &AgreementCheck{Valid: true, Number: numA, Version: 1, Provider: provider, Guarantee: period("2025-11-05", "2025-12-04")}
}

func withAgreement(l InvoiceLine, a *AgreementCheck) InvoiceLine {
	l.Agreement = a
	return l
}

func agreementCases() []ruleCase {
	hosp := func(day string) InvoiceLine { return line("H1", day, Hospitalization, "768003") }
	return []ruleCase{
		{"R-CAAMI-AGREEMENT/care inside the 30 days is accepted on the agreed version although the decision was stopped since", func(t *testing.T) {
			f := invoiceFacts(ssinEve, stoppedEve(t))
			lineRejected(t, send(hospital, f, ssinEve, cpasA, sendDay, hosp("2025-11-20")), 0, CodeCareUncovered)
			got := lineAccepted(t, send(hospital, f, ssinEve, cpasA, sendDay, withAgreement(hosp("2025-11-20"), agreed(hospital.ID))), 0)
			if got.Version != 1 {
				t.Fatalf("judged on version %d, want the agreed 1", got.Version)
			}
		}},
		{"R-CAAMI-AGREEMENT/a forged agreement number is rejected", func(t *testing.T) {
			lineRejected(t, send(hospital, invoiceFacts(ssinEve, eveDecision(t)), ssinEve, cpasA, sendDay,
				withAgreement(hosp("2025-11-20"), &AgreementCheck{})), 0, CodeAgreementForged)
		}},
		{"R-CAAMI-AGREEMENT/another provider's agreement number is rejected", func(t *testing.T) {
			lineRejected(t, send(hospital, invoiceFacts(ssinEve, eveDecision(t)), ssinEve, cpasA, sendDay,
				withAgreement(hosp("2025-11-20"), agreed("71099999"))), 0, CodeAgreementOther, Info{"reason", "provider"})
		}},
		{"R-CAAMI-AGREEMENT/an agreement on another beneficiary's decision is rejected", func(t *testing.T) {
			a := agreed(hospital.ID)
			a.Number = numB
			lineRejected(t, send(hospital, invoiceFacts(ssinEve, eveDecision(t)), ssinEve, cpasA, sendDay,
				withAgreement(hosp("2025-11-20"), a)), 0, CodeAgreementOther, Info{"reason", "beneficiary"})
		}},
		{"R-CAAMI-AGREEMENT/an agreement naming a version the decision never had is rejected", func(t *testing.T) {
			a := agreed(hospital.ID)
			a.Version = 3
			lineRejected(t, send(hospital, invoiceFacts(ssinEve, stoppedEve(t)), ssinEve, cpasA, sendDay,
				withAgreement(hosp("2025-11-20"), a)), 0, CodeAgreementOther)
		}},
		{"R-CAAMI-AGREEMENT/care on day 31 of the agreement is rejected with the guaranteed period", func(t *testing.T) {
			lineRejected(t, send(hospital, invoiceFacts(ssinEve, eveDecision(t)), ssinEve, cpasA, sendDay,
				withAgreement(hosp("2025-12-05"), agreed(hospital.ID))), 0, CodeAgreementWindow, Info{"guaranteedTo", "2025-12-04"})
		}},
	}
}

// splitFacts: Eve's decision at cpasA stopped at 2025-11-10, then cpasB's from 2025-11-11.
func splitFacts(t *testing.T) InvoiceFacts {
	b := made(t, regularisedPerson(ssinEve), numB, cpasB, MustDate("2025-11-11"),
		decidedOn("2025-11-11", "2025-11-11", "2026-04-30", hospAmb("2025-11-11", "2026-04-30")...))
	return invoiceFacts(ssinEve, stoppedEve(t), b)
}

func splitCases() []ruleCase {
	hosp := func(day string) InvoiceLine { return line("H1", day, Hospitalization, "768003") }
	return []ruleCase{
		{"R-INVOICE-SPLIT/care up to day 30 of the agreement charged to the agreed decision's CPAS is accepted", func(t *testing.T) {
			got := lineAccepted(t, send(hospital, splitFacts(t), ssinEve, cpasA, sendDay,
				withAgreement(hosp("2025-12-04"), agreed(hospital.ID))), 0)
			if got.CPAS != cpasA || got.Decision != numA {
				t.Fatalf("charged to %s under %s", got.CPAS, got.Decision)
			}
		}},
		{"R-INVOICE-SPLIT/care after the 30 days charged to the CPAS whose decision covers the day is accepted", func(t *testing.T) {
			got := lineAccepted(t, send(hospital, splitFacts(t), ssinEve, cpasB, sendDay, hosp("2025-12-05")), 0)
			if got.CPAS != cpasB || got.Decision != numB {
				t.Fatalf("charged to %s under %s", got.CPAS, got.Decision)
			}
		}},
		{"R-INVOICE-SPLIT/care inside the agreement invoiced to the second CPAS is rejected naming the first", func(t *testing.T) {
			lineRejected(t, send(hospital, splitFacts(t), ssinEve, cpasB, sendDay, withAgreement(hosp("2025-11-20"), agreed(hospital.ID))),
				0, CodeCPASSplit, Info{"cpasCbe", cpasA}, Info{"decisionNumber", numA})
		}},
		{"R-INVOICE-SPLIT/care after the agreement invoiced to the first CPAS is rejected naming the second", func(t *testing.T) {
			lineRejected(t, send(hospital, splitFacts(t), ssinEve, cpasA, sendDay, hosp("2025-12-05")), 0,
				CodeCPASSplit, Info{"cpasCbe", cpasB})
		}},
	}
}

func twoYearCases() []ruleCase {
	old := func(t *testing.T) InvoiceFacts {
		return invoiceFacts(ssinEve, made(t, regularisedPerson(ssinEve), numA, cpasA, MustDate("2023-12-01"),
			decidedOn("2023-12-01", "2023-12-01", "2024-11-30", cover(Doctor, "2023-12-01", "2024-11-30"))))
	}
	return []ruleCase{
		{"R-INVOICE-2Y/care exactly two years before the send is accepted", func(t *testing.T) {
			lineAccepted(t, send(gp, old(t), ssinEve, cpasA, sendDay, line("G1", "2023-12-10", Doctor, "101010")), 0)
		}},
		{"R-INVOICE-2Y/care two years and one day before the send is rejected", func(t *testing.T) {
			lineRejected(t, send(gp, old(t), ssinEve, cpasA, sendDay, line("G1", "2023-12-09", Doctor, "101010")), 0,
				CodeCareTooOld, Info{"oldestCareDate", "2023-12-10"})
		}},
	}
}

func onceCases() []ruleCase {
	return []ruleCase{
		{"R-INVOICE-ONCE/a line corrected after its refusal and sent again is accepted", func(t *testing.T) {
			f := invoiceFacts(ssinEve, eveDecision(t))
			first := send(gp, f, ssinEve, cpasA, sendDay, withRefund(line("G1", "2025-12-01", Doctor, "101010"), 4))
			lineRejected(t, first, 0, CodeRefundMismatch)
			f.Accepted = acceptedRefs(first)
			lineAccepted(t, send(gp, f, ssinEve, cpasA, sendDay, line("G1", "2025-12-01", Doctor, "101010")), 0)
		}},
		{"R-INVOICE-ONCE/a line already accepted and sent again is rejected as paid", func(t *testing.T) {
			f := invoiceFacts(ssinEve, eveDecision(t))
			first := send(gp, f, ssinEve, cpasA, sendDay, line("G1", "2025-12-01", Doctor, "101010"))
			lineAccepted(t, first, 0)
			f.Accepted = acceptedRefs(first)
			lineRejected(t, send(gp, f, ssinEve, cpasA, sendDay, line("G1", "2025-12-01", Doctor, "101010")), 0,
				CodeLinePaid, Info{"lineRef", "G1"})
		}},
		{"R-INVOICE-ONCE/a reference twice in one send is rejected the second time", func(t *testing.T) {
			r := send(gp, invoiceFacts(ssinEve, eveDecision(t)), ssinEve, cpasA, sendDay,
				line("G1", "2025-12-01", Doctor, "101010"), line("G1", "2025-12-02", Doctor, "101010"))
			lineAccepted(t, r, 0)
			lineRejected(t, r, 1, CodeLineTwice, Info{"lineRef", "G1"})
			if r.Accepted != 1 || r.Rejected != 1 {
				t.Fatalf("counts %d/%d", r.Accepted, r.Rejected)
			}
		}},
	}
}

func acceptedRefs(r SendResult) func(string) bool {
	refs := map[string]bool{}
	for _, l := range r.Lines {
		if l.Accepted {
			refs[l.Ref] = true
		}
	}
	return func(ref string) bool { return refs[ref] }
}

// gpFacts: Eve's doctor cover under a decision taken on decided, from 2025-08-01 to 2026-01-31.
func gpFacts(t *testing.T, decided string) InvoiceFacts {
	return invoiceFacts(ssinEve, made(t, regularisedPerson(ssinEve), numA, cpasA, MustDate(decided),
		decidedOn(decided, "2025-08-01", "2026-01-31", cover(Doctor, "2025-08-01", "2026-01-31"))))
}

func tarifyGP(t *testing.T, p ProviderInfo, f InvoiceFacts, care, today string, exc ...GPException) LineResult {
	t.Helper()
	l := line("", care, Doctor, "101010")
	l.Exceptions = exc
	return caami.Tarify(TarifyCmd{Provider: p, SSIN: ssinEve, Lines: []InvoiceLine{l}}, f, MustDate(today)).Lines[0]
}

func wantRoute(t *testing.T, r LineResult, route Route, reason string) {
	t.Helper()
	if !r.Accepted || r.Route == nil || r.Route.Route != route || r.Route.Reason != reason {
		t.Fatalf("route %+v (accepted %v, %v), want %s %s", r.Route, r.Accepted, codes(r.Messages), route, reason)
	}
}

func gpRouteCases() []ruleCase {
	return []ruleCase{
		{"R-GP-ROUTE/care before 2025-09-01 is answered the CPAS as before", func(t *testing.T) {
			wantRoute(t, tarifyGP(t, gp, gpFacts(t, "2025-09-15"), "2025-08-20", "2025-11-15"), RouteCPAS, "BEFORE_2025_09")
		}},
		{"R-GP-ROUTE/care in November under a decision taken in August and kept is answered the CPAS", func(t *testing.T) {
			wantRoute(t, tarifyGP(t, gp, gpFacts(t, "2025-08-01"), "2025-11-20", "2025-12-10"), RouteCPAS, "DECISION_BEFORE_2025_09")
		}},
		{"R-GP-ROUTE/the answer replayed in August, October and November 2025 is answered as the circular says", func(t *testing.T) {
			f := gpFacts(t, "2025-08-01")
			wantRoute(t, tarifyGP(t, gp, f, "2025-08-20", "2025-08-25"), RouteCPAS, "BEFORE_2025_09")
			f = gpFacts(t, "2025-09-15")
			wantRoute(t, tarifyGP(t, gp, f, "2025-10-10", "2025-10-20"), RouteEither, "TRANSITION")
			wantRoute(t, tarifyGP(t, gp, f, "2025-10-10", "2025-11-03"), RouteMediPrima, "MANDATORY")
		}},
		{"R-GP-ROUTE/an exception after 2025-11-01 is answered the CPAS with a justification", func(t *testing.T) {
			r := tarifyGP(t, gp, gpFacts(t, "2025-09-15"), "2025-11-20", "2025-12-10", ExcOutsidePractice)
			wantRoute(t, r, RouteCPASJustified, "EXCEPTION")
			if r.Route.Exception != ExcOutsidePractice {
				t.Fatalf("exception %s", r.Route.Exception)
			}
		}},
		{"R-GP-ROUTE/a GP aged 67 on 2023-01-01 by the provider record is answered the CPAS with a justification", func(t *testing.T) {
			old := gp
			old.BirthDate = MustDate("1956-01-01")
			wantRoute(t, tarifyGP(t, old, gpFacts(t, "2025-09-15"), "2025-11-20", "2025-12-10"), RouteCPASJustified, "EXCEPTION")
			old.BirthDate = MustDate("1956-01-02")
			wantRoute(t, tarifyGP(t, old, gpFacts(t, "2025-09-15"), "2025-11-20", "2025-12-10"), RouteMediPrima, "MANDATORY")
		}},
		{"R-GP-ROUTE/the age exception claimed by a GP under 67 on 2023-01-01 is rejected", func(t *testing.T) {
			r := send(gp, gpFacts(t, "2025-09-15"), ssinEve, cpasA, sendDay, func() InvoiceLine {
				l := line("G1", "2025-11-20", Doctor, "101010")
				l.Exceptions = []GPException{ExcAge67}
				return l
			}())
			lineRejected(t, r, 0, CodeGPException, Info{"exception", "AGE_67"}, Info{"reason", "under67"})
		}},
		{"R-GP-ROUTE/the family-planning derogation on 2026-01-14 is answered either route", func(t *testing.T) {
			wantRoute(t, tarifyGP(t, gp, gpFacts(t, "2025-09-15"), "2026-01-10", "2026-01-14", ExcFamilyPlanning), RouteEither, "FAMILY_PLANNING")
		}},
		{"R-GP-ROUTE/the family-planning derogation on 2026-01-15 is rejected", func(t *testing.T) {
			r := tarifyGP(t, gp, gpFacts(t, "2025-09-15"), "2026-01-10", "2026-01-15", ExcFamilyPlanning)
			if r.Accepted {
				t.Fatalf("accepted with route %+v", r.Route)
			}
			expectMessages(t, r.Messages, []string{CodeGPException}, Info{"reason", "derogationEnded"})
		}},
		{"R-GP-ROUTE/an exception declared by a hospital is rejected", func(t *testing.T) {
			l := line("H1", "2025-12-01", Hospitalization, "768003")
			l.Exceptions = []GPException{ExcForceMajeure}
			lineRejected(t, send(hospital, invoiceFacts(ssinEve, eveDecision(t)), ssinEve, cpasA, sendDay, l), 0,
				CodeGPException, Info{"reason", "notGeneralPractitioner"})
		}},
	}
}
