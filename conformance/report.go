package conformance

import (
	"encoding/xml"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"
)

// Reporter is told of a run's progress.
type Reporter interface {
	Begin(total int)
	Done(Result)
	End(Summary)
}

type nopReporter struct{}

func (nopReporter) Begin(int)   {}
func (nopReporter) Done(Result) {}
func (nopReporter) End(Summary) {}

// barWidth is the progress bar's width in characters: fits an 80-column terminal with the counts.
const barWidth = 30

// Text prints one line per case and a summary; on a terminal it keeps a live progress bar on the
// last line, redrawn under each case line.
type Text struct {
	W     io.Writer
	TTY   bool
	mu    sync.Mutex
	total int
	n     int
	fails int
	start time.Time
}

func (t *Text) Begin(total int) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.total, t.start = total, time.Now()
	t.bar()
}

func (t *Text) Done(r Result) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.n++
	if r.Status == Failed {
		t.fails++
	}
	if t.TTY {
		fmt.Fprint(t.W, "\r\033[K")
	}
	fmt.Fprintf(t.W, "%s  %-44s %2d steps  %6s\n", r.Status, r.Case.ID, r.Steps, r.Duration.Round(time.Millisecond))
	if r.Message != "" {
		fmt.Fprintf(t.W, "      %s\n", strings.ReplaceAll(r.Message, "\n", "\n      "))
	}
	t.bar()
}

func (t *Text) bar() {
	if !t.TTY || t.total == 0 {
		return
	}
	filled := barWidth * t.n / t.total
	fmt.Fprintf(t.W, "\r\033[K[%s%s] %d/%d  %d failed  %s", strings.Repeat("=", filled), strings.Repeat(" ", barWidth-filled),
		t.n, t.total, t.fails, time.Since(t.start).Round(time.Second))
}

func (t *Text) End(s Summary) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.TTY {
		fmt.Fprint(t.W, "\r\033[K")
	}
	fmt.Fprintf(t.W, "%d cases, %d steps in %s\n", s.Passed+s.Failed+s.Skipped, s.Steps, s.Duration.Round(time.Millisecond))
	// The closing line in the form CI systems read.
	fmt.Fprintf(t.W, "conformance: %d passed, %d failed, %d skipped\n", s.Passed, s.Failed, s.Skipped)
}

// JUnit XML, the subset CI systems read: one testsuite, one testcase per case.
type junitSuites struct {
	XMLName xml.Name     `xml:"testsuites"`
	Suites  []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Errors   int         `xml:"errors,attr"`
	Skipped  int         `xml:"skipped,attr"`
	Time     string      `xml:"time,attr"`
	Stamp    string      `xml:"timestamp,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Class   string     `xml:"classname,attr"`
	Name    string     `xml:"name,attr"`
	File    string     `xml:"file,attr,omitempty"`
	Time    string     `xml:"time,attr"`
	Failure *junitText `xml:"failure"`
	Skipped *junitText `xml:"skipped"`
	Props   *struct {
		P []junitProp `xml:"property"`
	} `xml:"properties"`
}

type junitText struct {
	Message string `xml:"message,attr"`
	Body    string `xml:",chardata"`
}

type junitProp struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

// WriteJUnit writes the run as JUnit XML to path.
func WriteJUnit(path string, s *Summary, at time.Time) error {
	suite := junitSuite{Name: "carmed conformance", Tests: len(s.Results), Failures: s.Failed, Skipped: s.Skipped,
		Time: secs(s.Duration), Stamp: at.UTC().Format(time.RFC3339)}
	for _, r := range s.Results {
		jc := junitCase{Class: "conformance", Name: r.Case.ID, File: r.Case.File, Time: secs(r.Duration)}
		first, _, _ := strings.Cut(r.Message, "\n")
		switch r.Status {
		case Failed:
			jc.Failure = &junitText{Message: first, Body: r.Message}
		case Skipped:
			jc.Skipped = &junitText{Message: first}
		}
		if len(r.Case.Rules) > 0 {
			jc.Props = &struct {
				P []junitProp `xml:"property"`
			}{P: []junitProp{{Name: "rules", Value: strings.Join(r.Case.Rules, " ")}, {Name: "purpose", Value: r.Case.Purpose}}}
		}
		suite.Cases = append(suite.Cases, jc)
	}
	b, err := xml.MarshalIndent(junitSuites{Suites: []junitSuite{suite}}, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append([]byte(xml.Header), append(b, '\n')...), 0o644)
}

func secs(d time.Duration) string { return fmt.Sprintf("%.3f", d.Seconds()) }
