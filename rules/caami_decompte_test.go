package rules

import (
	"testing"
)

// paidSend controls and pays one send of the hospital on day: one invoice to cpas with the lines.
func paidSend(t *testing.T, f InvoiceFacts, id, invoice, cpas, day string, lines ...InvoiceLine) (Payment, []PaidLine) {
	t.Helper()
	cmd := SendCmd{Provider: hospital, SendID: id, Invoices: []Invoice{{Ref: invoice, SSIN: ssinEve, CPAS: cpas, Lines: lines}}}
	res := caami.ControlSend(cmd, f, MustDate(day))
	return Pay(cmd, res, MustDate(day))
}

// monthLines are the lines paid in the split scenario: November to cpasA (two invoices, one line
// rejected), December to cpasB, and one line to cpasA paid in December.
func monthLines(t *testing.T) []PaidLine {
	f := splitFacts(t)
	var all []PaidLine
	add := func(_ Payment, ls []PaidLine) { all = append(all, ls...) }
	agreedLine := func(ref, day string) InvoiceLine {
		return withAgreement(line(ref, day, Hospitalization, "768003"), agreed(hospital.ID))
	}
	add(paidSend(t, f, "S1", "F1", cpasA, "2025-11-25", agreedLine("A1", "2025-11-20"), agreedLine("A2", "2025-11-21"),
		withRefund(agreedLine("A3", "2025-11-22"), 9)))
	add(paidSend(t, f, "S2", "F2", cpasA, "2025-11-28", agreedLine("A4", "2025-11-23")))
	add(paidSend(t, f, "S3", "F3", cpasB, "2025-12-10", line("B1", "2025-12-05", Hospitalization, "768003")))
	add(paidSend(t, f, "S4", "F4", cpasA, "2025-12-02", agreedLine("A5", "2025-11-30")))
	return all
}

func paymentCases() []ruleCase {
	return []ruleCase{
		{"R-PAYMENT/the accepted lines of a send are paid their State part", func(t *testing.T) {
			tf := tariff(t, "768003")
			p, paid := paidSend(t, splitFacts(t), "S1", "F1", cpasB, sendDay,
				line("B1", "2025-12-05", Hospitalization, "768003"), line("B2", "2025-12-06", Hospitalization, "768003"))
			if p.Accepted != 2 || p.Amount != 2*tf.Fee || len(paid) != 2 || p.PaidOn != MustDate(sendDay) {
				t.Fatalf("payment %+v, %d lines", p, len(paid))
			}
			if paid[1].LineRef != "B2" || paid[1].CPAS != cpasB || paid[1].SSIN != ssinEve || paid[1].Amounts.State() != tf.Fee {
				t.Fatalf("paid line %+v", paid[1])
			}
		}},
		{"R-PAYMENT/a rejected line is refused payment and listed with its reason code", func(t *testing.T) {
			tf := tariff(t, "768003")
			p, paid := paidSend(t, splitFacts(t), "S1", "F1", cpasB, sendDay,
				line("B1", "2025-12-05", Hospitalization, "768003"), withRefund(line("B2", "2025-12-06", Hospitalization, "768003"), 9))
			if p.Accepted != 1 || p.Rejected != 1 || p.Amount != tf.Fee || len(paid) != 1 {
				t.Fatalf("payment %+v", p)
			}
			if want := (RejectedLine{InvoiceRef: "F1", LineRef: "B2", Code: CodeRefundMismatch}); len(p.RejectedLines) != 1 || p.RejectedLines[0] != want {
				t.Fatalf("rejected %+v", p.RejectedLines)
			}
		}},
	}
}

func decompteCases() []ruleCase {
	nov := Month(202511)
	return []ruleCase{
		{"R-DECOMPTE/the November statement of a CPAS is answered with every line paid that month for its decisions, by invoice", func(t *testing.T) {
			st := MonthStatement(cpasA, nov, FormatXML, monthLines(t))
			if st.Lines != 3 || len(st.Invoices) != 2 {
				t.Fatalf("%d lines in %d invoices, want 3 in 2", st.Lines, len(st.Invoices))
			}
			if st.Invoices[0].InvoiceRef != "F1" || len(st.Invoices[0].Lines) != 2 || st.Invoices[1].InvoiceRef != "F2" {
				t.Fatalf("invoices %+v", st.Invoices)
			}
			var sum Amounts
			for _, inv := range st.Invoices {
				var s Amounts
				for _, l := range inv.Lines {
					if l.CPAS != cpasA || MonthOf(l.PaidOn) != nov {
						t.Fatalf("line %s of %s paid %s", l.LineRef, l.CPAS, l.PaidOn)
					}
					s.Add(l.Amounts)
				}
				if s.State() != inv.Totals.State() || s.Total() != inv.Totals.Total() {
					t.Fatalf("invoice %s totals %+v, lines sum %+v", inv.InvoiceRef, inv.Totals, s)
				}
				sum.Add(inv.Totals)
			}
			if sum.State() != st.Totals.State() || st.Totals.State()+st.Totals.CPAS+st.Totals.Patient != st.Totals.Total() {
				t.Fatalf("statement totals %+v", st.Totals)
			}
		}},
		{"R-DECOMPTE/a line paid in December or charged to another CPAS is refused from the November statement", func(t *testing.T) {
			for _, inv := range MonthStatement(cpasA, nov, FormatXLSX, monthLines(t)).Invoices {
				for _, l := range inv.Lines {
					if l.LineRef == "A5" || l.LineRef == "B1" || l.LineRef == "A3" {
						t.Fatalf("line %s is in cpasA's November statement", l.LineRef)
					}
				}
			}
		}},
		{"R-DECOMPTE/closing November on 2025-11-30 is rejected as the month is not over", func(t *testing.T) {
			expectMessages(t, CheckCloseMonth(nov, MustDate("2025-11-30")), []string{CodeMonthOpen},
				Info{"month", "2025-11"}, Info{"firstCloseDate", "2025-12-01"})
		}},
		{"R-DECOMPTE/closing November on 2025-12-01 is accepted", func(t *testing.T) {
			if ms := CheckCloseMonth(nov, MustDate("2025-12-01")); ms != nil {
				t.Fatalf("refused: %v", codes(ms))
			}
		}},
		{"R-DECOMPTE/a clock advanced from November to February is answered with the three months to close", func(t *testing.T) {
			got := MonthsToClose(Month(202510), MustDate("2026-02-03"))
			if want := []Month{202511, 202512, 202601}; !equalMonths(got, want) {
				t.Fatalf("months %v, want %v", got, want)
			}
			if got := MonthsToClose(Month(202601), MustDate("2026-02-28")); len(got) != 0 {
				t.Fatalf("nothing to close in the month after the last closed, got %v", got)
			}
		}},
		{"R-DECOMPTE-SPP/the SPP file of November is answered with every accepted line of every CPAS paid that month", func(t *testing.T) {
			lines := monthLines(t)
			spp := SPPFile(nov, lines)
			a := MonthStatement(cpasA, nov, FormatXML, lines)
			b := MonthStatement(cpasB, nov, FormatXML, lines)
			if spp.Lines != a.Lines+b.Lines || spp.Totals.State() != a.Totals.State()+b.Totals.State() || spp.CPAS != "" {
				t.Fatalf("SPP %d lines, CPAS %d + %d", spp.Lines, a.Lines, b.Lines)
			}
			dec := SPPFile(Month(202512), lines)
			cpas := map[string]bool{}
			for _, inv := range dec.Invoices {
				cpas[inv.Lines[0].CPAS] = true
			}
			if dec.Lines != 2 || !cpas[cpasA] || !cpas[cpasB] {
				t.Fatalf("December SPP file: %d lines for %v", dec.Lines, cpas)
			}
		}},
		{"R-DECOMPTE-SPP/a rejected line is refused from the SPP file", func(t *testing.T) {
			for _, inv := range SPPFile(nov, monthLines(t)).Invoices {
				for _, l := range inv.Lines {
					if l.LineRef == "A3" {
						t.Fatal("the rejected line A3 is in the SPP file")
					}
				}
			}
		}},
	}
}

func equalMonths(a, b []Month) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestMonthsParseAndStep(t *testing.T) {
	m, err := ParseMonth("2025-12")
	if err != nil || m != 202512 || m.Next() != 202601 || m.Last() != MustDate("2025-12-31") || m.String() != "2025-12" {
		t.Fatalf("month %v %v", m, err)
	}
	if MonthOf(MustDate("2024-02-29")).Last() != MustDate("2024-02-29") {
		t.Fatal("February of a leap year")
	}
	for _, bad := range []string{"2025-13", "2025-00", "202512", "2025-1x"} {
		if _, err := ParseMonth(bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestTheDemoTariffIsLabelledAndCoversEveryCareType(t *testing.T) {
	tt := DefaultTariffTable()
	if !tt.Demo() || tt.Name() == "" {
		t.Fatal("the shipped tariff must say it holds demo values")
	}
	kinds := map[CoverKind]bool{}
	for _, tf := range tt.Tariffs() {
		kinds[tf.CareType] = true
		if tf.AmiPart() < 0 || tf.Fr == "" || tf.Nl == "" {
			t.Errorf("%s: %+v", tf.Code, tf)
		}
	}
	for _, k := range CoverKinds {
		if !kinds[k] {
			t.Errorf("no tariff for care type %s", k)
		}
	}
}

func TestParseTariffTableRefusesBrokenFiles(t *testing.T) {
	for name, doc := range map[string]string{
		"no demo flag":       `{"name":"x","tariffs":[{"code":"101010","careType":"doctor","fee":10,"patientPart":1,"fr":"a","nl":"b"}]}`,
		"patient above fee":  `{"name":"x","demo":true,"tariffs":[{"code":"101010","careType":"doctor","fee":10,"patientPart":11,"fr":"a","nl":"b"}]}`,
		"five-digit code":    `{"name":"x","demo":true,"tariffs":[{"code":"10101","careType":"doctor","fee":10,"patientPart":1,"fr":"a","nl":"b"}]}`,
		"unknown care type":  `{"name":"x","demo":true,"tariffs":[{"code":"101010","careType":"dentist","fee":10,"patientPart":1,"fr":"a","nl":"b"}]}`,
		"repeated code":      `{"name":"x","demo":true,"tariffs":[{"code":"101010","careType":"doctor","fee":10,"patientPart":1,"fr":"a","nl":"b"},{"code":"101010","careType":"doctor","fee":10,"patientPart":1,"fr":"a","nl":"b"}]}`,
		"missing fee":        `{"name":"x","demo":true,"tariffs":[{"code":"101010","careType":"doctor","patientPart":1,"fr":"a","nl":"b"}]}`,
		"no tariff":          `{"name":"x","demo":false,"tariffs":[]}`,
		"unknown field":      `{"name":"x","demo":true,"extra":1,"tariffs":[]}`,
		"missing nl label":   `{"name":"x","demo":true,"tariffs":[{"code":"101010","careType":"doctor","fee":10,"patientPart":1,"fr":"a"}]}`,
		"trailing data":      `{"name":"x","demo":true,"tariffs":[{"code":"101010","careType":"doctor","fee":10,"patientPart":1,"fr":"a","nl":"b"}]} {}`,
		"negative amounts":   `{"name":"x","demo":true,"tariffs":[{"code":"101010","careType":"doctor","fee":-10,"patientPart":-11,"fr":"a","nl":"b"}]}`,
		"not a JSON object:": `[]`,
	} {
		if _, err := ParseTariffTable([]byte(doc)); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	tt, err := ParseTariffTable([]byte(`{"name":"real","demo":false,"tariffs":[{"code":"101010","careType":"doctor","fee":10,"patientPart":1,"fr":"a","nl":"b"}]}`))
	if err != nil || tt.Demo() {
		t.Fatalf("a real table: %v", err)
	}
	c := NewCaami(tt)
	if tf, ok := c.Tariffs().Lookup("101010"); !ok || tf.Fee != 10 || tf.AmiPart() != 9 {
		t.Fatalf("replaced table not used: %+v", tf)
	}
}
