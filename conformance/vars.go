package conformance

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"math/big"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/beevik/etree"

	"github.com/carmed/carmed/rules"
)

var (
	placeholder = regexp.MustCompile(`\$\{([^{}]*)\}`)
	todayOffset = regexp.MustCompile(`^today([+-]\d{1,4})?$`)
)

// vars are one case run's values: persons' SSINs and birth dates, tickets sent, captures.
type vars struct {
	today  time.Time
	values map[string]string // "ssin.adam" → "85031412302", "cap.number" → "000000000007", …
	order  []string          // names in the order they got their values
	tags   map[string]string // capture name → local name of the element it came from
}

func newVars(today string) *vars {
	v := &vars{values: map[string]string{}, tags: map[string]string{}}
	if today != "" {
		v.today, _ = time.Parse(time.DateOnly, today)
	}
	return v
}

// expand replaces the placeholders of text; fresh is the ticket this step sends for ${ticket}.
func (v *vars) expand(text, fresh string) (string, error) {
	var bad error
	out := placeholder.ReplaceAllStringFunc(text, func(m string) string {
		name := m[2 : len(m)-1]
		if name == "ticket" {
			return fresh
		}
		if sm := todayOffset.FindStringSubmatch(name); sm != nil {
			n, _ := strconv.Atoi(strings.TrimPrefix(sm[1], "+"))
			return v.today.AddDate(0, 0, n).Format(time.DateOnly)
		}
		val, ok := v.values[name]
		if !ok && bad == nil {
			bad = fmt.Errorf("${%s} has no value yet", name)
		}
		return val
	})
	return out, bad
}

// set gives name its value (a later set of the same name wins).
func (v *vars) set(name, value string) {
	if _, ok := v.values[name]; !ok {
		v.order = append(v.order, name)
	}
	v.values[name] = value
}

// capture keeps the text of an element a step captured, and the element's name for golden masking
// (see unvar).
func (v *vars) capture(name string, el *etree.Element) {
	v.set("cap."+name, el.Text())
	v.tags["cap."+name] = el.Tag
}

// known is a run value as golden masking shows it: the value, its placeholder, and for a capture
// the element it came from.
type known struct {
	value, placeholder, tag string
}

// byValue lists the run's values for golden masking, the first name a value got winning (a retry
// sending ${ticket.create} shows as that, not as its own step's name).
func (v *vars) byValue() []known {
	var out []known
	seen := map[string]bool{}
	for _, name := range v.order {
		val := v.values[name]
		if val == "" {
			continue
		}
		tag := v.tags[name]
		if seen[val+"\x00"+tag] {
			continue
		}
		seen[val+"\x00"+tag] = true
		out = append(out, known{value: val, placeholder: "${" + name + "}", tag: tag})
	}
	return out
}

// freshTicket is a new idempotency key: 22 characters, well inside the contracts' 32.
func freshTicket() string {
	b := make([]byte, 10)
	_, _ = rand.Read(b)
	return "cf" + hex.EncodeToString(b)
}

func randInt(n int64) int64 {
	x, err := rand.Int(rand.Reader, big.NewInt(n))
	if err != nil {
		panic(err) // crypto/rand does not fail on Linux
	}
	return x.Int64()
}

// Birth dates the runner draws: adults born in the second half of the last century, whose SSINs
// use the pre-2000 check digits.
var (
	birthFrom = time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC)
	birthDays = int64(365 * 49)
)

// newSSIN makes a valid SSIN (R-SSIN) for a person born on birth: the birth date, a random
// sequence number (odd for men, even for women) and the mod-97 check. A BIS number adds 40 to the
// month (gender known at allocation), or 20 for a person without a gender.
func newSSIN(birth time.Time, gender string, bis bool) string {
	month := int(birth.Month())
	switch {
	case gender == GenderNone:
		month += 20
	case bis:
		month += 40
	}
	seq := 1 + 2*randInt(498) // 1, 3, …, 995
	if gender == "F" {
		seq++
	}
	base := fmt.Sprintf("%02d%02d%02d%03d", birth.Year()%100, month, birth.Day(), seq)
	n, _ := strconv.ParseInt(base, 10, 64)
	if birth.Year() >= 2000 {
		n += 2_000_000_000
	}
	s := fmt.Sprintf("%s%02d", base, 97-n%97)
	if !rules.ValidSSIN(s) {
		panic("conformance: made an invalid SSIN " + s) // a bug in this function, never input
	}
	return s
}

// drawPersons gives every person of the case a fresh SSIN (and a birth date when not fixed).
func (v *vars) drawPersons(c *Case) {
	for _, n := range c.PersonNames() {
		p := c.Persons[n]
		birth, err := time.Parse(time.DateOnly, p.Birth)
		if err != nil {
			birth = birthFrom.AddDate(0, 0, int(randInt(birthDays)))
		}
		v.set("ssin."+n, newSSIN(birth, p.Gender, p.BIS))
		v.set("birth."+n, birth.Format(time.DateOnly))
	}
}

const nsHarness = "urn:carmed:harness:v1"

// loadRegistryPayload is the harness request that adds the case's persons.
func loadRegistryPayload(c *Case, v *vars, ticket string) []byte {
	doc := etree.NewDocument()
	root := doc.CreateElement("h:loadRegistryRequest")
	root.CreateAttr("xmlns:h", nsHarness)
	root.CreateElement("ticket").SetText(ticket)
	for _, n := range c.PersonNames() {
		p := c.Persons[n]
		el := root.CreateElement("person")
		el.CreateElement("ssin").SetText(v.values["ssin."+n])
		last := p.LastName
		if last == "" {
			last = "Conformance"
		}
		el.CreateElement("lastName").SetText(last)
		first := p.FirstName
		if first == "" {
			first = strings.ToUpper(n[:1]) + n[1:]
		}
		el.CreateElement("firstName").SetText(first)
		switch p.Gender {
		case "":
			el.CreateElement("gender").SetText("M")
		case GenderNone:
		default:
			el.CreateElement("gender").SetText(p.Gender)
		}
		el.CreateElement("birthDate").SetText(v.values["birth."+n])
		if p.Death != "" {
			el.CreateElement("deathDate").SetText(p.Death)
		}
		for _, s := range p.situations() {
			se := el.CreateElement("situation")
			se.CreateElement("from").SetText(s.From)
			se.CreateElement("kind").SetText(s.Kind)
			if s.INS != "" {
				se.CreateElement("residenceIns").SetText(s.INS)
			}
		}
	}
	b, _ := doc.WriteToBytes()
	return b
}

// setClockPayload fixes the business date.
func setClockPayload(today, ticket string) []byte {
	return []byte(`<h:setClockRequest xmlns:h="` + nsHarness + `"><ticket>` + ticket +
		`</ticket><today>` + today + `</today></h:setClockRequest>`)
}
