package main

import (
	"fmt"
	"strings"

	gh "github.com/carmed/carmed/gen/harness"
)

// The one-screen summaries of harness answers (--raw prints the answer itself).

// ssinChangeText says what an SSIN mutation turned out to be.
var ssinChangeText = map[gh.SsinChangeType]string{
	gh.SsinChangeTypeCHANGE: "CHANGE: the new SSIN was unknown, the person is renamed",
	gh.SsinChangeTypeMERGE:  "MERGE: the new SSIN was another person's, the two are merged",
}

func printMutation(m *gh.MutationResultType) {
	fmt.Printf("mutation %s: %s", m.MutationId, m.Kind)
	if m.SsinChange != nil {
		fmt.Printf(" (%s)", ssinChangeText[*m.SsinChange])
	}
	fmt.Println()
	if len(m.Affected) == 0 {
		fmt.Println("  no decision affected")
	}
	for _, a := range m.Affected {
		notice := "no notice"
		if a.NoticeId != nil {
			notice = "notice " + string(*a.NoticeId)
		}
		fmt.Printf("  decision %s version %d %s, manager %s, %s\n", a.CarmedNumber, a.VersionNumber, a.Status, a.ManagerCbe, notice)
	}
}

// noticeLine is one notice: id, addressee, decision/version and status, cause and effective date,
// the suspension, the actions the CPAS may take next and whether it acknowledged the notice.
func noticeLine(n gh.HarnessNoticeType) string {
	var b strings.Builder
	fmt.Fprintf(&b, "notice %s to %s: decision %s/%d %s, %s effective %s", n.NoticeId, n.ManagerCbe,
		n.CarmedNumber, n.VersionNumber, n.Status, n.Cause, n.EffectiveDate)
	if s := n.Suspension; s != nil {
		fmt.Fprintf(&b, "; suspended (%s) from %s", s.Reason, s.Date)
		if s.OldRefundCode != nil || s.NewRefundCode != nil {
			fmt.Fprintf(&b, ", refund code %s→%s", refundCode(s.OldRefundCode), refundCode(s.NewRefundCode))
		}
	}
	if len(n.NextAction) > 0 {
		acts := make([]string, len(n.NextAction))
		for i, a := range n.NextAction {
			acts[i] = string(a.Action)
			switch {
			case a.MinStopDate == nil || a.MaxStopDate == nil:
			case *a.MinStopDate == *a.MaxStopDate:
				acts[i] += " on " + string(*a.MinStopDate)
			default:
				acts[i] += fmt.Sprintf(" from %s to %s", *a.MinStopDate, *a.MaxStopDate)
			}
		}
		fmt.Fprintf(&b, "; next: %s", strings.Join(acts, ", "))
	}
	if n.Acknowledged {
		b.WriteString("; acknowledged")
	} else {
		b.WriteString("; pending")
	}
	return b.String()
}

func refundCode(c *int32) string {
	if c == nil {
		return "none"
	}
	return fmt.Sprint(*c)
}

func printPerson(p *gh.PersonType) {
	name := p.LastName
	if p.FirstName != nil {
		name += ", " + *p.FirstName
	}
	gender := "gender unknown"
	if p.Gender != nil {
		gender = string(*p.Gender)
	}
	fmt.Printf("%s  %s  %s  born %s\n", p.Ssin, name, gender, p.BirthDate)
	if p.DeathDate != nil {
		fmt.Printf("  died %s\n", *p.DeathDate)
	}
	for _, s := range p.Situation {
		fmt.Printf("  from %s  %s", s.From, s.Kind)
		if s.ResidenceIns != nil {
			fmt.Printf(" (residence INS %s)", *s.ResidenceIns)
		}
		fmt.Println()
	}
	if p.ReplacedBy != nil {
		fmt.Printf("  replaced by %s\n", *p.ReplacedBy)
	}
}
