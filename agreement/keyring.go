package agreement

import (
	"crypto/rand"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"
)

// MinKeyLen is the shortest accepted key: HMAC-SHA256 gains nothing from more than 32
// bytes and loses strength with fewer.
const MinKeyLen = 32

// maxKeyIDLen bounds a key id so that it costs at most a few characters in every token.
const maxKeyIDLen = 8

// maxKeys bounds a ring: a handful of retired keys is normal; hundreds means nobody retires.
const maxKeys = 32

// ErrBadKeyring is wrapped by every refusal of a key ring's content (short key, bad id,
// unknown current id); the message names the key id, never key material.
var ErrBadKeyring = errors.New("agreement keyring")

// Keyring holds the key that issues new agreement numbers (current) and every key still
// accepted when verifying. It is safe for concurrent use; Rotate and Remove may run while
// the gateway issues and verifies.
type Keyring struct {
	mu      sync.RWMutex
	current string
	keys    map[string][]byte
}

// NewKeyring builds a ring from keys (id → key, copied). current must be one of them.
func NewKeyring(current string, keys map[string][]byte) (*Keyring, error) {
	if len(keys) > maxKeys {
		return nil, fmt.Errorf("%w: %d keys, at most %d (remove retired keys)", ErrBadKeyring, len(keys), maxKeys)
	}
	k := &Keyring{current: current, keys: make(map[string][]byte, len(keys))}
	for id, key := range keys {
		if err := checkKey(id, key); err != nil {
			return nil, err
		}
		k.keys[id] = slices.Clone(key)
	}
	if _, ok := k.keys[current]; !ok {
		return nil, fmt.Errorf("%w: current key id %q is not among the keys", ErrBadKeyring, current)
	}
	return k, nil
}

func checkKey(id string, key []byte) error {
	if !validKeyID(id) {
		// The id may be anything a file held; do not echo it.
		return fmt.Errorf("%w: a key id is not 1 to %d characters of [a-z0-9]", ErrBadKeyring, maxKeyIDLen)
	}
	if len(key) < MinKeyLen {
		return fmt.Errorf("%w: key %q is %d bytes, at least %d needed", ErrBadKeyring, id, len(key), MinKeyLen)
	}
	return nil
}

func validKeyID(id string) bool {
	if len(id) < 1 || len(id) > maxKeyIDLen {
		return false
	}
	for i := 0; i < len(id); i++ {
		if c := id[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

// Current is the id of the key that issues new agreement numbers.
func (k *Keyring) Current() string {
	k.mu.RLock()
	defer k.mu.RUnlock()
	return k.current
}

// IDs lists the accepted key ids, sorted.
func (k *Keyring) IDs() []string {
	k.mu.RLock()
	defer k.mu.RUnlock()
	ids := make([]string, 0, len(k.keys))
	for id := range k.keys {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// Rotate adds a fresh random key under newID and makes it current. Older keys stay, so
// agreements already on invoices keep verifying. Persist the ring with Save (or use
// RotateFile).
func (k *Keyring) Rotate(newID string) error {
	key := make([]byte, MinKeyLen)
	if _, err := rand.Read(key); err != nil {
		return fmt.Errorf("agreement: random key: %w", err)
	}
	return k.AddKey(newID, key, true)
}

// AddKey adds key under id; current makes it the issuing key. An id already in the ring is
// refused: reusing it with another key would turn old agreements into "tampered" ones.
func (k *Keyring) AddKey(id string, key []byte, current bool) error {
	if err := checkKey(id, key); err != nil {
		return err
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	if _, ok := k.keys[id]; ok {
		return fmt.Errorf("%w: key id %q is already in the ring", ErrBadKeyring, id)
	}
	if len(k.keys) >= maxKeys {
		return fmt.Errorf("%w: already %d keys (remove retired keys)", ErrBadKeyring, maxKeys)
	}
	k.keys[id] = slices.Clone(key)
	if current {
		k.current = id
	}
	return nil
}

// Remove retires a key: agreements issued with it no longer verify (ErrUnknownKey). The
// current key cannot be removed.
func (k *Keyring) Remove(id string) error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if id == k.current {
		return fmt.Errorf("%w: key %q is current; rotate first", ErrBadKeyring, id)
	}
	if _, ok := k.keys[id]; !ok {
		return fmt.Errorf("%w: no key %q", ErrBadKeyring, id)
	}
	delete(k.keys, id)
	return nil
}

// NextID proposes an id for the next rotation: "k" followed by one more than the largest
// number among ids of the form k<number>.
func (k *Keyring) NextID() string {
	k.mu.RLock()
	defer k.mu.RUnlock()
	next := 1
	for id := range k.keys {
		if len(id) > 1 && id[0] == 'k' {
			if n, err := strconv.Atoi(id[1:]); err == nil && n >= next {
				next = n + 1
			}
		}
	}
	return "k" + strconv.Itoa(next)
}

// key returns the key for id, or nil.
func (k *Keyring) key(id string) []byte {
	k.mu.RLock()
	defer k.mu.RUnlock()
	return k.keys[id]
}

// currentKey returns the current id and key together (one lock, so a concurrent Rotate
// cannot pair an id with another id's key).
func (k *Keyring) currentKey() (string, []byte) {
	k.mu.RLock()
	defer k.mu.RUnlock()
	return k.current, k.keys[k.current]
}
