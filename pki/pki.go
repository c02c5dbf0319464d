// Package pki generates the demo PKI of `carmed pki init`: a CA, the gateway's key, one
// certificate per demo party, and the trust file that maps them to parties. The keys are
// unencrypted and meant for demonstrations and tests only.
package pki

import (
	"crypto"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/carmed/carmed/trust"
)

// Gateway key types accepted by Options.GatewayKey.
const (
	GatewayRSA   = "rsa"   // RSA-2048: understood by every client; ~0.8 ms a signature
	GatewayECDSA = "ecdsa" // P-256: tens of microseconds a signature
)

// Party key types accepted by Options.PartyKey.
const (
	// PartyRSA is RSA-2048: every client stack signs with it (node-soap's signer knows
	// nothing else), and 2048 bits keeps pki init fast.
	PartyRSA = "rsa"
	// PartyECDSA is P-256, for stacks that sign with ECDSA (zeep with python-xmlsec, WSS4J,
	// xmlsec1).
	PartyECDSA = "ecdsa"
)

// File names written in Options.Dir.
const (
	CACertFile      = "ca.crt"
	CAKeyFile       = "ca.key"
	GatewayCertFile = "gateway.crt"
	GatewayKeyFile  = "gateway.key"
	TrustFile       = "trust.json"
	ReadmeFile      = "README.md"
)

// File modes: private keys readable by the owner only.
const (
	keyMode  fs.FileMode = 0o600
	fileMode fs.FileMode = 0o644
	dirMode  fs.FileMode = 0o755
)

// ErrExists is returned when Dir already holds a trust file and Force is off.
var ErrExists = errors.New("pki: a trust file already exists (use force to overwrite)")

// Options of Init.
type Options struct {
	Dir string
	// GatewayKey is GatewayRSA or GatewayECDSA; empty means RSA, the choice every client
	// that verifies answers understands.
	GatewayKey string
	// PartyKey is PartyRSA or PartyECDSA, the key type of every demo party; empty means
	// RSA, the one every client stack can sign with.
	PartyKey string
	// PartyKeys overrides PartyKey for the parties it names (demo party name → key type), so
	// one PKI can hold both kinds (the server tests sign with RSA and P-256 parties side by side).
	PartyKeys map[string]string
	// Now anchors the validity periods; zero means the current time.
	Now time.Time
	// Force overwrites an existing PKI directory.
	Force bool
}

// Result describes what Init wrote; paths are Dir joined with the file names.
type Result struct {
	Dir         string
	CACert      string
	GatewayCert string
	GatewayKey  string
	STSCert     string // the token service's (face/sts)
	STSKey      string
	TrustFile   string
	Parties     []DemoParty
}

// DemoParty is one generated party.
type DemoParty struct {
	Name     string // file stem, e.g. "cpas-namur"
	Kind     trust.Kind
	ID       string // CBE, NIHII or admin id
	CertFile string
	KeyFile  string
}

// Init writes the demo PKI to o.Dir. The trust file is written last and checked by parsing
// it, so a directory with a trust.json is complete.
func Init(o Options) (*Result, error) {
	if o.Dir == "" {
		return nil, errors.New("pki: no directory given")
	}
	useRSA := true
	switch o.GatewayKey {
	case "", GatewayRSA:
	case GatewayECDSA:
		useRSA = false
	default:
		return nil, fmt.Errorf("pki: gateway key type %q: want %q or %q", o.GatewayKey, GatewayRSA, GatewayECDSA)
	}
	partyRSA, err := isRSA("party", o.PartyKey)
	if err != nil {
		return nil, err
	}
	rsaOf := map[string]bool{}
	for _, p := range demoParties {
		rsaOf[p.name] = partyRSA
	}
	for name, kind := range o.PartyKeys {
		if _, ok := rsaOf[name]; !ok {
			return nil, fmt.Errorf("pki: party key type for %q: no such demo party", name)
		}
		if rsaOf[name], err = isRSA(name, kind); err != nil {
			return nil, err
		}
	}
	now := o.Now
	if now.IsZero() {
		now = time.Now()
	}
	if err := os.MkdirAll(o.Dir, dirMode); err != nil {
		return nil, fmt.Errorf("pki: %w", err)
	}
	trustPath := filepath.Join(o.Dir, TrustFile)
	if _, err := os.Stat(trustPath); err == nil && !o.Force {
		return nil, fmt.Errorf("%w: %s", ErrExists, trustPath)
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("pki: %w", err)
	}

	w := writer{dir: o.Dir}
	res := &Result{Dir: o.Dir, CACert: w.path(CACertFile), GatewayCert: w.path(GatewayCertFile),
		GatewayKey: w.path(GatewayKeyFile), STSCert: w.path(STSCertFile), STSKey: w.path(STSKeyFile), TrustFile: trustPath}

	caKey, err := newKey(false)
	if err != nil {
		return nil, fmt.Errorf("pki: CA key: %w", err)
	}
	ca, err := issue(caTemplate(now), caKey.Public(), nil, caKey)
	if err != nil {
		return nil, fmt.Errorf("pki: CA certificate: %w", err)
	}
	w.pair(CACertFile, CAKeyFile, ca, caKey)

	gwKey, err := newKey(useRSA)
	if err != nil {
		return nil, fmt.Errorf("pki: gateway key: %w", err)
	}
	gw, err := issue(gatewayTemplate(now, useRSA), gwKey.Public(), ca, caKey)
	if err != nil {
		return nil, fmt.Errorf("pki: gateway certificate: %w", err)
	}
	w.pair(GatewayCertFile, GatewayKeyFile, gw, gwKey)

	stsKey, sts, err := stsPair(now, ca, caKey)
	if err != nil {
		return nil, err
	}
	w.pair(STSCertFile, STSKeyFile, sts, stsKey)

	certs := make([]*x509.Certificate, len(demoParties))
	for i, p := range demoParties {
		key, err := newKey(rsaOf[p.name])
		if err != nil {
			return nil, fmt.Errorf("pki: %s key: %w", p.name, err)
		}
		c, err := issue(clientTemplate(now, p.subject), key.Public(), ca, caKey)
		if err != nil {
			return nil, fmt.Errorf("pki: %s certificate: %w", p.name, err)
		}
		certs[i] = c
		w.pair(p.name+".crt", p.name+".key", c, key)
		res.Parties = append(res.Parties, DemoParty{Name: p.name, Kind: p.kind, ID: p.id,
			CertFile: w.path(p.name + ".crt"), KeyFile: w.path(p.name + ".key")})
	}

	doc, err := trustJSON(certs)
	if err != nil {
		return nil, err
	}
	w.file(ReadmeFile, readme(useRSA, partyRSA, rsaOf, certs, now), fileMode)
	if w.err != nil {
		return nil, w.err
	}
	if _, err := trust.Parse(doc, o.Dir); err != nil {
		return nil, fmt.Errorf("pki: generated trust file does not load: %w", err)
	}
	w.file(TrustFile, doc, fileMode)
	if w.err != nil {
		return nil, w.err
	}
	return res, nil
}

// isRSA reads a party key type: PartyRSA (or empty) or PartyECDSA.
func isRSA(who, kind string) (bool, error) {
	switch kind {
	case "", PartyRSA:
		return true, nil
	case PartyECDSA:
		return false, nil
	}
	return false, fmt.Errorf("pki: %s key type %q: want %q or %q", who, kind, PartyRSA, PartyECDSA)
}

// trustJSON writes the trust file for the demo parties (certs in demoParties order).
func trustJSON(certs []*x509.Certificate) ([]byte, error) {
	type match struct {
		SPKISHA256 string `json:"spkiSha256,omitempty"`
		CA         string `json:"ca,omitempty"`
		Subject    string `json:"subject,omitempty"`
	}
	type party struct {
		Kind         trust.Kind `json:"kind"`
		ID           string     `json:"id"`
		NameFr       string     `json:"nameFr,omitempty"`
		NameNl       string     `json:"nameNl,omitempty"`
		INS          string     `json:"ins,omitempty"`
		Name         string     `json:"name,omitempty"`
		ProviderKind string     `json:"providerKind,omitempty"`
		BirthDate    string     `json:"birthDate,omitempty"`
		Match        match      `json:"match"`
	}
	type issuer struct {
		Name        string `json:"name"`
		Certificate string `json:"certificate"`
	}
	doc := struct {
		Version      int      `json:"version"`
		Parties      []party  `json:"parties"`
		Certificates []string `json:"certificates"`
		TokenIssuers []issuer `json:"tokenIssuers"`
	}{Version: trust.FileVersion, TokenIssuers: []issuer{{Name: trust.IssuerSTS, Certificate: STSCertFile}}}
	for i, p := range demoParties {
		m := match{SPKISHA256: trust.SPKISHA256(certs[i])}
		if p.kind == trust.KindProvider {
			m = match{CA: CACertFile, Subject: certs[i].Subject.String()}
		}
		doc.Parties = append(doc.Parties, party{Kind: p.kind, ID: p.id, NameFr: p.nameFr, NameNl: p.nameNl,
			INS: p.ins, Name: p.display, ProviderKind: p.providerKind, BirthDate: p.birthDate, Match: m})
		doc.Certificates = append(doc.Certificates, p.name+".crt")
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("pki: trust file: %w", err)
	}
	return append(b, '\n'), nil
}

// writer writes files into dir, keeping the first error so the sequence reads straight.
type writer struct {
	dir string
	err error
}

func (w *writer) path(name string) string { return filepath.Join(w.dir, name) }

func (w *writer) pair(certName, keyName string, c *x509.Certificate, key crypto.Signer) {
	if w.err != nil {
		return
	}
	k, err := keyPEM(key)
	if err != nil {
		w.err = fmt.Errorf("pki: %s: %w", keyName, err)
		return
	}
	w.file(keyName, k, keyMode)
	w.file(certName, certPEM(c), fileMode)
}

// file replaces name atomically (temporary file + rename), so an overwritten key file
// gets the mode asked for rather than keeping the old file's.
func (w *writer) file(name string, data []byte, mode fs.FileMode) {
	if w.err != nil {
		return
	}
	w.err = writeAtomic(w.path(name), data, mode)
}

func writeAtomic(path string, data []byte, mode fs.FileMode) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("pki: %w", err)
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
			err = fmt.Errorf("pki: %s: %w", filepath.Base(path), err)
		}
	}()
	if err = f.Chmod(mode); err != nil {
		return err
	}
	if _, err = f.Write(data); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}
