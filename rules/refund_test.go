package rules

import (
	"strings"
	"testing"
)

func TestDefaultRefundTableHasTheCodesOfTheManual(t *testing.T) {
	got := map[int]bool{}
	for _, rc := range DefaultRefundTable().Codes() {
		got[rc.Code] = true
	}
	for _, c := range []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 90} {
		if !got[c] {
			t.Errorf("code %d missing", c)
		}
	}
}

func TestParseRefundTableRejectsBrokenTables(t *testing.T) {
	good := string(defaultRefundJSON)
	cases := []struct {
		name, doc, want string
	}{
		{"a repeated code", strings.Replace(good, `"code": 2,`, `"code": 1,`, 1), "repeated"},
		{"a percentage above 100", strings.Replace(good, `"ami": 50`, `"ami": 150`, 1), "0..100"},
		{"an unknown field", strings.Replace(good, `"note":`, `"nate":`, 1), "unknown field"},
		{"a situation without any row", strings.Replace(good, `"situation": "STRUCK_OFF"`, `"situation": "INSURED"`, 1), "STRUCK_OFF"},
		{"no row for decisions without State intervention", strings.Replace(good, `"noStateIntervention": true`, `"situation": "RESIDENT", "residence": "outside"`, 1), ""},
		{"a status other than L or I", strings.Replace(good, `"status": "I"`, `"status": "X"`, 1), "status"},
		{"not JSON", "codes:", "refund table"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.doc == good {
				t.Fatal("the mutation did not apply")
			}
			_, err := ParseRefundTable([]byte(c.doc))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("err = %v, want it to mention %q", err, c.want)
			}
		})
	}
}

func TestAReplacementTableChangesTheComputedCode(t *testing.T) {
	doc := strings.Replace(string(defaultRefundJSON), `"code": 1,`, `"code": 101,`, 1)
	tab, err := ParseRefundTable([]byte(doc))
	if err != nil {
		t.Fatal(err)
	}
	r := New(tab).Create(CreateCmd{Caller: cpasA, SSIN: ssinAlice, Content: content("2025-03-01", "2025-05-31")},
		facts(person()), today, now)
	if v := accepted(t, r); v.State.RefundCode != 101 {
		t.Fatalf("refund code = %d", v.State.RefundCode)
	}
}
