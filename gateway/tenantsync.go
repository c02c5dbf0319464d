package gateway

import (
	"errors"
	"os"
	"path/filepath"

	"github.com/carmed/carmed/face/harness"
)

// Tenants shared through a TenantCatalog (gateways on one etcd store): every admin operation
// starts from the catalog as it stands (sync) and publishes what it changed (push); every
// publication, this gateway's or another's, brings the others up to date (the watch → sync).

// syncLocked pulls the catalog and makes the served tenants those of its index: new ones opened,
// reset ones moved to their new world, deleted ones taken off. The worlds it leaves are retired
// without removing their data: the gateway that reset or deleted removes it. Under admin.
func (t *Tenants) syncLocked() error {
	if t.o.Catalog == nil || t.def == nil {
		return nil
	}
	if err := t.o.Catalog.Pull(t.o.Dir); err != nil {
		return err
	}
	metas, err := readIndex(t.o.Dir)
	if err != nil {
		return err
	}
	want := map[string]bool{}
	var errs []error
	for _, m := range metas {
		want[m.Name] = true
		t.mu.RLock()
		tn := t.names[m.Name]
		t.mu.RUnlock()
		switch {
		case tn != nil && tn.meta == m:
			continue
		case tn != nil && tn.meta.Dir == m.Dir: // reset elsewhere: its next world
			w, err := t.openWorld(tn, m.World, false)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			t.mu.Lock()
			old := tn.cur
			tn.cur, tn.meta = w, m
			tn.resets++
			t.mu.Unlock()
			t.retire(old, nil)
		default: // new, or deleted and made again under the same name
			nt, err := t.loadTenant(m)
			if err == nil {
				nt.cur, err = t.openWorld(nt, m.World, !t.o.Worlds.Exists(m.Dir, m.World))
			}
			if err != nil {
				errs = append(errs, err)
				continue
			}
			t.mu.Lock()
			t.names[m.Name] = nt
			t.mu.Unlock()
			if tn != nil {
				t.retire(tn.cur, nil)
			}
		}
	}
	t.mu.Lock()
	var gone []*tenant
	for name, tn := range t.names {
		if !want[name] {
			delete(t.names, name)
			gone = append(gone, tn)
		}
	}
	t.mu.Unlock()
	for _, tn := range gone {
		dir := filepath.Join(t.o.Dir, tn.meta.Dir)
		t.retire(tn.cur, func() error { return os.RemoveAll(dir) })
	}
	if len(errs) > 0 {
		t.log.Error().Err(errors.Join(errs...)).Msg("following the shared tenants")
	}
	return nil
}

// push publishes the index and a tenant folder after an admin operation (under admin): the
// folder's files, or with gone their removal.
func (t *Tenants) push(folder string, gone bool) error {
	if t.o.Catalog == nil {
		return nil
	}
	changed, removed := []string{folder}, []string(nil)
	if gone {
		changed, removed = nil, changed
	}
	err := t.o.Catalog.Push(t.o.Dir, changed, removed)
	if errors.Is(err, ErrCatalogMoved) {
		return &harness.TenantRefused{Code: harness.CodeTenantRace, Detail: err.Error()}
	}
	return err
}

// follow syncs after each publication until Close.
func (t *Tenants) follow() {
	if t.o.Catalog == nil {
		return
	}
	t.stopFollow = t.o.Catalog.Watch(func() {
		t.admin.Lock()
		defer t.admin.Unlock()
		if err := t.syncLocked(); err != nil {
			t.log.Error().Err(err).Msg("following the shared tenants")
		}
	})
}
