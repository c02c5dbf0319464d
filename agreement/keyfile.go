package agreement

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// maxKeyFileSize bounds what LoadKeyring reads: a full ring of base64 keys is about 2 KiB.
const maxKeyFileSize = 64 << 10

// keyFileMode is the only acceptable permission on a key file: whoever reads the keys can
// forge payment commitments.
const keyFileMode = 0o600

// ErrKeyFileMode is returned by LoadKeyring for a key file that group or others can access.
var ErrKeyFileMode = errors.New("agreement keyring: key file is accessible to group or others")

// firstKeyID is the id WriteNewKeyring gives the first key.
const firstKeyID = "k1"

// keyFile is the JSON form: {"current":"k2","keys":{"k1":"<base64>","k2":"<base64>"}}.
type keyFile struct {
	Current string            `json:"current"`
	Keys    map[string]string `json:"keys"`
}

// LoadKeyring reads a key file. It refuses a file that group or others may access (chmod
// 600 it), unknown fields, keys that are not standard base64 or shorter than MinKeyLen
// bytes, and a current id that names no key.
func LoadKeyring(path string) (*Keyring, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("agreement keyring: %w", err)
	}
	defer f.Close()
	// Stat the open file, not the path, so the mode checked is that of the bytes read.
	st, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("agreement keyring: %w", err)
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%w: %s is not a regular file", ErrBadKeyring, path)
	}
	if perm := st.Mode().Perm(); perm&0o077 != 0 {
		return nil, fmt.Errorf("%w: %s has mode %04o; run chmod 600 on it", ErrKeyFileMode, path, perm)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxKeyFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("agreement keyring: %w", err)
	}
	if len(data) > maxKeyFileSize {
		return nil, fmt.Errorf("%w: %s is larger than %d bytes", ErrBadKeyring, path, maxKeyFileSize)
	}
	return parseKeyFile(path, data)
}

func parseKeyFile(path string, data []byte) (*Keyring, error) {
	var kf keyFile
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&kf); err != nil {
		// json errors quote offsets and types, not key material.
		return nil, fmt.Errorf("%w: %s: not a key file: %v", ErrBadKeyring, path, err)
	}
	if dec.Decode(&struct{}{}) != io.EOF {
		return nil, fmt.Errorf("%w: %s: data after the JSON object", ErrBadKeyring, path)
	}
	keys := make(map[string][]byte, len(kf.Keys))
	for id, b64 := range kf.Keys {
		key, err := base64.StdEncoding.DecodeString(b64)
		if err != nil {
			if !validKeyID(id) {
				return nil, fmt.Errorf("%w: %s: a key id is not 1 to %d characters of [a-z0-9]", ErrBadKeyring, path, maxKeyIDLen)
			}
			return nil, fmt.Errorf("%w: %s: key %q is not standard base64", ErrBadKeyring, path, id)
		}
		keys[id] = key
	}
	k, err := NewKeyring(kf.Current, keys)
	if err != nil {
		return nil, fmt.Errorf("%w (in %s)", err, path)
	}
	return k, nil
}

// WriteNewKeyring creates a key file holding one fresh random key ("k1", current), mode
// 0600. It refuses to overwrite an existing file: replacing keys would void every
// agreement already copied onto an invoice.
func WriteNewKeyring(path string) (*Keyring, error) {
	key := make([]byte, MinKeyLen)
	if _, err := rand.Read(key); err != nil {
		return nil, fmt.Errorf("agreement: random key: %w", err)
	}
	k, err := NewKeyring(firstKeyID, map[string][]byte{firstKeyID: key})
	if err != nil {
		return nil, err
	}
	data, err := k.marshal()
	if err != nil {
		return nil, err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, keyFileMode)
	if err != nil {
		return nil, fmt.Errorf("agreement keyring: %w", err)
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(path)
		return nil, fmt.Errorf("agreement keyring: %w", err)
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return nil, fmt.Errorf("agreement keyring: %w", err)
	}
	return k, nil
}

// Save writes the ring to path atomically (a 0600 temporary file in the same folder,
// synced, then renamed), replacing any previous file.
func (k *Keyring) Save(path string) error {
	data, err := k.marshal()
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".agreement-keys-*")
	if err != nil {
		return fmt.Errorf("agreement keyring: %w", err)
	}
	defer os.Remove(tmp.Name()) // no-op after the rename
	// CreateTemp already makes 0600 files; Chmod states it and survives a different umask
	// policy.
	if err := tmp.Chmod(keyFileMode); err != nil {
		tmp.Close()
		return fmt.Errorf("agreement keyring: %w", err)
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("agreement keyring: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("agreement keyring: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("agreement keyring: %w", err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("agreement keyring: %w", err)
	}
	return nil
}

// RotateFile loads the key file at path, adds a fresh current key (newID, or NextID when
// empty), saves it, and returns the new ring.
func RotateFile(path, newID string) (*Keyring, error) {
	k, err := LoadKeyring(path)
	if err != nil {
		return nil, err
	}
	if newID == "" {
		newID = k.NextID()
	}
	if err := k.Rotate(newID); err != nil {
		return nil, err
	}
	if err := k.Save(path); err != nil {
		return nil, err
	}
	return k, nil
}

func (k *Keyring) marshal() ([]byte, error) {
	k.mu.RLock()
	kf := keyFile{Current: k.current, Keys: make(map[string]string, len(k.keys))}
	for id, key := range k.keys {
		kf.Keys[id] = base64.StdEncoding.EncodeToString(key)
	}
	k.mu.RUnlock()
	// encoding/json sorts map keys, so the file is stable from one save to the next.
	data, err := json.MarshalIndent(kf, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("agreement keyring: %w", err)
	}
	return append(data, '\n'), nil
}
