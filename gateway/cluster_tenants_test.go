package gateway_test

import (
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/carmed/carmed/client"
	"github.com/carmed/carmed/internal/etcdtest"
	"github.com/carmed/carmed/pki"
	"github.com/carmed/carmed/store"
)

// twoGateways starts two gateways on one PKI whose stores, tenants' worlds and tenants' index are
// on one etcd prefix, each with its own data directory, as two processes on two machines have.
func twoGateways(t *testing.T) (a, b *tenv) {
	t.Helper()
	c := etcdtest.Start(t, 1)
	dir := t.TempDir()
	pkiDir := filepath.Join(dir, "pki")
	if _, err := pki.Init(pki.Options{Dir: pkiDir, GatewayKey: pki.GatewayECDSA, PartyKey: pki.PartyECDSA}); err != nil {
		t.Fatal(err)
	}
	o := &store.EtcdOptions{Endpoints: c.Endpoints(), Prefix: "/tenants-test", MaxTxnOps: 4096}
	return startTenantEnvOn(t, pkiDir, filepath.Join(dir, "a"), 0, o), startTenantEnvOn(t, pkiDir, filepath.Join(dir, "b"), 0, o)
}

// eventually polls check (every 20 ms, 5 s at most): another gateway follows a publication
// through its watch, a moment after the admin operation answered.
func eventually(t *testing.T, what string, check func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !check() {
		if time.Now().After(deadline) {
			t.Fatalf("never: %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// A tenant created through one gateway is served by the other, with the same world: a decision
// created through A is found through B; a reset through B empties it for A; a delete through A
// takes it off B.
func TestATenantAdministeredThroughOneGatewayIsSoThroughTheOther(t *testing.T) {
	a, b := twoGateways(t)
	a.create("shared")
	eventually(t, "B serves the tenant A created", func() bool {
		return status(t, b.url+"/t/shared/cpas/v1?wsdl") == http.StatusOK
	})
	if r := a.call("cpas-namur", "/t/shared/cpas/v1", createFor(t, "2027-01-31")); r.Outcome != client.Success {
		t.Fatalf("create through A: %s %s", r.StatusValue, r.Code)
	}
	if got := endDates(t, b.call("cpas-namur", "/t/shared/cpas/v1", consult(t))); len(got) != 1 || got[0] != "2027-01-31" {
		t.Fatalf("B sees decisions ending %v in the tenant, want A's", got)
	}
	if r := b.harness("resetTenant", "<name>shared</name>"); r.Outcome != client.Success {
		t.Fatalf("reset through B: %s", r.Raw)
	}
	eventually(t, "A follows B's reset", func() bool {
		return a.call("cpas-namur", "/t/shared/cpas/v1", consult(t)).StatusValue == "NO_DATA_FOUND"
	})
	if r := a.harness("deleteTenant", "<name>shared</name>"); r.Outcome != client.Success {
		t.Fatalf("delete through A: %s", r.Raw)
	}
	eventually(t, "B takes off the tenant A deleted", func() bool {
		return status(t, b.url+"/t/shared/cpas/v1?wsdl") == http.StatusNotFound
	})
	if r := b.harness("deleteTenant", "<name>shared</name>"); r.Code != "TENANT_UNKNOWN" {
		t.Errorf("delete through B after A's: %s, want TENANT_UNKNOWN", r.Code)
	}
}

// The same name created through both gateways at once gives one tenant: the other creation is
// refused (the name is taken, or the other gateway came first).
func TestOneNameCreatedThroughTwoGatewaysAtOnceGivesOneTenant(t *testing.T) {
	a, b := twoGateways(t)
	var wg sync.WaitGroup
	codes := make([]string, 2)
	for i, e := range []*tenv{a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := e.harness("createTenant", "<name>race</name>")
			codes[i] = r.StatusValue + " " + r.Code
		}()
	}
	wg.Wait()
	ok, refused := 0, 0
	for _, c := range codes {
		switch {
		case strings.HasPrefix(c, "DATA_FOUND"):
			ok++
		case strings.Contains(c, "TENANT_EXISTS") || strings.Contains(c, "TENANT_RACE"):
			refused++
		}
	}
	if ok != 1 || refused != 1 {
		t.Fatalf("answers %v: want one creation and one refusal", codes)
	}
	for _, e := range []*tenv{a, b} {
		list := e.harness("listTenants", "")
		eventually(t, "both gateways list the one tenant", func() bool {
			list = e.harness("listTenants", "")
			return len(list.Payload.FindElements("./tenant")) == 2
		})
	}
}
