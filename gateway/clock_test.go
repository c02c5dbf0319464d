package gateway

import (
	"testing"
	"time"

	"github.com/carmed/carmed/internal/etcdtest"
	"github.com/carmed/carmed/rules"
	"github.com/carmed/carmed/server"
	"github.com/carmed/carmed/store"
)

// Two gateways on one etcd store keep one business clock: a gateway follows the clock another
// sets, and a gateway that starts later adopts the clock set before it.
func TestGatewaysOnASharedStoreFollowTheClockAnotherSets(t *testing.T) {
	c := etcdtest.Start(t, 1)
	open := func() *store.Etcd {
		st, err := store.OpenEtcd(store.EtcdOptions{Endpoints: c.Endpoints(), Prefix: "/clock-test"})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		return st
	}
	a, b := open(), open()
	start, moved := rules.MustDate("2026-12-01"), rules.MustDate("2027-02-15")
	clockB := server.NewBusinessClock(start, false, nil)
	var stop func()
	if err := followClock(world{store: b, clock: clockB, stop: &stop}); err != nil {
		t.Fatal(err)
	}
	defer stop()
	if err := a.Update(func(w store.Writer) error {
		return w.PutClock(store.ClockRecord{Today: moved, Since: time.Now()})
	}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for clockB.Today() != moved {
		if time.Now().After(deadline) {
			t.Fatalf("gateway B's clock says %s, want %s set through A", clockB.Today(), moved)
		}
		time.Sleep(20 * time.Millisecond)
	}
	late := server.NewBusinessClock(start, false, nil)
	var stopLate func()
	if err := followClock(world{store: open(), clock: late, stop: &stopLate}); err != nil {
		t.Fatal(err)
	}
	defer stopLate()
	if late.Today() != moved {
		t.Errorf("a gateway started later says %s, want the shared %s", late.Today(), moved)
	}
}

// A gateway alone on its bbolt file keeps its own clock: what was recorded does not move it.
func TestALoneGatewayKeepsItsOwnClock(t *testing.T) {
	st, err := store.Open(t.TempDir()+"/carmed.db", store.Options{NoSync: true})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if err := st.Update(func(w store.Writer) error {
		return w.PutClock(store.ClockRecord{Today: rules.MustDate("2027-02-15"), Since: time.Now()})
	}); err != nil {
		t.Fatal(err)
	}
	clk := server.NewBusinessClock(rules.MustDate("2026-12-01"), false, nil)
	if err := followClock(world{store: st, clock: clk}); err != nil {
		t.Fatal(err)
	}
	if clk.Today() != rules.MustDate("2026-12-01") {
		t.Errorf("a restart of a lone gateway took the recorded clock %s, not its --today", clk.Today())
	}
}
