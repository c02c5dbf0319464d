package etcdtest_test

import (
	"strings"
	"testing"

	"github.com/carmed/carmed/internal/etcdtest"
)

// TestAClusterAnswersThroughTheOthersWhenOneMemberIsKilled is the fault the gateway tests rely on:
// three members are one cluster (a write through one is read through the others), one killed
// member leaves a quorum that still writes and reads, and the member restarted on its data catches
// up with what was written while it was down.
func TestAClusterAnswersThroughTheOthersWhenOneMemberIsKilled(t *testing.T) {
	c := etcdtest.Start(t, 3)
	if want := "etcd://" + strings.Join(c.Endpoints(), ","); c.URL() != want || len(c.Endpoints()) != 3 {
		t.Fatalf("URL %q, endpoints %v", c.URL(), c.Endpoints())
	}
	if err := c.Put(0, "/k/before", "v1"); err != nil {
		t.Fatal(err)
	}
	for i := range 3 {
		if v, ok, err := c.Get(i, "/k/before"); err != nil || !ok || v != "v1" {
			t.Fatalf("member %d reads %q %v %v, want v1 written through member 0", i, v, ok, err)
		}
	}

	c.Kill(0)
	if c.Running(0) {
		t.Fatal("member 0 runs after Kill")
	}
	if err := c.Health(0); err == nil {
		t.Fatal("a killed member answers /health")
	}
	c.WaitHealthy(1)
	if err := c.Put(1, "/k/during", "v2"); err != nil {
		t.Fatalf("two of three members should still commit: %v", err)
	}
	if v, ok, err := c.Get(2, "/k/during"); err != nil || !ok || v != "v2" {
		t.Fatalf("member 2 reads %q %v %v, want v2 written through member 1", v, ok, err)
	}

	c.Restart(0)
	for _, kv := range [][2]string{{"/k/before", "v1"}, {"/k/during", "v2"}} {
		if v, ok, err := c.Get(0, kv[0]); err != nil || !ok || v != kv[1] {
			t.Errorf("restarted member 0 reads %s = %q %v %v, want %s", kv[0], v, ok, err, kv[1])
		}
	}
}

// TestTwoKilledMembersOfThreeLeaveNoQuorum shows the members are one raft group, not three
// single-member clusters that would each go on answering alone.
func TestTwoKilledMembersOfThreeLeaveNoQuorum(t *testing.T) {
	c := etcdtest.Start(t, 3)
	c.Kill(1)
	c.Kill(2)
	if err := c.Health(0); err == nil {
		t.Fatal("the last member of three is healthy alone: the members are not one cluster")
	}
}

// TestClustersAreApart: two clusters of one test share nothing (their own ports, data and
// cluster token), so tests can run side by side.
func TestClustersAreApart(t *testing.T) {
	a, b := etcdtest.Start(t, 1), etcdtest.Start(t, 1)
	if a.Endpoint(0) == b.Endpoint(0) || a.DataDir(0) == b.DataDir(0) {
		t.Fatalf("two clusters share %s / %s", a.Endpoint(0), a.DataDir(0))
	}
	if err := a.Put(0, "/only-in-a", "x"); err != nil {
		t.Fatal(err)
	}
	if _, ok, err := b.Get(0, "/only-in-a"); err != nil || ok {
		t.Fatalf("cluster b sees a's key: %v %v", ok, err)
	}
	if got := a.URL(); got != "etcd://"+a.Endpoint(0) {
		t.Fatalf("URL %q", got)
	}
}

// TestLeaderIsTheMemberWhoseLossCostsAnElection: the member Leader names is one the others
// follow; killed, the others elect another one and go on committing.
func TestLeaderIsTheMemberWhoseLossCostsAnElection(t *testing.T) {
	c := etcdtest.Start(t, 3)
	first, err := c.Leader()
	if err != nil {
		t.Fatal(err)
	}
	c.Kill(first)
	other := (first + 1) % 3
	c.WaitHealthy(other)
	if err := c.Put(other, "/after-leader", "x"); err != nil {
		t.Fatalf("the two followers should elect a leader and commit: %v", err)
	}
	next, err := c.Leader()
	if err != nil || next == first || !c.Running(next) {
		t.Fatalf("leader after killing member %d: %d %v", first, next, err)
	}
}
