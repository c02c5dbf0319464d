package store

import (
	"errors"
	"reflect"
	"testing"

	"github.com/carmed/carmed/rules"
)

func TestVersionsRoundTrip(t *testing.T) {
	b := openTestDB(t)
	v1 := version("000000000001", 1, ssinA, cbeA)
	v2 := version("000000000001", 2, ssinA, cbeA)
	v2.Cause, v2.Status = rules.CauseStop, rules.Stopped
	v2.Suspensions = []rules.Suspension{{Reason: "DEATH", Date: rules.MustDate("2025-06-10")}}
	putVersions(t, b, v1)
	putVersions(t, b, v2)

	err := b.View(func(r Reader) error {
		d, err := r.Decision("000000000001")
		if err != nil {
			return err
		}
		if want := []rules.Version{v1, v2}; !reflect.DeepEqual(d.Versions, want) {
			t.Errorf("read back\n%+v\nwant\n%+v", d.Versions, want)
		}
		if _, err := r.Decision("000000000002"); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown decision: err = %v, want ErrNotFound", err)
		}
		if _, err := r.Decision("12"); !errors.Is(err, ErrNotFound) {
			t.Errorf("malformed number: err = %v, want ErrNotFound", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestVersionsComeBackInNumericOrder(t *testing.T) {
	// 300 versions cross both "9 < 10" (text order would break) and a byte boundary at 256.
	b := openTestDB(t)
	var vs []rules.Version
	for i := 1; i <= 300; i++ {
		vs = append(vs, version("000000000010", i, ssinA, cbeA))
	}
	putVersions(t, b, vs...)
	// Neighbouring decisions must not leak into the walk.
	putVersions(t, b, version("000000000009", 1, ssinB, cbeA), version("000000000011", 1, ssinB, cbeA))

	err := b.View(func(r Reader) error {
		d, err := r.Decision("000000000010")
		if err != nil {
			return err
		}
		if len(d.Versions) != 300 {
			t.Fatalf("got %d versions, want 300", len(d.Versions))
		}
		for i, v := range d.Versions {
			if v.Version != i+1 || v.Number != "000000000010" {
				t.Fatalf("position %d holds decision %s version %d", i, v.Number, v.Version)
			}
		}
		if got := d.Latest().Version; got != 300 {
			t.Errorf("Latest = %d, want 300", got)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestPutVersionRefusals(t *testing.T) {
	tests := []struct {
		name string
		v    rules.Version
	}{
		{"a duplicate of version 1 is refused", version("000000000001", 1, ssinA, cbeA)},
		{"a gap (version 3 after version 1) is refused", version("000000000001", 3, ssinA, cbeA)},
		{"version 2 of a decision that does not exist is refused", version("000000000002", 2, ssinA, cbeA)},
		{"version 0 is refused", version("000000000002", 0, ssinA, cbeA)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := openTestDB(t)
			first := version("000000000001", 1, ssinA, cbeA)
			putVersions(t, b, first)
			person := rules.Person{SSIN: ssinB, LastName: "Voorbeeld", BirthDate: rules.NoDate, DeathDate: rules.NoDate}
			changed := tt.v
			changed.Author = "someone else" // so a wrongly accepted overwrite would show

			err := b.Update(func(w Writer) error {
				if err := w.PutPerson(person); err != nil {
					return err
				}
				return w.PutVersion(changed)
			})
			if !errors.Is(err, ErrVersionConflict) {
				t.Fatalf("err = %v, want ErrVersionConflict", err)
			}
			_ = b.View(func(r Reader) error {
				if _, err := r.Person(ssinB); !errors.Is(err, ErrNotFound) {
					t.Errorf("the person written earlier in the same Update survived the rollback (err = %v)", err)
				}
				d, err := r.Decision("000000000001")
				if err != nil || len(d.Versions) != 1 || !reflect.DeepEqual(d.Versions[0], first) {
					t.Errorf("decision 1 changed: %+v, %v", d.Versions, err)
				}
				if _, err := r.Decision("000000000002"); !errors.Is(err, ErrNotFound) {
					t.Errorf("a refused version left decision 2 behind (err = %v)", err)
				}
				return nil
			})
		})
	}
}

func TestARefusedWriteRollsBackEvenWhenTheCallerIgnoresTheError(t *testing.T) {
	b := openTestDB(t)
	putVersions(t, b, version("000000000001", 1, ssinA, cbeA))
	err := b.Update(func(w Writer) error {
		_ = w.PutPerson(rules.Person{SSIN: ssinB, LastName: "Voorbeeld"})
		_ = w.PutVersion(version("000000000001", 5, ssinA, cbeA)) // refused, error dropped
		return nil
	})
	if !errors.Is(err, ErrVersionConflict) {
		t.Fatalf("Update err = %v, want the swallowed ErrVersionConflict", err)
	}
	_ = b.View(func(r Reader) error {
		if _, err := r.Person(ssinB); !errors.Is(err, ErrNotFound) {
			t.Errorf("the write before the refused one was committed (err = %v)", err)
		}
		return nil
	})
}

func TestIndexes(t *testing.T) {
	b := openTestDB(t)
	putVersions(t, b,
		version("000000000003", 1, ssinA, cbeA),
		version("000000000001", 1, ssinA, cbeB),
		version("000000000002", 1, ssinB, cbeA))

	numbersBySSIN := func(ssin string) []string {
		var out []string
		_ = b.View(func(r Reader) error {
			ds, err := r.DecisionsBySSIN(ssin)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range ds {
				out = append(out, d.Number())
			}
			return nil
		})
		return out
	}
	numbersByCPAS := func(cbe string) []string {
		var out []string
		_ = b.View(func(r Reader) error {
			var err error
			out, err = r.(CPASReader).NumbersByCPAS(cbe)
			return err
		})
		return out
	}
	t.Run("decisions of a person come oldest number first", func(t *testing.T) {
		if got, want := numbersBySSIN(ssinA), []string{"000000000001", "000000000003"}; !reflect.DeepEqual(got, want) {
			t.Errorf("got %v, want %v", got, want)
		}
	})
	t.Run("an unknown person has no decisions", func(t *testing.T) {
		if got := numbersBySSIN("00000000000"); len(got) != 0 {
			t.Errorf("got %v", got)
		}
	})
	t.Run("a CPAS finds the decisions it manages", func(t *testing.T) {
		if got, want := numbersByCPAS(cbeA), []string{"000000000002", "000000000003"}; !reflect.DeepEqual(got, want) {
			t.Errorf("got %v, want %v", got, want)
		}
	})
	t.Run("an SSIN mutation moves the decision to the new SSIN", func(t *testing.T) {
		moved := version("000000000003", 2, ssinB, cbeA)
		moved.Cause, moved.Author = rules.CauseMutation, "MEDIPRIMA"
		// The merge makes it overlap decision 2: suspended, as R-MUT-SSIN requires.
		moved.Status = rules.Suspended
		moved.Suspensions = []rules.Suspension{{Reason: "SSIN_OVERLAP", Date: rules.MustDate("2025-03-01")}}
		putVersions(t, b, moved)
		if got, want := numbersBySSIN(ssinA), []string{"000000000001"}; !reflect.DeepEqual(got, want) {
			t.Errorf("old SSIN: got %v, want %v", got, want)
		}
		if got, want := numbersBySSIN(ssinB), []string{"000000000002", "000000000003"}; !reflect.DeepEqual(got, want) {
			t.Errorf("new SSIN: got %v, want %v", got, want)
		}
		if problems := b.Check(); len(problems) != 0 {
			t.Errorf("Check after the move: %v", problems)
		}
	})
	t.Run("a change of manager moves the decision to the new CPAS", func(t *testing.T) {
		putVersions(t, b, version("000000000003", 3, ssinB, cbeB))
		if got, want := numbersByCPAS(cbeB), []string{"000000000001", "000000000003"}; !reflect.DeepEqual(got, want) {
			t.Errorf("new CPAS: got %v, want %v", got, want)
		}
		if got, want := numbersByCPAS(cbeA), []string{"000000000002"}; !reflect.DeepEqual(got, want) {
			t.Errorf("old CPAS: got %v, want %v", got, want)
		}
	})
}

func TestNextNumber(t *testing.T) {
	b, path := openTemp(t, Options{NoSync: true})
	top := t
	draw := func(b testStore) string {
		var n string
		if err := b.Update(func(w Writer) error {
			var err error
			n, err = w.NextNumber()
			return err
		}); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if got := draw(b); got != "000000000001" {
		t.Fatalf("first number %q, want 000000000001", got)
	}
	t.Run("a rolled-back draw leaves no hole", func(t *testing.T) {
		_ = b.Update(func(w Writer) error {
			_, _ = w.NextNumber()
			return errors.New("request rejected")
		})
		if got := draw(b); got != "000000000002" {
			t.Errorf("got %q, want 000000000002", got)
		}
	})
	t.Run("the counter survives a restart", func(t *testing.T) {
		if err := b.Close(); err != nil {
			t.Fatal(err)
		}
		var err error
		b, err = Open(path, Options{NoSync: true})
		if err != nil {
			t.Fatal(err)
		}
		top.Cleanup(func() { _ = b.Close() })
		if got := draw(b); got != "000000000003" {
			t.Errorf("got %q, want 000000000003", got)
		}
	})
	t.Run("a number written directly is never drawn again", func(t *testing.T) {
		putVersions(t, b, version("000000000500", 1, ssinA, cbeA))
		if got := draw(b); got != "000000000501" {
			t.Errorf("got %q, want 000000000501", got)
		}
	})
}

func TestPutVersionRefusesARecordThatCannotBeIndexed(t *testing.T) {
	tests := []struct {
		name string
		edit func(*rules.Version)
	}{
		{"a number that is not 12 digits", func(v *rules.Version) { v.Number = "1" }},
		{"no beneficiary SSIN", func(v *rules.Version) { v.Beneficiary.SSIN = "" }},
		{"no manager", func(v *rules.Version) { v.Manager = "" }},
	}
	for _, tt := range tests {
		t.Run(tt.name+" is refused", func(t *testing.T) {
			b := openTestDB(t)
			v := version("000000000001", 1, ssinA, cbeA)
			tt.edit(&v)
			if err := b.Update(func(w Writer) error { return w.PutVersion(v) }); err == nil {
				t.Fatal("accepted")
			}
			if n := b.count(t, bucketVersions); n != 0 {
				t.Errorf("%d versions written", n)
			}
		})
	}
}
