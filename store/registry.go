package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"strings"

	"github.com/carmed/carmed/rules"
)

// maxRegistryFile caps one registry fixture file: fixtures are hand-written or generated test
// data, so anything larger is a mistake (a wrong path), not a registry.
const maxRegistryFile = 64 << 20

// Person returns the registry record of ssin.
func (t *txn) Person(ssin string) (rules.Person, error) {
	if ssin == "" {
		return rules.Person{}, ErrNotFound
	}
	raw := t.tx.Bucket(bucketPersons).Get([]byte(ssin))
	if raw == nil {
		return rules.Person{}, ErrNotFound
	}
	return t.dec.person(ssin, raw)
}

// PutPerson writes or replaces the registry record of p.SSIN (loads and harness mutations).
func (t *txn) PutPerson(p rules.Person) error {
	return t.fail(t.putPerson(p))
}

func (t *txn) putPerson(p rules.Person) error {
	if p.SSIN == "" {
		return errors.New("store: person without SSIN")
	}
	raw, err := encode(p)
	if err != nil {
		return err
	}
	return t.tx.Bucket(bucketPersons).Put([]byte(p.SSIN), raw)
}

// LoadReport counts what LoadRegistry did with each fixture person.
type LoadReport struct {
	Added     int // not stored yet: written
	Unchanged int // stored exactly as in the fixture
	Kept      int // stored differently (a mutation changed it): the stored record was kept
}

// LoadRegistry writes the fixture persons that are not stored yet, in one transaction (all or
// none). A stored person is never overwritten: after a mutation the register, not the fixture
// file, is the truth, so reloading fixtures at every start cannot undo a mutation.
func (b *Bolt) LoadRegistry(ps []rules.Person) (LoadReport, error) { return loadRegistry(b, ps) }

// RegistryLoader is a store that loads fixture persons (Bolt and Etcd).
type RegistryLoader interface {
	LoadRegistry(ps []rules.Person) (LoadReport, error)
}

// loadRegistry is LoadRegistry in one transaction of s.
func loadRegistry(s Store, ps []rules.Person) (LoadReport, error) {
	var rep LoadReport
	err := s.Update(func(w Writer) error {
		rep = LoadReport{} // counts of this attempt only
		for i := range ps {
			stored, err := w.Person(ps[i].SSIN)
			switch {
			case errors.Is(err, ErrNotFound):
				if err := w.PutPerson(ps[i]); err != nil {
					return fmt.Errorf("person %d: %w", i, err)
				}
				rep.Added++
			case err != nil:
				return fmt.Errorf("person %d: %w", i, err)
			case samePerson(stored, ps[i]):
				rep.Unchanged++
			default:
				rep.Kept++
			}
		}
		return nil
	})
	if err != nil {
		return LoadReport{}, err
	}
	return rep, nil
}

// samePerson compares two records as stored: an empty and a nil situation list are the same.
func samePerson(a, b rules.Person) bool {
	if len(a.Situations) == 0 && len(b.Situations) == 0 {
		a.Situations, b.Situations = nil, nil
	}
	return reflect.DeepEqual(a, b)
}

// registryFileJSON is the fixture format: {"persons":[…]}.
type registryFileJSON struct {
	Persons []json.RawMessage `json:"persons"`
}

type personJSON struct {
	SSIN       string          `json:"ssin"`
	LastName   string          `json:"lastName"`
	FirstName  string          `json:"firstName"`
	Gender     string          `json:"gender"`
	BirthDate  string          `json:"birthDate"`
	DeathDate  string          `json:"deathDate"`
	Situations []situationJSON `json:"situations"`
}

type situationJSON struct {
	From         string `json:"from"`
	Kind         string `json:"kind"`
	ResidenceINS string `json:"residenceIns"`
}

// LoadRegistryFiles reads every *.json file of dir, in name order. An SSIN may appear only once
// across the files. Errors name the file and the person's index, never the person.
func LoadRegistryFiles(dir string) ([]rules.Person, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("registry: %w", err)
	}
	var all []rules.Person
	seen := map[string]string{} // ssin → "file person i", for duplicate reports
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		path := filepath.Join(dir, e.Name())
		ps, err := loadRegistryFile(path)
		if err != nil {
			return nil, err
		}
		for i, p := range ps {
			where := fmt.Sprintf("%s person %d", path, i)
			if first, dup := seen[p.SSIN]; dup {
				return nil, fmt.Errorf("registry %s: same SSIN as %s", where, first)
			}
			seen[p.SSIN] = where
		}
		all = append(all, ps...)
	}
	return all, nil
}

// ReadRegistryFile reads and checks one fixture file (what LoadRegistryFiles does per file), for
// tools that send persons elsewhere (carmed harness load).
func ReadRegistryFile(path string) ([]rules.Person, error) { return loadRegistryFile(path) }

func loadRegistryFile(path string) ([]rules.Person, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("registry: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxRegistryFile+1))
	if err != nil {
		return nil, fmt.Errorf("registry %s: %w", path, err)
	}
	if len(data) > maxRegistryFile {
		return nil, fmt.Errorf("registry %s: larger than %d bytes", path, maxRegistryFile)
	}
	return parseRegistry(data, "registry "+path)
}

// ParseRegistry reads persons in the fixture format ({"persons":[…]}), checked as the files are
// (the console's load form sends this text). Errors name the person's index, never a value.
func ParseRegistry(data []byte) ([]rules.Person, error) {
	if len(data) > maxRegistryFile {
		return nil, fmt.Errorf("registry: larger than %d bytes", maxRegistryFile)
	}
	return parseRegistry(data, "registry")
}

// parseRegistry checks and converts the fixture text; where starts its errors.
func parseRegistry(data []byte, where string) ([]rules.Person, error) {
	var file registryFileJSON
	if err := decodeStrict(data, &file); err != nil {
		return nil, fmt.Errorf("%s: %s", where, err)
	}
	out := make([]rules.Person, 0, len(file.Persons))
	for i, raw := range file.Persons {
		var pj personJSON
		if err := decodeStrict(raw, &pj); err != nil {
			return nil, fmt.Errorf("%s person %d: %s", where, i, err)
		}
		p, err := pj.person()
		if err != nil {
			return nil, fmt.Errorf("%s person %d: %s", where, i, err)
		}
		out = append(out, p)
	}
	return out, nil
}

// decodeStrict decodes exactly one JSON value with no unknown fields. Its errors say what is
// wrong and where, without echoing values (they may be personal data).
func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return errors.New(jsonProblem(err))
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("unexpected data after the JSON value")
	}
	return nil
}

// person checks one fixture record and converts it.
func (pj personJSON) person() (rules.Person, error) {
	if !rules.ValidSSIN(pj.SSIN) {
		return rules.Person{}, errors.New("ssin is not a valid SSIN (11 digits, mod-97 check)")
	}
	if pj.LastName == "" {
		return rules.Person{}, errors.New("lastName is missing")
	}
	if pj.Gender != "M" && pj.Gender != "F" && pj.Gender != "" {
		return rules.Person{}, errors.New(`gender must be "M", "F" or ""`)
	}
	birth, err := fixtureDate(pj.BirthDate, "birthDate", false)
	if err != nil {
		return rules.Person{}, err
	}
	death, err := fixtureDate(pj.DeathDate, "deathDate", true)
	if err != nil {
		return rules.Person{}, err
	}
	if death.Valid() && death < birth {
		return rules.Person{}, errors.New("deathDate is before birthDate")
	}
	p := rules.Person{SSIN: pj.SSIN, LastName: pj.LastName, FirstName: pj.FirstName, Gender: pj.Gender,
		BirthDate: birth, DeathDate: death}
	for j, sj := range pj.Situations {
		from, err := fixtureDate(sj.From, "from", false)
		if err != nil {
			return rules.Person{}, fmt.Errorf("situation %d: %w", j, err)
		}
		kind := rules.SituationKind(sj.Kind)
		if !rules.KnownSituation(kind) {
			return rules.Person{}, fmt.Errorf("situation %d: unknown kind %q", j, sj.Kind)
		}
		if sj.ResidenceINS != "" && !rules.AllDigits(sj.ResidenceINS, 5) {
			return rules.Person{}, fmt.Errorf("situation %d: residenceIns must be 5 digits", j)
		}
		// SituationOn takes the last one with From ≤ day: the order is the meaning.
		if j > 0 && from <= p.Situations[j-1].From {
			return rules.Person{}, fmt.Errorf("situation %d: from must be after the previous situation's", j)
		}
		p.Situations = append(p.Situations, rules.Situation{From: from, Kind: kind, ResidenceINS: sj.ResidenceINS})
	}
	return p, nil
}

// fixtureDate parses a YYYY-MM-DD field; an empty optional field is NoDate.
func fixtureDate(s, field string, optional bool) (rules.Date, error) {
	if s == "" {
		if optional {
			return rules.NoDate, nil
		}
		return rules.NoDate, fmt.Errorf("%s is missing", field)
	}
	d, err := rules.ParseDate(s)
	if err != nil {
		return rules.NoDate, fmt.Errorf("%s is not a date YYYY-MM-DD", field) // not err: it echoes the value
	}
	return d, nil
}
