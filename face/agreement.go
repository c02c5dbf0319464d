package face

import (
	"errors"

	"github.com/carmed/carmed/agreement"
	"github.com/carmed/carmed/rules"
	"github.com/carmed/carmed/store"
)

// Agreement is what one consultation of an agreement number found: the claims and key id of an
// authentic number (zero when it is not), and the rules' answer for the asker.
type Agreement struct {
	Claims agreement.Claims
	KeyID  string
	rules.AgreementResult
}

// ConsultAgreement is the one reading of an agreement number every face shares
// (R-CONSULT-AT-AGREEMENT, R-AGREEMENT-30): the keyring checks the number, the store gives the
// decision it names, the rules what it guarantees to who. A number that is not authentic is
// answered AGREEMENT_VOID with the reason and never reaches the store.
func ConsultAgreement(r store.Reader, ring *agreement.Keyring, token string, who rules.Asker) (Agreement, error) {
	cl, err := ring.Verify(token)
	if err != nil {
		reason := rules.AgreementMalformed
		switch {
		case errors.Is(err, agreement.ErrUnknownKey):
			reason = rules.AgreementUnknownKey
		case errors.Is(err, agreement.ErrTampered):
			reason = rules.AgreementTampered
		}
		return Agreement{AgreementResult: rules.AgreementResult{Messages: []rules.Message{rules.MsgAgreementVoid(reason)}}}, nil
	}
	out := Agreement{Claims: cl, KeyID: agreement.KeyID(token)}
	var d *rules.Decision
	switch got, err := r.Decision(cl.Number); {
	case err == nil:
		d = &got
	case !errors.Is(err, store.ErrNotFound):
		return out, err
	}
	out.AgreementResult = rules.ConsultAtAgreement(rules.AgreementClaims{Number: cl.Number, Version: cl.Version,
		Provider: cl.Provider, Guarantee: cl.Guarantee()}, d, who)
	return out, nil
}
