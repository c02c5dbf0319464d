package gateway

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"github.com/carmed/carmed/store"
)

// TenantCatalog shares the tenants' index and files (tenants.json, each tenant's registry.json
// and trust.json) between the gateways of one store, so that a tenant created, reset or deleted
// through one gateway is so through all. Each gateway keeps a copy in its TenantOptions.Dir and
// works from it as a lone gateway does; the catalog brings the copy up to date (Pull) and
// publishes what an admin operation changed (Push).
type TenantCatalog interface {
	// Pull makes dir's index and tenant files those of the catalog (when it has an index).
	Pull(dir string) error
	// Push publishes dir's index, the files of the tenant folders changed, and takes out those of
	// the folders gone. It refuses with ErrCatalogMoved when another gateway published after this
	// one's last Pull.
	Push(dir string, changed, gone []string) error
	// Watch calls fn after each publication, until stop.
	Watch(fn func()) (stop func())
}

// ErrCatalogMoved: another gateway changed the tenants meanwhile; nothing was published.
var ErrCatalogMoved = errors.New("tenants: another gateway changed the tenants at the same time; try again")

// tenantFiles are the files of a tenant's folder the catalog carries (its stores are elsewhere).
var tenantFiles = []string{registryFile, trustFileName}

// EtcdCatalog keeps the catalog as documents of the gateway's etcd store.
type EtcdCatalog struct {
	Root *store.Etcd
	mu   sync.Mutex
	rev  int64 // revision of the last Pull or Push
}

func (c *EtcdCatalog) Pull(dir string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	docs, rev, err := c.Root.Docs()
	if err != nil {
		return err
	}
	c.rev = rev
	if docs[indexFile] == nil {
		return nil // nothing published yet: the local index stands until the first Push
	}
	for name, b := range docs {
		folder, file, nested := strings.Cut(name, "/")
		switch {
		case name == indexFile:
		case nested && filepath.Base(folder) == folder && folder != "." && folder != ".." && slices.Contains(tenantFiles, file):
			if err := os.MkdirAll(filepath.Join(dir, folder), 0o700); err != nil {
				return err
			}
		default:
			return fmt.Errorf("tenants: the catalog holds an unexpected document %q", name)
		}
		if err := writeFileAtomic(filepath.Join(dir, name), b); err != nil {
			return err
		}
	}
	return nil
}

func (c *EtcdCatalog) Push(dir string, changed, gone []string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	put := map[string][]byte{}
	var del []string
	b, err := os.ReadFile(filepath.Join(dir, indexFile))
	if err != nil {
		return err
	}
	put[indexFile] = b
	for _, f := range gone {
		for _, file := range tenantFiles {
			del = append(del, f+"/"+file)
		}
	}
	for _, f := range changed {
		for _, file := range tenantFiles {
			name := f + "/" + file
			b, err := os.ReadFile(filepath.Join(dir, f, file))
			switch {
			case err == nil:
				put[name] = b
			case errors.Is(err, os.ErrNotExist):
				del = append(del, name)
			default:
				return err
			}
		}
	}
	rev, ok, err := c.Root.PublishDocs(put, del, c.rev)
	if err != nil {
		return err
	}
	if !ok {
		return ErrCatalogMoved
	}
	c.rev = rev
	return nil
}

func (c *EtcdCatalog) Watch(fn func()) (stop func()) { return c.Root.WatchDocs(fn) }
