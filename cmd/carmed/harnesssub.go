package main

import (
	"errors"
	"flag"
	"fmt"
	"strings"

	gh "github.com/carmed/carmed/gen/harness"
	"github.com/carmed/carmed/rules"
)

// maxNoticesPerList is the schema's MaxNoticesType upper bound.
const maxNoticesPerList = 1000

// harnessLoad: carmed harness load FILE.json.
func harnessLoad(args []string) int {
	h := newHarnessFlags("load", "FILE.json")
	pos, err := h.parse(args)
	if err != nil {
		return usageError(h.fs, err)
	}
	if len(pos) != 1 {
		return usageError(h.fs, fmt.Errorf("harness load takes one registry file"))
	}
	persons, err := readRegistryFile(pos[0])
	if err != nil {
		return fail("harness load: %v", err)
	}
	req := &gh.LoadRegistryRequestType{RequestBaseType: gh.RequestBaseType{Ticket: h.tk}, Person: persons}
	var resp gh.LoadRegistryResponseType
	code, ok := h.exchange("loadRegistry", req, &resp)
	if ok && code == exitOK {
		fmt.Printf("loaded %d, unchanged %d\n", resp.Loaded, resp.Unchanged)
	}
	return code
}

// harnessMutate: carmed harness mutate --ssin S --date D and exactly one change.
func harnessMutate(args []string) int {
	h := newHarnessFlags("mutate", "")
	fs := h.fs
	ssin := fs.String("ssin", "", "the person's SSIN")
	date := fs.String("date", "", "effective date of the mutation, YYYY-MM-DD (the death date with --death)")
	name := fs.String("name", "", "change: new name, LAST[,FIRST]")
	gender := fs.String("gender", "", "change: new gender, M or F")
	birth := fs.String("birth", "", "change: new birth date, YYYY-MM-DD")
	newSSIN := fs.String("new-ssin", "", "change: new SSIN (an unknown one renames, another person's merges)")
	death := fs.Bool("death", false, "change: the person died on --date")
	situation := fs.String("situation", "", "change: residence / insurance situation from --date, KIND[:INS]")
	pos, err := h.parse(args)
	if err != nil {
		return usageError(fs, err)
	}
	if len(pos) != 0 {
		return usageError(fs, fmt.Errorf("harness mutate takes flags only, not %q", pos[0]))
	}
	var changes []string
	fs.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "name", "gender", "birth", "new-ssin", "death", "situation":
			changes = append(changes, "--"+f.Name)
		}
	})
	if len(changes) != 1 {
		got := "none"
		if len(changes) > 1 {
			got = strings.Join(changes, ", ")
		}
		return usageError(fs, fmt.Errorf("harness mutate needs exactly one change: --name, --gender, --birth, --new-ssin, --death or --situation (got %s)", got))
	}
	if !rules.AllDigits(*ssin, 11) {
		return usageError(fs, fmt.Errorf("harness mutate needs --ssin, 11 digits"))
	}
	req := &gh.ApplyMutationRequestType{Ticket: h.tk, Ssin: gh.SsinType(*ssin), EffectiveDate: gh.Date(*date)}
	if req.EffectiveDate.Validate() != nil {
		return usageError(fs, fmt.Errorf("harness mutate needs --date YYYY-MM-DD"))
	}
	switch changes[0] {
	case "--name":
		last, first, hasFirst := strings.Cut(*name, ",")
		req.Name = &gh.NameChangeType{LastName: strings.TrimSpace(last)}
		if req.Name.LastName == "" {
			return usageError(fs, fmt.Errorf("--name: want LAST[,FIRST]"))
		}
		if first = strings.TrimSpace(first); hasFirst && first != "" {
			req.Name.FirstName = &first
		}
	case "--gender":
		g := gh.GenderType(strings.ToUpper(*gender))
		if g != gh.GenderTypeM && g != gh.GenderTypeF {
			return usageError(fs, fmt.Errorf("--gender: want M or F"))
		}
		req.Gender = &g
	case "--birth":
		d := gh.Date(*birth)
		if d.Validate() != nil {
			return usageError(fs, fmt.Errorf("--birth: want YYYY-MM-DD"))
		}
		req.BirthDate = &d
	case "--new-ssin":
		if !rules.AllDigits(*newSSIN, 11) {
			return usageError(fs, fmt.Errorf("--new-ssin: want 11 digits"))
		}
		s := gh.SsinType(*newSSIN)
		req.NewSsin = &s
	case "--death":
		if !*death {
			return usageError(fs, fmt.Errorf("--death=false is no change"))
		}
		req.Death = &gh.DeathType{}
	case "--situation":
		kind, ins, hasINS := strings.Cut(*situation, ":")
		kind = strings.ToUpper(kind)
		if !rules.KnownSituation(rules.SituationKind(kind)) {
			return usageError(fs, fmt.Errorf("--situation: kind is one of %s", kindList()))
		}
		req.Situation = &gh.SituationChangeType{Kind: gh.SituationKindType(kind)}
		if hasINS {
			if !rules.AllDigits(ins, 5) {
				return usageError(fs, fmt.Errorf("--situation: INS code is 5 digits"))
			}
			code := gh.InsCodeType(ins)
			req.Situation.ResidenceIns = &code
		}
	}
	var resp gh.ApplyMutationResponseType
	code, ok := h.exchange("applyMutation", req, &resp)
	if !ok || code != exitOK || resp.Mutation == nil {
		return code
	}
	printMutation(resp.Mutation)
	return exitOK
}

// harnessClock: carmed harness clock [--set D | --advance N].
func harnessClock(args []string) int {
	h := newHarnessFlags("clock", "")
	set := h.fs.String("set", "", "fix the business date, YYYY-MM-DD")
	advance := h.fs.Int("advance", 0, "move the business date by N days (negative: back)")
	pos, err := h.parse(args)
	if err != nil {
		return usageError(h.fs, err)
	}
	if len(pos) != 0 {
		return usageError(h.fs, fmt.Errorf("harness clock takes flags only, not %q", pos[0]))
	}
	advanced := false
	h.fs.Visit(func(f *flag.Flag) { advanced = advanced || f.Name == "advance" })
	req := &gh.SetClockRequestType{Ticket: h.tk}
	switch {
	case *set != "" && advanced:
		return usageError(h.fs, fmt.Errorf("harness clock takes --set or --advance, not both"))
	case *set != "":
		d := gh.Date(*set)
		if d.Validate() != nil {
			return usageError(h.fs, fmt.Errorf("--set: want YYYY-MM-DD"))
		}
		req.Today = &d
	case advanced:
		n := gh.AdvanceDaysType(*advance)
		req.AdvanceDays = &n
	}
	var resp gh.SetClockResponseType
	code, ok := h.exchange("setClock", req, &resp)
	if ok && code == exitOK && resp.Today != nil {
		mode := "moving one day per real day"
		if resp.Frozen != nil && *resp.Frozen {
			mode = "frozen"
		}
		fmt.Printf("business date %s (%s)\n", *resp.Today, mode)
	}
	return code
}

// harnessNotices: carmed harness notices [--cbe CBE] [--all] [--max N].
func harnessNotices(args []string) int {
	h := newHarnessFlags("notices", "")
	cbe := h.fs.String("cbe", "", "only the notices sent to this CPAS (CBE number, 10 digits)")
	all := h.fs.Bool("all", false, "include the notices the CPAS has acknowledged")
	maxN := h.fs.Int("max", 0, fmt.Sprintf("at most N notices, oldest first (1 to %d; default: the gateway's page)", maxNoticesPerList))
	pos, err := h.parse(args)
	if err != nil {
		return usageError(h.fs, err)
	}
	if len(pos) != 0 {
		return usageError(h.fs, fmt.Errorf("harness notices takes flags only, not %q", pos[0]))
	}
	req := &gh.ListNoticesRequestType{RequestBaseType: gh.RequestBaseType{Ticket: h.tk}}
	if *cbe != "" {
		if !rules.AllDigits(*cbe, 10) {
			return usageError(h.fs, fmt.Errorf("--cbe: want 10 digits"))
		}
		c := gh.CbeNumberType(*cbe)
		req.CbeNumber = &c
	}
	if *all {
		req.IncludeAcknowledged = all
	}
	if *maxN != 0 {
		if *maxN < 1 || *maxN > maxNoticesPerList {
			return usageError(h.fs, fmt.Errorf("--max: 1 to %d", maxNoticesPerList))
		}
		m := gh.MaxNoticesType(*maxN)
		req.MaxNotices = &m
	}
	var resp gh.ListNoticesResponseType
	code, ok := h.exchange("listNotices", req, &resp)
	if !ok || code != exitOK {
		return code
	}
	if len(resp.Notice) == 0 {
		fmt.Println("no notices")
	}
	for _, n := range resp.Notice {
		fmt.Println(noticeLine(n))
	}
	if resp.MoreNotices != nil && *resp.MoreNotices {
		fmt.Println("… more notices: raise --max")
	}
	return code
}

// harnessPerson: carmed harness person SSIN.
func harnessPerson(args []string) int {
	h := newHarnessFlags("person", "SSIN")
	pos, err := h.parse(args)
	if err != nil {
		return usageError(h.fs, err)
	}
	if len(pos) != 1 || !rules.AllDigits(pos[0], 11) {
		return usageError(h.fs, fmt.Errorf("harness person takes one SSIN, 11 digits"))
	}
	req := &gh.ConsultPersonRequestType{RequestBaseType: gh.RequestBaseType{Ticket: h.tk}, Ssin: gh.SsinType(pos[0])}
	var resp gh.ConsultPersonResponseType
	code, ok := h.exchange("consultPerson", req, &resp)
	if !ok || code != exitOK {
		return code
	}
	if resp.Person == nil {
		fmt.Println("not in the registry")
		return exitOK
	}
	printPerson(resp.Person)
	return exitOK
}

// usageError reports a bad command line on stderr (the flag package has already reported its own
// parse errors) and gives the usage exit status.
func usageError(fs *flag.FlagSet, err error) int {
	if !errors.Is(err, errFlagsReported) {
		fmt.Fprintf(fs.Output(), "carmed: %v (see carmed %s -h)\n", err, fs.Name())
	}
	return exitError
}

func kindList() string {
	s := make([]string, len(rules.SituationKinds))
	for i, k := range rules.SituationKinds {
		s[i] = string(k)
	}
	return strings.Join(s, ", ")
}
