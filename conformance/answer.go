package conformance

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/beevik/etree"
)

// answer is what a step's answer says, read the same way on every face.
type answer struct {
	fault    string   // the fault code's local part, when a SOAP Fault
	value    string   // status/value (CPAS and harness faces)
	code     string   // status/code
	status   string   // eHealth status: the StatusCode values' last segments joined by "/"
	errors   []string // reason codes of ERROR messages (and of a fault's detail)
	warnings []string // reason codes of WARNING messages
	ruleIDs  []string // rule ids the messages name (the CPAS and harness faces carry them)
}

func localPart(qname string) string {
	if i := strings.LastIndexByte(qname, ':'); i >= 0 {
		return qname[i+1:]
	}
	return qname
}

// readAnswer reads the verified payload of an answer.
func readAnswer(p *etree.Element) answer {
	var a answer
	if p.Tag == "Fault" {
		if fc := p.FindElement("faultcode"); fc != nil {
			a.fault = localPart(strings.TrimSpace(fc.Text()))
		} else if sv := p.FindElement("./Code/Subcode/Value"); sv != nil {
			a.fault = localPart(strings.TrimSpace(sv.Text()))
		} else if v := p.FindElement("./Code/Value"); v != nil {
			a.fault = localPart(strings.TrimSpace(v.Text()))
		}
		for _, rc := range p.FindElements(".//reasonCode") {
			a.errors = append(a.errors, strings.TrimSpace(rc.Text()))
		}
		return a
	}
	if v := p.FindElement("./status/value"); v != nil {
		a.value = strings.TrimSpace(v.Text())
		if c := p.FindElement("./status/code"); c != nil {
			a.code = strings.TrimSpace(c.Text())
		}
	}
	// A CAAMI answer's messages are per line (./line/message), besides the status's.
	for _, m := range append(p.FindElements("./message"), p.FindElements("./line/message")...) {
		var code string // a message without a reasonCode is the server's fault: compared as "", not a panic
		if rc := m.FindElement("reasonCode"); rc != nil {
			code = strings.TrimSpace(rc.Text())
		}
		if sev := m.FindElement("severity"); sev != nil && strings.TrimSpace(sev.Text()) == "WARNING" {
			a.warnings = append(a.warnings, code)
		} else {
			a.errors = append(a.errors, code)
		}
		if r := m.FindElement("ruleId"); r != nil {
			a.ruleIDs = append(a.ruleIDs, strings.TrimSpace(r.Text()))
		}
	}
	if sc := p.FindElement("./Status/StatusCode"); sc != nil {
		var parts []string
		for e := sc; e != nil; e = e.FindElement("StatusCode") {
			v := e.SelectAttrValue("Value", "")
			parts = append(parts, v[strings.LastIndexByte(v, ':')+1:])
		}
		a.status = strings.Join(parts, "/")
		for _, m := range p.FindElements(".//MedicalCardRegistryMessage") {
			rc := m.FindElement("ReasonCode")
			if rc == nil {
				continue
			}
			if m.SelectAttrValue("Severity", "") == "WARNING" {
				a.warnings = append(a.warnings, strings.TrimSpace(rc.Text()))
			} else {
				a.errors = append(a.errors, strings.TrimSpace(rc.Text()))
			}
		}
		// UMA v1's detail: RegistryStatus/ErrorDetail, errors only.
		for _, e := range p.FindElements("./Status/StatusDetail/RegistryStatus/ErrorDetail/Code") {
			a.errors = append(a.errors, strings.TrimSpace(e.Text()))
		}
	}
	return a
}

func (a answer) outcome() string {
	switch {
	case a.fault != "":
		return "fault " + a.fault
	case a.status != "":
		return "status " + a.status
	case a.code != "" && a.code != a.value:
		return a.value + " " + a.code
	}
	return a.value
}

// check compares an answer with what the step expects; the first difference is the failure.
func (s *Step) check(a answer) error {
	e := s.Expect
	switch {
	case e.Fault != "":
		if a.fault != localPart(e.Fault) {
			return fmt.Errorf("answer is %s, expected fault %s", a.outcome(), e.Fault)
		}
		if len(e.Reasons) > 0 && !sameSet(a.errors, e.Reasons) {
			return fmt.Errorf("fault reasons %v, expected %v", a.errors, e.Reasons)
		}
		return nil
	case e.Status != "":
		if a.status != e.Status && !strings.HasPrefix(a.status, e.Status+"/") {
			return fmt.Errorf("answer is %s, expected status %s", a.outcome(), e.Status)
		}
	default:
		success := e.Value == ValueSuccess && (a.value == "DATA_FOUND" || a.value == "NO_DATA_FOUND")
		if a.fault != "" || (a.value != e.Value && !success) {
			return fmt.Errorf("answer is %s, expected %s", a.outcome(), e.Value)
		}
		if e.Code != "" && a.code != e.Code {
			return fmt.Errorf("status code %s, expected %s", a.code, e.Code)
		}
	}
	if !sameSet(a.errors, e.Reasons) {
		return fmt.Errorf("reasons %v, expected %v", orNone(a.errors), orNone(e.Reasons))
	}
	if !sameSet(a.warnings, e.Warnings) {
		return fmt.Errorf("warnings %v, expected %v", orNone(a.warnings), orNone(e.Warnings))
	}
	// A face that names rule ids must name one of the step's rules on the messages it shows. One,
	// not all: a rule without a reason code of its own (R-PRINCIPLE blocks through R-OVERLAP's
	// codes) is shown by a step that also lists the rule the server cites.
	if len(a.ruleIDs) > 0 && len(s.Rules) > 0 && (s.refused() || len(e.Warnings) > 0) {
		cited := false
		for _, r := range s.Rules {
			cited = cited || slices.Contains(a.ruleIDs, r)
		}
		if !cited {
			return fmt.Errorf("messages name rules %v, expected one of %v among them", a.ruleIDs, s.Rules)
		}
	}
	return nil
}

func sameSet(got, want []string) bool {
	g, w := slices.Clone(got), slices.Clone(want)
	sort.Strings(g)
	sort.Strings(w)
	return slices.Equal(slices.Compact(g), slices.Compact(w))
}

func orNone(x []string) any {
	if len(x) == 0 {
		return "none"
	}
	return x
}
