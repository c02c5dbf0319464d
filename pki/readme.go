package pki

import (
	"crypto/x509"
	"fmt"
	"strings"
	"time"

	"github.com/carmed/carmed/trust"
)

// readme is the README.md of a demo PKI directory: who is who, and a warning.
func readme(gatewayRSA bool, certs []*x509.Certificate, now time.Time) []byte {
	var b strings.Builder
	gwType := "ECDSA P-256"
	if gatewayRSA {
		gwType = "RSA-2048"
	}
	b.WriteString("# carmed demo PKI\n\n")
	b.WriteString("**Demo only.** These private keys are unencrypted, generated for demonstrations and\n")
	b.WriteString("tests, and must never protect anything real. Regenerate with `carmed pki init --force`.\n\n")
	fmt.Fprintf(&b, "Generated for %s; certificates are valid from %s to %s.\n\n",
		now.UTC().Format("2006-01-02"), certs[0].NotBefore.UTC().Format("2006-01-02"),
		certs[0].NotAfter.UTC().Format("2006-01-02"))
	b.WriteString("| file | what |\n|---|---|\n")
	fmt.Fprintf(&b, "| `%s`, `%s` | demo CA (ECDSA P-256); signs every certificate here |\n", CACertFile, CAKeyFile)
	fmt.Fprintf(&b, "| `%s`, `%s` | gateway key (%s): signs answers; TLS certificate for localhost. Clients verify answers with `%s` |\n",
		GatewayCertFile, GatewayKeyFile, gwType, GatewayCertFile)
	fmt.Fprintf(&b, "| `%s` | trust file: maps the party certificates below to parties |\n\n", TrustFile)

	b.WriteString("## Parties\n\n")
	b.WriteString("| party | kind | identifier | names | key | trusted by | certificate / key |\n")
	b.WriteString("|---|---|---|---|---|---|---|\n")
	for i, p := range demoParties {
		kind, ident, names := string(p.kind), p.id, p.display
		switch p.kind {
		case trust.KindCPAS:
			ident = "CBE " + p.id + ", INS " + p.ins
			names = p.nameFr + " / " + p.nameNl
		case trust.KindProvider:
			kind += " (" + p.providerKind + ")"
			ident = "NIHII " + p.id
		}
		keyType, match := "ECDSA P-256", "pinned key (spkiSha256)"
		if p.rsa {
			keyType = "RSA-2048"
		}
		if p.kind == trust.KindProvider {
			match = "CA + subject `" + certs[i].Subject.String() + "`"
		}
		fmt.Fprintf(&b, "| `%s` | %s | %s | %s | %s | %s | `%s.crt` / `%s.key` |\n",
			p.name, kind, ident, names, keyType, match, p.name, p.name)
	}
	b.WriteString("\nThe identifiers are fixed (exported by package `pki`, e.g. `pki.DemoCBENamur`) so request\n")
	b.WriteString("fixtures can name them; the keys change with every `pki init`.\n")
	return []byte(b.String())
}
