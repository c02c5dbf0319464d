// Command carmed is the gateway and its tools: serve, call, pki, store.
package main

import (
	"fmt"
	"os"
)

// Exit statuses of carmed call (and of usage errors elsewhere).
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
  carmed pki init [--dir DIR]           make a demo CA, gateway, CPAS, provider and admin certificates
  carmed store check --data DIR         check the store's consistency and invariants
  carmed store backup --data DIR --out FILE   hot copy of the store
  carmed agreement verify TOKEN [--keys FILE] what an agreement number guarantees
  carmed agreement rotate [--keys FILE]       new current agreement key (old numbers still verify)

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
