package rules

// AgreementClaims is what an authentic agreement number says (R-AGREEMENT-30). Package
// agreement checks the number's MAC and reads the claims; the rules only read them, so they
// know no key.
type AgreementClaims struct {
	Number    string // the decision
	Version   int    // the version the provider saw
	Provider  string // NIHII or CBE of the provider it was issued to
	Guarantee Period // the care days it guarantees: period start .. start + 29
}

// Asker is who consults what an agreement guarantees (R-CONSULT-AT-AGREEMENT).
type Asker struct {
	Kind AskerKind
	ID   string // the CPAS's CBE or the provider's NIHII/CBE; empty for AskHarness
}

// AskerKind names the parties with a stake in an agreement, and the harness's admin.
type AskerKind int

const (
	// AskHarness is the admin harness (verifyAgreement): a test tool that checks any number.
	AskHarness AskerKind = iota
	// AskManager is a CPAS: only the decision's managing CPAS gets the content.
	AskManager
	// AskProvider is a provider: only the one the agreement was issued to gets the content.
	AskProvider
)

// AgreementResult is what an agreement guarantees: the version it names with its covers cut to
// the guaranteed days and to those the provider may invoice, or the refusal.
type AgreementResult struct {
	Version  *Version // nil when refused
	Messages []Message
}

// ConsultAtAgreement implements R-CONSULT-AT-AGREEMENT on authentic claims: d is the decision
// the claims name (nil when the store does not hold it). The answer is the version the provider
// saw, as it was written, whatever the CPAS changed since (R-AGREEMENT-30): its covers that
// overlap the guarantee and that the provider may invoice (R-PROVIDERS), each cut to the
// guaranteed days. A party without a stake in the agreement gets no content.
func ConsultAtAgreement(cl AgreementClaims, d *Decision, who Asker) AgreementResult {
	if d == nil || cl.Version < 1 || cl.Version > len(d.Versions) {
		// Authentic, yet never held here (another gateway's store, or one reset since).
		return AgreementResult{Messages: []Message{MsgAgreementVoid(AgreementDecisionUnknown)}}
	}
	stake := false
	switch who.Kind {
	case AskHarness:
		stake = true
	case AskManager:
		stake = who.ID == d.Latest().Manager
	case AskProvider:
		stake = who.ID == cl.Provider
	}
	if !stake {
		return AgreementResult{Messages: []Message{NewMessage(CodeAgreementParty)}}
	}
	v := d.Versions[cl.Version-1]
	v.Content = cloneContent(v.Content)
	v.Suspensions = append([]Suspension(nil), v.Suspensions...)
	g := cl.Guarantee
	covers := v.Covers[:0]
	for _, cv := range v.Covers {
		if !cv.Period.Overlaps(g) || !cv.AllowsProvider(cl.Provider) {
			continue
		}
		cv.Period = Period{Start: max(cv.Period.Start, g.Start), End: min(cv.Period.End, g.End)}
		covers = append(covers, cv)
	}
	v.Covers = covers
	return AgreementResult{Version: &v}
}

// Why an agreement number guarantees nothing (the reason Info of AGREEMENT_VOID).
const (
	AgreementMalformed       = "malformed"       // not an agreement number
	AgreementTampered        = "tampered"        // its MAC does not match: altered or forged
	AgreementUnknownKey      = "unknownKey"      // issued with a key no longer (or never) in the ring
	AgreementDecisionUnknown = "decisionUnknown" // authentic, but this store never held that version
)

// MsgAgreementVoid is the refusal of a number that guarantees nothing, with the reason.
func MsgAgreementVoid(reason string) Message {
	return NewMessage(CodeAgreementVoid, Info{"reason", reason})
}
