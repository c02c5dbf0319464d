package gateway

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/carmed/carmed/rules"
)

// The tenants' files, all under TenantOptions.Dir:
//
//	tenants.json        the index: every tenant's name, folder, initial date and current store file
//	NAME-RANDOM/        one folder per tenant (a fresh random suffix each time a name is created,
//	                    so a deleted tenant still draining never shares files with its successor)
//	  registry.json     the persons a reset loads again
//	  trust.json        its own parties, when it has them
//	  world-RANDOM.db   its store; a reset opens a new one and drops the old once drained
const (
	indexFile     = "tenants.json"
	registryFile  = "registry.json"
	trustFileName = "trust.json"
	indexVersion  = 1
)

// tenantMeta is a tenant's entry of the index.
type tenantMeta struct {
	Name     string    `json:"name"`
	Dir      string    `json:"dir"`   // folder under the tenants' directory
	World    string    `json:"world"` // current store file in Dir
	Today    string    `json:"today"` // the business date a reset returns to, YYYY-MM-DD
	Advance  bool      `json:"advance"`
	OwnTrust bool      `json:"ownTrust"`
	Created  time.Time `json:"created"`
}

type indexDoc struct {
	Version int          `json:"version"`
	Tenants []tenantMeta `json:"tenants"`
}

// registryDoc is a tenant's registry.json: the persons in the rules' own form.
type registryDoc struct {
	Version int            `json:"version"`
	Persons []rules.Person `json:"persons"`
}

func readIndex(dir string) ([]tenantMeta, error) {
	b, err := readSmall(filepath.Join(dir, indexFile))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var doc indexDoc
	if err := decodeStrict(b, &doc); err != nil || doc.Version != indexVersion {
		return nil, fmt.Errorf("%s: not a version %d tenant index: %v", indexFile, indexVersion, err)
	}
	return doc.Tenants, nil
}

func writeIndex(dir string, ms []tenantMeta) error {
	return writeJSON(filepath.Join(dir, indexFile), indexDoc{Version: indexVersion, Tenants: ms})
}

func readRegistry(path string) ([]rules.Person, error) {
	b, err := readSmall(path)
	if err != nil {
		return nil, err
	}
	var doc registryDoc
	if err := decodeStrict(b, &doc); err != nil || doc.Version != indexVersion {
		return nil, fmt.Errorf("%s: not a tenant registry: %v", path, err)
	}
	return doc.Persons, nil
}

func writeRegistry(path string, ps []rules.Person) error {
	if ps == nil {
		ps = []rules.Person{}
	}
	return writeJSON(path, registryDoc{Version: indexVersion, Persons: ps})
}

// writeJSON replaces path whole: written beside it, synced, renamed over it.
func writeJSON(path string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	return writeFileAtomic(path, b)
}

func writeFileAtomic(path string, b []byte) error {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

func readSmall(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxTenantFileBytes+1))
	if err != nil {
		return nil, err
	}
	if len(b) > maxTenantFileBytes {
		return nil, fmt.Errorf("%s: larger than %d bytes", path, maxTenantFileBytes)
	}
	return b, nil
}

func decodeStrict(b []byte, v any) error {
	d := json.NewDecoder(bytes.NewReader(b))
	d.DisallowUnknownFields()
	return d.Decode(v)
}

// randomSuffix names a tenant's folder or store file uniquely.
func randomSuffix() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// pinnedOnly refuses a tenant trust file that names files (match.ca, certificates, the token
// service certificates of tokenIssuers): those paths would be read on the gateway's machine, at a
// remote admin's choosing. SPKI pins need no file. A tenant with parties of its own therefore
// accepts no SAML tokens; one that keeps the gateway's trust keeps its token service.
func pinnedOnly(b []byte) error {
	var doc struct {
		Parties []struct {
			Match *struct {
				SPKISHA256 string `json:"spkiSha256"`
				CA         string `json:"ca"`
				Subject    string `json:"subject"`
			} `json:"match"`
		} `json:"parties"`
		Certificates []string          `json:"certificates"`
		TokenIssuers []json.RawMessage `json:"tokenIssuers"`
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		return fmt.Errorf("not JSON: %v", err)
	}
	if len(doc.Certificates) > 0 {
		return errors.New("certificates: a tenant's trust file names no files")
	}
	if len(doc.TokenIssuers) > 0 {
		return errors.New("tokenIssuers: a tenant's trust file names no files")
	}
	for i, p := range doc.Parties {
		if p.Match == nil || p.Match.SPKISHA256 == "" || p.Match.CA != "" || p.Match.Subject != "" {
			return fmt.Errorf("parties[%d]: a tenant's parties are pinned by match.spkiSha256 only", i)
		}
	}
	return nil
}
