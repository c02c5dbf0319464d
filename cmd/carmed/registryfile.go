package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"

	gh "github.com/carmed/carmed/gen/harness"
	"github.com/carmed/carmed/rules"
)

// maxLoadPersons is the schema's maxOccurs of person in loadRegistryRequest: one load is one
// all-or-nothing transaction, so a bigger file is split by the user, not silently here.
const maxLoadPersons = 1000

// registryFile is the fixture format of testdata/registry (README there). The gateway makes the
// registry checks on load; this side only refuses what the harness schema cannot carry, with
// errors that name the person's position and field, never a value.
type registryFile struct {
	Persons []registryPerson `json:"persons"`
}

type registryPerson struct {
	SSIN       string              `json:"ssin"`
	LastName   string              `json:"lastName"`
	FirstName  string              `json:"firstName"`
	Gender     string              `json:"gender"`
	BirthDate  string              `json:"birthDate"`
	DeathDate  string              `json:"deathDate"`
	Situations []registrySituation `json:"situations"`
}

type registrySituation struct {
	From         string `json:"from"`
	Kind         string `json:"kind"`
	ResidenceIns string `json:"residenceIns"`
}

// readRegistryFile reads a fixture file into harness persons.
func readRegistryFile(path string) ([]gh.PersonType, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var f registryFile
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil {
		return nil, fmt.Errorf("%s: not a registry file: %v", path, jsonReason(err))
	}
	if dec.Decode(&struct{}{}) != io.EOF {
		return nil, fmt.Errorf("%s: not a registry file: data after the object", path)
	}
	switch {
	case len(f.Persons) == 0:
		return nil, fmt.Errorf("%s: no persons", path)
	case len(f.Persons) > maxLoadPersons:
		return nil, fmt.Errorf("%s: %d persons, at most %d per load: split the file", path, len(f.Persons), maxLoadPersons)
	}
	out := make([]gh.PersonType, 0, len(f.Persons))
	for i, p := range f.Persons {
		wp, err := p.wire()
		if err != nil {
			return nil, fmt.Errorf("%s: person %d: %w", path, i, err)
		}
		out = append(out, wp)
	}
	return out, nil
}

// jsonReason keeps a decoding error's kind and position but not the offending text.
func jsonReason(err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		return fmt.Sprintf("syntax error at byte %d", se.Offset)
	case errors.As(err, &te):
		return fmt.Sprintf("field %s has the wrong type", te.Field)
	}
	return err.Error() // unknown field names and EOF: no personal data
}

func (p registryPerson) wire() (gh.PersonType, error) {
	if !rules.ValidSSIN(p.SSIN) {
		return gh.PersonType{}, errors.New("ssin is not 11 digits with valid check digits")
	}
	if p.LastName == "" {
		return gh.PersonType{}, errors.New("lastName is empty")
	}
	out := gh.PersonType{Ssin: gh.SsinType(p.SSIN), LastName: p.LastName, BirthDate: gh.Date(p.BirthDate)}
	if err := out.BirthDate.Validate(); err != nil {
		return out, errors.New("birthDate is not YYYY-MM-DD")
	}
	if p.FirstName != "" {
		fn := p.FirstName
		out.FirstName = &fn
	}
	switch p.Gender {
	case "":
	case "M", "F":
		g := gh.GenderType(p.Gender)
		out.Gender = &g
	default:
		return out, errors.New(`gender is not "M", "F" or ""`)
	}
	if p.DeathDate != "" {
		d := gh.Date(p.DeathDate)
		if err := d.Validate(); err != nil {
			return out, errors.New("deathDate is not YYYY-MM-DD")
		}
		out.DeathDate = &d
	}
	for j, s := range p.Situations {
		st := gh.SituationType{From: gh.Date(s.From), Kind: gh.SituationKindType(s.Kind)}
		if err := st.From.Validate(); err != nil {
			return out, fmt.Errorf("situation %d: from is not YYYY-MM-DD", j)
		}
		if !validSituationKind(s.Kind) {
			return out, fmt.Errorf("situation %d: unknown kind", j)
		}
		if s.ResidenceIns != "" {
			if !digits(s.ResidenceIns, 5) {
				return out, fmt.Errorf("situation %d: residenceIns is not 5 digits", j)
			}
			ins := gh.InsCodeType(s.ResidenceIns)
			st.ResidenceIns = &ins
		}
		out.Situation = append(out.Situation, st)
	}
	return out, nil
}

// situationKinds are the schema's SituationKindType values.
var situationKinds = []gh.SituationKindType{gh.SituationKindTypeILLEGAL, gh.SituationKindTypeREGULARISED,
	gh.SituationKindType9TER, gh.SituationKindTypeASYLUM, gh.SituationKindTypeSTRUCK_OFF, gh.SituationKindTypeINSURED,
	gh.SituationKindTypeRESIDENT, gh.SituationKindTypeFEDASIL}

func validSituationKind(k string) bool {
	for _, v := range situationKinds {
		if string(v) == k {
			return true
		}
	}
	return false
}

// digits reports whether s is exactly n ASCII digits.
func digits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
