package gateway

import (
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/rs/zerolog"

	"github.com/carmed/carmed/face/harness"
	"github.com/carmed/carmed/rules"
	"github.com/carmed/carmed/server"
	"github.com/carmed/carmed/store"
	"github.com/carmed/carmed/trust"
)

// Tenants are isolated worlds beside the default one (design §4): each is served under its path
// prefix /t/NAME by a pipeline of its own — every face registered again, on the tenant's store
// (its own bbolt file: registry, decisions, notices, idempotent replies, replay cache, audit),
// business clock and parties (its own or the gateway's). The gateway's key, rules and agreement
// keyring are shared.
//
// A reset builds the tenant's next world (a fresh store file with its registry loaded, a clock at
// its initial date, a pipeline) and swaps it in under one lock: a request holds the world it
// started with to its end, so it sees the old world or the new, never a mix; the old world is
// closed and its file removed once its last request is done.
//
// Each tenant admits at most MaxConcurrent requests at once; one more is answered 503 with
// Retry-After at once, so a tenant's burst cannot starve the others. The default tenant is
// today's gateway, unchanged and unbounded.
type Tenants struct {
	o   TenantOptions
	log zerolog.Logger

	admin sync.Mutex // one create, reset or delete at a time; guards the index file
	mu    sync.RWMutex
	names map[string]*tenant // guarded by mu (written under admin and mu)

	// set by start (gateway.New)
	cfg        Config
	def        *server.Server
	defInitial rules.Date

	retiring   sync.WaitGroup // old worlds waiting for their last request
	stopFollow func()         // ends the catalog watch (tenantsync.go)
}

// TenantOptions configure the tenants of a gateway.
type TenantOptions struct {
	Dir string // their files (serve: DATA/tenants)
	// Registry is the gateway's start registry (serve --registry): a tenant created without a
	// registry of its own starts with it.
	Registry []rules.Person
	// MaxConcurrent bounds each tenant's requests at once; 0 = TenantMaxConcurrent.
	MaxConcurrent int
	Store         store.Options // for every tenant's store file (FileWorlds)
	// Worlds keeps the worlds' stores; nil = a bbolt file each (FileWorlds in Dir with Store).
	Worlds WorldStores
	// Catalog shares the tenants with the other gateways of the store (EtcdCatalog); nil = this
	// gateway's own, in Dir.
	Catalog TenantCatalog
}

// tenant is one named world and what survives its resets.
type tenant struct {
	meta     tenantMeta
	registry []rules.Person
	trust    *trust.Store  // nil: the gateway's parties
	slots    chan struct{} // one per request in flight
	cur      *tenantWorld  // guarded by Tenants.mu
	resets   int
}

// tenantWorld is one generation of a tenant: a reset replaces it whole.
type tenantWorld struct {
	srv      *server.Server
	st       WorldStore
	world    string // its name in WorldStores
	stop     func() // ends its clock watch (nil: none)
	clock    *server.BusinessClock
	inflight sync.WaitGroup // requests holding this world; Add only under Tenants.mu read lock
}

// tenantName is a tenant's name: one path segment (MaxTenantNameLen, the harness XSD's pattern).
var tenantName = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

// DefaultTenant is the name of the gateway's own world, served without a prefix.
const DefaultTenant = "default"

func validTenantName(s string) bool { return len(s) <= MaxTenantNameLen && tenantName.MatchString(s) }

// TenantPath is the path prefix of a tenant's faces.
func TenantPath(name string) string { return "/t/" + name }

// OpenTenants reads the tenants' index under o.Dir (made when missing); their stores are opened
// when gateway.New starts their pipelines. Close them with Close.
func OpenTenants(o TenantOptions, log zerolog.Logger) (*Tenants, error) {
	if o.Dir == "" {
		return nil, errors.New("tenants: a directory is required")
	}
	if o.MaxConcurrent <= 0 {
		o.MaxConcurrent = TenantMaxConcurrent
	}
	if o.Worlds == nil {
		o.Worlds = FileWorlds{Dir: o.Dir, Options: o.Store}
	}
	if err := os.MkdirAll(o.Dir, 0o700); err != nil {
		return nil, err
	}
	if o.Catalog != nil {
		if err := o.Catalog.Pull(o.Dir); err != nil {
			return nil, err
		}
	}
	metas, err := readIndex(o.Dir)
	if err != nil {
		return nil, err
	}
	t := &Tenants{o: o, log: log, names: map[string]*tenant{}}
	for _, m := range metas {
		if t.names[m.Name] != nil {
			return nil, fmt.Errorf("tenants: %s: bad entry %q", indexFile, m.Name)
		}
		tn, err := t.loadTenant(m)
		if err != nil {
			return nil, err
		}
		t.names[m.Name] = tn
	}
	return t, nil
}

// loadTenant reads a tenant of the index: its registry and, when it has them, its own parties.
func (t *Tenants) loadTenant(m tenantMeta) (*tenant, error) {
	if !validTenantName(m.Name) || m.Name == DefaultTenant || filepath.Base(m.Dir) != m.Dir {
		return nil, fmt.Errorf("tenants: %s: bad entry %q", indexFile, m.Name)
	}
	tn := &tenant{meta: m, slots: make(chan struct{}, t.o.MaxConcurrent)}
	dir := filepath.Join(t.o.Dir, m.Dir)
	var err error
	if tn.registry, err = readRegistry(filepath.Join(dir, registryFile)); err != nil {
		return nil, fmt.Errorf("tenant %s: %w", m.Name, err)
	}
	if m.OwnTrust {
		if tn.trust, err = trust.Load(filepath.Join(dir, trustFileName)); err != nil {
			return nil, fmt.Errorf("tenant %s: %w", m.Name, err)
		}
	}
	return tn, nil
}

// start opens every tenant's world and mounts the router on the default pipeline (gateway.New).
func (t *Tenants) start(cfg Config, def *server.Server) error {
	t.admin.Lock()
	defer t.admin.Unlock()
	if t.def != nil {
		return errors.New("tenants: already started by another gateway")
	}
	t.cfg, t.def = cfg, def
	t.defInitial = t.today()
	for _, tn := range t.names {
		dir := filepath.Join(t.o.Dir, tn.meta.Dir)
		fresh := !t.o.Worlds.Exists(tn.meta.Dir, tn.meta.World) // lost: start it again from its registry
		w, err := t.openWorld(tn, tn.meta.World, fresh)
		if err != nil {
			return fmt.Errorf("tenant %s: %w", tn.meta.Name, err)
		}
		tn.cur = w
		t.dropLeftovers(dir, tn.meta.World)
	}
	t.dropLeftovers(t.o.Dir, "")
	def.Mount("/t/", t)
	t.follow()
	return nil
}

// dropLeftovers removes what an interrupted reset or delete left: in a tenant's folder, store
// files other than keep; in the tenants' directory, folders no tenant names.
func (t *Tenants) dropLeftovers(dir, keep string) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	used := map[string]bool{}
	for _, tn := range t.names {
		used[tn.meta.Dir] = true
	}
	for _, e := range ents {
		n := e.Name()
		switch {
		case keep != "" && strings.HasPrefix(n, "world-") && n != keep:
			_ = os.Remove(filepath.Join(dir, n))
		case keep == "" && e.IsDir() && !used[n]:
			_ = os.RemoveAll(filepath.Join(dir, n))
		}
	}
}

// today is the default tenant's business date: its pipeline's (Config.Today, Clock or Now).
func (t *Tenants) today() rules.Date { return t.def.Today() }

// openWorld opens (or, fresh, makes and loads) one store file of tn and starts its pipeline.
func (t *Tenants) openWorld(tn *tenant, file string, fresh bool) (*tenantWorld, error) {
	st, err := t.o.Worlds.Open(tn.meta.Dir, file, fresh)
	if err != nil {
		return nil, err
	}
	if fresh {
		if _, err := st.LoadRegistry(tn.registry); err != nil {
			st.Close()
			_ = t.o.Worlds.Remove(tn.meta.Dir, file)
			return nil, &harness.TenantRefused{Code: harness.CodeTenantRegistry, Detail: err.Error()}
		}
	}
	d, err := rules.ParseDate(tn.meta.Today)
	if err != nil {
		st.Close()
		return nil, err
	}
	clock := server.NewBusinessClock(d, tn.meta.Advance, t.cfg.Now)
	ts := tn.trust
	if ts == nil {
		ts = t.cfg.Trust
	}
	name := tn.meta.Name
	var stop func()
	srv, err := pipeline(t.cfg, world{prefix: TenantPath(name), store: st, trust: ts, clock: clock, today: clock.Today, stop: &stop,
		metrics: t.def.Metrics(), log: t.cfg.Logger.With().Str("tenant", name).Logger()})
	if err != nil {
		st.Close()
		return nil, err
	}
	return &tenantWorld{srv: srv, st: st, world: file, clock: clock, stop: stop}, nil
}

// ServeHTTP routes /t/NAME/… to the tenant's current world, within its bound on requests at once.
func (t *Tenants) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	name, _, _ := strings.Cut(strings.TrimPrefix(r.URL.Path, "/t/"), "/")
	if !validTenantName(name) {
		http.NotFound(w, r)
		return
	}
	t.mu.RLock()
	tn := t.names[name]
	if tn == nil {
		t.mu.RUnlock()
		http.Error(w, "no such tenant", http.StatusNotFound)
		return
	}
	select {
	case tn.slots <- struct{}{}:
	default:
		// Every slot taken: wait a moment for one (a slot is given back just after its answer is
		// written, so a client's next request can arrive first), then refuse.
		t.mu.RUnlock()
		wait := time.NewTimer(TenantAdmissionWait)
		select {
		case tn.slots <- struct{}{}:
			wait.Stop()
		case <-wait.C:
			w.Header().Set("Retry-After", TenantRetryAfter)
			http.Error(w, fmt.Sprintf("tenant busy: more than %d requests at once; retry later", cap(tn.slots)),
				http.StatusServiceUnavailable)
			return
		}
		t.mu.RLock()
		if t.names[name] != tn { // deleted while this request waited
			t.mu.RUnlock()
			<-tn.slots
			http.Error(w, "no such tenant", http.StatusNotFound)
			return
		}
	}
	wd := tn.cur
	wd.inflight.Add(1)
	t.mu.RUnlock()
	defer func() {
		wd.inflight.Done()
		<-tn.slots
	}()
	wd.srv.Handler().ServeHTTP(w, r)
}

// Create makes a tenant: its folder, registry and trust files, a fresh store and its pipeline.
func (t *Tenants) Create(spec harness.TenantSpec) (harness.TenantInfo, error) {
	t.admin.Lock()
	defer t.admin.Unlock()
	if err := t.syncLocked(); err != nil {
		return harness.TenantInfo{}, err
	}
	switch {
	case spec.Name == DefaultTenant:
		return harness.TenantInfo{}, &harness.TenantRefused{Code: harness.CodeTenantDefault}
	case !validTenantName(spec.Name):
		return harness.TenantInfo{}, &harness.TenantRefused{Code: harness.CodeTenantName,
			Detail: fmt.Sprintf("1 to %d of a-z, 0-9 and -, not starting with -", MaxTenantNameLen)}
	case t.names[spec.Name] != nil:
		return harness.TenantInfo{}, &harness.TenantRefused{Code: harness.CodeTenantExists, Detail: spec.Name}
	case len(t.names) >= MaxTenants:
		return harness.TenantInfo{}, &harness.TenantRefused{Code: harness.CodeTenantLimit, Detail: strconv.Itoa(MaxTenants)}
	}
	today := spec.Today
	if today == rules.NoDate {
		today = t.today()
	}
	reg := spec.Registry
	if reg == nil {
		reg = t.o.Registry
	}
	tn := &tenant{registry: reg, slots: make(chan struct{}, t.o.MaxConcurrent),
		meta: tenantMeta{Name: spec.Name, Dir: spec.Name + "-" + randomSuffix(), World: "world-" + randomSuffix() + ".db",
			Today: today.String(), Advance: spec.Advance, OwnTrust: spec.Trust != nil, Created: time.Now().UTC()}}
	dir := filepath.Join(t.o.Dir, tn.meta.Dir)
	if err := os.Mkdir(dir, 0o700); err != nil {
		return harness.TenantInfo{}, err
	}
	ok := false
	defer func() {
		if !ok {
			_ = os.RemoveAll(dir)
		}
	}()
	if spec.Trust != nil {
		if err := pinnedOnly(spec.Trust); err != nil {
			return harness.TenantInfo{}, &harness.TenantRefused{Code: harness.CodeTenantTrust, Detail: err.Error()}
		}
		path := filepath.Join(dir, trustFileName)
		if err := writeFileAtomic(path, spec.Trust); err != nil {
			return harness.TenantInfo{}, err
		}
		ts, err := trust.Load(path)
		if err != nil {
			return harness.TenantInfo{}, &harness.TenantRefused{Code: harness.CodeTenantTrust, Detail: err.Error()}
		}
		tn.trust = ts
	}
	if err := writeRegistry(filepath.Join(dir, registryFile), reg); err != nil {
		return harness.TenantInfo{}, err
	}
	w, err := t.openWorld(tn, tn.meta.World, true)
	if err != nil {
		return harness.TenantInfo{}, err
	}
	tn.cur = w
	if err := writeIndex(t.o.Dir, append(t.metas(), tn.meta)); err != nil {
		w.st.Close()
		return harness.TenantInfo{}, err
	}
	if err := t.push(tn.meta.Dir, false); err != nil {
		// Not published: this gateway's index goes back to the catalog's, the world is dropped.
		_ = writeIndex(t.o.Dir, t.metas())
		w.st.Close()
		_ = t.o.Worlds.Remove(tn.meta.Dir, tn.meta.World)
		return harness.TenantInfo{}, err
	}
	ok = true
	t.mu.Lock()
	t.names[spec.Name] = tn
	t.mu.Unlock()
	t.log.Info().Str("tenant", spec.Name).Int("persons", len(reg)).Bool("own_trust", tn.trust != nil).Msg("tenant created")
	return t.info(tn), nil
}

// Reset returns a tenant to its registry and initial business date: a new world swapped in at once.
func (t *Tenants) Reset(name string) (harness.TenantInfo, error) {
	t.admin.Lock()
	defer t.admin.Unlock()
	if err := t.syncLocked(); err != nil {
		return harness.TenantInfo{}, err
	}
	tn, err := t.lookup(name)
	if err != nil {
		return harness.TenantInfo{}, err
	}
	file := "world-" + randomSuffix() + ".db"
	w, err := t.openWorld(tn, file, true)
	if err != nil {
		return harness.TenantInfo{}, err
	}
	meta := tn.meta
	meta.World = file
	ms := t.metas()
	for i := range ms {
		if ms[i].Name == name {
			ms[i] = meta
		}
	}
	if err := writeIndex(t.o.Dir, ms); err != nil {
		w.st.Close()
		_ = t.o.Worlds.Remove(meta.Dir, file)
		return harness.TenantInfo{}, err
	}
	if err := t.push(meta.Dir, false); err != nil {
		_ = writeIndex(t.o.Dir, t.metas())
		w.st.Close()
		_ = t.o.Worlds.Remove(meta.Dir, file)
		return harness.TenantInfo{}, err
	}
	t.mu.Lock()
	old := tn.cur
	tn.cur, tn.meta = w, meta
	tn.resets++
	t.mu.Unlock()
	oldDir, oldWorld := tn.meta.Dir, old.world
	t.retire(old, func() error { return t.o.Worlds.Remove(oldDir, oldWorld) })
	t.log.Info().Str("tenant", name).Msg("tenant reset")
	return t.info(tn), nil
}

// Delete removes a tenant: at once from the routes and the index, its files once drained.
func (t *Tenants) Delete(name string) error {
	t.admin.Lock()
	defer t.admin.Unlock()
	if err := t.syncLocked(); err != nil {
		return err
	}
	tn, err := t.lookup(name)
	if err != nil {
		return err
	}
	ms := slices.DeleteFunc(t.metas(), func(m tenantMeta) bool { return m.Name == name })
	if err := writeIndex(t.o.Dir, ms); err != nil {
		return err
	}
	if err := t.push(tn.meta.Dir, true); err != nil {
		_ = writeIndex(t.o.Dir, t.metas())
		return err
	}
	t.mu.Lock()
	delete(t.names, name)
	old := tn.cur
	t.mu.Unlock()
	dir, world := tn.meta.Dir, old.world
	t.retire(old, func() error {
		return errors.Join(t.o.Worlds.Remove(dir, world), os.RemoveAll(filepath.Join(t.o.Dir, dir)))
	})
	t.log.Info().Str("tenant", name).Msg("tenant deleted")
	return nil
}

// List is the default tenant, then the others by name.
func (t *Tenants) List() []harness.TenantInfo {
	t.mu.RLock()
	defer t.mu.RUnlock()
	today := t.today()
	frozen := t.cfg.Clock == nil || t.cfg.Clock.Frozen()
	out := []harness.TenantInfo{{Name: DefaultTenant, InitialToday: t.defInitial, Today: today, Frozen: frozen,
		Persons: len(t.o.Registry)}}
	names := make([]string, 0, len(t.names))
	for n := range t.names {
		names = append(names, n)
	}
	slices.Sort(names)
	for _, n := range names {
		out = append(out, t.info(t.names[n]))
	}
	return out
}

// Close closes every tenant's store (their files stay), after their last requests.
func (t *Tenants) Close() error {
	if t.stopFollow != nil {
		t.stopFollow()
	}
	t.admin.Lock()
	defer t.admin.Unlock()
	t.mu.Lock()
	for _, tn := range t.names {
		if tn.cur != nil {
			t.retire(tn.cur, nil)
			tn.cur = nil
		}
	}
	t.names = map[string]*tenant{}
	t.mu.Unlock()
	t.retiring.Wait()
	return nil
}

// retire closes a world once its last request is done, then runs remove (nil keeps everything).
func (t *Tenants) retire(w *tenantWorld, remove func() error) {
	t.retiring.Add(1)
	go func() {
		defer t.retiring.Done()
		w.inflight.Wait()
		if w.stop != nil {
			w.stop()
		}
		if err := w.st.Close(); err != nil {
			t.log.Error().Err(err).Msg("closing a retired tenant store")
		}
		if remove != nil {
			if err := remove(); err != nil {
				t.log.Error().Err(err).Msg("removing a retired tenant store")
			}
		}
	}()
}

// lookup finds a tenant for reset or delete, refusing the default tenant and unknown names.
func (t *Tenants) lookup(name string) (*tenant, error) {
	if name == DefaultTenant {
		return nil, &harness.TenantRefused{Code: harness.CodeTenantDefault}
	}
	t.mu.RLock()
	tn := t.names[name]
	t.mu.RUnlock()
	if tn == nil {
		return nil, &harness.TenantRefused{Code: harness.CodeTenantUnknown, Detail: name}
	}
	return tn, nil
}

// metas is the index as it stands, by name (under admin).
func (t *Tenants) metas() []tenantMeta {
	t.mu.RLock()
	defer t.mu.RUnlock()
	out := make([]tenantMeta, 0, len(t.names))
	for _, tn := range t.names {
		out = append(out, tn.meta)
	}
	slices.SortFunc(out, func(a, b tenantMeta) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// info describes tn (under mu or admin).
func (t *Tenants) info(tn *tenant) harness.TenantInfo {
	initial, _ := rules.ParseDate(tn.meta.Today)
	out := harness.TenantInfo{Name: tn.meta.Name, Path: TenantPath(tn.meta.Name), InitialToday: initial, Today: initial,
		Frozen: !tn.meta.Advance, Persons: len(tn.registry), OwnTrust: tn.meta.OwnTrust, MaxConcurrent: cap(tn.slots),
		Resets: tn.resets}
	if tn.cur != nil {
		out.Today, out.Frozen = tn.cur.clock.Today(), tn.cur.clock.Frozen()
	}
	return out
}
