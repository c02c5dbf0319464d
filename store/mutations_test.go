package store

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/carmed/carmed/rules"
)

const ssinC = "93051822361" // a third invented SSIN: the target of SSIN mutations

// logMutations draws a sequence for each mutation and logs it at t0+i minutes, in one transaction.
func logMutations(t testing.TB, b testStore, ms ...rules.Mutation) []rules.Mutation {
	t.Helper()
	out := append([]rules.Mutation(nil), ms...)
	err := b.Update(func(w Writer) error {
		for i := range out {
			seq, err := w.NextMutationSeq()
			if err != nil {
				return err
			}
			out[i].Seq = seq
			if err := w.PutMutation(out[i], t0.Add(time.Duration(i)*time.Minute)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("logging mutations: %v", err)
	}
	return out
}

func TestMutationLog(t *testing.T) {
	b := openTestDB(t)
	name := rules.Mutation{Kind: rules.MutName, SSIN: ssinA, Effective: rules.MustDate("2025-04-01"),
		LastName: "Nouveau", FirstName: "Adam"}
	other := rules.Mutation{Kind: rules.MutDeath, SSIN: ssinB, Effective: rules.MustDate("2025-06-10")}
	move := rules.Mutation{Kind: rules.MutSSIN, SSIN: ssinA, NewSSIN: ssinC, Effective: rules.MustDate("2025-05-01")}
	logged := logMutations(t, b, name, other, move)

	err := b.View(func(r Reader) error {
		for i, m := range logged {
			if m.Seq != uint64(i+1) {
				t.Errorf("mutation %d got sequence %d, want %d (the first is 1)", i, m.Seq, i+1)
			}
			got, at, err := r.Mutation(m.Seq)
			if err != nil || !reflect.DeepEqual(got, m) || !at.Equal(t0.Add(time.Duration(i)*time.Minute)) {
				t.Errorf("Mutation(%d) = %+v, %v, %v; want %+v at +%dmin", m.Seq, got, at, err, m, i)
			}
		}
		tests := []struct {
			name string
			ssin string
			want []rules.Mutation
		}{
			{"a person's history holds its own mutations, oldest first", ssinA, []rules.Mutation{logged[0], logged[2]}},
			{"an SSIN mutation is in the history of the new SSIN too", ssinC, []rules.Mutation{logged[2]}},
			{"another person's mutation stays out", ssinB, []rules.Mutation{logged[1]}},
			{"a person without mutations has an empty history", "00010100105", []rules.Mutation{}},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				got, err := r.MutationsBySSIN(tt.ssin)
				if err != nil || !reflect.DeepEqual(got, tt.want) {
					t.Errorf("got %+v, %v; want %+v", got, err, tt.want)
				}
			})
		}
		if _, _, err := r.Mutation(99); !errors.Is(err, ErrNotFound) {
			t.Errorf("unknown sequence: err = %v, want ErrNotFound", err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestMutationSequence(t *testing.T) {
	b := openTestDB(t)
	draw := func() uint64 {
		t.Helper()
		var seq uint64
		if err := b.Update(func(w Writer) (err error) { seq, err = w.NextMutationSeq(); return err }); err != nil {
			t.Fatal(err)
		}
		return seq
	}
	if got := draw(); got != 1 {
		t.Fatalf("first sequence %d, want 1", got)
	}
	errAbort := errors.New("abort")
	_ = b.Update(func(w Writer) error { _, _ = w.NextMutationSeq(); return errAbort })
	if got := draw(); got != 2 {
		t.Errorf("after a rolled-back draw got %d, want 2 (no hole)", got)
	}
	// An imported mutation above the counter moves the counter past it.
	err := b.Update(func(w Writer) error {
		return w.PutMutation(rules.Mutation{Seq: 40, Kind: rules.MutDeath, SSIN: ssinA}, t0)
	})
	if err != nil {
		t.Fatal(err)
	}
	if got := draw(); got != 41 {
		t.Errorf("after importing sequence 40 got %d, want 41", got)
	}
}

func TestPutMutationRefusals(t *testing.T) {
	tests := []struct {
		name string
		m    rules.Mutation
		want error // nil: any error
	}{
		{"a mutation without a sequence is refused", rules.Mutation{Kind: rules.MutName, SSIN: ssinA}, nil},
		{"a mutation without an SSIN is refused", rules.Mutation{Seq: 5, Kind: rules.MutName}, nil},
		{"a second record under a logged sequence is refused", rules.Mutation{Seq: 1, Kind: rules.MutGender, SSIN: ssinB, Gender: "F"}, ErrAlreadyWritten},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := openTestDB(t)
			first := logMutations(t, b, rules.Mutation{Kind: rules.MutName, SSIN: ssinA, LastName: "Nouveau"})[0]
			err := b.Update(func(w Writer) error { return w.PutMutation(tt.m, t0) })
			if err == nil || (tt.want != nil && !errors.Is(err, tt.want)) {
				t.Fatalf("err = %v, want a refusal (%v)", err, tt.want)
			}
			_ = b.View(func(r Reader) error {
				got, _, err := r.Mutation(1)
				if err != nil || !reflect.DeepEqual(got, first) {
					t.Errorf("mutation 1 changed: %+v, %v", got, err)
				}
				if h, _ := r.MutationsBySSIN(ssinB); len(h) != 0 {
					t.Errorf("a refused mutation entered a history: %+v", h)
				}
				return nil
			})
		})
	}
}
