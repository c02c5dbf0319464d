package store

import (
	"errors"
	"fmt"
	"reflect"
	"testing"

	"github.com/carmed/carmed/rules"
)

// notice builds a notice to cbe about version 1 of decision number.
func notice(number, cbe string) rules.Notice {
	return rules.Notice{Manager: cbe, SSIN: ssinA, Number: number, Version: 1, Status: rules.Suspended,
		Cause: rules.MutDeath, Effective: rules.MustDate("2025-06-10"),
		Suspension: &rules.Suspension{Reason: "DEATH", Date: rules.MustDate("2025-06-11")},
		Actions:    []rules.NextAction{{Action: rules.NextStop, MinStopDate: rules.MustDate("2025-06-10"), MaxStopDate: rules.MustDate("2025-06-10")}},
		Created:    t0, WrittenOn: rules.MustDate("2025-03-01")}
}

// putNotices writes version 1 of decision 1 (cbeA) and 2 (cbeB) if missing, then the notices in
// one transaction, and returns them with their ids.
func putNotices(t testing.TB, b testStore, ns ...rules.Notice) []rules.Notice {
	t.Helper()
	out := append([]rules.Notice(nil), ns...)
	err := b.Update(func(w Writer) error {
		for _, v := range []rules.Version{version("000000000001", 1, ssinA, cbeA), version("000000000002", 1, ssinB, cbeB)} {
			if _, err := w.Decision(v.Number); errors.Is(err, ErrNotFound) {
				if err := w.PutVersion(v); err != nil {
					return err
				}
			}
		}
		for i := range out {
			if err := w.PutNotice(&out[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("PutNotice: %v", err)
	}
	return out
}

// listNotices runs one Notices query and fails the test on error.
func listNotices(t testing.TB, b testStore, q NoticeQuery) ([]rules.Notice, bool) {
	t.Helper()
	var ns []rules.Notice
	var more bool
	if err := b.View(func(r Reader) (err error) { ns, more, err = r.Notices(q); return err }); err != nil {
		t.Fatalf("Notices(%+v): %v", q, err)
	}
	return ns, more
}

func ids(ns []rules.Notice) []string {
	out := []string{}
	for _, n := range ns {
		out = append(out, n.ID)
	}
	return out
}

func TestPutNoticeAssignsIDsAndKeepsTheRecord(t *testing.T) {
	b, path := openTemp(t, Options{NoSync: true})
	ns := putNotices(t, b, notice("000000000001", cbeA), notice("000000000002", cbeB))
	if got := ids(ns); !reflect.DeepEqual(got, []string{"000000000001", "000000000002"}) {
		t.Errorf("ids %v, want 12 digits counting from 1", got)
	}
	more := putNotices(t, b, notice("000000000001", cbeA))
	if more[0].ID != "000000000003" {
		t.Errorf("a notice in a later transaction got id %s, want 000000000003", more[0].ID)
	}

	// A notice survives a restart, still pending, field for field.
	if err := b.Close(); err != nil {
		t.Fatal(err)
	}
	b2, err := Open(path, Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer b2.Close()
	got, _ := listNotices(t, b2, NoticeQuery{Manager: cbeA})
	if want := []rules.Notice{ns[0], more[0]}; !reflect.DeepEqual(got, want) {
		t.Errorf("after reopening, pending for CPAS A:\n%+v\nwant\n%+v", got, want)
	}
}

func TestPutNoticeRefusals(t *testing.T) {
	withID := notice("000000000001", cbeA)
	withID.ID = "000000000007"
	noManager := notice("000000000001", "")
	noVersion := notice("000000000001", cbeA)
	noVersion.Version = 2
	tests := []struct {
		name string
		n    rules.Notice
	}{
		{"a notice about a version that does not exist is refused", noVersion},
		{"a notice without a manager is refused", noManager},
		{"a notice that already has an id is refused", withID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := openTestDB(t)
			putNotices(t, b) // decisions only
			n := tt.n
			err := b.Update(func(w Writer) error { return w.PutNotice(&n) })
			if err == nil {
				t.Fatal("accepted")
			}
			if n.ID != tt.n.ID {
				t.Errorf("a refused notice got id %q", n.ID)
			}
			if all, _ := listNotices(t, b, NoticeQuery{IncludeAcknowledged: true}); len(all) != 0 {
				t.Errorf("a refused notice was stored: %+v", all)
			}
		})
	}
}

func TestNoticeListings(t *testing.T) {
	b := openTestDB(t)
	acked := notice("000000000001", cbeA)
	acked.Acknowledged = true // stored as already acknowledged: never pending
	ns := putNotices(t, b, notice("000000000001", cbeA), notice("000000000002", cbeB), notice("000000000001", cbeA),
		acked, notice("000000000002", cbeB))
	tests := []struct {
		name string
		q    NoticeQuery
		want []string
	}{
		{"a CPAS's pending list excludes other CPAS's notices", NoticeQuery{Manager: cbeA}, []string{ns[0].ID, ns[2].ID}},
		{"the harness view lists every CPAS's pending notices", NoticeQuery{}, []string{ns[0].ID, ns[1].ID, ns[2].ID, ns[4].ID}},
		{"acknowledged notices are listed only on request", NoticeQuery{Manager: cbeA, IncludeAcknowledged: true},
			[]string{ns[0].ID, ns[2].ID, ns[3].ID}},
		{"the harness view with acknowledged notices lists everything", NoticeQuery{IncludeAcknowledged: true}, ids(ns)},
		{"a CPAS without notices has an empty list", NoticeQuery{Manager: "0999999999"}, []string{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, more := listNotices(t, b, tt.q)
			if !reflect.DeepEqual(ids(got), tt.want) || more {
				t.Errorf("got %v (more %v), want %v", ids(got), more, tt.want)
			}
		})
	}
}

func TestNoticeLimit(t *testing.T) {
	b := openTestDB(t)
	var batch []rules.Notice
	for i := 0; i < MaxNoticeLimit+2; i++ {
		batch = append(batch, notice("000000000001", cbeA))
	}
	batch = append(batch, notice("000000000002", cbeB)) // the newest: not cbeA's
	ns := putNotices(t, b, batch...)
	tests := []struct {
		name     string
		q        NoticeQuery
		wantN    int
		wantMore bool
	}{
		{"a limit below the match count cuts the list and says more", NoticeQuery{Manager: cbeA, Limit: 2}, 2, true},
		{"no limit means the default page", NoticeQuery{Manager: cbeA}, DefaultNoticeLimit, true},
		{"a limit above the maximum is capped", NoticeQuery{Manager: cbeA, Limit: 5000}, MaxNoticeLimit, true},
		{"the harness view is paged too", NoticeQuery{Limit: 3}, 3, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, more := listNotices(t, b, tt.q)
			if len(got) != tt.wantN || more != tt.wantMore {
				t.Fatalf("got %d notices (more %v), want %d (more %v)", len(got), more, tt.wantN, tt.wantMore)
			}
			if want := ids(ns[:tt.wantN]); !reflect.DeepEqual(ids(got), want) {
				t.Errorf("not the oldest %d in id order", tt.wantN)
			}
		})
	}
	t.Run("a page that holds every match says no more, even with other CPAS's notices after it", func(t *testing.T) {
		b := openTestDB(t)
		ns := putNotices(t, b, notice("000000000001", cbeA), notice("000000000001", cbeA), notice("000000000002", cbeB))
		for _, q := range []NoticeQuery{{Manager: cbeA, Limit: 2}, {Manager: cbeA, Limit: 2, IncludeAcknowledged: true}} {
			got, more := listNotices(t, b, q)
			if !reflect.DeepEqual(ids(got), ids(ns[:2])) || more {
				t.Errorf("%+v: got %v (more %v), want %v and no more", q, ids(got), more, ids(ns[:2]))
			}
		}
	})
}

func TestAckNotices(t *testing.T) {
	// snapshot is every notice record and pending entry, to prove that nothing changed.
	snapshot := func(b testStore) map[string]string {
		out := map[string]string{}
		b.rawUpdate(t, func(tx kvTx) error {
			for _, name := range [][]byte{bucketNotices, bucketNoticesPending} {
				_ = tx.Bucket(name).ForEach(func(k, v []byte) error {
					out[fmt.Sprintf("%s/%x", name, k)] = string(v)
					return nil
				})
			}
			return nil
		})
		return out
	}
	tests := []struct {
		name        string
		cbe         string
		ack         func(ns []rules.Notice) []string
		wantUnknown func(ns []rules.Notice) []string
		// wantPendingA are the positions of cbeA's notices still pending afterwards
		wantPendingA []int
	}{
		{"the manager's acknowledgement drops the notice from its pending list", cbeA,
			func(ns []rules.Notice) []string { return []string{ns[0].ID} }, nil, []int{2}},
		{"acknowledging twice in one call is harmless", cbeA,
			func(ns []rules.Notice) []string { return []string{ns[0].ID, ns[0].ID, ns[2].ID} }, nil, nil},
		{"another CPAS's acknowledgement changes nothing and names the id unknown", cbeB,
			func(ns []rules.Notice) []string { return []string{ns[0].ID} },
			func(ns []rules.Notice) []string { return []string{ns[0].ID} }, []int{0, 2}},
		{"one foreign id in the list changes nothing for the others", cbeA,
			func(ns []rules.Notice) []string { return []string{ns[0].ID, ns[1].ID, ns[2].ID} },
			func(ns []rules.Notice) []string { return []string{ns[1].ID} }, []int{0, 2}},
		{"ids that do not exist or are malformed are unknown, once each", cbeA,
			func(ns []rules.Notice) []string { return []string{ns[0].ID, "000000000099", "x", "000000000099"} },
			func(ns []rules.Notice) []string { return []string{"000000000099", "x"} }, []int{0, 2}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := openTestDB(t)
			ns := putNotices(t, b, notice("000000000001", cbeA), notice("000000000002", cbeB), notice("000000000001", cbeA))
			before := snapshot(b)
			var unknown []string
			err := b.Update(func(w Writer) (err error) {
				unknown, err = w.AckNotices(tt.cbe, tt.ack(ns))
				return err
			})
			if err != nil {
				t.Fatalf("AckNotices: %v", err)
			}
			var want []string
			if tt.wantUnknown != nil {
				want = tt.wantUnknown(ns)
			}
			if !reflect.DeepEqual(unknown, want) {
				t.Errorf("unknown = %v, want %v", unknown, want)
			}
			if want != nil && !reflect.DeepEqual(snapshot(b), before) {
				t.Errorf("a refused acknowledgement changed the stored notices")
			}
			pending, _ := listNotices(t, b, NoticeQuery{Manager: cbeA})
			wantPending := []string{}
			for _, i := range tt.wantPendingA {
				wantPending = append(wantPending, ns[i].ID)
			}
			if !reflect.DeepEqual(ids(pending), wantPending) {
				t.Errorf("CPAS A's pending list %v, want %v", ids(pending), wantPending)
			}
			all, _ := listNotices(t, b, NoticeQuery{IncludeAcknowledged: true})
			for i, n := range all {
				stillPending := false
				for _, p := range pending {
					stillPending = stillPending || p.ID == n.ID
				}
				if n.Manager == cbeA && n.Acknowledged == stillPending {
					t.Errorf("notice %s: Acknowledged = %v but pending = %v", n.ID, n.Acknowledged, stillPending)
				}
				if n.Manager == cbeB && n.Acknowledged {
					t.Errorf("CPAS B's notice %d was acknowledged", i)
				}
			}
			if problems := b.Check(); len(problems) != 0 {
				t.Errorf("check after acknowledging: %v", problems)
			}
		})
	}
	t.Run("acknowledging an acknowledged notice again is harmless", func(t *testing.T) {
		b := openTestDB(t)
		ns := putNotices(t, b, notice("000000000001", cbeA))
		for range 2 {
			err := b.Update(func(w Writer) error {
				unknown, err := w.AckNotices(cbeA, []string{ns[0].ID})
				if len(unknown) != 0 {
					t.Errorf("unknown = %v on a repeated acknowledgement", unknown)
				}
				return err
			})
			if err != nil {
				t.Fatal(err)
			}
		}
		all, _ := listNotices(t, b, NoticeQuery{Manager: cbeA, IncludeAcknowledged: true})
		if len(all) != 1 || !all[0].Acknowledged {
			t.Errorf("got %+v, want the one notice, acknowledged", all)
		}
	})
}

func TestPendingListReadsThePendingIndex(t *testing.T) {
	// A manager's pending page must not scan every notice ever made: a record planted without
	// its pending entry is invisible to the pending list and visible to the full scan.
	b := openTestDB(t)
	ns := putNotices(t, b, notice("000000000001", cbeA))
	b.rawUpdate(t, func(tx kvTx) error {
		n := notice("000000000001", cbeA)
		n.ID = "000000000050"
		raw, err := encode(n)
		if err != nil {
			return err
		}
		return tx.Bucket(bucketNotices).Put(numberKey(50), raw)
	})
	if got, _ := listNotices(t, b, NoticeQuery{Manager: cbeA}); !reflect.DeepEqual(ids(got), ids(ns)) {
		t.Errorf("pending list %v, want only %v", ids(got), ids(ns))
	}
	if got, _ := listNotices(t, b, NoticeQuery{Manager: cbeA, IncludeAcknowledged: true}); len(got) != 2 {
		t.Errorf("full listing has %d notices, want 2", len(got))
	}
}
