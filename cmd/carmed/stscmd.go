package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net/url"
	"os"
	"strings"

	"github.com/beevik/etree"

	"github.com/carmed/carmed/client"
	"github.com/carmed/carmed/face/sts"
)

// cmdSTS is `carmed sts token`: ask the token service for a holder-of-key assertion and print it.
func cmdSTS(args []string) int {
	if len(args) == 0 || args[0] != "token" {
		fmt.Fprintln(os.Stderr, "usage: carmed sts token --as NAME [--url URL] [--out FILE]")
		return exitError
	}
	fs := flag.NewFlagSet("sts token", flag.ContinueOnError)
	base := fs.String("url", "http://127.0.0.1:8080", "gateway (the token service is at "+sts.Path+")")
	sign := addSigningFlags(fs, "")
	out := fs.String("out", "", "write the assertion to this file instead of stdout")
	if _, err := parseArgs(fs, args[1:]); err != nil {
		return exitError
	}
	as, err := fetchToken(sign, *base)
	if err != nil {
		return fail("sts token: %v", err)
	}
	d := etree.NewDocument()
	d.SetRoot(as)
	d.Indent(2)
	if *out != "" {
		if err := d.WriteToFile(*out); err != nil {
			return fail("%v", err)
		}
	} else {
		_, _ = d.WriteTo(os.Stdout)
	}
	fmt.Fprintf(os.Stderr, "carmed: holder-of-key assertion %s, valid until %s\n", as.SelectAttrValue("AssertionID", ""),
		as.FindElement("./Conditions").SelectAttrValue("NotOnOrAfter", ""))
	return exitOK
}

// fetchToken asks the token service of the gateway at base for an assertion, signing as the
// signing flags say (the identification certificate is also the holder-of-key one).
func fetchToken(sign *signingFlags, base string) (*etree.Element, error) {
	c, err := sign.client(strings.TrimSuffix(base, "/")+sts.Path, false)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
	defer cancel()
	as, _, err := c.RequestToken(ctx, client.TokenRequest{})
	return as, err
}

// gatewayBase is the scheme and host of a service URL, where the token service lives too.
func gatewayBase(service string) (string, error) {
	u, err := url.Parse(service)
	if err != nil || u.Host == "" {
		return "", errors.New("--url is not an absolute URL")
	}
	return u.Scheme + "://" + u.Host, nil
}
