package rules

import (
	"strings"
	"testing"
)

// TestConsultAtAgreement pins the reading every face shares: the version named, its covers cut
// to the guarantee and to those the provider may invoice, for the parties with a stake only.
func TestConsultAtAgreement(t *testing.T) {
	const hospital, gp = "71012345", "10000000"
	hosp := cover(Hospitalization, "2026-11-01", "2027-01-31")
	hosp.Providers = []string{hospital}
	v1 := content("2026-11-01", "2027-01-31", cover(Doctor, "2026-11-01", "2026-12-10"), hosp,
		cover(Paramedic, "2027-01-01", "2027-01-31"))
	v2 := content("2026-11-01", "2026-12-05", cover(Doctor, "2026-11-01", "2026-12-05"))
	d := decision("000000000001", cpasA, Stopped, v1, v2)
	claims := func(provider string) AgreementClaims {
		return AgreementClaims{Number: "000000000001", Version: 1, Provider: provider, Guarantee: period("2026-12-01", "2026-12-30")}
	}
	kinds := func(r AgreementResult) string {
		var out []string
		for _, cv := range r.Version.Covers {
			out = append(out, string(cv.Kind)+" "+cv.Period.String())
		}
		return strings.Join(out, "; ")
	}

	t.Run("R-CONSULT-AT-AGREEMENT/the managing CPAS is answered with the version named, its covers cut to the guaranteed days", func(t *testing.T) {
		r := ConsultAtAgreement(claims(gp), &d, Asker{Kind: AskManager, ID: cpasA})
		if r.Version == nil || r.Version.Version != 1 || r.Version.Period.End != MustDate("2027-01-31") {
			t.Fatalf("got %+v", r)
		}
		// The designated hospital cover is not the GP's to invoice; the paramedic cover starts after the guarantee.
		if got := kinds(r); got != "doctor 2026-12-01/2026-12-10" {
			t.Fatalf("guaranteed covers %q", got)
		}
		if d.Versions[0].Covers[0].Period.Start != MustDate("2026-11-01") {
			t.Fatal("the stored version was altered")
		}
	})
	t.Run("R-CONSULT-AT-AGREEMENT/the provider it was issued to is answered with its designated cover", func(t *testing.T) {
		r := ConsultAtAgreement(claims(hospital), &d, Asker{Kind: AskProvider, ID: hospital})
		if r.Version == nil {
			t.Fatalf("refused: %v", codes(r.Messages))
		}
		if got := kinds(r); got != "doctor 2026-12-01/2026-12-10; hospitalization 2026-12-01/2026-12-30" {
			t.Fatalf("guaranteed covers %q", got)
		}
	})
	t.Run("R-CONSULT-AT-AGREEMENT/another CPAS is refused", func(t *testing.T) {
		r := ConsultAtAgreement(claims(gp), &d, Asker{Kind: AskManager, ID: cpasB})
		if r.Version != nil || strings.Join(codes(r.Messages), ",") != CodeAgreementParty {
			t.Fatalf("got %+v", r)
		}
	})
	t.Run("R-CONSULT-AT-AGREEMENT/another provider is refused", func(t *testing.T) {
		r := ConsultAtAgreement(claims(gp), &d, Asker{Kind: AskProvider, ID: hospital})
		if r.Version != nil || strings.Join(codes(r.Messages), ",") != CodeAgreementParty {
			t.Fatalf("got %+v", r)
		}
	})
	t.Run("R-CONSULT-AT-AGREEMENT/a version the store never held is refused", func(t *testing.T) {
		c := claims(gp)
		c.Version = 3
		r := ConsultAtAgreement(c, &d, Asker{Kind: AskManager, ID: cpasA})
		if r.Version != nil || strings.Join(codes(r.Messages), ",") != CodeAgreementVoid {
			t.Fatalf("got %+v", r)
		}
	})
}
