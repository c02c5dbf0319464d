package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/beevik/etree"

	"github.com/carmed/carmed/client"
	"github.com/carmed/carmed/pki"
	"github.com/carmed/carmed/server/wssec"
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
	as := fs.String("as", "", "shorthand: sign as demo party NAME from --pki (NAME.crt, NAME.key)")
	pkiDir := fs.String("pki", "demo/pki", "PKI directory for --as and the gateway certificate")
	certFile := fs.String("cert", "", "signing certificate (PEM)")
	keyFile := fs.String("key", "", "signing key (PEM, RSA or ECDSA)")
	gwCert := fs.String("gateway-cert", "", "certificate that must have signed the answer (default PKI/gateway.crt)")
	soap12 := fs.Bool("soap12", false, "send SOAP 1.2 instead of 1.1")
	raw := fs.Bool("raw", false, "print the whole signed answer, not just its Body")
	action := fs.String("action", "", "SOAPAction (default: derived from the request's root element)")
	sets := setFlags{}
	fs.Var(sets, "set", "NAME=VALUE: replace the text of element NAME in the request (repeatable)")
	fs.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: carmed call [flags] REQUEST.xml\nexit status: 0 success, 1 business rejection, 2 SOAP fault, 3 error")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return exitError
	}
	if fs.NArg() != 1 {
		fs.Usage()
		return exitError
	}
	if *as != "" {
		*certFile, *keyFile = *pkiDir+"/"+*as+".crt", *pkiDir+"/"+*as+".key"
	}
	if *gwCert == "" {
		*gwCert = *pkiDir + "/gateway.crt"
	}
	if *certFile == "" || *keyFile == "" {
		return fail("call needs --as NAME or --cert and --key")
	}
	key, cert, err := pki.LoadKeyPair(*certFile, *keyFile)
	if err != nil {
		return fail("signing key: %v", err)
	}
	gw, err := pki.LoadCert(*gwCert)
	if err != nil {
		return fail("gateway certificate: %v", err)
	}
	payload, err := os.ReadFile(fs.Arg(0))
	if err != nil {
		return fail("%v", err)
	}
	if payload, err = client.Set(payload, sets); err != nil {
		return fail("%v", err)
	}
	c := &client.Client{URL: *url, SOAP12: *soap12,
		Signer:   &wssec.Signer{Key: key, Cert: cert},
		Verifier: &wssec.Verifier{Trust: client.Pinned{Cert: gw}}}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	ans, err := c.Call(ctx, payload, *action)
	if err != nil {
		if ans != nil && len(ans.Raw) > 0 && !ans.Verified {
			fmt.Fprintf(os.Stderr, "carmed: HTTP %d, unverified answer not shown\n", ans.HTTPStatus)
		}
		return fail("%v", err)
	}
	if *raw {
		os.Stdout.Write(ans.Raw)
		fmt.Println()
	} else {
		doc := etree.NewDocument()
		doc.SetRoot(ans.Payload.Copy())
		doc.Indent(2)
		_, _ = doc.WriteTo(os.Stdout)
	}
	fmt.Fprintf(os.Stderr, "carmed: HTTP %d, answer signature verified, outcome %s %s %s\n",
		ans.HTTPStatus, ans.Outcome, ans.StatusValue, ans.Code)
	switch ans.Outcome {
	case client.Rejected:
		return exitRejected
	case client.Faulted:
		return exitFault
	}
	return exitOK
}
