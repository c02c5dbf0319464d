package rules

import (
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestRules groups every rule test under its rule id, so
// `go test -run 'TestRules/R-RETRO-60'` runs one rule.
func TestRules(t *testing.T) {
	for _, group := range [][]ruleCase{
		identityCases(), contentCases(), overlapCases(), stateCases(), managerCases(), versioningCases(),
		stopCases(), closeCases(), revivalCases(), suspendedCases(), consultCases(), viewCases(), simulateCases(),
		registryCases(), coverCases(), reductionCases(), stopSuspendedCases(), visibilityCases(), manualCases(),
		mutationCases(), umaCases(), caamiCases(),
	} {
		for _, c := range group {
			t.Run(c.name, c.run)
		}
	}
}

type ruleCase struct {
	name string
	run  func(t *testing.T)
}

// Fixed clock: tests never read the wall clock.
var (
	today = MustDate("2025-03-01")
	now   = time.Date(2025, 3, 1, 10, 30, 0, 0, time.UTC)
)

// Test identifiers: check digits computed, so the fixtures are valid by construction.
var (
	cpasA     = mkCBE("02120000")
	cpasB     = mkCBE("02130000")
	insA      = "21004"
	insB      = "11002"
	ssinAlice = mkSSIN("850730033", false)
)

func mkCBE(first8 string) string {
	return fmt.Sprintf("%s%02d", first8, 97-num(first8)%97)
}

func mkSSIN(first9 string, born2000 bool) string {
	base := num(first9)
	if born2000 {
		base += 2_000_000_000
	}
	return fmt.Sprintf("%s%02d", first9, 97-base%97)
}

var cpasDir = map[string]CPAS{
	cpasA: {CBE: cpasA, NameFr: "CPAS d'Anvers-Test", NameNl: "OCMW Antwerpen-Test", INS: insA},
	cpasB: {CBE: cpasB, NameFr: "CPAS de Bruxelles-Test", NameNl: "OCMW Brussel-Test", INS: insB},
}

func lookupCPAS(cbe string) (CPAS, bool) {
	c, ok := cpasDir[cbe]
	return c, ok
}

// person is an illegally staying woman known since 2020 (refund code 1 or 2).
func person() *Person {
	return &Person{SSIN: ssinAlice, LastName: "Testlast", FirstName: "Testfirst", Gender: "F",
		BirthDate: MustDate("1985-07-30"), DeathDate: NoDate,
		Situations: []Situation{{From: MustDate("2020-01-01"), Kind: SitIllegal}}}
}

func facts(p *Person, ds ...Decision) Facts {
	return Facts{Person: p, Decisions: ds, CPAS: lookupCPAS}
}

func period(a, b string) Period { return Period{Start: MustDate(a), End: MustDate(b)} }

func cover(k CoverKind, a, b string) Cover {
	return Cover{Kind: k, Period: period(a, b), Support: Support{AmiPart: Nothing, PatientPart: Nothing, Supplement: Nothing}}
}

// content decided today for a period, with the given covers.
func content(a, b string, covers ...Cover) Content {
	return Content{DecisionDate: today, Period: period(a, b), Covers: covers}
}

// decision builds a stored decision with one version per content given (versions 1..n).
func decision(number, manager string, st Status, cs ...Content) Decision {
	d := Decision{}
	for i, c := range cs {
		d.Versions = append(d.Versions, Version{Number: number, Version: i + 1, Manager: manager,
			Beneficiary: person().Beneficiary(), Content: c, Status: Active, Cause: CauseModify,
			Author: manager, Created: now.Add(time.Duration(i-len(cs)) * time.Hour)})
	}
	d.Versions[0].Cause = CauseCreate
	d.Versions[len(d.Versions)-1].Status = st
	return d
}

var engine = New(nil)

func create(p *Person, c Content, ds ...Decision) Result {
	return engine.Create(CreateCmd{Caller: cpasA, SSIN: ssinAlice, Content: c}, facts(p, ds...), today, now)
}

// accepted fails unless r is accepted, and returns the new version.
func accepted(t *testing.T, r Result) *Version {
	t.Helper()
	if r.Rejected() || r.Version == nil {
		t.Fatalf("want accepted, got codes %v", codes(r.Messages))
	}
	return r.Version
}

// rejected fails unless r is rejected with exactly the given codes (in order) and the first
// message carries at least the given info pairs.
func rejected(t *testing.T, r Result, want []string, info ...Info) {
	t.Helper()
	if !r.Rejected() || r.Version != nil {
		t.Fatalf("want rejected with %v, got accepted", want)
	}
	expectMessages(t, r.Messages, want, info...)
}

func expectMessages(t *testing.T, msgs []Message, want []string, info ...Info) {
	t.Helper()
	if got := codes(msgs); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("codes = %v, want %v", got, want)
	}
	for _, w := range info {
		if got, ok := infoValue(msgs[0], w.Name); !ok || got != w.Value {
			t.Errorf("info %s = %q (present %v), want %q; all info %v", w.Name, got, ok, w.Value, msgs[0].Info)
		}
	}
}

func codes(msgs []Message) []string {
	out := []string{}
	for _, m := range msgs {
		out = append(out, m.Code)
	}
	return out
}

func infoValue(m Message, name string) (string, bool) {
	for _, i := range m.Info {
		if i.Name == name {
			return i.Value, true
		}
	}
	return "", false
}

func infoNames(m Message) []string {
	var out []string
	for _, i := range m.Info {
		out = append(out, i.Name)
	}
	return out
}

// legal is a person regularised since 2010 (refund code 3: no AMU, so no 92-day limit), for
// tests whose dates lie before 2020 or whose covers run longer than 92 days.
func legal() *Person {
	p := person()
	p.Situations = []Situation{{From: MustDate("2010-01-01"), Kind: SitRegularised}}
	return p
}

// shares returns cv with the three CPAS shares set.
func shares(cv Cover, ami, patient, supplement Share) Cover {
	cv.Support.AmiPart, cv.Support.PatientPart, cv.Support.Supplement = ami, patient, supplement
	return cv
}

func cents(v int64) *int64 { return &v }

func flag(v bool) *bool { return &v }

// createOn is a create by cpasA on business day day.
func createOn(p *Person, day Date, c Content, ds ...Decision) Result {
	return engine.Create(CreateCmd{Caller: cpasA, SSIN: ssinAlice, Content: c}, facts(p, ds...), day, now)
}

// modifyOn is a modify by cpasA of decision num1 on business day day.
func modifyOn(p *Person, day Date, base int, c Content, ds ...Decision) Result {
	return engine.Modify(ModifyCmd{Caller: cpasA, Number: num1, BaseVersion: base, Action: ActionModify, Content: c},
		facts(p, ds...), day, now)
}

// decided returns c with another decision date.
func decided(c Content, day string) Content {
	c.DecisionDate = MustDate(day)
	return c
}

// hospAmb is the hospitalisation cover with the ambulatory cover R-HOSP-AMB pairs it with.
func hospAmb(a, b string) []Cover {
	return []Cover{cover(Hospitalization, a, b), cover(AmbulatoryHospitalization, a, b)}
}
