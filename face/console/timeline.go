package console

import (
	"fmt"
	"strconv"

	"github.com/carmed/carmed/rules"
)

// The timeline's drawing, computed here and rendered by the person template as SVG: decisions as
// bars over their validity, versions as marks on the day they were written, covers as lanes under
// their decision, suspensions and registry mutations as events, the business date as a line.
type timeline struct {
	Width, Height, Left int
	AxisY               int
	Ticks               []tick
	Rows                []tlRow
	Events              []tlEvent
	TodayX              int
	TodayLabel          string
}

type tick struct {
	X     int
	Label string
}

// tlRow is one decision: its bar, its version marks, its cover lanes and its suspensions.
type tlRow struct {
	Y           int
	Label, Sub  string
	Bar         tlBar
	Marks       []tlMark
	Lanes       []tlBar
	Suspensions []tlMark
}

type tlBar struct {
	X, Y, W, H int
	Class      string
	Label      string
	Title      string
	Href       string
}

type tlMark struct {
	X, Y  int
	Label string
	Title string
	Href  string
}

type tlEvent struct {
	X, Y1, Y2, LabelY int
	Label, Title      string
}

// Geometry (SVG user units).
const (
	tlWidth     = 980
	tlLeft      = 190 // room for the row labels
	tlRight     = 20
	tlTop       = 34 // the axis labels above
	tlBarH      = 18
	tlLaneH     = 9
	tlLaneGap   = 4
	tlRowGap    = 22
	tlSubH      = 12 // the line of the manager's name under a decision's number
	tlMarkSpace = 16 // between marks of versions written on the same day
	tlMaxYears  = 12 // a range longer than this is cut (a validity up to 9999 would flatten all)
)

// drawTimeline lays out a person's decisions (as the visitor may see them) and mutations around
// today.
func drawTimeline(ds []decisionRow, ms []rules.Mutation, today rules.Date, v *visit) *timeline {
	if len(ds) > MaxTimelineDecisions {
		ds = ds[:MaxTimelineDecisions]
	}
	lo, hi := today, today
	widen := func(d rules.Date) {
		if !d.Valid() {
			return
		}
		lo, hi = min(lo, d), max(hi, d)
	}
	for _, d := range ds {
		for _, ver := range d.Versions {
			widen(ver.Period.Start)
			widen(ver.Period.End)
			widen(ver.WrittenDay())
		}
	}
	for _, m := range ms {
		widen(m.Effective)
	}
	if hi > lo.AddYears(tlMaxYears) {
		hi = lo.AddYears(tlMaxYears)
	}
	pad := max(int(hi-lo)/20, 7)
	lo, hi = lo.AddDays(-pad), hi.AddDays(pad)
	span := float64(hi - lo)
	x := func(d rules.Date) int {
		d = min(max(d, lo), hi)
		return tlLeft + int(float64(d-lo)/span*float64(tlWidth-tlLeft-tlRight)+0.5)
	}
	tl := &timeline{Width: tlWidth, Left: tlLeft, AxisY: tlTop - 8, TodayX: x(today), TodayLabel: v.T("tl.today") + " " + today.String()}
	tl.Ticks = ticks(lo, hi, x)
	y := tlTop + 26 // room for the version marks and their labels under the axis
	for _, d := range ds {
		lv := d.Latest()
		row := tlRow{Y: y, Label: d.Number, Sub: cpasName(d.Manager, v.Lang)}
		row.Bar = tlBar{X: x(lv.Period.Start), Y: y, W: max(x(lv.Period.End)-x(lv.Period.Start), 2), H: tlBarH,
			Class: "bar " + statusClass(lv.Status), Label: v.T("status." + string(lv.Status)),
			Title: fmt.Sprintf("%s v%d %s %s", d.Number, lv.Version, lv.Period, lv.Status),
			Href:  versionHref(d.Number, lv.Version)}
		if !d.Full {
			row.Bar.Class += " other"
			row.Bar.Label = v.T("tl.othercpas")
		}
		sameDay := map[int]int{}
		for _, ver := range d.Versions {
			mx := x(ver.WrittenDay())
			k := sameDay[mx]
			sameDay[mx]++
			row.Marks = append(row.Marks, tlMark{X: mx + k*tlMarkSpace, Y: y - 5, Label: "v" + strconv.Itoa(ver.Version),
				Title: fmt.Sprintf("v%d %s %s %s", ver.Version, v.T("cause."+string(ver.Cause)), v.T("tl.written"), ver.WrittenDay()),
				Href:  versionHref(d.Number, ver.Version)})
			for _, s := range ver.Suspensions {
				row.Suspensions = append(row.Suspensions, tlMark{X: x(s.Date), Y: y + tlBarH/2,
					Title: v.T("tl.suspension") + " " + s.Reason + " " + s.Date.String()})
			}
		}
		ly := y + tlBarH + tlLaneGap + tlSubH // the manager's name under the number, then the lanes
		if d.Full {
			for _, cv := range lv.Covers {
				row.Lanes = append(row.Lanes, tlBar{X: x(cv.Period.Start), Y: ly, W: max(x(cv.Period.End)-x(cv.Period.Start), 2), H: tlLaneH,
					Class: "lane", Label: v.T("cover." + string(cv.Kind)), Title: v.T("cover."+string(cv.Kind)) + " " + cv.Period.String()})
				ly += tlLaneH + tlLaneGap
			}
		}
		tl.Rows = append(tl.Rows, row)
		y = ly + tlRowGap
	}
	for i, m := range ms {
		tl.Events = append(tl.Events, tlEvent{X: x(m.Effective), Y1: tlTop, Y2: y, LabelY: y + 12 + 12*(i%3),
			Label: v.T("mut." + string(m.Kind)), Title: v.T("tl.mutation") + " " + v.T("mut."+string(m.Kind)) + " " + m.Effective.String()})
	}
	tl.Height = y + 12 + 12*min(len(ms), 3) + 8
	return tl
}

// ticks marks months, quarters or years, whichever keeps a dozen labels or so.
func ticks(lo, hi rules.Date, x func(rules.Date) int) []tick {
	step, layout := 1, "2006-01"
	switch days := int(hi - lo); {
	case days > 6*365:
		step, layout = 12, "2006"
	case days > 2*365:
		step = 6
	case days > 400:
		step = 3
	}
	t := lo.Time()
	first := rules.DateOf(t.AddDate(0, 0, -t.Day()+1).AddDate(0, 1, 0)) // next first of month
	var out []tick
	for d := first; d <= hi; d = d.AddMonths(1) {
		m := int(d.Time().Month()) - 1
		if m%step != 0 {
			continue
		}
		out = append(out, tick{X: x(d), Label: d.Time().Format(layout)})
	}
	return out
}

func statusClass(s rules.Status) string {
	switch s {
	case rules.Suspended:
		return "suspended"
	case rules.Stopped:
		return "stopped"
	case rules.Closed:
		return "closed"
	}
	return "active"
}

func versionHref(number string, v int) string {
	return Path + "decision/" + number + "?v=" + strconv.Itoa(v)
}

// cpasName is the CPAS's name in the language (French for English: the CPAS names are fr/nl).
func cpasName(m rules.CPAS, lang string) string {
	n := m.NameFr
	if lang == "nl" && m.NameNl != "" {
		n = m.NameNl
	}
	if n == "" {
		return m.CBE
	}
	return n
}
