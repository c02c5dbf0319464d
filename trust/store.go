package trust

import (
	"crypto/sha1"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"time"
)

// Store is a parsed trust file.
type Store struct {
	parties []Party // file order
	byPin   map[[sha256.Size]byte]int
	// bySubject indexes CA+subject entries by the canonical form of their subject; several
	// entries may share a subject under different CAs.
	bySubject map[string][]int
	roots     []*x509.CertPool // per party; nil for pinned parties
	cpas      map[string]int   // CBE → party index

	certs         []*x509.Certificate // the "certificates" list
	intermediates *x509.CertPool      // the same, offered as chain builders
	byIssuer      map[string]*x509.Certificate
	bySKI         map[string]*x509.Certificate
	byThumb       map[[sha1.Size]byte]*x509.Certificate

	chains   chainCache
	subjects subjectCache

	issuers []TokenIssuer // "tokenIssuers": SAML token services (saml.go)
}

// Party returns the party the certificate belongs to. The certificate must be within its
// validity period at now and match exactly one entry: its key pinned, or its chain ending at
// an entry's CA with that entry's subject. Every refusal wraps ErrUntrusted.
func (s *Store) Party(cert *x509.Certificate, now time.Time) (Party, error) {
	return s.PartyWithPath(cert, nil, now)
}

// PartyWithPath is Party for a certificate that came with the issuing certificates of a
// X509PKIPathv1 token (issuer first). They are offered, beside the file's "certificates", as
// intermediates towards an entry's CA; they never make a certificate trusted by themselves, and
// a pinned key matches with or without them.
func (s *Store) PartyWithPath(cert *x509.Certificate, path []*x509.Certificate, now time.Time) (Party, error) {
	if cert == nil {
		return Party{}, &untrustedError{reason: "no certificate"}
	}
	sum := sha256.Sum256(cert.Raw)
	fp := hex.EncodeToString(sum[:])
	if now.Before(cert.NotBefore) || now.After(cert.NotAfter) {
		return Party{}, &untrustedError{reason: "cert sha256 " + fp, cause: ErrExpired}
	}
	var found []int
	if i, ok := s.byPin[sha256.Sum256(cert.RawSubjectPublicKeyInfo)]; ok {
		found = append(found, i)
	}
	if len(s.bySubject) > 0 {
		if cands := s.bySubject[s.subjects.of(cert)]; len(cands) > 0 {
			found = append(found, s.verifiedEntries(cert, path, cands, now)...)
		}
	}
	switch len(found) {
	case 0:
		return Party{}, &untrustedError{reason: "no trust entry matches cert sha256 " + fp}
	case 1:
		p := s.parties[found[0]]
		p.CertSHA256 = fp
		return p, nil
	default:
		// Two entries claiming one certificate is a configuration mistake; picking one would
		// hand out a role the operator may not have meant.
		return Party{}, &untrustedError{reason: "several trust entries match cert sha256 " + fp}
	}
}

// verifiedEntries returns the CA+subject entries among cands whose CA the certificate
// chains to at now, through the file's certificates and those of path.
func (s *Store) verifiedEntries(cert *x509.Certificate, path []*x509.Certificate, cands []int, now time.Time) []int {
	key := chainKey(cert, path)
	if entries, ok := s.chains.get(key, now); ok {
		return entries
	}
	inter := s.intermediates
	if len(path) > 0 {
		inter = s.intermediates.Clone()
		for _, c := range path {
			inter.AddCert(c)
		}
	}
	var entries []int
	from, to := cert.NotBefore, cert.NotAfter
	for _, i := range cands {
		opts := x509.VerifyOptions{
			Roots:         s.roots[i],
			Intermediates: inter,
			CurrentTime:   now,
			KeyUsages:     []x509.ExtKeyUsage{x509.ExtKeyUsageAny},
		}
		// The verification error is dropped on purpose: its text names subjects.
		chains, err := cert.Verify(opts)
		if err != nil {
			continue
		}
		entries = append(entries, i)
		from, to = narrow(from, to, chains[0])
	}
	if len(entries) > 0 {
		s.chains.put(key, chainResult{entries: entries, from: from, to: to})
	}
	return entries
}

// Check reports whether the certificate, with the issuers of its PKIPath token if any, belongs
// to a party at now (see PartyWithPath).
func (s *Store) Check(cert *x509.Certificate, path []*x509.Certificate, now time.Time) error {
	_, err := s.PartyWithPath(cert, path, now)
	return err
}

// CPAS returns the CPAS with that CBE number, for messages that name another CPAS.
func (s *Store) CPAS(cbe string) (Party, bool) {
	i, ok := s.cpas[cbe]
	if !ok {
		return Party{}, false
	}
	return s.parties[i], true
}

// Parties returns every party in file order.
func (s *Store) Parties() []Party {
	return append([]Party(nil), s.parties...)
}

// Certificates returns the certificates listed in the trust file, in file order.
func (s *Store) Certificates() []*x509.Certificate {
	return append([]*x509.Certificate(nil), s.certs...)
}

// canonicalSubject is the index key of a certificate's subject; the file's subjects go
// through the same canonical form so "CN=a, O=b" and "CN=a,O=b" are one subject.
func canonicalSubject(cert *x509.Certificate) string {
	d, err := parseDN(cert.Subject.String())
	if err != nil {
		return "" // never a key: file subjects that fail to parse are rejected at load
	}
	return d.key(false)
}
