package rules

import (
	"strings"
	"testing"
)

// Fixtures of the CAAMI tests: decisions made by the engine itself (so their State part is the
// one R-STATE-PART computes), providers, lines.

var caami = NewCaami(nil)

var (
	hospital = ProviderInfo{ID: "71012345", Kind: ProviderHospital, BirthDate: NoDate}
	gp       = ProviderInfo{ID: "19912345004", Kind: ProviderDoctor, BirthDate: MustDate("1970-05-01")}
	ssinEve  = mkSSIN("900101001", false)
	ssinNone = mkSSIN("880202002", false)
)

const (
	numA = "000000000101"
	numB = "000000000102"
)

// regularisedPerson is a person with refund code 3 (the State pays 100/100 everywhere, no AMU).
func regularisedPerson(ssin string) *Person {
	p := legal()
	p.SSIN = ssin
	return p
}

// illegal is a person in illegal stay: refund code 1, AMU.
func illegal(ssin string) *Person {
	p := person()
	p.SSIN = ssin
	return p
}

// asylumOutside is an asylum seeker living outside cpasA's territory: refund code 7, the State
// pays only 50/50 of other care (pharmacy).
func asylumOutside(ssin string) *Person {
	p := person()
	p.SSIN = ssin
	p.Situations = []Situation{{From: MustDate("2020-01-01"), Kind: SitAsylum, ResidenceINS: insB}}
	return p
}

// made is a decision created by the engine on day by manager, numbered number.
func made(t testing.TB, p *Person, number, manager string, day Date, c Content) Decision {
	t.Helper()
	r := engine.Create(CreateCmd{Caller: manager, SSIN: p.SSIN, Content: c}, Facts{Person: p, CPAS: lookupCPAS}, day, day.Time())
	if r.Rejected() || r.Version == nil {
		t.Fatalf("fixture decision refused: %v", codes(r.Messages))
	}
	v := *r.Version
	v.Number = number
	return Decision{Versions: []Version{v}}
}

// decidedOn is content decided on day for a period, with covers.
func decidedOn(day, a, b string, covers ...Cover) Content {
	return Content{DecisionDate: MustDate(day), Period: period(a, b), Covers: covers}
}

// stoppedAt appends to d a version stopped at end, written on day (what stopCarmed writes).
func stoppedAt(d Decision, end, day string) Decision {
	v := *d.Latest()
	v.Content = cloneContent(v.Content)
	v.Version++
	v.Status = Stopped
	v.Cause = CauseStop
	v.WrittenOn = MustDate(day)
	v.Period.End = MustDate(end)
	for i := range v.Covers {
		v.Covers[i].Period.End = min(v.Covers[i].Period.End, v.Period.End)
	}
	d.Versions = append(d.Versions, v)
	return d
}

// line is an invoice line for care on day, stating the tariff's amounts and refund code 3.
func line(ref, day string, kind CoverKind, code string) InvoiceLine {
	l := InvoiceLine{Ref: ref, CareDate: MustDate(day), CareType: kind, Nomenclature: code, RefundCode: 3}
	if tf, ok := caami.Tariffs().Lookup(code); ok {
		l.Stated = &StatedAmounts{Fee: tf.Fee, AmiPart: tf.AmiPart(), PatientPart: tf.PatientPart}
	}
	return l
}

func withRefund(l InvoiceLine, code int) InvoiceLine {
	l.RefundCode = code
	return l
}

func tariff(t *testing.T, code string) Tariff {
	t.Helper()
	tf, ok := caami.Tariffs().Lookup(code)
	if !ok {
		t.Fatalf("the demo tariff has no code %s", code)
	}
	return tf
}

// invoiceFacts are the facts of one or more beneficiaries.
func invoiceFacts(ssin string, ds ...Decision) InvoiceFacts {
	return InvoiceFacts{Decisions: map[string][]Decision{ssin: ds}, Attestations: map[string][]Attestation{}}
}

// send controls one invoice of lines for ssin charged to cpas, on day.
func send(p ProviderInfo, f InvoiceFacts, ssin, cpas, day string, lines ...InvoiceLine) SendResult {
	cmd := SendCmd{Provider: p, SendID: "S1", Invoices: []Invoice{{Ref: "F1", SSIN: ssin, CPAS: cpas, Lines: lines}}}
	return caami.ControlSend(cmd, f, MustDate(day))
}

// lineAccepted fails unless the send's line i is accepted, and returns it.
func lineAccepted(t *testing.T, r SendResult, i int) LineResult {
	t.Helper()
	l := r.Lines[i]
	if !l.Accepted {
		t.Fatalf("line %s: want accepted, got %v %v", l.Ref, codes(l.Messages), infoOf(l.Messages))
	}
	return l
}

// lineRejected fails unless line i is rejected with code and carries the given info pairs.
func lineRejected(t *testing.T, r SendResult, i int, code string, info ...Info) {
	t.Helper()
	l := r.Lines[i]
	if l.Accepted {
		t.Fatalf("line %s: want rejected with %s, got accepted", l.Ref, code)
	}
	expectMessages(t, l.Messages, []string{code}, info...)
}

func infoOf(ms []Message) string {
	var b strings.Builder
	for _, m := range ms {
		for _, i := range m.Info {
			b.WriteString(i.Name + "=" + i.Value + " ")
		}
	}
	return b.String()
}
