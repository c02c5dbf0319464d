package conformance

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"time"

	"github.com/beevik/etree"
	"go.yaml.in/yaml/v3"

	"github.com/carmed/carmed/rules"
)

// ManifestName is the file that makes a folder a case; SuiteName the file of suite-wide settings
// (masks), looked up from a case's folder upwards.
const (
	ManifestName = "case.yaml"
	SuiteName    = "suite.yaml"
)

// maxManifestBytes and maxRequestBytes bound what a case may hold: a manifest is a page of text and a
// request one SOAP payload; anything larger is a mistake (a data file in the wrong folder).
const (
	maxManifestBytes = 256 << 10
	maxRequestBytes  = 1 << 20
)

// The faces a step can talk to, and the paths every carmed-like server serves them on.
const (
	FaceCPAS     = "cpas"
	FaceProvider = "provider"
	FaceHarness  = "harness"
	FaceUMA      = "uma"
	FaceCAAMI    = "caami"
)

// Ways a step is signed (Step.Auth).
const (
	AuthX509 = "x509"
	AuthSAML = "saml"
)

// FacePath is where a face answers, relative to the server's base URL.
var FacePath = map[string]string{
	FaceCPAS:     "/cpas/v1",
	FaceProvider: "/MediPrima/Consult/v2",
	FaceHarness:  "/harness/v1",
	FaceUMA:      "/MediPrima/UMA/v1",
	FaceCAAMI:    "/caami/v1",
}

// faceOfNamespace infers a step's face from its request's root namespace.
var faceOfNamespace = map[string]string{
	"urn:carmed:cpas:v1":                            FaceCPAS,
	"urn:be:fgov:ehealth:mediprima:protocol:v2":     FaceProvider,
	"urn:carmed:harness:v1":                         FaceHarness,
	"urn:be:fgov:ehealth:mediprima:uma:protocol:v1": FaceUMA,
	"urn:carmed:caami:v1":                           FaceCAAMI,
}

// Case is one conformance case: a folder with case.yaml and its request and golden files.
type Case struct {
	ID      string            `yaml:"id"`
	Purpose string            `yaml:"purpose"`
	Rules   []string          `yaml:"rules"`
	Today   string            `yaml:"today"`
	Persons map[string]Person `yaml:"persons"`
	Parties []string          `yaml:"parties"`
	Masks   []Mask            `yaml:"masks"`
	// Alone runs the case with no other case at the same time: its answers depend on state every
	// case shares (the pending notices of a CPAS). A case that moves the clock always runs alone.
	Alone bool   `yaml:"alone"`
	Steps []Step `yaml:"steps"`

	Dir        string `yaml:"-"` // the case's folder
	File       string `yaml:"-"` // its manifest
	SuiteMasks []Mask `yaml:"-"` // from the nearest suite.yaml
	line       int    // of the manifest's id, for errors about the whole case
}

// Person is a registry person the case needs. The runner gives it a fresh SSIN on every run.
type Person struct {
	LastName   string      `yaml:"lastName"`
	FirstName  string      `yaml:"firstName"`
	Gender     string      `yaml:"gender"` // M (default), F, or none (no gender in the registry: a BIS number, month + 20)
	Birth      string      `yaml:"birth"`  // fixed birth date; random when empty
	BIS        bool        `yaml:"bis"`    // a BIS number (month + 40) instead of a national number
	Death      string      `yaml:"death"`
	Situation  string      `yaml:"situation"` // shorthand: KIND or KIND:INS, from 2000-01-01
	Situations []Situation `yaml:"situations"`
}

// Situation is one register situation of a person from a date.
type Situation struct {
	From string `yaml:"from"`
	Kind string `yaml:"kind"`
	INS  string `yaml:"ins"`
}

// Step is one signed request and the answer expected.
type Step struct {
	Name    string            `yaml:"name"`
	Face    string            `yaml:"face"` // inferred from the request's namespace when empty
	As      string            `yaml:"as"`
	Request string            `yaml:"request"`
	Set     map[string]string `yaml:"set"` // element local name → text, as `carmed call --set`
	SOAP12  bool              `yaml:"soap12"`
	// Auth is how the step is signed: "" or "x509" (the party's certificate as a token), or
	// "saml" (provider faces: a holder-of-key assertion from the server's token service).
	Auth   string   `yaml:"auth"`
	Resend string   `yaml:"resend"` // post the exact signed bytes of that earlier step again
	Rules  []string `yaml:"rules"`  // the rule ids this step shows (the side is the outcome's)
	// Withholds marks a successful answer that shows a rule's refusing side by what it leaves out
	// (no agreement number, only the manager's identification, the previous version until the
	// next day): the rules report counts the step as rejecting. Its golden shows what is withheld.
	Withholds bool              `yaml:"withholds"`
	Expect    Expect            `yaml:"expect"`
	Capture   map[string]string `yaml:"capture"` // name → element path in the answer

	Line    int    `yaml:"-"`
	payload string // the request file's text, placeholders unexpanded
}

// Expect is what a step's answer must be. Exactly one of Value, Status and Fault is set.
type Expect struct {
	Value    string   `yaml:"value"`    // DATA_FOUND | NO_DATA_FOUND | NO_RESULT (CPAS, harness faces), or SUCCESS: either of the first two
	Code     string   `yaml:"code"`     // status/code, when given
	Status   string   `yaml:"status"`   // eHealth status, e.g. Success or Requester/InvalidInput
	Fault    string   `yaml:"fault"`    // SOAP fault code, e.g. wsse:InvalidSecurity (prefix ignored)
	Reasons  []string `yaml:"reasons"`  // the ERROR reason codes, all of them
	Warnings []string `yaml:"warnings"` // the WARNING reason codes, all of them
	Golden   string   `yaml:"golden"`   // file of the masked answer
	// Select narrows the golden to the elements at this path (placeholders allowed), e.g. the
	// notices of the case's own person among those other cases left pending for the same CPAS.
	Select string `yaml:"select"`
	// Absent is a path (placeholders allowed) that must find nothing in the answer: an
	// acknowledged notice no longer delivered, whatever other cases left pending.
	Absent string `yaml:"absent"`
}

// Mask hides a volatile value in golden answers: the text of every element with that local name,
// or every attribute with that name. With As, each distinct value becomes ${AS#n}, numbered in
// order of appearance in the case, so the golden still shows which values are the same.
type Mask struct {
	Element   string `yaml:"element"`
	Attribute string `yaml:"attribute"`
	As        string `yaml:"as"`
}

// Rejecting reports whether the step shows a refusal: NO_RESULT, a fault, an eHealth status other
// than Success, or content withheld. The rules report reads a step's side from it.
func (s *Step) Rejecting() bool {
	return s.Withholds || s.refused()
}

// refused is an answer that refuses: NO_RESULT, a fault, an eHealth status other than Success.
func (s *Step) refused() bool {
	e := s.Expect
	return e.Fault != "" || e.Value == "NO_RESULT" || (e.Status != "" && e.Status != "Success")
}

// NeedsHarness reports whether the case loads persons, sets the clock or calls the harness face;
// such a case is skipped against a server without one.
func (c *Case) NeedsHarness() bool {
	if c.Today != "" || len(c.Persons) > 0 {
		return true
	}
	for i := range c.Steps {
		if c.Steps[i].Face == FaceHarness {
			return true
		}
	}
	return false
}

// ChangesClock reports whether a step moves the business date: such a case runs alone.
func (c *Case) ChangesClock() bool {
	for i := range c.Steps {
		if strings.Contains(c.Steps[i].payload, "setClockRequest") {
			return true
		}
	}
	return false
}

// PersonNames are the case's persons in a stable order.
func (c *Case) PersonNames() []string {
	names := make([]string, 0, len(c.Persons))
	for n := range c.Persons {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// LoadError is a case that cannot be run, with the file and line at fault.
type LoadError struct {
	File string
	Line int
	Msg  string
}

func (e *LoadError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return e.File + ": " + e.Msg
}

// Discover finds the cases under each argument: a folder holding case.yaml is one case, any other
// folder is searched. Cases come back sorted by folder, each loaded and checked; the errors of all
// the broken ones are returned together, so a person fixes them in one go.
func Discover(args []string, update bool) ([]*Case, error) {
	var dirs []string
	seen := map[string]bool{}
	for _, a := range args {
		st, err := os.Stat(a)
		if err != nil {
			return nil, fmt.Errorf("%s: no such case or folder", a)
		}
		if !st.IsDir() {
			if filepath.Base(a) != ManifestName {
				return nil, fmt.Errorf("%s: not a case folder nor its %s", a, ManifestName)
			}
			a = filepath.Dir(a)
		}
		err = filepath.WalkDir(a, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && d.Name() == ManifestName && !seen[filepath.Dir(p)] {
				seen[filepath.Dir(p)] = true
				dirs = append(dirs, filepath.Dir(p))
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
	}
	sort.Strings(dirs)
	if len(dirs) == 0 {
		return nil, fmt.Errorf("no %s under %s", ManifestName, strings.Join(args, ", "))
	}
	var cases []*Case
	var errs []error
	ids := map[string]string{}
	for _, d := range dirs {
		c, err := Load(d, update)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if other, dup := ids[c.ID]; dup {
			errs = append(errs, &LoadError{File: c.File, Line: c.line, Msg: fmt.Sprintf("id %q is also the id of %s", c.ID, other)})
			continue
		}
		ids[c.ID] = c.File
		cases = append(cases, c)
	}
	return cases, errors.Join(errs...)
}

// Load reads and checks the case in dir. Everything that can be known before sending is checked:
// the manifest's fields, the request files, the placeholders and captures, the golden files
// (unless update, which writes them).
func Load(dir string, update bool) (*Case, error) {
	file := filepath.Join(dir, ManifestName)
	raw, err := readBounded(file, maxManifestBytes)
	if err != nil {
		return nil, &LoadError{File: file, Msg: err.Error()}
	}
	c := &Case{Dir: dir, File: file}
	dec := yaml.NewDecoder(bytes.NewReader(raw))
	dec.KnownFields(true)
	if err := dec.Decode(c); err != nil {
		return nil, &LoadError{File: file, Line: yamlLine(err), Msg: "malformed manifest: " + strings.TrimPrefix(err.Error(), "yaml: ")}
	}
	var root yaml.Node
	_ = yaml.Unmarshal(raw, &root)
	c.line = keyLine(&root, "id")
	stepLines := seqLines(&root, "steps")
	for i := range c.Steps {
		if i < len(stepLines) {
			c.Steps[i].Line = stepLines[i]
		}
	}
	if c.SuiteMasks, err = suiteMasks(dir); err != nil {
		return nil, err
	}
	if err := c.check(update); err != nil {
		return nil, err
	}
	return c, nil
}

var (
	ruleID     = regexp.MustCompile(`^R-[A-Z0-9]+(-[A-Z0-9]+)*$`)
	caseID     = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)
	capName    = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9_-]*$`)
	statusVals = map[string]bool{"DATA_FOUND": true, "NO_DATA_FOUND": true, "NO_RESULT": true, ValueSuccess: true}
)

// check is the validation of a decoded manifest; errors carry the line of the step at fault.
func (c *Case) check(update bool) error {
	bad := func(line int, f string, a ...any) error {
		return &LoadError{File: c.File, Line: line, Msg: fmt.Sprintf(f, a...)}
	}
	switch {
	case !caseID.MatchString(c.ID):
		return bad(c.line, "id %q: lower-case letters, digits and dashes", c.ID)
	case strings.TrimSpace(c.Purpose) == "":
		return bad(c.line, "purpose: one sentence saying what the case shows")
	case len(c.Steps) == 0:
		return bad(c.line, "no steps")
	case len(c.Parties) == 0:
		return bad(c.line, "parties: list the parties the case signs as")
	}
	for _, r := range c.Rules {
		if !ruleID.MatchString(r) {
			return bad(c.line, "rules: %q is not a rule id (R-…)", r)
		}
	}
	if c.Today != "" {
		if _, err := time.Parse(time.DateOnly, c.Today); err != nil {
			return bad(c.line, "today %q is not a date (YYYY-MM-DD)", c.Today)
		}
	}
	for _, n := range c.PersonNames() {
		if err := c.Persons[n].check(n); err != nil {
			return bad(c.line, "%v", err)
		}
	}
	for _, m := range append(append([]Mask{}, c.SuiteMasks...), c.Masks...) {
		if (m.Element == "") == (m.Attribute == "") {
			return bad(c.line, "masks: each mask names one element or one attribute")
		}
	}
	parties := map[string]bool{}
	for _, p := range c.Parties {
		parties[p] = true
	}
	caseRules := map[string]bool{}
	for _, r := range c.Rules {
		caseRules[r] = true
	}
	steps := map[string]*Step{}
	captured := map[string]bool{}
	for i := range c.Steps {
		s := &c.Steps[i]
		if !capName.MatchString(s.Name) {
			return bad(s.Line, "step %d: name %q: a word (letters, digits, - and _)", i+1, s.Name)
		}
		if steps[s.Name] != nil {
			return bad(s.Line, "step %q: the name is used twice", s.Name)
		}
		if err := c.checkStep(s, steps, captured, parties, caseRules, update); err != nil {
			return bad(s.Line, "step %q: %v", s.Name, err)
		}
		steps[s.Name] = s
		for n := range s.Capture {
			captured[n] = true
		}
	}
	return nil
}

func (c *Case) checkStep(s *Step, earlier map[string]*Step, captured, parties, caseRules map[string]bool, update bool) error {
	for _, r := range s.Rules {
		if !caseRules[r] {
			return fmt.Errorf("rule %s is not among the case's rules", r)
		}
	}
	if s.Resend != "" {
		prev := earlier[s.Resend]
		if prev == nil {
			return fmt.Errorf("resend %q: no earlier step of that name", s.Resend)
		}
		if s.Request != "" || s.As != "" || len(s.Set) > 0 {
			return errors.New("a resend posts the earlier step's bytes: no request, as or set of its own")
		}
		s.Face, s.payload, s.As = prev.Face, prev.payload, prev.As
	} else if err := c.loadRequest(s, earlier, captured, parties); err != nil {
		return err
	}
	return c.checkExpect(s, earlier, captured, update)
}

// loadRequest reads a step's request file and checks it: well-formed XML of a known face, a party
// of the case, settings naming its elements, placeholders naming something already known.
func (c *Case) loadRequest(s *Step, earlier map[string]*Step, captured, parties map[string]bool) error {
	if s.Request == "" {
		return errors.New("request: the request file is missing")
	}
	if !parties[s.As] {
		return fmt.Errorf("as %q: not among the case's parties %v", s.As, c.Parties)
	}
	raw, err := readBounded(filepath.Join(c.Dir, s.Request), maxRequestBytes)
	if err != nil {
		return fmt.Errorf("request %s: %v", s.Request, err)
	}
	s.payload = string(raw)
	doc := etree.NewDocument()
	if err := doc.ReadFromString(placeholder.ReplaceAllString(s.payload, "X")); err != nil || doc.Root() == nil {
		return fmt.Errorf("request %s is not XML", s.Request)
	}
	face := faceOfNamespace[doc.Root().NamespaceURI()]
	switch {
	case s.Face == "" && face == "":
		return fmt.Errorf("request %s: namespace %q is no face's; say face: cpas|provider|harness|uma", s.Request, doc.Root().NamespaceURI())
	case s.Face == "":
		s.Face = face
	case FacePath[s.Face] == "":
		return fmt.Errorf("face %q: one of cpas, provider, harness, uma, caami", s.Face)
	}
	switch {
	case s.Auth == AuthSAML && (s.Face == FaceCPAS || s.Face == FaceHarness):
		return fmt.Errorf("auth: saml is for the provider faces (Consult v2, UMA, CAAMI)")
	case s.Auth != "" && s.Auth != AuthX509 && s.Auth != AuthSAML:
		return fmt.Errorf("auth %q: one of x509, saml", s.Auth)
	}
	for el, v := range s.Set {
		if len(doc.FindElements("//"+el)) == 0 {
			return fmt.Errorf("set %s: no such element in %s", el, s.Request)
		}
		if err := c.checkPlaceholders(v, earlier, captured); err != nil {
			return fmt.Errorf("set %s: %v", el, err)
		}
	}
	if err := c.checkPlaceholders(s.payload, earlier, captured); err != nil {
		return fmt.Errorf("request %s: %v", s.Request, err)
	}
	return nil
}

// checkExpect checks what a step expects of its answer, and the paths it captures and selects.
func (c *Case) checkExpect(s *Step, earlier map[string]*Step, captured map[string]bool, update bool) error {
	e := s.Expect
	n := 0
	for _, v := range []string{e.Value, e.Status, e.Fault} {
		if v != "" {
			n++
		}
	}
	if n != 1 {
		return errors.New("expect: give exactly one of value, status and fault")
	}
	if e.Value != "" && !statusVals[e.Value] {
		return fmt.Errorf("expect value %q: one of DATA_FOUND, NO_DATA_FOUND, NO_RESULT, SUCCESS", e.Value)
	}
	if e.Value == "NO_RESULT" && len(e.Reasons) == 0 {
		return errors.New("expect: a NO_RESULT names its reasons")
	}
	if s.Withholds && (s.refused() || e.Golden == "") {
		return errors.New("withholds: for a successful answer whose golden shows what it leaves out")
	}
	if e.Golden != "" && !update {
		if _, err := os.Stat(filepath.Join(c.Dir, e.Golden)); err != nil {
			return fmt.Errorf("golden %s is missing (carmed replay --update writes it)", e.Golden)
		}
	}
	for name, path := range s.Capture {
		if !capName.MatchString(name) {
			return fmt.Errorf("capture %q: a word (letters, digits, - and _)", name)
		}
		if captured[name] {
			return fmt.Errorf("capture %q: already captured by an earlier step", name)
		}
		if err := c.checkPath(path, earlier, captured); err != nil {
			return fmt.Errorf("capture %s: %v", name, err)
		}
	}
	if e.Absent != "" {
		if err := c.checkPath(e.Absent, earlier, captured); err != nil {
			return fmt.Errorf("absent: %v", err)
		}
	}
	if e.Select != "" {
		if e.Golden == "" {
			return errors.New("expect: select narrows a golden; name the golden file")
		}
		if err := c.checkPath(e.Select, earlier, captured); err != nil {
			return fmt.Errorf("select: %v", err)
		}
	}
	return nil
}

// checkPath checks an element path that may hold placeholders.
func (c *Case) checkPath(path string, earlier map[string]*Step, captured map[string]bool) error {
	if err := c.checkPlaceholders(path, earlier, captured); err != nil {
		return err
	}
	if _, err := compilePath(placeholder.ReplaceAllString(path, "X")); err != nil {
		return fmt.Errorf("path %q: %v", path, err)
	}
	return nil
}

// checkPlaceholders refuses a ${…} that names nothing at that point of the case.
func (c *Case) checkPlaceholders(text string, earlier map[string]*Step, captured map[string]bool) error {
	for _, m := range placeholder.FindAllStringSubmatch(text, -1) {
		kind, arg, _ := strings.Cut(m[1], ".")
		switch {
		case m[1] == "ticket":
		case kind == "ticket" && earlier[arg] != nil:
		case kind == "ticket":
			return fmt.Errorf("${%s}: no earlier step %q", m[1], arg)
		case kind == "ssin" || kind == "birth":
			if _, ok := c.Persons[arg]; !ok {
				return fmt.Errorf("${%s}: no person %q in persons", m[1], arg)
			}
		case kind == "cap":
			if !captured[arg] {
				return fmt.Errorf("${%s}: no earlier step captures %q", m[1], arg)
			}
		case todayOffset.MatchString(m[1]):
			if c.Today == "" {
				return fmt.Errorf("${%s}: the case has no today", m[1])
			}
		default:
			return fmt.Errorf("${%s}: unknown placeholder (ssin.P, birth.P, ticket, ticket.STEP, cap.NAME, today±N)", m[1])
		}
	}
	return nil
}

func (p Person) check(name string) error {
	if p.Gender != "" && p.Gender != "M" && p.Gender != "F" && p.Gender != GenderNone {
		return fmt.Errorf("person %s: gender %q: M, F or none", name, p.Gender)
	}
	for _, d := range []string{p.Birth, p.Death} {
		if d == "" {
			continue
		}
		if _, err := time.Parse(time.DateOnly, d); err != nil {
			return fmt.Errorf("person %s: %q is not a date", name, d)
		}
	}
	if p.Birth != "" && p.Birth >= "2000-01-01" {
		return fmt.Errorf("person %s: birth %s: the runner makes SSINs of people born before 2000", name, p.Birth)
	}
	if (p.Situation == "") == (len(p.Situations) == 0) {
		return fmt.Errorf("person %s: give situation (KIND[:INS]) or situations", name)
	}
	for _, s := range p.situations() {
		if !rules.KnownSituation(rules.SituationKind(s.Kind)) {
			return fmt.Errorf("person %s: situation %q: one of %v", name, s.Kind, rules.SituationKinds)
		}
		if _, err := time.Parse(time.DateOnly, s.From); err != nil {
			return fmt.Errorf("person %s: situation from %q is not a date", name, s.From)
		}
	}
	return nil
}

// ValueSuccess expects DATA_FOUND or NO_DATA_FOUND: an answer whose content depends on what other
// cases share (a CPAS's pending notices), narrowed by absent or select.
const ValueSuccess = "SUCCESS"

// GenderNone is a person the registry knows without a gender (R-GENDER).
const GenderNone = "none"

// situationsFrom is where the shorthand situation starts: before any fixture's dates.
const situationsFrom = "2000-01-01"

func (p Person) situations() []Situation {
	if p.Situation == "" {
		return p.Situations
	}
	kind, ins, _ := strings.Cut(p.Situation, ":")
	return []Situation{{From: situationsFrom, Kind: kind, INS: ins}}
}

func readBounded(path string, limit int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, errors.New("cannot be read")
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if st.Size() > limit {
		return nil, fmt.Errorf("larger than %d bytes", limit)
	}
	b := make([]byte, st.Size())
	_, err = f.ReadAt(b, 0)
	if err != nil && st.Size() > 0 {
		return nil, err
	}
	return b, nil
}

// suiteMasks reads the masks of the nearest suite.yaml above dir (none is fine).
func suiteMasks(dir string) ([]Mask, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return nil, err
	}
	for d := abs; ; d = filepath.Dir(d) {
		file := filepath.Join(d, SuiteName)
		if raw, err := readBounded(file, maxManifestBytes); err == nil {
			var s struct {
				Masks []Mask `yaml:"masks"`
			}
			dec := yaml.NewDecoder(bytes.NewReader(raw))
			dec.KnownFields(true)
			if err := dec.Decode(&s); err != nil {
				return nil, &LoadError{File: file, Line: yamlLine(err), Msg: "malformed suite file: " + strings.TrimPrefix(err.Error(), "yaml: ")}
			}
			return s.Masks, nil
		}
		if filepath.Dir(d) == d {
			return nil, nil
		}
	}
}

var yamlLineRe = regexp.MustCompile(`line (\d+)`)

func yamlLine(err error) int {
	m := yamlLineRe.FindStringSubmatch(err.Error())
	if m == nil {
		return 0
	}
	n := 0
	fmt.Sscan(m[1], &n)
	return n
}

func keyLine(root *yaml.Node, key string) int {
	if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		root = root.Content[0]
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value == key {
			return root.Content[i].Line
		}
	}
	return 0
}

func seqLines(root *yaml.Node, key string) []int {
	if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		root = root.Content[0]
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		if root.Content[i].Value == key {
			var lines []int
			for _, it := range root.Content[i+1].Content {
				lines = append(lines, it.Line)
			}
			return lines
		}
	}
	return nil
}

// compilePath compiles an element path of a capture, a select or an absent.
func compilePath(p string) (etree.Path, error) { return etree.CompilePath(p) }
