package store

import (
	"errors"
	"testing"

	"github.com/carmed/carmed/rules"
)

var errInjected = errors.New("injected disk failure")

// applyMutation writes what one mutation writes: the person, a new version, its notice.
func applyMutation(w Writer) error {
	if err := w.PutPerson(rules.Person{SSIN: ssinA, LastName: "Nouveau"}); err != nil {
		return err
	}
	v := version("000000000001", 2, ssinA, cbeA)
	v.Cause, v.Author = rules.CauseMutation, "MEDIPRIMA"
	if err := w.PutVersion(v); err != nil {
		return err
	}
	n := rules.Notice{Manager: cbeA, SSIN: ssinA, Number: "000000000001", Version: 2, Cause: rules.MutName}
	return w.PutNotice(&n)
}

// mutationWrites reports which of applyMutation's three writes are visible.
func mutationWrites(t *testing.T, b testStore) (person, version, notice bool) {
	t.Helper()
	_ = b.View(func(r Reader) error {
		p, err := r.Person(ssinA)
		person = err == nil && p.LastName == "Nouveau"
		d, err := r.Decision("000000000001")
		version = err == nil && len(d.Versions) == 2
		ns, _, err := r.Notices(NoticeQuery{IncludeAcknowledged: true})
		notice = err == nil && len(ns) > 0
		return nil
	})
	return
}

func TestFailAfterLeavesNoHalfAppliedMutation(t *testing.T) {
	tests := []struct {
		name      string
		n         int
		swallow   bool // fn drops the injected error and returns nil
		wantError bool
	}{
		{"a failure at the first write leaves nothing", 0, false, true},
		{"a failure at the second write leaves nothing", 1, false, true},
		{"a failure at the third write leaves nothing", 2, false, true},
		{"a failure the caller swallows still leaves nothing", 2, true, true},
		{"with enough writes allowed everything commits", 3, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := openTestDB(t)
			putVersions(t, b, version("000000000001", 1, ssinA, cbeA))
			err := b.Update(func(w Writer) error {
				err := applyMutation(FailAfter(w, tt.n, errInjected))
				if tt.swallow {
					return nil
				}
				return err
			})
			if tt.wantError != errors.Is(err, errInjected) {
				t.Fatalf("Update err = %v, want injected failure: %v", err, tt.wantError)
			}
			p, v, n := mutationWrites(t, b)
			if all := p && v && n; tt.wantError && (p || v || n) || !tt.wantError && !all {
				t.Errorf("person %v, version %v, notice %v visible afterwards", p, v, n)
			}
			if problems := b.Check(); len(problems) != 0 {
				t.Errorf("check: %v", problems)
			}
		})
	}
}

func TestFailAfterCountsEveryWriteMethodAndNoRead(t *testing.T) {
	writes := []struct {
		name string
		call func(w Writer) error
	}{
		{"NextNumber", func(w Writer) error { _, err := w.NextNumber(); return err }},
		{"PutVersion", func(w Writer) error { return w.PutVersion(version("000000000001", 2, ssinA, cbeA)) }},
		{"PutReply", func(w Writer) error { return w.PutReply(cbeA, "t", Reply{Body: []byte("<a/>")}) }},
		{"PutAudit", func(w Writer) error { return w.PutAudit("000000000001", 1, Audit{}) }},
		{"PutPerson", func(w Writer) error { return w.PutPerson(rules.Person{SSIN: ssinA}) }},
		{"NextMutationSeq", func(w Writer) error { _, err := w.NextMutationSeq(); return err }},
		{"PutMutation", func(w Writer) error { return w.PutMutation(rules.Mutation{Seq: 1, SSIN: ssinA}, t0) }},
		{"PutNotice", func(w Writer) error {
			return w.PutNotice(&rules.Notice{Manager: cbeA, Number: "000000000001", Version: 1})
		}},
		{"AckNotices", func(w Writer) error { _, err := w.AckNotices(cbeA, nil); return err }},
	}
	for i := range writes {
		t.Run("the write after "+writes[i].name+" fails when one write is allowed", func(t *testing.T) {
			b := openTestDB(t)
			putVersions(t, b, version("000000000001", 1, ssinA, cbeA)) // for the audit and the notice
			_ = b.Update(func(w Writer) error {
				f := FailAfter(w, 1, errInjected)
				_, _ = f.Person(ssinA) // reads are not counted
				_, _, _ = f.Notices(NoticeQuery{})
				if err := writes[i].call(f); err != nil {
					t.Fatalf("%s, the allowed write: %v", writes[i].name, err)
				}
				next := writes[(i+1)%len(writes)]
				if err := next.call(f); !errors.Is(err, errInjected) {
					t.Errorf("%s, the second write: err = %v, want the injected failure", next.name, err)
				}
				return nil
			})
		})
	}
}

func TestFailUpdatesCountsAfreshInEachTransaction(t *testing.T) {
	b := openTestDB(t)
	s := FailUpdates(b, 1, errInjected)
	for i := range 2 {
		err := s.Update(func(w Writer) error {
			if err := w.PutPerson(rules.Person{SSIN: ssinA}); err != nil {
				return err
			}
			return w.PutPerson(rules.Person{SSIN: ssinB})
		})
		if !errors.Is(err, errInjected) {
			t.Errorf("transaction %d: err = %v, want the injected failure at its second write", i, err)
		}
	}
	if n := b.count(t, bucketPersons); n != 0 {
		t.Errorf("%d persons stored by failed transactions", n)
	}
}
