package conformance

import (
	"strings"
	"testing"

	"github.com/beevik/etree"
)

// TestAMessageWithoutAReasonCodeFailsTheStepNotTheRunner: a server under test that leaves out a
// message's reasonCode gets a failed step, not a panic of the runner.
func TestAMessageWithoutAReasonCodeFailsTheStepNotTheRunner(t *testing.T) {
	doc := etree.NewDocument()
	if err := doc.ReadFromString(`<r><status><value>NO_RESULT</value></status><message><severity>ERROR</severity></message></r>`); err != nil {
		t.Fatal(err)
	}
	s := &Step{Expect: Expect{Value: "NO_RESULT", Reasons: []string{"PERIOD_TOO_LONG"}}}
	if err := s.check(readAnswer(doc.Root())); err == nil || !strings.Contains(err.Error(), "expected [PERIOD_TOO_LONG]") {
		t.Fatalf("a message without a reasonCode: %v", err)
	}
}
