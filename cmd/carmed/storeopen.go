package main

import (
	"path/filepath"
	"time"

	"github.com/carmed/carmed/gateway"
	"github.com/carmed/carmed/store"
)

// openStore opens the gateway's store: DATA/carmed.db, or the etcd cluster addr names, with the
// tenants' worlds and index on it (shared with the other gateways); to.Worlds and to.Catalog stay
// nil for bbolt (the tenants in files under DATA/tenants).
func openStore(addr, data string, to *gateway.TenantOptions) (gateway.WorldStore, error) {
	if addr == "" {
		return store.Open(filepath.Join(data, "carmed.db"), store.Options{Timeout: 2 * time.Second})
	}
	o, err := store.ParseEtcdURL(addr)
	if err != nil {
		return nil, err
	}
	st, err := store.OpenEtcd(o)
	if err != nil {
		return nil, err
	}
	to.Worlds, to.Catalog = gateway.EtcdWorlds{Root: st}, &gateway.EtcdCatalog{Root: st}
	return st, nil
}
