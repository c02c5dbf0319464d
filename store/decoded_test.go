package store

import (
	"errors"
	"reflect"
	"testing"

	"github.com/carmed/carmed/rules"
)

// A person read (and so decoded and kept) before a mutation is read as mutated at once: in the
// mutation's own transaction, and in every one after it.
func TestAMutatedPersonIsSeenAtOnce(t *testing.T) {
	s := openTestDB(t)
	p := rules.Person{SSIN: ssinA, LastName: "Exemple", FirstName: "Adam", Gender: "M",
		BirthDate: rules.MustDate("1985-03-14"), DeathDate: rules.NoDate,
		Situations: []rules.Situation{{From: rules.MustDate("2020-01-01"), Kind: rules.SitAsylum, ResidenceINS: "92094"}}}
	if _, err := s.LoadRegistry([]rules.Person{p}); err != nil {
		t.Fatal(err)
	}
	read := func() rules.Person {
		t.Helper()
		var got rules.Person
		if err := s.View(func(r Reader) error {
			var err error
			got, err = r.Person(ssinA)
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return got
	}
	if got := read(); !reflect.DeepEqual(got, p) {
		t.Fatalf("before: got %+v", got)
	}
	// A caller changing what it got must not change what the next one reads.
	got := read()
	got.Situations[0].Kind = rules.SitInsured
	if again := read(); !reflect.DeepEqual(again, p) {
		t.Fatalf("a reader's change leaked into the store's copy: %+v", again)
	}

	mutated := p
	mutated.Situations = []rules.Situation{p.Situations[0], {From: rules.MustDate("2026-01-01"), Kind: rules.SitInsured}}
	mutated.DeathDate = rules.MustDate("2026-02-01")
	if err := s.Update(func(w Writer) error {
		if err := w.PutPerson(mutated); err != nil {
			return err
		}
		in, err := w.Person(ssinA)
		if err != nil {
			return err
		}
		if !reflect.DeepEqual(in, mutated) {
			t.Errorf("in the mutation's transaction: got %+v", in)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if got := read(); !reflect.DeepEqual(got, mutated) {
		t.Errorf("after the mutation: got %+v, want %+v", got, mutated)
	}
}

// A version read inside a transaction that then rolled back is never served for the version
// later written under the same key.
func TestARolledBackVersionIsNotServedLater(t *testing.T) {
	s := openTestDB(t)
	first := version("000000000001", 1, ssinA, cbeA)
	errUndo := errors.New("undo")
	if err := s.Update(func(w Writer) error {
		if err := w.PutVersion(first); err != nil {
			return err
		}
		if _, err := w.Decision(first.Number); err != nil {
			return err
		}
		return errUndo
	}); !errors.Is(err, errUndo) {
		t.Fatalf("Update: %v", err)
	}
	second := version("000000000001", 1, ssinA, cbeB)
	second.Covers[0].Providers = []string{"10987654321"}
	putVersions(t, s, second)
	for range 3 { // decoded, then twice from the cache, each reader changing its copy
		_ = s.View(func(r Reader) error {
			d, err := r.Decision(second.Number)
			if err != nil || len(d.Versions) != 1 || !reflect.DeepEqual(d.Versions[0], second) {
				t.Errorf("got %+v, %v; want %+v", d, err, second)
				return nil
			}
			d.Versions[0].Covers[0].Providers[0] = "changed by a reader"
			*d.Versions[0].Covers[0].MaxPatientPart = 1
			return nil
		})
	}
}
