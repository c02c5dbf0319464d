package server_test

import (
	"context"
	"os"
	"strings"
	"testing"

	"github.com/carmed/carmed/client"
)

// TestSchemaInvalidRequestsAreFaultsAndWriteNothing: what encoding/xml would silently accept (a
// duplicate element, an unknown one, "TRUE", a wrong order) is refused before decoding.
func TestSchemaInvalidRequestsAreFaultsAndWriteNothing(t *testing.T) {
	e := newEnv(t)
	base, _ := os.ReadFile(demoFile("create.xml"))
	cases := []struct{ name, from, to string }{
		{"a duplicated ssin is refused", "<ssin>85031412302</ssin>", "<ssin>85031412302</ssin><ssin>90072224663</ssin>"},
		{"an unknown element is refused", "<legalContext>", "<nickname>x</nickname><legalContext>"},
		{"a boolean written TRUE is refused", "<judicialDecision>false</judicialDecision>", "<judicialDecision>TRUE</judicialDecision>"},
		{"elements out of order are refused", "<ssin>85031412302</ssin>\n  <decision>", "<decision>"},
		{"a missing required element is refused", "<legalContext>MEDIPRIMA:DECISION</legalContext>", ""},
		{"a child in a namespace is refused", "<ssin>85031412302</ssin>", `<ssin xmlns="urn:carmed:cpas:v1">85031412302</ssin>`},
		{"an impossible date is refused", "<decisionDate>2026-12-01</decisionDate>", "<decisionDate>2026-02-30</decisionDate>"},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if !strings.Contains(string(base), c.from) {
				t.Fatalf("fixture lacks %q", c.from)
			}
			p := strings.Replace(string(base), c.from, c.to, 1)
			p = strings.Replace(p, "demo-create-0001", "schema-case-"+string(rune('a'+i)), 1)
			a, err := e.client("cpas-namur").Call(context.Background(), []byte(p), "")
			if err != nil {
				t.Fatal(err)
			}
			if a.Outcome != client.Faulted || !strings.HasSuffix(a.Code, "SCHEMA_INVALID") {
				t.Fatalf("got %v %q, want a SCHEMA_INVALID fault", a.Outcome, a.Code)
			}
			if strings.Contains(string(a.Raw), "nickname") || strings.Contains(string(a.Raw), "90072224663") {
				t.Fatal("the fault echoes the input")
			}
		})
	}
	if n := len(decisionsOf(t, e, "85031412302")); n != 0 {
		t.Fatalf("schema-invalid requests wrote %d decisions", n)
	}
}
