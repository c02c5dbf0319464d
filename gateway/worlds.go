package gateway

import (
	"errors"
	"os"
	"path/filepath"

	"github.com/carmed/carmed/store"
)

// WorldStores make, open and remove the stores of tenants' worlds: a bbolt file per world in the
// tenant's folder (FileWorlds, the default), or a key prefix per world on the gateway's etcd
// cluster (EtcdWorlds). dir is the tenant's folder name, world the name of one generation.
type WorldStores interface {
	// Open opens the world's store; fresh empties it first (a new or reset world).
	Open(dir, world string, fresh bool) (WorldStore, error)
	// Exists tells whether the world's store is there (a lost one is started again).
	Exists(dir, world string) bool
	// Remove deletes the world's data.
	Remove(dir, world string) error
}

// WorldStore is one world's store (and what serve opens for the default world).
type WorldStore interface {
	store.Store
	store.RegistryLoader
}

// FileWorlds keeps each world in its own bbolt file, DIR/dir/world.
type FileWorlds struct {
	Dir     string
	Options store.Options
}

func (f FileWorlds) path(dir, world string) string { return filepath.Join(f.Dir, dir, world) }

func (f FileWorlds) Open(dir, world string, fresh bool) (WorldStore, error) {
	if fresh {
		_ = os.Remove(f.path(dir, world))
	}
	return store.Open(f.path(dir, world), f.Options)
}

func (f FileWorlds) Exists(dir, world string) bool {
	_, err := os.Stat(f.path(dir, world))
	return !errors.Is(err, os.ErrNotExist)
}

func (f FileWorlds) Remove(dir, world string) error { return os.RemoveAll(f.path(dir, world)) }

// EtcdWorlds keeps each world under PREFIX/t/dir/world on the gateway's etcd store. The tenants'
// index (which tenants exist, their registry and trust files) stays in the gateway's DATA/tenants.
type EtcdWorlds struct{ Root *store.Etcd }

func worldName(dir, world string) string { return "t/" + dir + "/" + world }

func (e EtcdWorlds) Open(dir, world string, fresh bool) (WorldStore, error) {
	if fresh {
		if err := e.Root.DropSub(worldName(dir, world)); err != nil {
			return nil, err
		}
	}
	return e.Root.Sub(worldName(dir, world))
}

func (e EtcdWorlds) Exists(dir, world string) bool {
	ok, err := e.Root.HasSub(worldName(dir, world))
	return ok || err != nil // out of reach: opening will say so
}

func (e EtcdWorlds) Remove(dir, world string) error { return e.Root.DropSub(worldName(dir, world)) }
