package console

import (
	"fmt"
	"html/template"
	"strings"

	"github.com/carmed/carmed/rules"
	"github.com/carmed/carmed/trust"
)

// funcs are the templates' helpers; text goes through html/template's escaping as any other.
var funcs = template.FuncMap{
	"partyName": partyName,
	"cpas":      cpasName,
	"texts":     messageTexts,
	"cents":     cents,
	"join":      func(s []string) string { return strings.Join(s, ", ") },
	"statePart": func(p page, s rules.StatePart) stateView { return stateView{V: p, S: s} },
	"noticeRows": func(p page, ns []rules.Notice) noticeView {
		return noticeView{V: p, N: ns}
	},
	"coverRows": func(p page, cs []rules.Cover) coverView { return coverView{V: p, C: cs} },
	"yesno":     func(p page, b bool) string { return yesNo(p.visit, b) },
	"inc":       func(i int) int { return i + 1 },
	"add":       func(a, b int) int { return a + b },
	"dec":       func(i int) int { return i - 1 },
}

type stateView struct {
	V page
	S rules.StatePart
}

// coverView is the covers table of a version, shared by WebConsult and the version page.
type coverView struct {
	V page
	C []rules.Cover
}

type noticeView struct {
	V page
	N []rules.Notice
}

// partyName is how the console names a party: a CPAS by its French name, others by their name
// in the trust file, or their id.
func partyName(p trust.Party) string {
	switch {
	case p.Kind == trust.KindCPAS && p.NameFr != "":
		return p.NameFr
	case p.Name != "":
		return p.Name
	}
	return p.ID
}

// messageText is a rules message in one row of the page.
type messageText struct {
	Class, Code, Text string
	Info              []rules.Info
}

// messageTexts renders rules messages in the language: Dutch for nl, French otherwise (the rules
// write French and Dutch; the code and its information are the same in all three).
func messageTexts(lang string, ms []rules.Message) []messageText {
	out := make([]messageText, 0, len(ms))
	for _, m := range ms {
		t := messageText{Class: "warning", Code: m.Code, Text: m.Fr, Info: m.Info}
		if lang == "nl" {
			t.Text = m.Nl
		}
		if m.Severity == rules.SevError {
			t.Class = "error"
		}
		out = append(out, t)
	}
	return out
}

// cents shows an amount in euro cents as euros; nil shows nothing.
func cents(c *int64) string {
	if c == nil {
		return ""
	}
	return fmt.Sprintf("€%d.%02d", *c/100, *c%100)
}
