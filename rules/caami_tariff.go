package rules

import (
	_ "embed"
	"errors"
	"fmt"
	"slices"
)

//go:embed tariffs.json
var defaultTariffJSON []byte

// Tariff is one nomenclature code of the tariff table (R-TARIFF): the fee of the care and the
// part of it the patient bears under the AMI rules (ticket modérateur); the AMI part is the rest.
type Tariff struct {
	Code        string    // nomenclature code, 6 digits
	CareType    CoverKind // the cover the care is invoiced under
	Fee         int64     // euro cents
	PatientPart int64     // euro cents, 0..Fee
	Fr, Nl      string
}

// AmiPart is the part of the fee the AMI (here: the State, for MediPrima) refunds before the
// refund code's percentages.
func (t Tariff) AmiPart() int64 { return t.Fee - t.PatientPart }

// TariffTable is the reference data behind R-TARIFF: a small table shipped as tariffs.json and
// replaceable by an operator's file, like the refund-code table. Build it with ParseTariffTable
// or DefaultTariffTable.
type TariffTable struct {
	name   string
	demo   bool
	byCode map[string]Tariff
	codes  []string // file order
}

// Name is the table's name, Demo whether its amounts are labelled demo values.
func (t *TariffTable) Name() string { return t.name }

// Demo reports whether the table says its amounts are demo values, not the INAMI nomenclature.
func (t *TariffTable) Demo() bool { return t.demo }

// Lookup returns the tariff of a nomenclature code.
func (t *TariffTable) Lookup(code string) (Tariff, bool) {
	tf, ok := t.byCode[code]
	return tf, ok
}

// Tariffs returns the rows in file order.
func (t *TariffTable) Tariffs() []Tariff {
	out := make([]Tariff, 0, len(t.codes))
	for _, c := range t.codes {
		out = append(out, t.byCode[c])
	}
	return out
}

// nomenclatureDigits is the length of a nomenclature code (the INAMI codes are six digits).
const nomenclatureDigits = 6

type tariffFile struct {
	Name    string `json:"name"`
	Demo    *bool  `json:"demo"`
	Note    string `json:"note"`
	Tariffs []struct {
		Code        string    `json:"code"`
		CareType    CoverKind `json:"careType"`
		Fee         *int64    `json:"fee"`
		PatientPart *int64    `json:"patientPart"`
		Fr          string    `json:"fr"`
		Nl          string    `json:"nl"`
	} `json:"tariffs"`
}

// ParseTariffTable reads and checks a tariff table: a name and an explicit demo flag, unique
// six-digit codes, a known care type, 0 ≤ patient part ≤ fee, labels in fr and nl, and at least
// one code.
func ParseTariffTable(b []byte) (*TariffTable, error) {
	var doc tariffFile
	if err := decodeTable("tariff table", b, &doc); err != nil {
		return nil, err
	}
	if doc.Name == "" || doc.Demo == nil {
		return nil, errors.New("tariff table: name and demo (true for demo values) are required")
	}
	t := &TariffTable{name: doc.Name, demo: *doc.Demo, byCode: map[string]Tariff{}}
	for i, row := range doc.Tariffs {
		where := fmt.Sprintf("tariff table row %d", i+1)
		switch {
		case !AllDigits(row.Code, nomenclatureDigits):
			return nil, fmt.Errorf("%s: code must be %d digits", where, nomenclatureDigits)
		case t.byCode[row.Code].Code != "":
			return nil, fmt.Errorf("%s: code %s repeated", where, row.Code)
		case !slices.Contains(CoverKinds, row.CareType):
			return nil, fmt.Errorf("%s: unknown care type %q", where, row.CareType)
		case row.Fee == nil || row.PatientPart == nil:
			return nil, fmt.Errorf("%s: fee and patientPart are required", where)
		case *row.Fee < 0 || *row.PatientPart < 0 || *row.PatientPart > *row.Fee:
			return nil, fmt.Errorf("%s: want 0 <= patientPart <= fee (euro cents)", where)
		case row.Fr == "" || row.Nl == "":
			return nil, fmt.Errorf("%s: fr and nl labels are required", where)
		}
		t.byCode[row.Code] = Tariff{Code: row.Code, CareType: row.CareType, Fee: *row.Fee,
			PatientPart: *row.PatientPart, Fr: row.Fr, Nl: row.Nl}
		t.codes = append(t.codes, row.Code)
	}
	if len(t.codes) == 0 {
		return nil, errors.New("tariff table: no tariff")
	}
	return t, nil
}

// DefaultTariffTable is the demo table shipped in tariffs.json.
func DefaultTariffTable() *TariffTable {
	t, err := ParseTariffTable(defaultTariffJSON)
	if err != nil {
		panic("rules: embedded tariffs.json is invalid: " + err.Error()) // caught by the tests
	}
	return t
}
