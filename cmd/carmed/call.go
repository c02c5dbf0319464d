package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/beevik/etree"

	"github.com/carmed/carmed/client"
	"github.com/carmed/carmed/wssec"
)

type setFlags map[string]string

func (s setFlags) String() string { return "" }
func (s setFlags) Set(v string) error {
	k, val, ok := strings.Cut(v, "=")
	if !ok || k == "" {
		return errors.New("want NAME=VALUE")
	}
	s[k] = val
	return nil
}

func cmdCall(args []string) int {
	fs := flag.NewFlagSet("call", flag.ContinueOnError)
	url := fs.String("url", "http://127.0.0.1:8080/cpas/v1", "service URL")
	sign := addSigningFlags(fs, "")
	soap12 := fs.Bool("soap12", false, "send SOAP 1.2 instead of 1.1")
	raw := fs.Bool("raw", false, "print the whole signed answer, not just its Body")
	action := fs.String("action", "", "SOAPAction (default: derived from the request's root element)")
	saml := fs.Bool("saml", false, "first get a holder-of-key assertion from the gateway's token service, then sign with it (eHealth style)")
	sets := setFlags{}
	fs.Var(sets, "set", "NAME=VALUE: replace the text of element NAME in the request (repeatable)")
	fs.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: carmed call [flags] REQUEST.xml\nexit status: 0 success, 1 business rejection, 2 SOAP fault, 3 error")
		fs.PrintDefaults()
	}
	files, err := parseArgs(fs, args)
	if err != nil {
		return exitError
	}
	if len(files) != 1 {
		fs.Usage()
		return exitError
	}
	c, err := sign.client(*url, *soap12)
	if err != nil {
		return fail("call: %v", err)
	}
	if *saml {
		base, err := gatewayBase(*url)
		if err != nil {
			return fail("call: %v", err)
		}
		as, err := fetchToken(sign, base)
		if err != nil {
			return fail("call --saml: %v", err)
		}
		c.Signer.KeyRef, c.Signer.Assertion = wssec.RefSAML, as
		fmt.Fprintf(os.Stderr, "carmed: signing with holder-of-key assertion %s\n", as.SelectAttrValue("AssertionID", ""))
	}
	payload, err := os.ReadFile(files[0])
	if err != nil {
		return fail("%v", err)
	}
	if payload, err = client.Set(payload, sets); err != nil {
		return fail("%v", err)
	}
	ans, err := send(c, payload, *action)
	if err != nil {
		return fail("%v", err)
	}
	if *raw {
		os.Stdout.Write(ans.Raw)
		fmt.Println()
	} else {
		printPayload(ans)
	}
	fmt.Fprintf(os.Stderr, "carmed: HTTP %d, answer signature verified, outcome %s %s %s\n",
		ans.HTTPStatus, ans.Outcome, ans.StatusValue, ans.Code)
	return outcomeExit(ans)
}

// printPayload prints the verified Body element, indented.
func printPayload(ans *client.Answer) {
	doc := etree.NewDocument()
	doc.SetRoot(ans.Payload.Copy())
	doc.Indent(2)
	_, _ = doc.WriteTo(os.Stdout)
}

// outcomeExit is the exit status of an answer's outcome.
func outcomeExit(ans *client.Answer) int {
	switch ans.Outcome {
	case client.Rejected:
		return exitRejected
	case client.Faulted:
		return exitFault
	}
	return exitOK
}
