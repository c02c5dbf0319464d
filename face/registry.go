package face

import (
	"errors"
	"reflect"
	"time"

	"github.com/carmed/carmed/rules"
	"github.com/carmed/carmed/store"
)

// MutateInTx runs one mutation inside an open write transaction: it reads the facts, runs the
// rules and, unless they refuse, writes the person records, the new versions, the notices
// (whose ids it fills in) and the mutation log; m.Seq gets the mutation's id. Nothing of it survives if the caller's
// transaction fails at any point: the mutation and its decision updates are one commit.
func MutateInTx(w store.Writer, eng rules.Engine, m *rules.Mutation, cpas func(string) (rules.CPAS, bool),
	today rules.Date, now time.Time) (rules.MutationResult, error) {
	f := rules.MutationFacts{CPAS: cpas}
	person := func(ssin string) (*rules.Person, error) {
		p, err := w.Person(ssin)
		switch {
		case errors.Is(err, store.ErrNotFound):
			return nil, nil
		case err != nil:
			return nil, err
		}
		return &p, nil
	}
	var err error
	if f.Person, err = person(m.SSIN); err != nil {
		return rules.MutationResult{}, err
	}
	ssins := []string{m.SSIN}
	if m.Kind == rules.MutSSIN && m.NewSSIN != "" && m.NewSSIN != m.SSIN {
		if f.Target, err = person(m.NewSSIN); err != nil {
			return rules.MutationResult{}, err
		}
		ssins = append(ssins, m.NewSSIN)
	}
	for _, ssin := range ssins {
		ds, err := w.DecisionsBySSIN(ssin)
		if err != nil {
			return rules.MutationResult{}, err
		}
		f.Decisions = append(f.Decisions, ds...)
	}
	if m.Seq, err = w.NextMutationSeq(); err != nil {
		return rules.MutationResult{}, err
	}
	res := eng.Mutate(*m, f, today, now)
	if res.Rejected() {
		return res, nil
	}
	if err := w.PutPerson(res.Person); err != nil {
		return res, err
	}
	if res.Replaced != nil {
		if err := w.PutPerson(*res.Replaced); err != nil {
			return res, err
		}
	}
	for _, v := range res.Versions {
		if err := w.PutVersion(v); err != nil {
			return res, err
		}
	}
	if err := w.PutMutation(*m, now); err != nil {
		return res, err
	}
	for i := range res.Notices {
		if err := w.PutNotice(&res.Notices[i]); err != nil {
			return res, err
		}
	}
	return res, nil
}

// LoadPersonsInTx adds persons to the registry inside an open write transaction, for the
// harness's loadRegistry and the console's load form. A person already stored with the same data
// is counted unchanged; one stored with other data stops the load: conflict is its index (≥ 0)
// and the caller must roll back, since only mutations change a person. conflict is -1 otherwise.
func LoadPersonsInTx(w store.Writer, ps []rules.Person) (loaded, unchanged, conflict int, err error) {
	for i, p := range ps {
		old, err := w.Person(p.SSIN)
		switch {
		case errors.Is(err, store.ErrNotFound):
			if err := w.PutPerson(p); err != nil {
				return loaded, unchanged, -1, err
			}
			loaded++
		case err != nil:
			return loaded, unchanged, -1, err
		case reflect.DeepEqual(normalPerson(old), normalPerson(p)):
			unchanged++
		default:
			return loaded, unchanged, i, nil
		}
	}
	return loaded, unchanged, -1, nil
}

// normalPerson makes two records of the same person compare equal whatever their nil/empty slices.
func normalPerson(p rules.Person) rules.Person {
	if len(p.Situations) == 0 {
		p.Situations = nil
	}
	return p
}
