package trust

import (
	"bytes"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/carmed/carmed/rules"
)

// FileVersion is the only trust file version understood.
const FileVersion = 1

// The trust file, as written on disk. Entries are decoded one by one so errors can name them.
type fileDoc struct {
	Version      int               `json:"version"`
	Parties      []json.RawMessage `json:"parties"`
	Certificates []string          `json:"certificates"`
	// TokenIssuers are the SAML token services whose assertions the provider faces accept (saml.go).
	TokenIssuers []fileIssuer `json:"tokenIssuers"`
}

type fileParty struct {
	Kind         Kind   `json:"kind"`
	ID           string `json:"id"`
	NameFr       string `json:"nameFr"`
	NameNl       string `json:"nameNl"`
	Name         string `json:"name"`
	INS          string `json:"ins"`
	ProviderKind string `json:"providerKind"`
	// BirthDate (YYYY-MM-DD) and GPExceptions are a provider's record for the GP billing routes
	// (rules.md R-GP-ROUTE): the age exception reads the birth date, and the exceptions a GP
	// declared once apply to all its lines. Both optional.
	BirthDate    string     `json:"birthDate"`
	GPExceptions []string   `json:"gpExceptions"`
	Match        *fileMatch `json:"match"`
}

type fileMatch struct {
	SPKISHA256 string `json:"spkiSha256"`
	CA         string `json:"ca"`
	Subject    string `json:"subject"`
}

// FileError is a trust file that cannot be used. Entry names the place ("parties[2]",
// "certificates[0]"), empty for the file as a whole.
type FileError struct {
	Entry string
	Msg   string
	Err   error // underlying cause, may be nil
}

func (e *FileError) Error() string {
	var b strings.Builder
	b.WriteString("trust file")
	if e.Entry != "" {
		b.WriteString(": " + e.Entry)
	}
	b.WriteString(": " + e.Msg)
	if e.Err != nil {
		b.WriteString(": " + e.Err.Error())
	}
	return b.String()
}

func (e *FileError) Unwrap() error { return e.Err }

// Load reads and parses a trust file; relative CA and certificate paths are resolved
// against the file's directory.
func Load(path string) (*Store, error) {
	data, err := readLimited(path, maxTrustFileBytes)
	if err != nil {
		return nil, &FileError{Msg: "cannot read", Err: err}
	}
	return Parse(data, filepath.Dir(path))
}

// Parse parses a trust file strictly: unknown fields, duplicate ids or pins, malformed
// identifiers and unreadable CA or certificate files are errors.
func Parse(data []byte, baseDir string) (*Store, error) {
	var doc fileDoc
	if err := decodeStrict(data, &doc); err != nil {
		return nil, &FileError{Msg: "not a valid trust document", Err: err}
	}
	if doc.Version != FileVersion {
		return nil, &FileError{Msg: fmt.Sprintf("version must be %d", FileVersion)}
	}
	if len(doc.Parties) == 0 {
		return nil, &FileError{Msg: "no parties"}
	}
	s := &Store{
		byPin:     map[[sha256.Size]byte]int{},
		bySubject: map[string][]int{},
		cpas:      map[string]int{},
		byIssuer:  map[string]*x509.Certificate{},
		bySKI:     map[string]*x509.Certificate{},
		byThumb:   map[[sha1.Size]byte]*x509.Certificate{},
	}
	pools := map[string]*x509.CertPool{} // CA file → pool, shared by the entries naming it
	ids := map[string]int{}
	subjects := map[string]int{} // CA path + subject → entry, for duplicates
	for i, raw := range doc.Parties {
		entry := fmt.Sprintf("parties[%d]", i)
		var fp fileParty
		if err := decodeStrict(raw, &fp); err != nil {
			return nil, &FileError{Entry: entry, Msg: "invalid entry", Err: err}
		}
		if msg := checkParty(&fp); msg != "" {
			return nil, &FileError{Entry: entry, Msg: msg}
		}
		if j, dup := ids[fp.ID]; dup {
			return nil, &FileError{Entry: entry, Msg: fmt.Sprintf("id %q already used by parties[%d]", fp.ID, j)}
		}
		ids[fp.ID] = i
		var pool *x509.CertPool
		m := fp.Match
		if m.SPKISHA256 != "" {
			var pin [sha256.Size]byte
			if b, err := hex.DecodeString(m.SPKISHA256); err != nil || len(b) != sha256.Size {
				return nil, &FileError{Entry: entry, Msg: "match.spkiSha256 must be 64 hex digits"}
			} else {
				copy(pin[:], b)
			}
			if j, dup := s.byPin[pin]; dup {
				return nil, &FileError{Entry: entry, Msg: fmt.Sprintf("match.spkiSha256 already pinned by parties[%d]", j)}
			}
			s.byPin[pin] = i
		} else {
			d, err := parseDN(m.Subject)
			if err != nil || len(d) == 0 {
				return nil, &FileError{Entry: entry, Msg: "match.subject is not a distinguished name"}
			}
			caPath := resolve(baseDir, m.CA)
			if pool = pools[caPath]; pool == nil {
				certs, err := readCerts(caPath)
				if err != nil {
					return nil, &FileError{Entry: entry, Msg: fmt.Sprintf("match.ca %q", m.CA), Err: err}
				}
				pool = x509.NewCertPool()
				for _, c := range certs {
					pool.AddCert(c)
				}
				pools[caPath] = pool
			}
			key := d.key(false)
			if j, dup := subjects[caPath+"\x00"+key]; dup {
				return nil, &FileError{Entry: entry, Msg: fmt.Sprintf("match.ca and match.subject already used by parties[%d]", j)}
			}
			subjects[caPath+"\x00"+key] = i
			s.bySubject[key] = append(s.bySubject[key], i)
		}
		s.roots = append(s.roots, pool)
		p := Party{Kind: fp.Kind, ID: fp.ID, NameFr: fp.NameFr, NameNl: fp.NameNl, Name: fp.Name,
			INS: fp.INS, ProviderKind: fp.ProviderKind, BirthDate: fp.BirthDate, GPExceptions: fp.GPExceptions}
		s.parties = append(s.parties, p)
		if p.Kind == KindCPAS {
			s.cpas[p.ID] = i
		}
	}
	if err := s.loadCertificates(doc.Certificates, baseDir); err != nil {
		return nil, err
	}
	if err := s.loadIssuers(doc.TokenIssuers, baseDir); err != nil {
		return nil, err
	}
	return s, nil
}

// checkParty validates one entry's fields for its kind; it returns a message or "".
func checkParty(p *fileParty) string {
	switch p.Kind {
	case KindCPAS:
		switch {
		case !ValidCBE(p.ID):
			return "id must be a CBE number (10 digits, valid mod-97 check)"
		case p.NameFr == "" || p.NameNl == "":
			return "nameFr and nameNl are required for a cpas"
		case !ValidINS(p.INS):
			return "ins must be a 5-digit municipality code"
		case p.Name != "" || p.ProviderKind != "" || p.BirthDate != "" || len(p.GPExceptions) > 0:
			return "name, providerKind, birthDate and gpExceptions are not allowed for a cpas"
		}
	case KindProvider:
		switch p.ProviderKind {
		case ProviderTransport, ProviderProsthesis:
			if !ValidCBE(p.ID) {
				return "id must be a CBE number for a " + p.ProviderKind + " provider"
			}
		case ProviderDoctor, ProviderDentist, ProviderPharmacy, ProviderParamedic:
			if !ValidNIHII(p.ID) {
				return "id must be a NIHII number (8 or 11 digits)"
			}
		case ProviderHospital:
			if !ValidNIHII(p.ID) || !(strings.HasPrefix(p.ID, "710") || strings.HasPrefix(p.ID, "720")) {
				return "id must be a care-establishment NIHII number (starting with 710 or 720)"
			}
		default:
			return "providerKind must be one of doctor, dentist, hospital, pharmacy, paramedic, transport, prosthesis"
		}
		if p.NameFr != "" || p.NameNl != "" || p.INS != "" {
			return "nameFr, nameNl and ins are only allowed for a cpas"
		}
		if msg := checkProviderRecord(p); msg != "" {
			return msg
		}
	case KindAdmin:
		if p.BirthDate != "" || len(p.GPExceptions) > 0 {
			return "birthDate and gpExceptions are only allowed for a provider"
		}
		if !validAdminID(p.ID) {
			return "id must be 1 to 64 letters, digits, '.', '_' or '-'"
		}
		if p.NameFr != "" || p.NameNl != "" || p.INS != "" || p.ProviderKind != "" {
			return "nameFr, nameNl, ins and providerKind are not allowed for an admin"
		}
	default:
		return "kind must be cpas, provider or admin"
	}
	m := p.Match
	switch {
	case m == nil:
		return "match is required"
	case m.SPKISHA256 != "" && (m.CA != "" || m.Subject != ""):
		return "match takes either spkiSha256 or ca and subject, not both"
	case m.SPKISHA256 == "" && (m.CA == "" || m.Subject == ""):
		return "match needs spkiSha256, or both ca and subject"
	}
	return ""
}

// checkProviderRecord validates a provider's optional record: a real calendar date, and GP
// exceptions (rules.GPExceptions) for a doctor only, each once.
func checkProviderRecord(p *fileParty) string {
	if p.BirthDate != "" {
		if _, err := rules.ParseDate(p.BirthDate); err != nil {
			return "birthDate must be a date YYYY-MM-DD"
		}
	}
	if len(p.GPExceptions) > 0 && p.ProviderKind != ProviderDoctor {
		return "gpExceptions are only allowed for a doctor"
	}
	seen := map[string]bool{}
	for _, e := range p.GPExceptions {
		if !slices.Contains(rules.GPExceptions, rules.GPException(e)) || seen[e] {
			return "gpExceptions must be distinct values of " + fmt.Sprint(rules.GPExceptions)
		}
		seen[e] = true
	}
	return ""
}

func validAdminID(s string) bool {
	if len(s) == 0 || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-') {
			return false
		}
	}
	return true
}

// loadCertificates reads the "certificates" list: the certificates the verifier may resolve
// X509IssuerSerial, SKI and thumbprint references to, also offered as intermediates for CA matches.
func (s *Store) loadCertificates(files []string, baseDir string) error {
	s.intermediates = x509.NewCertPool()
	seen := map[string]int{}
	for i, f := range files {
		entry := fmt.Sprintf("certificates[%d]", i)
		certs, err := readCerts(resolve(baseDir, f))
		if err != nil {
			return &FileError{Entry: entry, Msg: fmt.Sprintf("%q", f), Err: err}
		}
		for _, c := range certs {
			if j, dup := seen[string(c.Raw)]; dup {
				return &FileError{Entry: entry, Msg: fmt.Sprintf("%q repeats a certificate of certificates[%d]", f, j)}
			}
			seen[string(c.Raw)] = i
			s.addLookup(c)
		}
	}
	return nil
}

func resolve(baseDir, p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(baseDir, p)
}

// readCerts reads every CERTIFICATE block of a PEM file; anything else in it is an error.
func readCerts(path string) ([]*x509.Certificate, error) {
	data, err := readLimited(path, maxPEMFileBytes)
	if err != nil {
		return nil, err
	}
	var certs []*x509.Certificate
	for {
		var b *pem.Block
		b, data = pem.Decode(data)
		if b == nil {
			break
		}
		if b.Type != "CERTIFICATE" {
			return nil, fmt.Errorf("unexpected PEM block %q", b.Type)
		}
		c, err := x509.ParseCertificate(b.Bytes)
		if err != nil {
			return nil, err
		}
		certs = append(certs, c)
	}
	if len(bytes.TrimSpace(data)) != 0 {
		return nil, errors.New("trailing data after the PEM blocks")
	}
	if len(certs) == 0 {
		return nil, errors.New("no PEM certificate")
	}
	return certs, nil
}

func readLimited(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("larger than %d bytes", limit)
	}
	return data, nil
}

// decodeStrict decodes exactly one JSON value with no unknown fields.
func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("data after the JSON value")
	}
	return nil
}
