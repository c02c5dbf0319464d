package rules

import (
	"testing"
	"time"
)

// Providers of the UMA tests: the demo GP, a dentist, a pharmacist.
const (
	umaDentist    = "39912345003"
	umaPharmacist = "29912345006"
	nihiiType     = "urn:be:fgov:ehealth:1.0:physician:nihii-number"
)

func umaAuthor(nihii string) []HcParty {
	return []HcParty{{IDs: []PartyID{{Type: nihiiType, Value: nihii}}, FirstNames: []string{"Jean"}, Name: "Dupont"}}
}

// umaSend is a send by the demo GP for ssinAlice from a to b ("" = no end).
func umaSend(a, b string) UMASendCmd {
	end := NoDate
	if b != "" {
		end = MustDate(b)
	}
	return UMASendCmd{Provider: gpDupont, ProviderKind: ProviderDoctor, Author: umaAuthor(gpDupont), SSIN: ssinAlice,
		Start: MustDate(a), End: end, Cover: "Consultations"}
}

func sendUMA(cmd UMASendCmd, p *Person) UMAResult { return SendAttestation(cmd, facts(p), today, now) }

// stored is an attestation as the store keeps it after a send: numbered, sent at sent.
func stored(number, author, a, b, cover string, sent time.Time) Attestation {
	return Attestation{Number: number, SSIN: ssinAlice, Period: period(a, b), Cover: cover, Author: author,
		AuthorKind: ProviderDoctor, Parties: umaAuthor(author), Sent: sent, SentOn: DateOf(sent), DeletedOn: NoDate}
}

func attNumbers(as []Attestation) []string {
	out := []string{}
	for _, a := range as {
		out = append(out, a.Number)
	}
	return out
}

func sameNumbers(t *testing.T, got []Attestation, want ...string) {
	t.Helper()
	g := attNumbers(got)
	if len(g) != len(want) {
		t.Fatalf("found %v, want %v", g, want)
	}
	for i := range g {
		if g[i] != want[i] {
			t.Fatalf("found %v, want %v", g, want)
		}
	}
}

// amuDecision is an active decision over 2025-01-01..2025-06-30 with a doctor cover, whose State
// part carries the AMU flag when amu is set.
func amuDecision(amu bool) Decision {
	d := decision("000000000001", cpasA, Active, content("2025-01-01", "2025-06-30", cover(Doctor, "2025-01-01", "2025-06-30")))
	d.Versions[0].State.AMU = amu
	return d
}

// consultNumber is the attestation number the demo GP's consultation of p shows for the one decision.
func consultNumber(t *testing.T, p Period, d Decision, atts ...Attestation) string {
	t.Helper()
	f := facts(person(), d)
	f.Attestations = atts
	r := engine.ConsultProvider(ProviderConsultCmd{Provider: gpDupont, ProviderKind: ProviderDoctor, SSIN: ssinAlice, Period: p}, f, today)
	if len(r.Messages) != 0 || len(r.Views) != 1 {
		t.Fatalf("consultation: messages %v, %d views", codes(r.Messages), len(r.Views))
	}
	return r.Views[0].AttestationNumber
}

func umaCases() []ruleCase {
	early := now.Add(-2 * time.Hour)
	a1 := stored("UMA000000000001", gpDupont, "2025-02-01", "2025-02-15", "Consultations", early)
	a2 := stored("UMA000000000002", umaDentist, "2025-02-10", "2025-02-10", "Soins dentaires", early.Add(time.Hour))
	a3 := stored("UMA000000000003", gpDupont, "2025-03-01", "2025-03-31", "consultations ", now)
	gone := stored("UMA000000000004", gpDupont, "2025-02-01", "2025-03-31", "Consultations", now)
	gone.Deleted, gone.DeletedAt, gone.DeletedOn = true, now, today
	all := []Attestation{a1, a2, a3, gone}
	return []ruleCase{
		// R-UMA-SEND
		{"R-UMA-SEND/a doctor's attestation with a period is accepted, without a number yet", func(t *testing.T) {
			r := sendUMA(umaSend("2025-02-20", "2025-03-05"), person())
			a := r.Attestation
			if r.Rejected() || a == nil {
				t.Fatalf("rejected: %v", codes(r.Messages))
			}
			if a.Number != "" || a.SSIN != ssinAlice || a.Period != period("2025-02-20", "2025-03-05") || a.Cover != "Consultations" ||
				a.Author != gpDupont || a.AuthorKind != ProviderDoctor || !a.Sent.Equal(now) || a.SentOn != today || a.Deleted || a.DeletedOn != NoDate {
				t.Fatalf("attestation %+v", a)
			}
			if len(a.Parties) != 1 || a.Parties[0].Name != "Dupont" || a.Parties[0].IDs[0].Value != gpDupont {
				t.Fatalf("author parties %+v", a.Parties)
			}
		}},
		{"R-UMA-SEND/a dentist's attestation is accepted", func(t *testing.T) {
			cmd := umaSend("2025-02-20", "2025-02-20")
			cmd.Provider, cmd.ProviderKind, cmd.Author = umaDentist, ProviderDentist, umaAuthor(umaDentist)
			if r := sendUMA(cmd, person()); r.Rejected() || r.Attestation.Author != umaDentist || r.Attestation.AuthorKind != ProviderDentist {
				t.Fatalf("got %v %+v", codes(r.Messages), r.Attestation)
			}
		}},
		{"R-UMA-SEND/an attestation without an end is accepted for its start day only", func(t *testing.T) {
			r := sendUMA(umaSend("2025-02-20", ""), person())
			if r.Rejected() || r.Attestation.Period != period("2025-02-20", "2025-02-20") {
				t.Fatalf("got %v %+v", codes(r.Messages), r.Attestation)
			}
		}},
		{"R-UMA-SEND/an attestation by a pharmacist is refused", func(t *testing.T) {
			cmd := umaSend("2025-02-20", "")
			cmd.Provider, cmd.ProviderKind, cmd.Author = umaPharmacist, "pharmacy", umaAuthor(umaPharmacist)
			r := sendUMA(cmd, person())
			expectMessages(t, r.Messages, []string{CodeUMANotDoctor})
			if r.Attestation != nil {
				t.Fatal("a refused send still returns an attestation to write")
			}
		}},
		{"R-UMA-SEND/an attestation by a hospital is refused", func(t *testing.T) {
			cmd := umaSend("2025-02-20", "")
			cmd.Provider, cmd.ProviderKind, cmd.Author = hospitalCHR, "hospital", umaAuthor(hospitalCHR)
			expectMessages(t, sendUMA(cmd, person()).Messages, []string{CodeUMANotDoctor})
		}},
		{"R-UMA-SEND/an author other than the signing doctor is refused", func(t *testing.T) {
			cmd := umaSend("2025-02-20", "")
			cmd.Author = umaAuthor(umaDentist)
			expectMessages(t, sendUMA(cmd, person()).Messages, []string{CodeUMAAuthor})
		}},
		{"R-UMA-SEND/an unknown beneficiary is rejected", func(t *testing.T) {
			expectMessages(t, sendUMA(umaSend("2025-02-20", ""), nil).Messages, []string{CodePersonUnknown})
		}},
		{"R-UMA-SEND/a replaced SSIN is rejected and names the new one", func(t *testing.T) {
			p := person()
			p.ReplacedBy = mkSSIN("850730034", false)
			expectMessages(t, sendUMA(umaSend("2025-02-20", ""), p).Messages, []string{CodePersonReplaced}, Info{"newSsin", p.ReplacedBy})
		}},
		{"R-UMA-SEND/an invalid SSIN is rejected as a technical error", func(t *testing.T) {
			cmd := umaSend("2025-02-20", "")
			cmd.SSIN = "85073003300"
			r := sendUMA(cmd, person())
			if len(r.Messages) != 1 || r.Messages[0].Code != CodeSSINInvalid || !r.Messages[0].Technical {
				t.Fatalf("got %+v", r.Messages)
			}
		}},
		{"R-UMA-SEND/an end before the start is rejected", func(t *testing.T) {
			r := sendUMA(umaSend("2025-02-20", "2025-02-19"), person())
			expectMessages(t, r.Messages, []string{CodePeriodInverted}, Info{"startDate", "2025-02-20"}, Info{"endDate", "2025-02-19"})
		}},
		{"R-UMA-SEND/an attestation without a start is rejected", func(t *testing.T) {
			cmd := umaSend("2025-02-20", "2025-02-21")
			cmd.Start = NoDate
			expectMessages(t, sendUMA(cmd, person()).Messages, []string{CodeUMANoStart})
		}},

		// R-UMA-SEARCH
		{"R-UMA-SEARCH/a search by number is answered with that attestation", func(t *testing.T) {
			r := SearchAttestations(UMASearchCmd{SSIN: ssinAlice, Number: "UMA000000000002", Start: NoDate, End: NoDate}, all)
			if len(r.Messages) != 0 {
				t.Fatalf("messages %v", codes(r.Messages))
			}
			sameNumbers(t, r.Attestations, "UMA000000000002")
		}},
		{"R-UMA-SEARCH/a search by period is answered with every attestation meeting it, earliest first, the deleted one left out", func(t *testing.T) {
			r := SearchAttestations(UMASearchCmd{SSIN: ssinAlice, Start: MustDate("2025-02-10"), End: MustDate("2025-03-01")}, []Attestation{a3, gone, a2, a1})
			sameNumbers(t, r.Attestations, "UMA000000000001", "UMA000000000002", "UMA000000000003")
		}},
		{"R-UMA-SEARCH/a search by period without an end is answered for its start day", func(t *testing.T) {
			r := SearchAttestations(UMASearchCmd{SSIN: ssinAlice, Start: MustDate("2025-02-10"), End: NoDate}, all)
			sameNumbers(t, r.Attestations, "UMA000000000001", "UMA000000000002")
		}},
		{"R-UMA-SEARCH/a search by period and cover is answered with that cover only, case and spaces aside", func(t *testing.T) {
			r := SearchAttestations(UMASearchCmd{SSIN: ssinAlice, Start: MustDate("2025-01-01"), End: MustDate("2025-12-31"), Cover: " CONSULTATIONS"}, all)
			sameNumbers(t, r.Attestations, "UMA000000000001", "UMA000000000003")
		}},
		{"R-UMA-SEARCH/a deleted attestation's number is answered with nothing", func(t *testing.T) {
			r := SearchAttestations(UMASearchCmd{SSIN: ssinAlice, Number: gone.Number, Start: NoDate, End: NoDate}, all)
			if len(r.Messages) != 0 || len(r.Attestations) != 0 {
				t.Fatalf("got %v %v", codes(r.Messages), attNumbers(r.Attestations))
			}
		}},
		{"R-UMA-SEARCH/another beneficiary's number is answered with nothing", func(t *testing.T) {
			other := mkSSIN("850730034", false)
			r := SearchAttestations(UMASearchCmd{SSIN: other, Number: a1.Number, Start: NoDate, End: NoDate}, all)
			if len(r.Messages) != 0 || len(r.Attestations) != 0 {
				t.Fatalf("got %v %v", codes(r.Messages), attNumbers(r.Attestations))
			}
		}},
		{"R-UMA-SEARCH/a search without criteria is rejected", func(t *testing.T) {
			r := SearchAttestations(UMASearchCmd{SSIN: ssinAlice, Start: NoDate, End: NoDate}, all)
			expectMessages(t, r.Messages, []string{CodeUMACriteria})
			if len(r.Attestations) != 0 {
				t.Fatal("a rejected search still lists attestations")
			}
		}},
		{"R-UMA-SEARCH/a search by number and period at once is rejected", func(t *testing.T) {
			r := SearchAttestations(UMASearchCmd{SSIN: ssinAlice, Number: a1.Number, Start: MustDate("2025-02-01"), End: NoDate}, all)
			expectMessages(t, r.Messages, []string{CodeUMACriteria})
		}},
		{"R-UMA-SEARCH/a search period ending before its start is rejected", func(t *testing.T) {
			r := SearchAttestations(UMASearchCmd{SSIN: ssinAlice, Start: MustDate("2025-02-10"), End: MustDate("2025-02-09")}, all)
			expectMessages(t, r.Messages, []string{CodePeriodInverted})
		}},
		{"R-UMA-SEARCH/an invalid SSIN is rejected as a technical error", func(t *testing.T) {
			r := SearchAttestations(UMASearchCmd{SSIN: "1", Number: a1.Number, Start: NoDate, End: NoDate}, all)
			if len(r.Messages) != 1 || !r.Messages[0].Technical {
				t.Fatalf("got %+v", r.Messages)
			}
		}},

		// R-UMA-DELETE
		{"R-UMA-DELETE/a delete by the author is accepted and marks the attestation deleted", func(t *testing.T) {
			atts := []Attestation{a1, a2}
			r := DeleteAttestation(UMADeleteCmd{Provider: gpDupont, Author: umaAuthor(gpDupont), SSIN: ssinAlice, Number: a1.Number}, atts, today, now)
			a := r.Attestation
			if r.Rejected() || a == nil || a.Number != a1.Number || !a.Deleted || !a.DeletedAt.Equal(now) || a.DeletedOn != today {
				t.Fatalf("got %v %+v", codes(r.Messages), a)
			}
			if a.Author != gpDupont || a.Period != a1.Period || !a.Sent.Equal(a1.Sent) {
				t.Fatalf("the deleted attestation lost what was sent: %+v", a)
			}
			a.Parties[0].Name = "changed"
			if atts[0].Deleted || atts[0].Parties[0].Name != "Dupont" {
				t.Fatal("the delete changed the attestations it was given")
			}
		}},
		{"R-UMA-DELETE/a deleted attestation is then not found by a search nor counted for a number", func(t *testing.T) {
			r := DeleteAttestation(UMADeleteCmd{Provider: gpDupont, Author: umaAuthor(gpDupont), SSIN: ssinAlice, Number: a1.Number}, []Attestation{a1}, today, now)
			after := []Attestation{*r.Attestation}
			if s := SearchAttestations(UMASearchCmd{SSIN: ssinAlice, Number: a1.Number, Start: NoDate, End: NoDate}, after); len(s.Attestations) != 0 {
				t.Fatalf("search finds %v", attNumbers(s.Attestations))
			}
			if n := consultNumber(t, period("2025-02-05", "2025-02-05"), amuDecision(true), after...); n != "" {
				t.Fatalf("number %q from a deleted attestation", n)
			}
		}},
		{"R-UMA-DELETE/a delete by another doctor is refused", func(t *testing.T) {
			other := "19912399004"
			r := DeleteAttestation(UMADeleteCmd{Provider: other, Author: umaAuthor(other), SSIN: ssinAlice, Number: a1.Number}, all, today, now)
			expectMessages(t, r.Messages, []string{CodeUMANotAuthor})
			if r.Attestation != nil {
				t.Fatal("a refused delete still returns an attestation to write")
			}
		}},
		{"R-UMA-DELETE/a delete whose request names another author than the signer is refused", func(t *testing.T) {
			r := DeleteAttestation(UMADeleteCmd{Provider: gpDupont, Author: umaAuthor(umaDentist), SSIN: ssinAlice, Number: a1.Number}, all, today, now)
			expectMessages(t, r.Messages, []string{CodeUMAAuthor})
		}},
		{"R-UMA-DELETE/a delete of an unknown number is rejected", func(t *testing.T) {
			r := DeleteAttestation(UMADeleteCmd{Provider: gpDupont, Author: umaAuthor(gpDupont), SSIN: ssinAlice, Number: "UMA000000000099"}, all, today, now)
			expectMessages(t, r.Messages, []string{CodeUMAUnknown})
		}},
		{"R-UMA-DELETE/a second delete of the same attestation is rejected", func(t *testing.T) {
			r := DeleteAttestation(UMADeleteCmd{Provider: gpDupont, Author: umaAuthor(gpDupont), SSIN: ssinAlice, Number: gone.Number}, all, today, now)
			expectMessages(t, r.Messages, []string{CodeUMAUnknown})
		}},
		{"R-UMA-DELETE/a delete naming the number with another beneficiary is rejected", func(t *testing.T) {
			r := DeleteAttestation(UMADeleteCmd{Provider: gpDupont, Author: umaAuthor(gpDupont), SSIN: mkSSIN("850730034", false), Number: a1.Number}, all, today, now)
			expectMessages(t, r.Messages, []string{CodeUMAUnknown})
		}},

		// R-UMA-NUMBER
		{"R-UMA-NUMBER/an AMU decision consulted on a day an attestation covers is answered with its number", func(t *testing.T) {
			if n := consultNumber(t, period("2025-02-15", "2025-02-15"), amuDecision(true), all...); n != a1.Number {
				t.Fatalf("number %q, want %s", n, a1.Number)
			}
		}},
		{"R-UMA-NUMBER/of two attestations covering the day the most recently sent is answered", func(t *testing.T) {
			if n := consultNumber(t, period("2025-02-10", "2025-02-10"), amuDecision(true), all...); n != a2.Number {
				t.Fatalf("number %q, want %s", n, a2.Number)
			}
		}},
		{"R-UMA-NUMBER/a consulted period is answered with an attestation covering its start", func(t *testing.T) {
			if n := consultNumber(t, period("2025-03-01", "2025-03-20"), amuDecision(true), all...); n != a3.Number {
				t.Fatalf("number %q, want %s", n, a3.Number)
			}
		}},
		{"R-UMA-NUMBER/an attestation starting after the consulted period's start is refused as the number", func(t *testing.T) {
			if n := consultNumber(t, period("2025-02-20", "2025-03-10"), amuDecision(true), a1, a3); n != "" {
				t.Fatalf("number %q, want none", n)
			}
		}},
		{"R-UMA-NUMBER/a decision without the AMU flag is refused a number", func(t *testing.T) {
			if n := consultNumber(t, period("2025-02-15", "2025-02-15"), amuDecision(false), all...); n != "" {
				t.Fatalf("number %q, want none", n)
			}
		}},
		{"R-UMA-NUMBER/another beneficiary's attestation is refused as the number", func(t *testing.T) {
			x := a1
			x.SSIN = mkSSIN("850730034", false)
			if n := consultNumber(t, period("2025-02-15", "2025-02-15"), amuDecision(true), x); n != "" {
				t.Fatalf("number %q, want none", n)
			}
		}},
		{"R-UMA-NUMBER/an identification-only view (suspended decision) is refused a number", func(t *testing.T) {
			d := amuDecision(true)
			d.Versions[0].Status = Suspended
			d.Versions[0].Suspensions = []Suspension{{Reason: SuspendDeath, Date: MustDate("2025-02-01")}}
			if n := consultNumber(t, period("2025-02-15", "2025-02-15"), d, all...); n != "" {
				t.Fatalf("number %q, want none", n)
			}
		}},
	}
}
