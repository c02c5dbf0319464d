// Command carmed is the gateway and its tools: serve, call, sts, replay, load, pki, store,
// statements, agreement, harness and tenant (see usage).
package main

import (
	"fmt"
	"os"
)

// Exit statuses of carmed call and harness (and of usage errors elsewhere).
const (
	exitOK       = 0
	exitRejected = 1 // business rejection (NO_RESULT)
	exitFault    = 2 // SOAP Fault
	exitError    = 3 // usage, transport or verification error
)

const usage = `carmed — a MediPrima-like SOAP gateway

Usage:
  carmed serve  [flags]                 run the gateway
  carmed call   [flags] REQUEST.xml     sign a request, send it, verify and print the answer
  carmed call --saml [flags] REQUEST.xml sign with a holder-of-key token from the gateway's token service
  carmed sts token --as NAME [--url URL] ask the token service for a SAML holder-of-key assertion and print it
  carmed replay [flags] DIR|CASE…       run conformance cases against a server (--url, --junit, --run, --update)
  carmed load   [flags]                 presigned requests against a gateway on loopback: rate, latency, CPU, RSS
  carmed pki init [--dir DIR]           make a demo CA, gateway, CPAS, provider and admin certificates
  carmed store check --data DIR         the store's format, consistency and invariants
  carmed store upgrade --data DIR       move a store of an older format to this one (serve does it on open)
  carmed store backup --data DIR --out FILE   hot copy of the store
  carmed statements export --data DIR --month YYYY-MM [--cpas CBE] [--out FILE]
                                        the SPP IS file (or a CPAS's statement) of a closed month
  carmed agreement verify TOKEN [--keys FILE] what an agreement number guarantees (keyring only)
  carmed agreement verify TOKEN --url URL     ask the gateway: also the guaranteed conditions and covers
  carmed agreement rotate [--keys FILE]       new current agreement key (old numbers still verify)
  carmed harness load FILE.json               add registry persons (gateway run with serve --harness)
  carmed harness mutate --ssin S --date D --name L[,F]|--gender M|F|--birth D|--new-ssin S|--death|--situation K[:INS]
                                              one registry mutation; prints the decisions it suspended
  carmed harness clock [--set D | --advance N]  show, fix or move the business date
  carmed harness notices [--cbe CBE] [--all] [--max N]   the notices sent to the CPAS
  carmed harness person SSIN                  a person's registry record
  carmed tenant create NAME [--registry DIR] [--today D] [--trust FILE]   an isolated world at /t/NAME
  carmed tenant list | reset NAME | delete NAME   list, reset (back to its registry and date), delete

Run "carmed COMMAND -h" for a command's flags.
`

func main() {
	if len(os.Args) < 2 {
		fmt.Fprint(os.Stderr, usage)
		os.Exit(exitError)
	}
	args := os.Args[2:]
	var code int
	switch os.Args[1] {
	case "serve":
		code = cmdServe(args)
	case "call":
		code = cmdCall(args)
	case "pki":
		code = cmdPKI(args)
	case "store":
		code = cmdStore(args)
	case "agreement":
		code = cmdAgreement(args)
	case "harness":
		code = cmdHarness(args)
	case "tenant":
		code = cmdTenant(args)
	case "replay":
		code = cmdReplay(args)
	case "sts":
		code = cmdSTS(args)
	case "statements":
		code = cmdStatements(args)
	case "load":
		code = cmdLoad(args)
	case "-h", "--help", "help":
		fmt.Print(usage)
	default:
		fmt.Fprintf(os.Stderr, "carmed: unknown command %q\n\n%s", os.Args[1], usage)
		code = exitError
	}
	os.Exit(code)
}

func fail(format string, a ...any) int {
	fmt.Fprintf(os.Stderr, "carmed: "+format+"\n", a...)
	return exitError
}
