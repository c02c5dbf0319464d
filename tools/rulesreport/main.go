// Command rulesreport prints, for every rule id of the rules catalogue (../shared/rules.md),
// the tests and fixture files that pin it, and fails when a rule lacks an accepting or a
// rejecting case (a warning-only rule: a warned or a not-warned case). `make rules-report`
// runs it from the repository root.
//
// Convention (what the report counts):
//
//   - A test pins rule R-X when a string literal in a *_test.go file is a subtest name of the
//     form "R-X/<sentence>" (so `go test -run 'TestRules/R-X'` runs it). The whole name must be
//     one literal: a name assembled at run time is not seen.
//   - The sentence says which side of the rule the case shows:
//     accepting when it contains "accepted", "is allowed", "are allowed", "passes", "is valid",
//     "are valid", "is answered" or "are answered";
//     rejecting when it contains "rejected", "refused", "is a conflict", "is invalid" or
//     "are invalid".
//     A sentence with words of both sides is reported as mixed and counts for neither: split
//     the case in two. A sentence with neither still pins the rule (listed, not counted).
//   - Independently, the sentence says whether the case is warned: "is warned" or "are warned"
//     (a WARNING rides along with the answer), "is not warned" or "are not warned" (no warning).
//     "accepted and is warned" is both accepting and warned. Both warning words: mixed, counted
//     for neither.
//   - A conformance case (a folder holding case.yaml, see package conformance) pins R-X once per
//     step that lists R-X under its rules: rejecting when the step expects a refusal (NO_RESULT,
//     a SOAP fault, an eHealth status other than Success) or says it withholds content,
//     accepting otherwise; warned when the
//     step expects warnings, not warned when it expects none. A rule the case lists that no step
//     shows still pins it (listed, not counted). The files of a case folder are not read again as
//     fixtures.
//   - A fixture pins R-X when a file under a testdata/ directory names the id (as a word). It
//     is accepting or rejecting by the same words in its file name (with - _ . read as spaces),
//     or else by its content: a status value NO_RESULT is rejecting, DATA_FOUND accepting.
//
// A warning-only rule is one whose catalogue row says "never rejected" (R-DEADLINE-8: accepted
// with a WARNING, never rejected). Read from the catalogue rather than listed here, so the rule
// text stays the one place that says so. Such a rule cannot have a rejecting case: it is
// complete with one warned and one not-warned case, and a rejecting case contradicts it.
//
// The report exits with status 1 when a rule id has no accepting or no rejecting case (a
// warning-only rule: no warned or no not-warned case, or a rejecting one), unless the id is
// listed in -allow-missing (ids, or §N for every id of section N: rules that later work
// completes). Ids named by tests but absent from the catalogue are listed as warnings.
// Status 2 is a usage or read error.
package main

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"go/scanner"
	"go/token"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/carmed/carmed/conformance"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

// maxFixtureBytes bounds the fixture files read: fixtures are small XML/JSON/markdown files;
// a larger file is a database or an archive, not a case.
const maxFixtureBytes = 1 << 20

// pendingDir holds conformance cases that state rules.md but do not pass yet: they pin nothing.
const pendingDir = "conformance-pending"

// selfDir is this tool's own folder, skipped so its tests' sample names are not counted.
const selfDir = "tools/rulesreport"

var (
	acceptWords = []string{"accepted", "is allowed", "are allowed", "passes", "is valid", "are valid", "is answered", "are answered"}
	rejectWords = []string{"rejected", "refused", "is a conflict", "is invalid", "are invalid"}
	warnWords   = []string{"is warned", "are warned"}
	noWarnWords = []string{"is not warned", "are not warned"}
	// warningOnly marks a catalogue row whose rule may warn but never reject.
	warningOnly = "never rejected"
	// A test name: the rule id, a slash, a sentence.
	testName = regexp.MustCompile(`^(R-[A-Z0-9]+(?:-[A-Z0-9]+)*)/(.+)$`)
	// A rule id as a word inside a fixture.
	idWord     = regexp.MustCompile(`R-[A-Z0-9]+(?:-[A-Z0-9]+)*`)
	catalogRow = regexp.MustCompile(`^\|\s*(R-[A-Z0-9]+(?:-[A-Z0-9]+)*)\s*\|`)
	sectionH   = regexp.MustCompile(`^##\s+(\d+)\.`)
)

// side is what a case shows of its rule.
type side int

const (
	neutral side = iota
	accepting
	rejecting
	mixed
)

func (s side) mark() string { return [...]string{"·", "+", "-", "!"}[s] }

// warning is what a case says about a warning: nothing, warned, not warned, or both (mixed).
type warning int

const (
	unsaid warning = iota
	warned
	notWarned
	mixedWarning
)

// mark follows the side's mark: nothing when the case says nothing of a warning.
func (w warning) mark() string { return [...]string{"", "w", "n", "!"}[w] }

// classify reads the side of a sentence by the convention's words.
func classify(sentence string) side {
	s := strings.ToLower(sentence)
	a, r := hasAny(s, acceptWords), hasAny(s, rejectWords)
	switch {
	case a && r:
		return mixed
	case a:
		return accepting
	case r:
		return rejecting
	}
	return neutral
}

// classifyWarning reads whether a sentence says its case is warned.
func classifyWarning(sentence string) warning {
	s := strings.ToLower(sentence)
	n, w := hasAny(s, noWarnWords), hasAny(s, warnWords) // "is not warned" does not contain "is warned"
	switch {
	case w && n:
		return mixedWarning
	case w:
		return warned
	case n:
		return notWarned
	}
	return unsaid
}

// hasAny reports whether s (lower case) contains one of words.
func hasAny(s string, words []string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

// pin is one test or fixture pinning a rule.
type pin struct {
	where string // path:line or path
	what  string // the sentence, or "fixture"
	side  side
	warn  warning
	kind  pinKind
}

type pinKind int

const (
	byTest pinKind = iota
	byFixture
	byCase
)

func (k pinKind) label() string { return [...]string{"test", "fixture", "case"}[k] }

// rule is a catalogue entry with what pins it.
type rule struct {
	id          string
	section     string
	warningOnly bool // the row says "never rejected"
	pins        []pin
}

// countPins is how many of the rule's pins match.
func (r *rule) countPins(match func(p pin) bool) int {
	n := 0
	for _, p := range r.pins {
		if match(p) {
			n++
		}
	}
	return n
}

func (r *rule) count(s side) int { return r.countPins(func(p pin) bool { return p.side == s }) }

func (r *rule) countWarning(w warning) int {
	return r.countPins(func(p pin) bool { return p.warn == w })
}

func (r *rule) countKind(k pinKind) int { return r.countPins(func(p pin) bool { return p.kind == k }) }

// lacks names what the rule still needs (nil: complete).
func (r *rule) lacks() []string {
	var out []string
	if r.warningOnly {
		if r.countWarning(warned) == 0 {
			out = append(out, "a warned case")
		}
		if r.countWarning(notWarned) == 0 {
			out = append(out, "a not-warned case")
		}
		if r.count(rejecting) > 0 {
			out = append(out, "no rejecting case (the rule is warning-only)")
		}
		return out
	}
	if r.count(accepting) == 0 {
		out = append(out, "accepting")
	}
	if r.count(rejecting) == 0 {
		out = append(out, "rejecting")
	}
	return out
}

func run(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("rulesreport", flag.ContinueOnError)
	fl.SetOutput(stderr)
	root := fl.String("root", "", "repository root (default: the nearest folder above the working directory holding go.mod)")
	rulesPath := fl.String("rules", "../shared/rules.md", "rules catalogue; a relative path is taken from the repository root")
	allow := fl.String("allow-missing", "", "comma list of rule ids (or §N for a whole section) that may lack a case for now")
	summary := fl.Bool("summary", false, "one line per rule id, without the list of tests")
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if *root == "" {
		r, err := findRoot()
		if err != nil {
			fmt.Fprintln(stderr, "rulesreport:", err)
			return 2
		}
		*root = r
	}
	if !filepath.IsAbs(*rulesPath) {
		*rulesPath = filepath.Join(*root, *rulesPath)
	}
	rules, err := readCatalogue(*rulesPath)
	if err != nil {
		fmt.Fprintln(stderr, "rulesreport:", err)
		return 2
	}
	byID := map[string]*rule{}
	for _, r := range rules {
		byID[r.id] = r
	}
	unknown := map[string][]string{}
	err = filepath.WalkDir(*root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(*root, path)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if rel != "." && (strings.HasPrefix(d.Name(), ".") || rel == selfDir || d.Name() == pendingDir) {
				return filepath.SkipDir
			}
			if _, err := os.Stat(filepath.Join(path, conformance.ManifestName)); err == nil {
				if err := scanCase(path, *root, byID, unknown); err != nil {
					return err
				}
				return filepath.SkipDir
			}
			return nil
		}
		switch {
		case strings.HasSuffix(rel, "_test.go"):
			return scanTests(path, rel, byID, unknown)
		case inTestdata(rel):
			return scanFixture(path, rel, d, byID)
		}
		return nil
	})
	if err != nil {
		fmt.Fprintln(stderr, "rulesreport:", err)
		return 2
	}
	allowed := allowSet(*allow, rules)
	return report(stdout, rules, allowed, unknown, *summary)
}

// findRoot walks up from the working directory to the folder holding go.mod.
func findRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		up := filepath.Dir(dir)
		if up == dir {
			return "", errors.New("no go.mod above the working directory: pass -root")
		}
		dir = up
	}
}

// readCatalogue lists the rule ids of the catalogue's tables, with their section number.
func readCatalogue(path string) ([]*rule, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("rules catalogue: %w", err)
	}
	defer f.Close()
	var rules []*rule
	seen := map[string]bool{}
	section := ""
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if m := sectionH.FindStringSubmatch(line); m != nil {
			section = m[1]
		}
		if m := catalogRow.FindStringSubmatch(line); m != nil && !seen[m[1]] {
			seen[m[1]] = true
			rules = append(rules, &rule{id: m[1], section: section,
				warningOnly: strings.Contains(strings.ToLower(line), warningOnly)})
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(rules) == 0 {
		return nil, fmt.Errorf("no rule ids in %s", path)
	}
	return rules, nil
}

// scanTests records the subtest names of one test file.
func scanTests(path, rel string, byID map[string]*rule, unknown map[string][]string) error {
	src, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	fset := token.NewFileSet()
	file := fset.AddFile(rel, -1, len(src))
	var s scanner.Scanner
	s.Init(file, src, nil, 0) // syntax errors are the compiler's business, not the report's
	for {
		pos, tok, lit := s.Scan()
		if tok == token.EOF {
			return nil
		}
		if tok != token.STRING {
			continue
		}
		str, err := strconv.Unquote(lit)
		if err != nil {
			continue
		}
		m := testName.FindStringSubmatch(str)
		if m == nil {
			continue
		}
		where := fmt.Sprintf("%s:%d", rel, fset.Position(pos).Line)
		if r := byID[m[1]]; r != nil {
			r.pins = append(r.pins, pin{where: where, what: m[2], side: classify(m[2]), warn: classifyWarning(m[2]), kind: byTest})
		} else {
			unknown[m[1]] = append(unknown[m[1]], where)
		}
	}
}

func inTestdata(rel string) bool {
	for _, part := range strings.Split(rel, "/") {
		if part == "testdata" {
			return true
		}
	}
	return false
}

// scanFixture records the rule ids a fixture file names.
func scanFixture(path, rel string, d fs.DirEntry, byID map[string]*rule) error {
	info, err := d.Info()
	if err != nil || info.Size() > maxFixtureBytes {
		return err
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	ids := map[string]bool{}
	for _, id := range idWord.FindAllString(string(b), -1) {
		if byID[id] != nil {
			ids[id] = true
		}
	}
	if len(ids) == 0 {
		return nil
	}
	name := strings.NewReplacer("-", " ", "_", " ", ".", " ").Replace(filepath.Base(rel))
	sd := classify(name)
	if sd == neutral {
		switch {
		case bytes.Contains(b, []byte("NO_RESULT")):
			sd = rejecting
		case bytes.Contains(b, []byte("DATA_FOUND")):
			sd = accepting
		}
	}
	for id := range ids {
		byID[id].pins = append(byID[id].pins, pin{where: rel, what: "fixture", side: sd, warn: classifyWarning(name), kind: byFixture})
	}
	return nil
}

// scanCase records the rule ids a conformance case's steps show. A case that does not load is an
// error of the report: the suite must be runnable for its cases to count.
func scanCase(dir, root string, byID map[string]*rule, unknown map[string][]string) error {
	c, err := conformance.Load(dir, false)
	if err != nil {
		return fmt.Errorf("conformance case: %w", err)
	}
	file, _ := filepath.Rel(root, c.File)
	file = filepath.ToSlash(file)
	shown := map[string]bool{}
	for _, st := range c.Steps {
		sd, wn := accepting, notWarned
		if st.Rejecting() {
			sd = rejecting
		}
		if len(st.Expect.Warnings) > 0 {
			wn = warned
		}
		for _, id := range st.Rules {
			shown[id] = true
			where := fmt.Sprintf("%s:%d", file, st.Line)
			if r := byID[id]; r != nil {
				w := unsaid // a step's warnings count only for the warning-only rules
				if r.warningOnly {
					w = wn
				}
				r.pins = append(r.pins, pin{where: where, what: "case " + c.ID + ", step " + st.Name, side: sd, warn: w, kind: byCase})
			} else {
				unknown[id] = append(unknown[id], where)
			}
		}
	}
	for _, id := range c.Rules {
		if r := byID[id]; r != nil && !shown[id] {
			r.pins = append(r.pins, pin{where: file, what: "case " + c.ID, side: neutral, kind: byCase})
		} else if r == nil {
			unknown[id] = append(unknown[id], file)
		}
	}
	return nil
}

// allowSet expands the -allow-missing list.
func allowSet(list string, rules []*rule) map[string]bool {
	out := map[string]bool{}
	for _, item := range strings.Split(list, ",") {
		item = strings.TrimSpace(item)
		switch {
		case item == "":
		case strings.HasPrefix(item, "§"):
			for _, r := range rules {
				if r.section == strings.TrimPrefix(item, "§") {
					out[r.id] = true
				}
			}
		default:
			out[item] = true
		}
	}
	return out
}

func report(w io.Writer, rules []*rule, allowed map[string]bool, unknown map[string][]string, summary bool) int {
	missing, excused := 0, 0
	for _, r := range rules {
		acc, rej := r.count(accepting), r.count(rejecting)
		state := "ok"
		if lacks := r.lacks(); len(lacks) > 0 {
			state = "MISSING " + strings.Join(lacks, " and ")
			if allowed[r.id] {
				state += " (allowed)"
				excused++
			} else {
				missing++
			}
		}
		if r.warningOnly {
			state = fmt.Sprintf("warned %3d  not warned %3d  (warning-only)  %s", r.countWarning(warned), r.countWarning(notWarned), state)
		}
		fmt.Fprintf(w, "%-24s §%-2s accepting %3d  rejecting %3d  pins %3d (tests %3d, cases %3d)  %s\n", r.id, r.section, acc, rej,
			len(r.pins), r.countKind(byTest), r.countKind(byCase), state)
		if summary {
			continue
		}
		for _, p := range r.pins {
			fmt.Fprintf(w, "    %s%s %-7s %s  %s\n", p.side.mark(), p.warn.mark(), p.kind.label(), p.where, p.what)
		}
	}
	if len(unknown) > 0 {
		ids := make([]string, 0, len(unknown))
		for id := range unknown {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		for _, id := range ids {
			fmt.Fprintf(w, "warning: %s is named by %d test(s) but is not in the catalogue (first: %s)\n", id, len(unknown[id]), unknown[id][0])
		}
	}
	fmt.Fprintf(w, "%d rule ids: %d complete, %d missing a case, %d allowed to for now\n",
		len(rules), len(rules)-missing-excused, missing, excused)
	if missing > 0 {
		return 1
	}
	return 0
}
