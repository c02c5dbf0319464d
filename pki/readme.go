package pki

import (
	"crypto/x509"
	"fmt"
	"strings"
	"time"

	"github.com/carmed/carmed/trust"
)

// readme is the README.md of a demo PKI directory: who is who, and a warning.
func readme(gatewayRSA, partyRSA bool, rsaOf map[string]bool, certs []*x509.Certificate, now time.Time) []byte {
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
	if gatewayRSA {
		b.WriteString("The gateway key is RSA: every client stack can verify the answers, including those that\n")
		b.WriteString("know no ECDSA (node-soap with xml-crypto).\n\n")
	} else {
		b.WriteString("The gateway key is ECDSA: a client that cannot verify ECDSA answers (node-soap with\n")
		b.WriteString("xml-crypto knows RSA only) needs an RSA gateway key: `carmed pki init --gateway-key rsa`.\n\n")
	}
	mixed := false
	for _, r := range rsaOf {
		mixed = mixed || r != partyRSA
	}
	switch {
	case mixed:
		b.WriteString("The party keys are of both kinds (see the table): RSA-2048 ones every client stack can\n")
		b.WriteString("sign with, P-256 ones node-soap cannot.\n\n")
	case partyRSA:
		b.WriteString("Every party key is RSA-2048: every client stack signs with it (node-soap's signer knows\n")
		b.WriteString("RSA only); `carmed pki init --party-key ecdsa` gives P-256 keys.\n\n")
	default:
		b.WriteString("Every party key is ECDSA P-256 (`--party-key ecdsa`): node-soap cannot sign with it;\n")
		b.WriteString("`--party-key rsa`, the default, gives RSA-2048 keys.\n\n")
	}
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
		match, keyType := "pinned key (spkiSha256)", "ECDSA P-256"
		if rsaOf[p.name] {
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
