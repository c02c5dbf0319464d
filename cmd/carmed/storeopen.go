package main

import (
	"path/filepath"
	"time"

	"github.com/carmed/carmed/gateway"
	"github.com/carmed/carmed/store"
)

// gatewayStore is what serve needs of its store, bbolt or etcd.
type gatewayStore interface {
	store.Store
	store.RegistryLoader
}

// openStore opens the gateway's store: DATA/carmed.db, or the etcd cluster addr names (and the
// tenants' worlds on it); worlds nil keeps tenants in files.
func openStore(addr, data string) (gatewayStore, gateway.WorldStores, error) {
	if addr == "" {
		st, err := store.Open(filepath.Join(data, "carmed.db"), store.Options{Timeout: 2 * time.Second})
		return st, nil, err
	}
	o, err := store.ParseEtcdURL(addr)
	if err != nil {
		return nil, nil, err
	}
	st, err := store.OpenEtcd(o)
	if err != nil {
		return nil, nil, err
	}
	return st, gateway.EtcdWorlds{Root: st}, nil
}
