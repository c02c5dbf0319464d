package main

import (
	"errors"
	"flag"
	"fmt"
	iofs "io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/carmed/carmed/agreement"
	"github.com/carmed/carmed/pki"
)

func cmdPKI(args []string) int {
	if len(args) == 0 || args[0] != "init" {
		return fail("usage: carmed pki init [--dir DIR] [--gateway-key rsa|ecdsa] [--party-key rsa|ecdsa] [--force]")
	}
	fs := flag.NewFlagSet("pki init", flag.ContinueOnError)
	dir := fs.String("dir", "demo/pki", "output directory")
	gk := fs.String("gateway-key", "ecdsa", "gateway key type: rsa (RSA-2048; what clients that cannot verify ECDSA answers need, e.g. node-soap) or ecdsa (P-256)")
	// RSA party keys by default: node-soap's signer knows no ECDSA, and every other stack signs with RSA too.
	partyKey := fs.String("party-key", pki.PartyRSA, "key type of every demo party: rsa (RSA-2048) or ecdsa (P-256)")
	force := fs.Bool("force", false, "overwrite an existing PKI")
	if err := fs.Parse(args[1:]); err != nil {
		return exitError
	}
	res, err := pki.Init(pki.Options{Dir: *dir, GatewayKey: *gk, PartyKey: *partyKey, Now: time.Now(), Force: *force})
	if err != nil {
		return fail("%v", err)
	}
	if _, err := agreement.WriteNewKeyring(filepath.Join(res.Dir, agreementKeyFile)); err != nil && !(*force && errors.Is(err, iofs.ErrExist)) {
		return fail("agreement keys: %v", err)
	}
	fmt.Fprintf(os.Stdout, "demo PKI written to %s (%d parties); see %s/README.md\n", res.Dir, len(res.Parties), res.Dir)
	for _, p := range res.Parties {
		fmt.Fprintf(os.Stdout, "  %-16s %-8s %s\n", p.Name, p.Kind, p.ID)
	}
	return exitOK
}

// agreementKeyFile is the keyring of agreement numbers inside a PKI directory.
const agreementKeyFile = "agreement-keys.json"
