package rules

import (
	"slices"
	"sort"
	"strings"
	"time"
)

// ProviderDentist is the provider kind of a dentist (the other kinds are in caami_types.go):
// R-UMA-SEND lets a doctor or a dentist attest urgent medical aid. The kind is new with UMA; the
// trust file and the demo PKI must learn it for a dentist to sign.
const ProviderDentist = "dentist"

// Attestation is an urgent-medical-aid attestation (rules.md §10): a doctor or dentist records
// that care given to a person in illegal stay is urgent medical aid. Written once by a send; a
// delete marks it Deleted and it stays, for the audit, but is never found or counted again.
type Attestation struct {
	Number string // assigned by the store when the send is written
	SSIN   string
	Period Period // the end is the start when the request gave none
	Cover  string // the medical cover, free text as sent
	// Author is the NIHII of the provider whose certificate signed the send: the only one who
	// may delete it (R-UMA-DELETE).
	Author     string
	AuthorKind string    // ProviderDoctor or ProviderDentist
	Parties    []HcParty // the request's Author as sent, shown back in every answer
	Sent       time.Time
	SentOn     Date // the business date of the send
	Deleted    bool
	DeletedAt  time.Time // zero unless Deleted
	DeletedOn  Date      // NoDate unless Deleted
}

// HcParty is one party of an eHealth Author: identifiers (a NIHII with its type URI), first
// names and name.
type HcParty struct {
	IDs        []PartyID
	FirstNames []string
	Name       string
}

// PartyID is one identifier of an HcParty.
type PartyID struct {
	Type  string // e.g. urn:be:fgov:ehealth:1.0:physician:nihii-number
	Value string
}

// UMASendCmd is a SendUrgentMedicalAidAttestation request, already decoded.
type UMASendCmd struct {
	Provider     string // NIHII of the verified signer
	ProviderKind string // the signer's kind from the trust file
	Author       []HcParty
	SSIN         string
	Start        Date // NoDate when absent (the schema requires it; checked again here)
	End          Date // NoDate: the start day only
	Cover        string
}

// UMASearchCmd is a SearchUrgentMedicalAidAttestation request: SSIN and either Number, or a
// period (Start, End; End NoDate = the start day) with an optional Cover.
type UMASearchCmd struct {
	SSIN       string
	Number     string
	Start, End Date
	Cover      string // "" = any cover
}

// UMADeleteCmd is a DeleteUrgentMedicalAidAttestation request.
type UMADeleteCmd struct {
	Provider string // NIHII of the verified signer
	Author   []HcParty
	SSIN     string
	Number   string
}

// UMAResult is the outcome of a send or a delete: the attestation to write (nil when rejected)
// and the messages.
type UMAResult struct {
	Attestation *Attestation
	Messages    []Message
}

// Rejected reports whether any message is an error.
func (r UMAResult) Rejected() bool { return hasError(r.Messages) }

// UMASearchResult lists the attestations found (empty: nothing found) or the rejection.
type UMASearchResult struct {
	Attestations []Attestation
	Messages     []Message
}

// SendAttestation implements R-UMA-SEND: a doctor or dentist, named as the request's author,
// attests for a beneficiary the registry knows, with a start and an end not before it (no end: the
// start day). The attestation comes back without a number: the store assigns it.
func SendAttestation(cmd UMASendCmd, f Facts, today Date, now time.Time) UMAResult {
	if cmd.ProviderKind != ProviderDoctor && cmd.ProviderKind != ProviderDentist {
		return UMAResult{Messages: []Message{NewMessage(CodeUMANotDoctor)}}
	}
	if !namesProvider(cmd.Author, cmd.Provider) {
		return UMAResult{Messages: []Message{NewMessage(CodeUMAAuthor)}}
	}
	if !ValidSSIN(cmd.SSIN) {
		return UMAResult{Messages: []Message{MsgSSINInvalid()}}
	}
	switch {
	case f.Person == nil:
		return UMAResult{Messages: []Message{NewMessage(CodePersonUnknown)}}
	case f.Person.ReplacedBy != "":
		return UMAResult{Messages: []Message{NewMessage(CodePersonReplaced, Info{"newSsin", f.Person.ReplacedBy})}}
	}
	p, msg := umaPeriod(cmd.Start, cmd.End)
	if msg != nil {
		return UMAResult{Messages: []Message{*msg}}
	}
	return UMAResult{Attestation: &Attestation{
		SSIN: cmd.SSIN, Period: p, Cover: cmd.Cover,
		Author: cmd.Provider, AuthorKind: cmd.ProviderKind, Parties: cloneParties(cmd.Author),
		Sent: now, SentOn: today, DeletedOn: NoDate,
	}}
}

// SearchAttestations implements R-UMA-SEARCH over the beneficiary's attestations (deleted ones
// included: they are left out here): by number, or those whose validity meets the period and,
// when a cover is given, whose cover is the same text (case and surrounding spaces aside).
// Earliest start first, then by number.
func SearchAttestations(cmd UMASearchCmd, atts []Attestation) UMASearchResult {
	if !ValidSSIN(cmd.SSIN) {
		return UMASearchResult{Messages: []Message{MsgSSINInvalid()}}
	}
	byNumber, byPeriod := cmd.Number != "", cmd.Start != NoDate
	if byNumber == byPeriod {
		return UMASearchResult{Messages: []Message{NewMessage(CodeUMACriteria)}}
	}
	var p Period
	if byPeriod {
		var msg *Message
		if p, msg = umaPeriod(cmd.Start, cmd.End); msg != nil {
			return UMASearchResult{Messages: []Message{*msg}}
		}
	}
	var out []Attestation
	for _, a := range atts {
		switch {
		case a.Deleted || a.SSIN != cmd.SSIN:
		case byNumber && a.Number == cmd.Number:
			out = append(out, a)
		case byPeriod && a.Period.Overlaps(p) && (cmd.Cover == "" || sameCover(a.Cover, cmd.Cover)):
			out = append(out, a)
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Period.Start != out[j].Period.Start {
			return out[i].Period.Start < out[j].Period.Start
		}
		return out[i].Number < out[j].Number
	})
	return UMASearchResult{Attestations: out}
}

// DeleteAttestation implements R-UMA-DELETE: the attestation's author, named as the request's
// author, deletes a live attestation of the beneficiary. The result is the attestation marked
// deleted, to be written over the stored one (which keeps it for the audit).
func DeleteAttestation(cmd UMADeleteCmd, atts []Attestation, today Date, now time.Time) UMAResult {
	if !namesProvider(cmd.Author, cmd.Provider) {
		return UMAResult{Messages: []Message{NewMessage(CodeUMAAuthor)}}
	}
	if !ValidSSIN(cmd.SSIN) {
		return UMAResult{Messages: []Message{MsgSSINInvalid()}}
	}
	i := slices.IndexFunc(atts, func(a Attestation) bool {
		return a.Number == cmd.Number && a.SSIN == cmd.SSIN && !a.Deleted
	})
	if i < 0 {
		return UMAResult{Messages: []Message{NewMessage(CodeUMAUnknown)}}
	}
	if atts[i].Author != cmd.Provider {
		return UMAResult{Messages: []Message{NewMessage(CodeUMANotAuthor)}}
	}
	a := atts[i]
	a.Parties = cloneParties(a.Parties)
	a.Deleted, a.DeletedAt, a.DeletedOn = true, now, today
	return UMAResult{Attestation: &a}
}

// AttestationNumber implements R-UMA-NUMBER for one decision version as a provider consults it:
// when the version's State part carries the AMU flag, the number of a live attestation of its
// beneficiary whose validity contains on (the consulted date or period start); the most recently
// sent one when several do. "" when there is none or the decision is not AMU-flagged.
func AttestationNumber(v *Version, atts []Attestation, on Date) string {
	if v == nil || !v.State.AMU {
		return ""
	}
	var best *Attestation
	for i := range atts {
		a := &atts[i]
		if a.Deleted || a.SSIN != v.Beneficiary.SSIN || !a.Period.Contains(on) {
			continue
		}
		if best == nil || a.Sent.After(best.Sent) || (a.Sent.Equal(best.Sent) && a.Number > best.Number) {
			best = a
		}
	}
	if best == nil {
		return ""
	}
	return best.Number
}

// umaPeriod reads an attestation or search period: a start is required, an absent end is the
// start day, an end before the start is refused.
func umaPeriod(start, end Date) (Period, *Message) {
	if start == NoDate {
		m := NewMessage(CodeUMANoStart)
		return Period{}, &m
	}
	if end == NoDate {
		end = start
	}
	if end < start {
		m := NewMessage(CodePeriodInverted, infoDate("startDate", start), infoDate("endDate", end))
		return Period{}, &m
	}
	return Period{Start: start, End: end}, nil
}

// namesProvider reports whether an eHealth Author names the signing provider among its
// parties' identifiers: the author of record is the signer, never someone the request names.
func namesProvider(author []HcParty, nihii string) bool {
	if nihii == "" {
		return false
	}
	for _, p := range author {
		for _, id := range p.IDs {
			if strings.TrimSpace(id.Value) == nihii {
				return true
			}
		}
	}
	return false
}

func sameCover(a, b string) bool {
	return strings.EqualFold(strings.TrimSpace(a), strings.TrimSpace(b))
}

func cloneParties(ps []HcParty) []HcParty {
	out := make([]HcParty, len(ps))
	for i, p := range ps {
		out[i] = HcParty{IDs: slices.Clone(p.IDs), FirstNames: slices.Clone(p.FirstNames), Name: p.Name}
	}
	return out
}
