package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestClassifyReadsTheSideOfACaseFromItsSentence(t *testing.T) {
	for _, c := range []struct {
		sentence string
		want     side
	}{
		{"a one-day decision is accepted", accepting},
		{"a BIS number is valid", accepting},
		{"a history is answered newest first", accepting},
		{"a stop yesterday is rejected", rejecting},
		{"a modify by another CPAS is refused", rejecting},
		{"a stale version is a conflict", rejecting},
		{"ten digits are invalid", rejecting},
		{"a stop is accepted, a later one is rejected", mixed},
		{"the income flag changes the code", neutral},
	} {
		if got := classify(c.sentence); got != c.want {
			t.Errorf("classify(%q) = %v, want %v", c.sentence, got, c.want)
		}
	}
}

func TestClassifyWarningReadsWhetherACaseIsWarned(t *testing.T) {
	for _, c := range []struct {
		sentence string
		want     warning
	}{
		{"a late create is accepted and is warned", warned},
		{"two late creates are accepted and are warned", warned},
		{"a create on time is accepted and is not warned", notWarned},
		{"creates on time are not warned", notWarned},
		{"a create is warned, another is not warned", mixedWarning},
		{"a stop yesterday is rejected", unsaid},
		{"a warning rides along", unsaid}, // the word alone says nothing of this case
	} {
		if got := classifyWarning(c.sentence); got != c.want {
			t.Errorf("classifyWarning(%q) = %v, want %v", c.sentence, got, c.want)
		}
	}
	if classify("a late create is accepted and is warned") != accepting {
		t.Error("a warned case is still an accepting one")
	}
}

// warningTree writes a repository whose catalogue has one ordinary rule and one warning-only
// rule (its row says "never rejected"), pinned by the given subtest names.
func warningTree(t *testing.T, names ...string) string {
	t.Helper()
	root := t.TempDir()
	catalogue := "## 2. Creation\n\n| id | rule |\n|---|---|\n| R-ALPHA | a |\n" +
		"| R-LATE | A late create is accepted with a WARNING, never rejected. |\n"
	src := "package pkg\n\nvar names = []string{\n\t\"R-ALPHA/a thing is accepted\",\n\t\"R-ALPHA/a thing is rejected\",\n"
	for _, n := range names {
		src += "\t\"" + n + "\",\n"
	}
	src += "}\n"
	for rel, text := range map[string]string{"go.mod": "module example\n", "rules.md": catalogue, "pkg/a_test.go": src} {
		p := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func TestAWarningOnlyRuleIsCompleteWithAWarnedAndANotWarnedCase(t *testing.T) {
	const warnedCase, quietCase = "R-LATE/a create 9 days late is accepted and is warned", "R-LATE/a create 8 days late is accepted and is not warned"
	for _, c := range []struct {
		name  string
		names []string
		code  int
		want  []string
	}{
		{"a warned and a not-warned case, no rejection: complete", []string{warnedCase, quietCase}, 0, []string{
			"R-LATE                   §2  accepting   2  rejecting   0  pins   2 (tests   2, cases   0)  warned   1  not warned   1  (warning-only)  ok",
			"    +w test    pkg/a_test.go:6  a create 9 days late is accepted and is warned",
			"    +n test    pkg/a_test.go:7  a create 8 days late is accepted and is not warned",
			"2 rule ids: 2 complete, 0 missing a case",
		}},
		{"only a warned case: the not-warned side is missing", []string{warnedCase}, 1, []string{
			"warned   1  not warned   0  (warning-only)  MISSING a not-warned case",
		}},
		{"accepted cases that say nothing of a warning do not count", []string{"R-LATE/a create is accepted", "R-LATE/another is accepted"}, 1, []string{
			"(warning-only)  MISSING a warned case and a not-warned case",
		}},
		{"a rejecting case contradicts a warning-only rule", []string{warnedCase, quietCase, "R-LATE/a create 400 days late is rejected"}, 1, []string{
			"MISSING no rejecting case (the rule is warning-only)",
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			out, code := runReport(t, "-root", warningTree(t, c.names...), "-rules", "rules.md")
			if code != c.code {
				t.Fatalf("exit %d, want %d\n%s", code, c.code, out)
			}
			for _, w := range c.want {
				if !strings.Contains(out, w) {
					t.Errorf("report lacks %q\n%s", w, out)
				}
			}
			if !strings.Contains(out, "R-ALPHA                  §2  accepting   1  rejecting   1  pins   2 (tests   2, cases   0)  ok\n") {
				t.Errorf("an ordinary rule is still judged by accepting and rejecting cases:\n%s", out)
			}
		})
	}
}

// tree writes a small repository: a catalogue with rules in sections 1 and 5, a test file and
// fixtures.
func tree(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	write := func(rel, text string) {
		p := filepath.Join(root, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("go.mod", "module example\n")
	write("rules.md", "## 1. Identity\n\n| id | rule |\n|---|---|\n| R-ALPHA | a |\n| R-BETA | b |\n\n## 5. Later\n\n| R-GAMMA | c |\n")
	write("pkg/a_test.go", "package pkg\n\nvar names = []string{\n"+
		"\t\"R-ALPHA/a thing is accepted\",\n"+
		"\t`R-ALPHA/another thing is rejected`,\n"+
		"\t\"R-BETA/a thing is accepted\",\n"+
		"\t\"R-BETA/a thing is accepted and another rejected\",\n"+
		"\t\"R-ZETA/a rule nobody wrote is accepted\",\n"+
		"\t\"R-BETA/\" + \"assembled at run time is rejected\",\n}\n")
	write("testdata/cases/beta-refused.xml", "<case rule=\"R-BETA\"/>")
	write("testdata/golden/gamma.xml", "<status><value>NO_RESULT</value></status><ruleId>R-GAMMA</ruleId>")
	write("testdata/big.bin", strings.Repeat("R-GAMMA DATA_FOUND ", maxFixtureBytes/10))
	return root
}

func runReport(t *testing.T, args ...string) (string, int) {
	t.Helper()
	var out, errs strings.Builder
	code := run(args, &out, &errs)
	if errs.Len() > 0 {
		t.Logf("stderr: %s", errs.String())
	}
	return out.String(), code
}

func TestReportFailsWhenARuleLacksASideAndListsWhatPinsEachRule(t *testing.T) {
	root := tree(t)
	out, code := runReport(t, "-root", root, "-rules", "rules.md")
	if code != 1 {
		t.Fatalf("exit %d, want 1 (R-GAMMA has no accepting case)\n%s", code, out)
	}
	for _, want := range []string{
		"R-ALPHA                  §1  accepting   1  rejecting   1  pins   2 (tests   2, cases   0)  ok",
		"    + test    pkg/a_test.go:4  a thing is accepted",
		"    - test    pkg/a_test.go:5  another thing is rejected",
		// the mixed name counts for neither side; the fixture's file name gives the rejecting side
		"R-BETA                   §1  accepting   1  rejecting   1  pins   3 (tests   2, cases   0)  ok",
		"    ! test    pkg/a_test.go:7  a thing is accepted and another rejected",
		"    - fixture testdata/cases/beta-refused.xml  fixture",
		// a golden answer with NO_RESULT is rejecting; the oversized file is not read
		"R-GAMMA                  §5  accepting   0  rejecting   1  pins   1 (tests   0, cases   0)  MISSING accepting",
		"warning: R-ZETA is named by 1 test(s) but is not in the catalogue (first: pkg/a_test.go:8)",
		"3 rule ids: 2 complete, 1 missing a case, 0 allowed to for now",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q\n%s", want, out)
		}
	}
	if strings.Contains(out, "assembled at run time") {
		t.Error("a name assembled at run time cannot be read and must not be reported")
	}
}

func TestReportPassesWhenTheMissingRulesAreAllowedBySection(t *testing.T) {
	root := tree(t)
	out, code := runReport(t, "-root", root, "-rules", filepath.Join(root, "rules.md"), "-allow-missing", "§5", "-summary")
	if code != 0 {
		t.Fatalf("exit %d, want 0\n%s", code, out)
	}
	if !strings.Contains(out, "MISSING accepting (allowed)") || strings.Contains(out, "    + ") {
		t.Fatalf("summary output:\n%s", out)
	}
}

func TestReportPassesWhenTheMissingRuleIsAllowedById(t *testing.T) {
	if _, code := runReport(t, "-root", tree(t), "-rules", "rules.md", "-allow-missing", "R-GAMMA"); code != 0 {
		t.Fatalf("exit %d, want 0", code)
	}
}

func TestReportIsAUsageErrorWithoutACatalogue(t *testing.T) {
	if _, code := runReport(t, "-root", tree(t), "-rules", "nowhere.md"); code != 2 {
		t.Fatalf("exit %d, want 2", code)
	}
}

// A conformance case's steps count for the rules they list, on the side of their expected outcome;
// the case's request and golden files are not counted again as fixtures.
func TestReportCountsConformanceCasesBesideTests(t *testing.T) {
	root := tree(t)
	dir := filepath.Join(root, "testdata", "conformance", "gamma")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	req := `<cpas:consultCarmedRequest xmlns:cpas="urn:carmed:cpas:v1"><ticket>${ticket}</ticket></cpas:consultCarmedRequest>`
	manifest := "id: gamma\npurpose: Gamma both ways.\nrules: [R-GAMMA, R-ALPHA]\nparties: [cpas-namur]\nsteps:\n" +
		"  - name: accepted\n    rules: [R-GAMMA]\n    as: cpas-namur\n    request: r.xml\n    expect: {value: DATA_FOUND}\n" +
		"  - name: refused\n    rules: [R-GAMMA]\n    as: cpas-namur\n    request: r.xml\n    expect: {value: NO_RESULT, reasons: [GAMMA]}\n"
	for name, text := range map[string]string{"case.yaml": manifest, "r.xml": req, "refused-R-GAMMA.xml": "<value>NO_RESULT</value>"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out, code := runReport(t, "-root", root, "-rules", "rules.md")
	if code != 0 {
		t.Fatalf("exit %d, want 0: the case gives R-GAMMA its accepting side\n%s", code, out)
	}
	for _, want := range []string{
		"R-GAMMA                  §5  accepting   1  rejecting   2  pins   3 (tests   0, cases   2)  ok",
		"    + case    testdata/conformance/gamma/case.yaml:6  case gamma, step accepted",
		"    - case    testdata/conformance/gamma/case.yaml:11  case gamma, step refused",
		// listed by the case but shown by no step: pinned, not counted
		"    · case    testdata/conformance/gamma/case.yaml  case gamma",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q\n%s", want, out)
		}
	}
	if strings.Contains(out, "refused-R-GAMMA.xml") {
		t.Error("a file of a case folder must not be counted again as a fixture")
	}
}

func TestReportFailsOnABrokenConformanceCase(t *testing.T) {
	root := tree(t)
	dir := filepath.Join(root, "testdata", "conformance", "broken")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "case.yaml"), []byte("id: broken\nsteps: [\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, code := runReport(t, "-root", root, "-rules", "rules.md", "-allow-missing", "R-GAMMA"); code != 2 {
		t.Fatalf("exit %d, want 2: a case that does not load cannot count", code)
	}
}
