package face

import (
	"github.com/carmed/carmed/agreement"
	"github.com/carmed/carmed/rules"
	"github.com/carmed/carmed/store"
	"github.com/carmed/carmed/trust"
)

// ProviderConsultation is what one provider consultation shows: the rules' answer and, beside
// each view, the agreement number issued for it ("" when none is due).
type ProviderConsultation struct {
	rules.ProviderResult
	Agreements []string // Agreements[i] belongs to Views[i]
}

// ConsultProvider runs a provider's consultation: the beneficiary's facts from the store, the
// rules (R-CONSULT-PROVIDER, R-PROVIDERS, R-SUSPENDED-VIEW, R-RESTRICTION-NEXT-DAY, R-UMA-NUMBER) and the
// agreement numbers due (R-AGREEMENT). The eHealth Consult v2 face and the console's WebConsult
// both answer through it, so a provider never sees in one what the other would not show it.
func ConsultProvider(st store.Store, ts *trust.Store, eng rules.Engine, ring *agreement.Keyring,
	cmd rules.ProviderConsultCmd, today rules.Date) (ProviderConsultation, error) {
	var out ProviderConsultation
	if err := st.View(func(r store.Reader) error {
		f, err := Facts(r, ts, cmd.SSIN)
		if err != nil {
			return err
		}
		// R-UMA-NUMBER: the rules give a full view of an AMU-flagged decision the number of an
		// attestation covering the consulted date.
		if f.Attestations, err = r.AttestationsBySSIN(cmd.SSIN); err != nil {
			return err
		}
		out.ProviderResult = eng.ConsultProvider(cmd, f, today)
		return nil
	}); err != nil {
		return out, err
	}
	out.Agreements = make([]string, len(out.Views))
	for i, v := range out.Views {
		if !v.Full || !v.Agreement {
			continue
		}
		tok, err := ring.Issue(agreement.Claims{Number: v.Version.Number, Version: v.Version.Version,
			Provider: cmd.Provider, PeriodStart: cmd.Period.Start, Consulted: today})
		if err != nil {
			return out, err
		}
		out.Agreements[i] = tok
	}
	return out, nil
}

// ConsultCPAS runs a CPAS consultation (R-CONSULT-CPAS, R-VIEW-OTHER-CPAS) on a store snapshot:
// the console's door; the CPAS face's consultCarmed runs ConsultCPASIn inside its own read.
func ConsultCPAS(st store.Store, ts *trust.Store, eng rules.Engine, cmd rules.ConsultCmd, today rules.Date) (rules.ConsultResult, error) {
	var res rules.ConsultResult
	err := st.View(func(r store.Reader) error {
		var err error
		res, err = ConsultCPASIn(r, ts, eng, cmd, today)
		return err
	})
	return res, err
}

// ConsultCPASIn is ConsultCPAS on an open snapshot: by number with the facts of that decision's
// beneficiary, otherwise with the facts of cmd.SSIN. One body for both, so the console never
// shows a CPAS what its consultCarmed would not.
func ConsultCPASIn(r store.Reader, ts *trust.Store, eng rules.Engine, cmd rules.ConsultCmd, today rules.Date) (rules.ConsultResult, error) {
	var f rules.Facts
	var err error
	if cmd.Mode == rules.ByNumber {
		f, err = DecisionFacts(r, ts, cmd.Number)
	} else {
		f, err = Facts(r, ts, cmd.SSIN)
	}
	if err != nil {
		return rules.ConsultResult{}, err
	}
	return eng.Consult(cmd, f, today), nil
}
