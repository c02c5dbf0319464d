package rules

import (
	"fmt"
	"testing"
)

// sendLines is the size of the send BenchmarkControlSend controls: a hospital's month, the
// size the target is stated for (≥ 20,000 lines/s on 2 cores).
const sendLines = 10_000

// BenchmarkControlSend measures every §11 control on a send of 10,000 lines: 500 beneficiaries
// (half of them AMU, each with an attestation), 20 lines each, every third line under an
// agreement, a few lines rejected. It reports lines/s.
func BenchmarkControlSend(b *testing.B) {
	const persons = 500
	f := InvoiceFacts{Decisions: map[string][]Decision{}, Attestations: map[string][]Attestation{}}
	cmd := SendCmd{Provider: hospital, SendID: "BENCH"}
	for i := 0; i < persons; i++ {
		ssin := mkSSIN(fmt.Sprintf("9001%05d", i), false)
		p := regularisedPerson(ssin)
		refund := 3
		if i%2 == 1 {
			p = illegal(ssin)
			refund = 1
			f.Attestations[ssin] = []Attestation{{Number: "U", SSIN: ssin, Period: period("2025-11-01", "2025-11-30")}}
		}
		number := fmt.Sprintf("%012d", i+1)
		d := made(b, p, number, cpasA, MustDate("2025-11-01"),
			decidedOn("2025-11-01", "2025-11-01", "2026-04-30", hospAmb("2025-11-01", "2026-01-31")...))
		f.Decisions[ssin] = []Decision{d}
		inv := Invoice{Ref: fmt.Sprintf("F%04d", i), SSIN: ssin, CPAS: cpasA}
		for j := 0; j < sendLines/persons; j++ {
			l := withRefund(line(fmt.Sprintf("L%05d-%02d", i, j), fmt.Sprintf("2025-11-%02d", j+1), Hospitalization, "768003"), refund)
			if j%3 == 0 {
				l.Agreement = &AgreementCheck{Valid: true, Number: number, Version: 1, Provider: hospital.ID,
					Guarantee: period("2025-11-01", "2025-11-30")}
			}
			if j == 19 {
				l.RefundCode = 9 // rejected: R-CAAMI-COVER-CODE
			}
			inv.Lines = append(inv.Lines, l)
		}
		cmd.Invoices = append(cmd.Invoices, inv)
	}
	today := MustDate("2025-12-10")
	if r := caami.ControlSend(cmd, f, today); r.Accepted != sendLines-persons || r.Rejected != persons {
		b.Fatalf("accepted %d, rejected %d", r.Accepted, r.Rejected)
	}
	b.ReportAllocs()
	for b.Loop() {
		caami.ControlSend(cmd, f, today)
	}
	b.ReportMetric(float64(sendLines)*float64(b.N)/b.Elapsed().Seconds(), "lines/s")
}
