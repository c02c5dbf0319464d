package main

import (
	"flag"
	"fmt"
	"path/filepath"

	"github.com/carmed/carmed/agreement"
)

// cmdAgreement checks an agreement number (payment commitment) and says what it guarantees, or
// rotates the keyring (new current key; old tokens keep verifying).
func cmdAgreement(args []string) int {
	if len(args) == 0 || (args[0] != "verify" && args[0] != "rotate") {
		return fail("usage: carmed agreement verify TOKEN | rotate [--keys FILE]")
	}
	fs := flag.NewFlagSet("agreement", flag.ContinueOnError)
	keys := fs.String("keys", filepath.Join("demo", "pki", agreementKeyFile), "agreement keyring")
	if err := fs.Parse(args[1:]); err != nil {
		return exitError
	}
	if args[0] == "rotate" {
		ring, err := agreement.RotateFile(*keys, "")
		if err != nil {
			return fail("%v", err)
		}
		fmt.Printf("agreement keys: current key is now %s (kept: %v)\n", ring.Current(), ring.IDs())
		return exitOK
	}
	if fs.NArg() != 1 {
		return fail("usage: carmed agreement verify TOKEN")
	}
	ring, err := agreement.LoadKeyring(*keys)
	if err != nil {
		return fail("%v", err)
	}
	c, err := ring.Verify(fs.Arg(0))
	if err != nil {
		fmt.Printf("agreement: NOT VALID (%v)\n", err)
		return exitRejected
	}
	g := c.Guarantee()
	fmt.Printf("agreement: valid\n  decision   %s version %d\n  provider   %s (%s)\n  consulted  %s, period from %s\n  guarantees the conditions of that version for care from %s to %s\n",
		c.Number, c.Version, c.Provider, c.ProviderKind(), c.Consulted, c.PeriodStart, g.Start, g.End)
	return exitOK
}
