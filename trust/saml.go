package trust

import (
	"crypto/x509"
	"errors"
	"fmt"
)

// The SAML side of the trust file: the token services whose assertions the provider faces accept
// ("tokenIssuers"), and the eHealth attributes that say which provider a holder-of-key assertion
// is about (reference/ehealth-sts-saml.md §2.1). The token service reads the same table to know
// what to certify for a party, so what it issues and what the faces read cannot drift apart.

// eHealth attribute namespaces: claims a client makes, and facts the token service certifies.
const (
	NSIdentification = "urn:be:fgov:identification-namespace"
	NSCertified      = "urn:be:fgov:certified-namespace:ehealth"
)

// IssuerSTS is the Issuer name of the eHealth STS's assertions; the demo token service uses it
// too, so clients that check the name accept its tokens.
const IssuerSTS = "urn:be:fgov:ehealth:sts:1_0"

// TokenIssuer is a token service the trust file names: the Issuer its assertions carry and its
// pinned signing certificate.
type TokenIssuer struct {
	Name string
	Cert *x509.Certificate
}

type fileIssuer struct {
	Name        string `json:"name"`
	Certificate string `json:"certificate"`
}

// Quality is one eHealth provider quality: the provider kind it stands for, the certified
// attribute carrying its NIHII, the certified recognition flag, and the identification-namespace
// attributes a client claims the NIHII with.
type Quality struct {
	ProviderKind string
	NIHII        string
	Recognised   string
	Claims       []string
}

// Qualities are the provider kinds the token service issues tokens for.
var Qualities = []Quality{
	{ProviderKind: ProviderHospital,
		NIHII:      "urn:be:fgov:ehealth:1.0:hospital:nihii-number:recognisedhospital:nihii11",
		Recognised: "urn:be:fgov:ehealth:1.0:hospital:nihii-number:recognisedhospital:boolean",
		Claims: []string{"urn:be:fgov:ehealth:1.0:hospital:nihii-number",
			"urn:be:fgov:ehealth:1.0:certificateholder:hospital:nihii-number"}},
	{ProviderKind: ProviderPharmacy,
		NIHII:      "urn:be:fgov:ehealth:1.0:pharmacy:nihii-number:recognisedpharmacy:nihii11",
		Recognised: "urn:be:fgov:ehealth:1.0:pharmacy:nihii-number:recognisedpharmacy:boolean",
		Claims: []string{"urn:be:fgov:ehealth:1.0:pharmacy:nihii-number",
			"urn:be:fgov:ehealth:1.0:certificateholder:pharmacy:nihii-number"}},
	{ProviderKind: ProviderDoctor,
		NIHII:      "urn:be:fgov:person:ssin:ehealth:1.0:doctor:nihii11",
		Recognised: "urn:be:fgov:person:ssin:doctor:boolean"},
	// Dentists follow the pattern of the other professions (…:nihii:<prof>:nihii11,
	// …:professional:<prof>:boolean): they attest urgent medical aid (R-UMA-SEND).
	{ProviderKind: ProviderDentist,
		NIHII:      "urn:be:fgov:person:ssin:ehealth:1.0:nihii:dentist:nihii11",
		Recognised: "urn:be:fgov:person:ssin:ehealth:1.0:professional:dentist:boolean"},
}

// QualityOf returns the quality of a provider kind, if the token service knows one.
func QualityOf(providerKind string) (Quality, bool) {
	for _, q := range Qualities {
		if q.ProviderKind == providerKind {
			return q, true
		}
	}
	return Quality{}, false
}

// ErrNoQuality is the public face of an assertion that names no provider the gateway knows.
var ErrNoQuality = errors.New("the assertion names no provider quality")

// SAMLParty is the party a verified assertion is about, read from its certified attributes only
// (never from identification-namespace claims): exactly one known quality with a valid NIHII,
// not marked unrecognised. A provider the trust file lists under that id lends its name.
func (s *Store) SAMLParty(value func(ns, name string) (string, bool)) (Party, error) {
	var found []Party
	for _, q := range Qualities {
		id, ok := value(NSCertified, q.NIHII)
		if !ok {
			continue
		}
		if r, ok := value(NSCertified, q.Recognised); ok && r != "true" {
			return Party{}, fmt.Errorf("%w: %s not recognised", ErrNoQuality, q.ProviderKind)
		}
		if !ValidNIHII(id) {
			return Party{}, fmt.Errorf("%w: %s NIHII malformed", ErrNoQuality, q.ProviderKind)
		}
		found = append(found, Party{Kind: KindProvider, ID: id, ProviderKind: q.ProviderKind})
	}
	if len(found) != 1 {
		return Party{}, fmt.Errorf("%w: %d qualities", ErrNoQuality, len(found))
	}
	p := found[0]
	for _, known := range s.parties {
		if known.Kind == KindProvider && known.ID == p.ID && known.ProviderKind == p.ProviderKind {
			p.Name = known.Name
		}
	}
	return p, nil
}

// TokenIssuers returns the token services of the trust file, in file order.
func (s *Store) TokenIssuers() []TokenIssuer {
	return append([]TokenIssuer(nil), s.issuers...)
}

// loadIssuers reads "tokenIssuers": each a name and one pinned certificate file.
func (s *Store) loadIssuers(list []fileIssuer, baseDir string) error {
	for i, f := range list {
		entry := fmt.Sprintf("tokenIssuers[%d]", i)
		if f.Name == "" || len(f.Name) > 256 {
			return &FileError{Entry: entry, Msg: "name must be 1 to 256 characters"}
		}
		certs, err := readCerts(resolve(baseDir, f.Certificate))
		if err != nil {
			return &FileError{Entry: entry, Msg: fmt.Sprintf("certificate %q", f.Certificate), Err: err}
		}
		if len(certs) != 1 {
			return &FileError{Entry: entry, Msg: "certificate must hold exactly one certificate (the pinned signing key)"}
		}
		s.issuers = append(s.issuers, TokenIssuer{Name: f.Name, Cert: certs[0]})
	}
	return nil
}
