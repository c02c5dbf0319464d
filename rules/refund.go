package rules

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
)

//go:embed refundcodes.json
var defaultRefundJSON []byte

// Residence says where an asylum seeker lives relative to the deciding CPAS (rules.md §8).
type Residence string

const (
	ResidenceAny     Residence = ""
	ResidenceInside  Residence = "inside"
	ResidenceOutside Residence = "outside"
)

// RefundMatch selects the situations a refund code applies to. IncomeAboveRI nil and
// Residence "" match either value.
type RefundMatch struct {
	Situation           SituationKind
	IncomeAboveRI       *bool
	Residence           Residence
	NoStateIntervention bool // the one row used for decisions flagged "no State intervention"
}

// RefundCode is one row of the refund-code table.
type RefundCode struct {
	Code                             int
	Match                            RefundMatch
	BeneficiaryStatus                string // "L" or "I"; empty on the no-State row (taken from the registry)
	AMU                              bool
	Mutuality                        bool
	Hospital, Ambulatory, Other      Percent
	JustificationFr, JustificationNl string
}

// RefundTable is the reference data mapping a registry situation and the decision flags to
// the State part (rules.md §8). Build it with ParseRefundTable or DefaultRefundTable.
type RefundTable struct {
	codes   []RefundCode
	noState int // index of the no-State row
}

// Codes returns the table rows in file order.
func (t *RefundTable) Codes() []RefundCode { return append([]RefundCode(nil), t.codes...) }

// situationsWithCode are the registry situations that must map to exactly one row; Fedasil
// has none because no decision may be made (R-FEDASIL).
var situationsWithCode = []SituationKind{SitIllegal, SitRegularised, Sit9ter, SitAsylum, SitStruckOff,
	SitInsured, SitResident}

// refundFile is the JSON shape of the table file.
type refundFile struct {
	Name  string `json:"name"`
	Note  string `json:"note"`
	Codes []struct {
		Code  *int `json:"code"`
		Match struct {
			Situation           SituationKind `json:"situation"`
			IncomeAboveRI       *bool         `json:"incomeAboveRI"`
			Residence           Residence     `json:"residence"`
			NoStateIntervention bool          `json:"noStateIntervention"`
		} `json:"match"`
		Status     string      `json:"status"`
		AMU        bool        `json:"amu"`
		Mutuality  bool        `json:"mutuality"`
		Hospital   *percentDoc `json:"hospital"`
		Ambulatory *percentDoc `json:"ambulatory"`
		Other      *percentDoc `json:"other"`
		Fr         string      `json:"fr"`
		Nl         string      `json:"nl"`
	} `json:"codes"`
}

type percentDoc struct {
	AMI     *int `json:"ami"`
	Patient *int `json:"patient"`
}

// ParseRefundTable reads and checks a refund-code table: unique codes, percentages 0..100,
// status L or I, texts in fr and nl, exactly one no-State row, and every registry situation
// (× income flag × residence) matched by exactly one row, so a lookup never fails or guesses.
func ParseRefundTable(b []byte) (*RefundTable, error) {
	var doc refundFile
	if err := decodeTable("refund table", b, &doc); err != nil {
		return nil, err
	}
	t := &RefundTable{noState: -1}
	seen := map[int]bool{}
	for i, row := range doc.Codes {
		where := fmt.Sprintf("refund table row %d", i+1)
		if row.Code == nil || *row.Code < 0 {
			return nil, fmt.Errorf("%s: code missing or negative", where)
		}
		if seen[*row.Code] {
			return nil, fmt.Errorf("%s: code %d repeated", where, *row.Code)
		}
		seen[*row.Code] = true
		rc := RefundCode{Code: *row.Code, BeneficiaryStatus: row.Status, AMU: row.AMU, Mutuality: row.Mutuality,
			JustificationFr: row.Fr, JustificationNl: row.Nl,
			Match: RefundMatch{Situation: row.Match.Situation, IncomeAboveRI: row.Match.IncomeAboveRI,
				Residence: row.Match.Residence, NoStateIntervention: row.Match.NoStateIntervention}}
		var err error
		if rc.Hospital, err = row.Hospital.percent(); err != nil {
			return nil, fmt.Errorf("%s: hospital: %w", where, err)
		}
		if rc.Ambulatory, err = row.Ambulatory.percent(); err != nil {
			return nil, fmt.Errorf("%s: ambulatory: %w", where, err)
		}
		if rc.Other, err = row.Other.percent(); err != nil {
			return nil, fmt.Errorf("%s: other: %w", where, err)
		}
		if rc.JustificationFr == "" || rc.JustificationNl == "" {
			return nil, fmt.Errorf("%s: fr and nl justifications are required", where)
		}
		switch rc.Match.Residence {
		case ResidenceAny, ResidenceInside, ResidenceOutside:
		default:
			return nil, fmt.Errorf("%s: residence must be inside, outside or absent", where)
		}
		if rc.Match.NoStateIntervention {
			if t.noState >= 0 {
				return nil, fmt.Errorf("%s: a second noStateIntervention row", where)
			}
			if rc.Match.Situation != "" || rc.Match.IncomeAboveRI != nil || rc.Match.Residence != "" {
				return nil, fmt.Errorf("%s: the noStateIntervention row matches nothing else", where)
			}
			t.noState = len(t.codes)
		} else {
			if !knownSituation(rc.Match.Situation) {
				return nil, fmt.Errorf("%s: unknown or missing situation %q", where, rc.Match.Situation)
			}
			if rc.BeneficiaryStatus != "L" && rc.BeneficiaryStatus != "I" {
				return nil, fmt.Errorf("%s: status must be L or I", where)
			}
		}
		t.codes = append(t.codes, rc)
	}
	if t.noState < 0 {
		return nil, errors.New("refund table: no noStateIntervention row")
	}
	for _, s := range situationsWithCode {
		for _, income := range []bool{false, true} {
			for _, inside := range []bool{true, false} {
				if n := len(t.matches(s, income, inside)); n != 1 {
					return nil, fmt.Errorf("refund table: situation %s (incomeAboveRI=%v, inside=%v) matches %d rows, want 1",
						s, income, inside, n)
				}
			}
		}
	}
	return t, nil
}

func (p *percentDoc) percent() (Percent, error) {
	if p == nil || p.AMI == nil || p.Patient == nil {
		return Percent{}, errors.New("ami and patient percentages are required")
	}
	if *p.AMI < 0 || *p.AMI > 100 || *p.Patient < 0 || *p.Patient > 100 {
		return Percent{}, errors.New("percentages must lie in 0..100")
	}
	return Percent{AmiPart: *p.AMI, PatientPart: *p.Patient}, nil
}

func knownSituation(s SituationKind) bool {
	for _, k := range situationsWithCode {
		if k == s {
			return true
		}
	}
	return false
}

// decodeTable decodes one operator table file (refund codes, tariffs) into doc strictly: an
// unknown field or trailing data is a mistake in the file, refused rather than ignored.
func decodeTable(what string, b []byte, doc any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(doc); err != nil {
		return fmt.Errorf("%s: %w", what, err)
	}
	if dec.More() {
		return errors.New(what + ": trailing data after the JSON object")
	}
	return nil
}

// DefaultRefundTable is the table shipped in refundcodes.json.
func DefaultRefundTable() *RefundTable {
	t, err := ParseRefundTable(defaultRefundJSON)
	if err != nil {
		panic("rules: embedded refundcodes.json is invalid: " + err.Error()) // caught by the tests
	}
	return t
}

func (t *RefundTable) matches(s SituationKind, incomeAbove, inside bool) []int {
	var idx []int
	for i, rc := range t.codes {
		m := rc.Match
		if m.NoStateIntervention || m.Situation != s {
			continue
		}
		if m.IncomeAboveRI != nil && *m.IncomeAboveRI != incomeAbove {
			continue
		}
		if (m.Residence == ResidenceInside && !inside) || (m.Residence == ResidenceOutside && inside) {
			continue
		}
		idx = append(idx, i)
	}
	return idx
}

// Lookup returns the row for a registry situation, the income flag and whether the person
// resides inside the deciding CPAS's territory.
func (t *RefundTable) Lookup(s SituationKind, incomeAbove, inside bool) (RefundCode, bool) {
	idx := t.matches(s, incomeAbove, inside)
	if len(idx) != 1 {
		return RefundCode{}, false
	}
	return t.codes[idx[0]], true
}

// NoState is the row used for decisions flagged "no State intervention".
func (t *RefundTable) NoState() RefundCode { return t.codes[t.noState] }

// statePart computes R-STATE-PART from the registry situation on the decision start and the
// flags. cpasINS is the deciding CPAS's municipality ("" when unknown: the person is then
// taken to reside inside, the reading that does not cut the State part on missing data).
func (t *RefundTable) statePart(p *Person, start Date, incomeAbove, noState bool, cpasINS string) (StatePart, []Message) {
	sit, ok := p.SituationOn(start)
	if !ok {
		return StatePart{}, []Message{NewMessage(CodeNoSituation, infoDate("startDate", start))}
	}
	if sit.Kind == SitFedasil {
		return StatePart{}, []Message{NewMessage(CodeFedasilHoused, infoDate("fedasilFrom", sit.From), infoDate("startDate", start))}
	}
	rc, ok := t.Lookup(sit.Kind, incomeAbove, residesInside(sit, cpasINS))
	if !ok {
		return StatePart{}, []Message{NewMessage(CodeRefundUnknown, infoDate("startDate", start))}
	}
	sp := rc.statePart()
	if noState {
		// Code 0: the State pays nothing; status, AMU and mutuality still describe the person.
		sp = t.NoState().statePart()
		sp.BeneficiaryStatus, sp.AMU, sp.Mutuality = rc.BeneficiaryStatus, rc.AMU, rc.Mutuality
	}
	return sp, nil
}

func (rc RefundCode) statePart() StatePart {
	return StatePart{RefundCode: rc.Code, JustificationFr: rc.JustificationFr, JustificationNl: rc.JustificationNl,
		BeneficiaryStatus: rc.BeneficiaryStatus, AMU: rc.AMU, Mutuality: rc.Mutuality,
		Hospital: rc.Hospital, Ambulatory: rc.Ambulatory, Other: rc.Other}
}
