package main

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/beevik/etree"

	"github.com/carmed/carmed/client"
	"github.com/carmed/carmed/face/harness"
	gh "github.com/carmed/carmed/gen/harness"
)

const harnessUsage = `usage: carmed harness SUBCOMMAND [flags]
  load FILE.json                      add the persons of a registry fixture file
  mutate --ssin S --date D CHANGE     one registry mutation; CHANGE is exactly one of
                                      --name LAST[,FIRST] --gender M|F --birth YYYY-MM-DD
                                      --new-ssin S --death --situation KIND[:INS]
  clock [--set YYYY-MM-DD | --advance N]   show, fix or move the business date
  notices [--cbe CBE] [--all] [--max N]    the notices sent to the CPAS
  person SSIN                         a person's registry record
common flags: --url (gateway, default http://127.0.0.1:8080), --pki, --as (default admin),
  --ticket (idempotency key, default random), --raw (print the verified answer XML)
exit status: 0 success, 1 business rejection, 2 SOAP fault, 3 error`

const (
	// harnessPath is where `serve --harness` serves the harness face.
	harnessPath = "/harness/v1"
	// maxTicketLen is the schema's TicketType maxLength.
	maxTicketLen = 32
	// ticketRandomBytes gives 16 hex digits: no two invocations share a ticket in practice.
	ticketRandomBytes = 8
)

// cmdHarness drives the harness face of a running gateway (serve --harness), signed as the admin.
func cmdHarness(args []string) int {
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, harnessUsage)
		return exitError
	}
	sub, rest := args[0], args[1:]
	switch sub {
	case "load":
		return harnessLoad(rest)
	case "mutate":
		return harnessMutate(rest)
	case "clock":
		return harnessClock(rest)
	case "notices":
		return harnessNotices(rest)
	case "person":
		return harnessPerson(rest)
	case "-h", "--help", "help":
		fmt.Println(harnessUsage)
		return exitOK
	}
	fmt.Fprintf(os.Stderr, "carmed: unknown harness subcommand %q\n%s\n", sub, harnessUsage)
	return exitError
}

// harnessFlags are the flags every harness subcommand takes.
type harnessFlags struct {
	fs     *flag.FlagSet
	url    *string
	ticket *string
	raw    *bool
	sign   *signingFlags
	tk     gh.TicketType
}

func newHarnessFlags(sub, operands string) *harnessFlags {
	fs := flag.NewFlagSet("harness "+sub, flag.ContinueOnError)
	h := addHarnessFlags(fs, "http://127.0.0.1:8080", "gateway URL ("+harnessPath+" is appended unless present)")
	fs.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: carmed harness %s [flags] %s\n", sub, operands)
		fs.PrintDefaults()
	}
	return h
}

// addHarnessFlags adds --url, --ticket, --raw and the signing flags (signed as the admin by default).
func addHarnessFlags(fs *flag.FlagSet, defaultURL, urlHelp string) *harnessFlags {
	return &harnessFlags{fs: fs,
		url:    fs.String("url", defaultURL, urlHelp),
		ticket: fs.String("ticket", "", "idempotency key, 1 to 32 characters (default: a random one); the same ticket and body get the first answer and write nothing"),
		raw:    fs.Bool("raw", false, "print the verified answer XML instead of the summary"),
		sign:   addSigningFlags(fs, "admin"),
	}
}

// parse reads the flags and operands and settles the ticket.
func (h *harnessFlags) parse(args []string) ([]string, error) {
	pos, err := parseArgs(h.fs, args)
	if err != nil {
		return nil, errFlagsReported
	}
	return pos, h.settleTicket()
}

// settleTicket takes --ticket or makes a random one: a fresh ticket per invocation.
func (h *harnessFlags) settleTicket() error {
	t := *h.ticket
	if t == "" {
		b := make([]byte, ticketRandomBytes)
		if _, err := rand.Read(b); err != nil {
			return err
		}
		t = "cli-" + hex.EncodeToString(b)
	}
	if len(t) > maxTicketLen {
		return fmt.Errorf("--ticket: at most %d characters", maxTicketLen)
	}
	h.tk = gh.TicketType(t)
	return nil
}

// errFlagsReported marks a parse error the flag package has already printed (with the usage).
var errFlagsReported = errors.New("bad flags")

// harnessURL is the harness endpoint of a gateway URL given with or without its path.
func harnessURL(base string) string {
	u := strings.TrimRight(base, "/")
	if strings.HasSuffix(u, harnessPath) {
		return u
	}
	return u + harnessPath
}

// exchange sends one harness operation (op is its name, e.g. "setClock") and decodes the verified
// answer into resp. ok is true when the caller should print its summary: success, or a
// rejection (exit 1) the caller may explain further; otherwise the outcome has been reported and
// code is the exit status.
func (h *harnessFlags) exchange(op string, req, resp any) (code int, ok bool) {
	url := harnessURL(*h.url)
	c, err := h.sign.client(url, false)
	if err != nil {
		return fail("harness: %v", err), false
	}
	payload, err := harnessPayload(op, req)
	if err != nil {
		return fail("harness: %v", err), false
	}
	ans, err := send(c, payload, harness.NS+":"+op)
	if err != nil {
		if ans != nil && ans.HTTPStatus == 404 {
			return fail("harness face not enabled at %s (serve --harness)", url), false
		}
		return fail("%v", err), false
	}
	if *h.raw {
		printPayload(ans)
		return outcomeExit(ans), false
	}
	if ans.Outcome == client.Faulted {
		printFault(ans)
		return exitFault, false
	}
	if err := decodeAnswer(ans, resp); err != nil {
		return fail("harness: unreadable answer: %v", err), false
	}
	if ans.Outcome == client.Rejected {
		var base gh.ResponseBaseType
		if err := decodeAnswer(ans, &base); err == nil {
			printRejection(base)
		}
		return exitRejected, true
	}
	return exitOK, true
}

// harnessPayload is a request element: the operation element qualified with a prefix, its
// children unqualified (a default namespace would wrongly qualify them).
func harnessPayload(op string, req any) ([]byte, error) {
	var buf bytes.Buffer
	enc := xml.NewEncoder(&buf)
	start := xml.StartElement{Name: xml.Name{Local: "h:" + op + "Request"},
		Attr: []xml.Attr{{Name: xml.Name{Local: "xmlns:h"}, Value: harness.NS}}}
	if err := enc.EncodeElement(req, start); err != nil {
		return nil, err
	}
	if err := enc.Flush(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// decodeAnswer reads the verified payload into a gen/harness response type.
func decodeAnswer(ans *client.Answer, v any) error {
	doc := etree.NewDocument()
	doc.SetRoot(ans.Payload.Copy())
	b, err := doc.WriteToBytes()
	if err != nil {
		return err
	}
	return xml.Unmarshal(b, v)
}

// printRejection explains a NO_RESULT answer on stderr: the status code and every message.
func printRejection(b gh.ResponseBaseType) {
	if b.Status != nil {
		fmt.Fprintf(os.Stderr, "carmed: rejected: %s", b.Status.Code)
		if b.Status.Description != nil {
			fmt.Fprintf(os.Stderr, ": %s", *b.Status.Description)
		}
		fmt.Fprintln(os.Stderr)
	}
	for _, m := range b.Message {
		fmt.Fprintf(os.Stderr, "  %s %s (%s)", m.Severity, m.ReasonCode, m.RuleId)
		for _, t := range m.Communication {
			if t.Lang == gh.LangTypeFr {
				fmt.Fprintf(os.Stderr, ": %s", t.Value)
			}
		}
		for _, in := range m.Information {
			fmt.Fprintf(os.Stderr, " [%s=%s]", in.FieldName, in.FieldValue)
		}
		fmt.Fprintln(os.Stderr)
	}
}

// printFault reports a SOAP fault on stderr: its code, reason code and diagnostic.
func printFault(ans *client.Answer) {
	text := ""
	for _, path := range []string{".//error/diagnostic", "faultstring", "./Reason/Text"} {
		if e := ans.Payload.FindElement(path); e != nil {
			text = e.Text()
			break
		}
	}
	fmt.Fprintf(os.Stderr, "carmed: SOAP fault %s: %s\n", ans.Code, text)
}
