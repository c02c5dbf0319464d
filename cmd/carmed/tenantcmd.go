package main

import (
	"fmt"
	"os"

	gh "github.com/carmed/carmed/gen/harness"
	"github.com/carmed/carmed/store"
)

const tenantUsage = `usage: carmed tenant SUBCOMMAND [flags]
  create NAME [--registry DIR|FILE.json] [--today YYYY-MM-DD] [--advance] [--trust FILE]
                 a new isolated world served under /t/NAME (every face: /t/NAME/cpas/v1, …);
                 without --registry it starts with the gateway's registry (serve --registry),
                 without --today at the gateway's business date, without --trust with its parties
  list           the default tenant and every other, with their business dates
  reset NAME     back to its registry and initial business date: its data are dropped, in one step
  delete NAME    the tenant and its data are gone (the default tenant cannot be deleted)
common flags: --url (gateway, default http://127.0.0.1:8080), --pki, --as (default admin),
  --ticket (idempotency key, default random), --raw (print the verified answer XML)
Drive a tenant's world with the other commands and its prefix: carmed harness clock --url URL/t/NAME,
carmed replay --url URL/t/NAME DIR.
exit status: 0 success, 1 refused, 2 SOAP fault, 3 error`

// cmdTenant manages the tenants through the gateway's own harness (serve --harness), as the admin.
func cmdTenant(args []string) int {
	if len(args) == 0 {
		fmt.Fprintln(os.Stderr, tenantUsage)
		return exitError
	}
	sub, rest := args[0], args[1:]
	switch sub {
	case "create":
		return tenantCreate(rest)
	case "list":
		return tenantList(rest)
	case "reset", "delete":
		return tenantByName(sub, rest)
	case "-h", "--help", "help":
		fmt.Println(tenantUsage)
		return exitOK
	}
	fmt.Fprintf(os.Stderr, "carmed: unknown tenant subcommand %q\n%s\n", sub, tenantUsage)
	return exitError
}

func newTenantFlags(sub, operands string) *harnessFlags {
	h := newHarnessFlags(sub, operands)
	h.fs.Init("tenant "+sub, h.fs.ErrorHandling())
	h.fs.Usage = func() {
		fmt.Fprintf(os.Stderr, "usage: carmed tenant %s [flags] %s\n", sub, operands)
		h.fs.PrintDefaults()
	}
	return h
}

// tenantCreate: carmed tenant create NAME [--registry DIR|FILE] [--today D] [--advance] [--trust FILE].
func tenantCreate(args []string) int {
	h := newTenantFlags("create", "NAME")
	reg := h.fs.String("registry", "", "registry fixtures: a folder of *.json or one file (default: the gateway's start registry)")
	today := h.fs.String("today", "", "the tenant's initial business date, YYYY-MM-DD (default: the gateway's now)")
	advance := h.fs.Bool("advance", false, "let the tenant's date move on one day per real day")
	trustFile := h.fs.String("trust", "", "the tenant's own trust file (parties pinned by spkiSha256; default: the gateway's)")
	pos, err := h.parse(args)
	if err != nil {
		return usageError(h.fs, err)
	}
	if len(pos) != 1 {
		return usageError(h.fs, fmt.Errorf("tenant create takes one NAME"))
	}
	req := &gh.CreateTenantRequestType{RequestBaseType: gh.RequestBaseType{Ticket: h.tk}, Name: gh.TenantNameType(pos[0])}
	if *today != "" {
		d := gh.Date(*today)
		if d.Validate() != nil {
			return usageError(h.fs, fmt.Errorf("--today: want YYYY-MM-DD"))
		}
		req.Today = &d
	}
	if *advance {
		req.Advance = advance
	}
	if *reg != "" {
		ps, err := readRegistryArg(*reg)
		if err != nil {
			return fail("--registry: %v", err)
		}
		req.Registry = &gh.RegistryType{Person: ps}
	}
	if *trustFile != "" {
		b, err := os.ReadFile(*trustFile)
		if err != nil {
			return fail("--trust: %v", err)
		}
		t := gh.TrustFileType(b)
		req.Trust = &t
	}
	var resp gh.TenantResponseType
	code, ok := h.exchange("createTenant", req, &resp)
	if ok && code == exitOK && resp.Tenant != nil {
		fmt.Println("created " + tenantLine(*resp.Tenant))
	}
	return code
}

// readRegistryArg reads a registry folder (as serve --registry) or one fixture file.
func readRegistryArg(path string) ([]gh.PersonType, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if !st.IsDir() {
		return readRegistryFile(path)
	}
	ps, err := store.LoadRegistryFiles(path)
	if err != nil {
		return nil, err
	}
	if len(ps) > maxLoadPersons {
		return nil, fmt.Errorf("%d persons, at most %d for a tenant", len(ps), maxLoadPersons)
	}
	return wirePersons(ps), nil
}

// tenantList: carmed tenant list.
func tenantList(args []string) int {
	h := newTenantFlags("list", "")
	pos, err := h.parse(args)
	if err != nil {
		return usageError(h.fs, err)
	}
	if len(pos) != 0 {
		return usageError(h.fs, fmt.Errorf("tenant list takes no operand"))
	}
	var resp gh.ListTenantsResponseType
	code, ok := h.exchange("listTenants", &gh.ListTenantsRequestType{RequestBaseType: gh.RequestBaseType{Ticket: h.tk}}, &resp)
	if ok && code == exitOK {
		for _, t := range resp.Tenant {
			fmt.Println(tenantLine(t))
		}
	}
	return code
}

// tenantByName: carmed tenant reset|delete NAME.
func tenantByName(sub string, args []string) int {
	h := newTenantFlags(sub, "NAME")
	pos, err := h.parse(args)
	if err != nil {
		return usageError(h.fs, err)
	}
	if len(pos) != 1 {
		return usageError(h.fs, fmt.Errorf("tenant %s takes one NAME", sub))
	}
	req := &gh.TenantNameRequestType{RequestBaseType: gh.RequestBaseType{Ticket: h.tk}, Name: gh.TenantNameType(pos[0])}
	var resp gh.TenantResponseType
	code, ok := h.exchange(sub+"Tenant", req, &resp)
	if ok && code == exitOK {
		switch {
		case resp.Tenant != nil:
			fmt.Println("reset " + tenantLine(*resp.Tenant))
		default:
			fmt.Printf("deleted %s\n", pos[0])
		}
	}
	return code
}

// tenantLine is one tenant on one line: name, path, business date, registry, parties, bound.
func tenantLine(t gh.TenantType) string {
	path, trust, bound := t.Path, "gateway parties", "unbounded"
	if path == "" {
		path = "/"
	}
	if t.OwnTrust {
		trust = "own parties"
	}
	if t.MaxConcurrent != nil {
		bound = fmt.Sprintf("at most %d at once", *t.MaxConcurrent)
	}
	mode := "moving"
	if t.Frozen {
		mode = "frozen"
	}
	return fmt.Sprintf("%-16s %-20s today %s (%s, initial %s)  %d persons  %s  %s  resets %d",
		t.Name, path, t.Today, mode, t.InitialToday, t.Persons, trust, bound, t.Resets)
}
