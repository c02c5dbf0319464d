package store

import (
	"bytes"
	"slices"
	"sync"

	"github.com/carmed/carmed/rules"
)

// maxDecoded bounds each cache of decoded records (versions, persons) of one store: a consult
// decodes its beneficiary's person and every version of every decision of theirs, and that
// decoding (inflate + JSON) was a tenth of a signed consult's CPU. About 1-2 KB an entry.
const maxDecoded = 8192

// decoded caches the decoded versions and persons of one store (a tenant has its own). An entry
// is used only when the raw record read in the transaction is byte for byte the one it was decoded
// from, so nothing is ever served stale: a person changed by a mutation, a version written by a
// transaction that rolled back and then written again differently, a record upgraded — each reads
// other bytes and is decoded afresh. The cache only spares decoding the same bytes twice.
type decoded struct {
	mu       sync.Mutex
	versions map[string]decodedEntry[rules.Version] // by bucket key
	persons  map[string]decodedEntry[rules.Person]  // by SSIN
}

type decodedEntry[T any] struct {
	raw []byte // the record as stored, copied out of the transaction
	val T
}

// lookup returns the value decoded from raw under key, or false.
func lookup[T any](d *decoded, m map[string]decodedEntry[T], key, raw []byte) (T, bool) {
	d.mu.Lock()
	e, ok := m[string(key)]
	d.mu.Unlock()
	if !ok || !bytes.Equal(e.raw, raw) {
		var zero T
		return zero, false
	}
	return e.val, true
}

// remember keeps val, decoded from raw, under key; when the cache is full an arbitrary entry
// makes room (map order), which keeps it bounded without bookkeeping on every hit.
func remember[T any](d *decoded, m *map[string]decodedEntry[T], key, raw []byte, val T) {
	e := decodedEntry[T]{raw: bytes.Clone(raw), val: val}
	d.mu.Lock()
	defer d.mu.Unlock()
	if *m == nil {
		*m = map[string]decodedEntry[T]{}
	}
	if len(*m) >= maxDecoded {
		for k := range *m {
			delete(*m, k)
			break
		}
	}
	(*m)[string(key)] = e
}

// version decodes a stored version, through the cache when there is one (d may be nil). The
// caller gets its own copy: the rules build the next version from it.
func (d *decoded) version(key, raw []byte) (rules.Version, error) {
	if d != nil {
		if v, ok := lookup(d, d.versions, key, raw); ok {
			return cloneVersion(v), nil
		}
	}
	v, err := decodeVersion(raw)
	if err != nil || d == nil {
		return v, err
	}
	remember(d, &d.versions, key, raw, cloneVersion(v))
	return v, nil
}

// person decodes a stored person, through the cache when there is one (d may be nil).
func (d *decoded) person(ssin string, raw []byte) (rules.Person, error) {
	if d != nil {
		if p, ok := lookup(d, d.persons, []byte(ssin), raw); ok {
			p.Situations = slices.Clone(p.Situations)
			return p, nil
		}
	}
	var p rules.Person
	if err := decode(raw, &p); err != nil {
		return rules.Person{}, err
	}
	if d != nil {
		c := p
		c.Situations = slices.Clone(p.Situations)
		remember(d, &d.persons, []byte(ssin), raw, c)
	}
	return p, nil
}

// cloneVersion copies everything of v that a slice or a pointer would otherwise share.
func cloneVersion(v rules.Version) rules.Version {
	v.Suspensions = slices.Clone(v.Suspensions)
	if v.Covers != nil {
		covers := make([]rules.Cover, len(v.Covers))
		for i, c := range v.Covers {
			c.Support.Convention = clonePtr(c.Support.Convention)
			c.Support.Prescription = clonePtr(c.Support.Prescription)
			c.MaxPatientPart = clonePtr(c.MaxPatientPart)
			c.MaxSupplement = clonePtr(c.MaxSupplement)
			c.SupplementTypes = slices.Clone(c.SupplementTypes)
			c.Providers = slices.Clone(c.Providers)
			covers[i] = c
		}
		v.Covers = covers
	}
	return v
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	c := *p
	return &c
}
