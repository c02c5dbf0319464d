package store

import (
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/carmed/carmed/rules"
)

func writeFile(t *testing.T, dir, name, body string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
}

func TestPersonRoundTripKeepsAbsentDates(t *testing.T) {
	b := openTestDB(t)
	p := rules.Person{SSIN: ssinA, LastName: "Exemple", FirstName: "Adam", Gender: "",
		BirthDate: rules.MustDate("1985-03-14"), DeathDate: rules.NoDate,
		Situations: []rules.Situation{{From: rules.MustDate("2020-01-01"), Kind: rules.SitAsylum, ResidenceINS: "92094"}}}
	if _, err := b.LoadRegistry([]rules.Person{p}); err != nil {
		t.Fatal(err)
	}
	_ = b.View(func(r Reader) error {
		got, err := r.Person(ssinA)
		if err != nil || !reflect.DeepEqual(got, p) {
			t.Errorf("got %+v, %v; want %+v", got, err, p)
		}
		if got.DeathDate.Valid() {
			t.Error("an absent death date came back as a date")
		}
		if _, err := r.Person(ssinB); err != ErrNotFound {
			t.Errorf("unknown person: err = %v", err)
		}
		return nil
	})
}

func TestLoadRegistryNeverOverwritesAStoredPerson(t *testing.T) {
	adam := rules.Person{SSIN: ssinA, LastName: "Exemple", FirstName: "Adam", Gender: "M",
		BirthDate: rules.MustDate("1985-03-14"), DeathDate: rules.NoDate}
	bea := rules.Person{SSIN: ssinB, LastName: "Voorbeeld", FirstName: "Bea", Gender: "F",
		BirthDate: rules.MustDate("1990-07-22"), DeathDate: rules.NoDate}
	renamed := adam
	renamed.LastName = "Nouveau"
	replaced := adam
	replaced.ReplacedBy = ssinB
	tests := []struct {
		name    string
		stored  []rules.Person // in the file before the load
		fixture []rules.Person
		want    LoadReport
		after   []rules.Person // in the file after the load
	}{
		{"an empty file gets every fixture person", nil, []rules.Person{adam, bea},
			LoadReport{Added: 2}, []rules.Person{adam, bea}},
		{"reloading the same fixture changes nothing", []rules.Person{adam, bea}, []rules.Person{adam, bea},
			LoadReport{Unchanged: 2}, []rules.Person{adam, bea}},
		{"a renamed person keeps the mutated name", []rules.Person{renamed}, []rules.Person{adam, bea},
			LoadReport{Added: 1, Kept: 1}, []rules.Person{renamed, bea}},
		{"a person replaced by an SSIN mutation stays replaced", []rules.Person{replaced, bea}, []rules.Person{adam, bea},
			LoadReport{Unchanged: 1, Kept: 1}, []rules.Person{replaced, bea}},
		{"a stored person missing from the fixture stays", []rules.Person{bea}, []rules.Person{adam},
			LoadReport{Added: 1}, []rules.Person{adam, bea}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := openTestDB(t)
			err := b.Update(func(w Writer) error {
				for _, p := range tt.stored {
					if err := w.PutPerson(p); err != nil {
						return err
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			rep, err := b.LoadRegistry(tt.fixture)
			if err != nil || rep != tt.want {
				t.Errorf("LoadRegistry = %+v, %v; want %+v", rep, err, tt.want)
			}
			_ = b.View(func(r Reader) error {
				for _, want := range tt.after {
					if got, err := r.Person(want.SSIN); err != nil || !reflect.DeepEqual(got, want) {
						t.Errorf("stored %+v, %v; want %+v", got, err, want)
					}
				}
				return nil
			})
		})
	}
	t.Run("a refused fixture writes nobody and reports nothing", func(t *testing.T) {
		b := openTestDB(t)
		rep, err := b.LoadRegistry([]rules.Person{adam, {LastName: "Sans SSIN"}})
		if err == nil || rep != (LoadReport{}) {
			t.Errorf("LoadRegistry = %+v, %v; want an error and an empty report", rep, err)
		}
		if n := b.count(t, bucketPersons); n != 0 {
			t.Errorf("%d persons stored", n)
		}
	})
}

func TestLoadRegistryFiles(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "b.json", `{"persons":[{"ssin":"90072224663","lastName":"Voorbeeld","firstName":"Bea","gender":"F",
		"birthDate":"1990-07-22","situations":[{"from":"2020-01-01","kind":"ILLEGAL"},{"from":"2025-05-01","kind":"9TER"}]}]}`)
	writeFile(t, dir, "a.json", `{"persons":[{"ssin":"85031412302","lastName":"Exemple","firstName":"Adam","gender":"M",
		"birthDate":"1985-03-14","deathDate":"2025-06-10","situations":[{"from":"2020-01-01","kind":"ASYLUM","residenceIns":"92094"}]}]}`)
	writeFile(t, dir, "notes.txt", `not a registry file`)

	ps, err := LoadRegistryFiles(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := []rules.Person{
		{SSIN: "85031412302", LastName: "Exemple", FirstName: "Adam", Gender: "M", BirthDate: rules.MustDate("1985-03-14"),
			DeathDate:  rules.MustDate("2025-06-10"),
			Situations: []rules.Situation{{From: rules.MustDate("2020-01-01"), Kind: rules.SitAsylum, ResidenceINS: "92094"}}},
		{SSIN: "90072224663", LastName: "Voorbeeld", FirstName: "Bea", Gender: "F", BirthDate: rules.MustDate("1990-07-22"),
			DeathDate: rules.NoDate,
			Situations: []rules.Situation{{From: rules.MustDate("2020-01-01"), Kind: rules.SitIllegal},
				{From: rules.MustDate("2025-05-01"), Kind: rules.Sit9ter}}},
	}
	if !reflect.DeepEqual(ps, want) {
		t.Errorf("got\n%+v\nwant (files in name order)\n%+v", ps, want)
	}
}

func TestLoadRegistryFilesRefusesBadInput(t *testing.T) {
	const good = `{"ssin":"85031412302","lastName":"Exemple","gender":"M","birthDate":"1985-03-14","situations":[{"from":"2020-01-01","kind":"ILLEGAL"}]}`
	bad := func(old, new string) string { return strings.Replace(good, old, new, 1) }
	tests := []struct {
		name, person, want string
	}{
		{"an unknown field is refused", bad(`"gender"`, `"sex":"M","gender"`), `unknown field "sex"`},
		{"an SSIN that is not 11 digits is refused", bad(`85031412302`, `8503141230`), "ssin is not a valid SSIN"},
		{"an SSIN with a wrong check number is refused", bad(`85031412302`, `85031412303`), "ssin is not a valid SSIN"},
		{"an unknown gender is refused", bad(`"gender":"M"`, `"gender":"X"`), "gender must be"},
		{"a birth date in another format is refused", bad(`1985-03-14`, `14/03/1985`), "birthDate is not a date"},
		{"a missing birth date is refused", bad(`"birthDate":"1985-03-14",`, ``), "birthDate is missing"},
		{"a death before birth is refused", bad(`"situations"`, `"deathDate":"1980-01-01","situations"`), "deathDate is before birthDate"},
		{"an unknown situation kind is refused", bad(`ILLEGAL`, `TOURIST`), `situation 0: unknown kind "TOURIST"`},
		{"situations out of order are refused", bad(`"kind":"ILLEGAL"}`, `"kind":"ILLEGAL"},{"from":"2019-01-01","kind":"9TER"}`),
			"situation 1: from must be after"},
		{"a malformed INS code is refused", bad(`"kind":"ILLEGAL"`, `"kind":"ASYLUM","residenceIns":"Namur"`), "residenceIns must be 5 digits"},
		{"a field of the wrong type is refused", bad(`"85031412302"`, `85031412302`), `field "ssin" must be string`},
		{"a missing last name is refused", bad(`"lastName":"Exemple",`, ``), "lastName is missing"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, dir, "x.json", `{"persons":[`+good+`,`+tt.person+`]}`)
			_, err := LoadRegistryFiles(dir)
			if err == nil {
				t.Fatal("accepted")
			}
			msg := err.Error()
			file := filepath.Join(dir, "x.json")
			if !strings.Contains(msg, file+" person 1") || !strings.Contains(msg, tt.want) {
				t.Errorf("error %q does not name the file, person 1 and %q", msg, tt.want)
			}
			// The file name is the test's own random temporary folder, whose digits can hold a "1985":
			// look for personal data in everything else the error says.
			rest := strings.ReplaceAll(msg, file, "FILE")
			for _, secret := range []string{"85031412302", "8503141230", "Exemple", "1985", "1980"} {
				if strings.Contains(rest, secret) {
					t.Errorf("error %q shows personal data %q", msg, secret)
				}
			}
		})
	}
	fileTests := []struct{ name, body, want string }{
		{"a file that is not JSON is refused", `{"persons":[`, "JSON ends too early"},
		{"a top-level unknown field is refused", `{"people":[]}`, `unknown field "people"`},
		{"data after the object is refused", `{"persons":[]} {}`, "unexpected data after"},
	}
	for _, tt := range fileTests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFile(t, dir, "x.json", tt.body)
			_, err := LoadRegistryFiles(dir)
			if err == nil || !strings.Contains(err.Error(), "x.json") || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want the file name and %q", err, tt.want)
			}
		})
	}
	t.Run("an SSIN in two files is refused", func(t *testing.T) {
		dir := t.TempDir()
		writeFile(t, dir, "a.json", `{"persons":[`+good+`]}`)
		writeFile(t, dir, "b.json", `{"persons":[`+good+`]}`)
		_, err := LoadRegistryFiles(dir)
		if err == nil || !strings.Contains(err.Error(), "b.json person 0: same SSIN as") {
			t.Errorf("err = %v", err)
		}
	})
}

// validSSIN is the mod-97 rule (R-SSIN), written here so the demo data is checked independently
// of the rules package.
func validSSIN(s string) bool {
	if len(s) != 11 || strings.Trim(s, "0123456789") != "" {
		return false
	}
	first9, _ := strconv.ParseInt(s[:9], 10, 64)
	check, _ := strconv.ParseInt(s[9:], 10, 64)
	born2000, _ := strconv.ParseInt("2"+s[:9], 10, 64)
	return check == 97-first9%97 || check == 97-born2000%97
}

func TestValidSSINHelper(t *testing.T) {
	tests := []struct {
		ssin string
		want bool
	}{
		{"85031412302", true},  // born 1985
		{"03021401757", true},  // born 2003: check on "2" + 9 digits
		{"03021401789", false}, // born 2003 with the pre-2000 check digits
		{"85031412303", false}, // check off by one
		{"8503141230", false},  // 10 digits
	}
	for _, tt := range tests {
		if got := validSSIN(tt.ssin); got != tt.want {
			t.Errorf("validSSIN(%s) = %v, want %v", tt.ssin, got, tt.want)
		}
	}
}

func TestDemoRegistry(t *testing.T) {
	ps, err := LoadRegistryFiles(filepath.Join("..", "testdata", "registry"))
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) < 12 {
		t.Fatalf("%d demo persons, want at least 12", len(ps))
	}
	covered := map[string]bool{}
	for i, p := range ps {
		if !validSSIN(p.SSIN) {
			t.Errorf("demo person %d: SSIN fails the mod-97 check", i)
		}
		month, _ := strconv.Atoi(p.SSIN[2:4])
		if month > 20 {
			covered["BIS number"] = true
		}
		if p.Gender == "" {
			covered["no gender"] = true
		}
		if p.DeathDate == rules.MustDate("2025-06-10") {
			covered["death 2025-06-10"] = true
		}
		if p.BirthDate >= rules.MustDate("2000-01-01") {
			covered["born 2000 or later"] = true
		}
		for _, day := range []string{"2024-01-01", "2026-12-31"} {
			if _, ok := p.SituationOn(rules.MustDate(day)); !ok {
				t.Errorf("demo person %d has no situation on %s", i, day)
			}
		}
		before, _ := p.SituationOn(rules.MustDate("2025-04-30"))
		after, _ := p.SituationOn(rules.MustDate("2025-05-01"))
		if before.Kind == rules.SitIllegal && after.Kind == rules.Sit9ter {
			covered["illegal then 9ter on 2025-05-01"] = true
		}
		s, _ := p.SituationOn(rules.MustDate("2025-01-01"))
		covered[string(s.Kind)+" "+p.Gender] = true
		if s.Kind == rules.SitAsylum {
			covered["asylum in "+s.ResidenceINS] = true
		}
	}
	for _, want := range []string{"BIS number", "no gender", "death 2025-06-10", "born 2000 or later",
		"illegal then 9ter on 2025-05-01", "ILLEGAL M", "ILLEGAL F", "asylum in 92094", "asylum in 62063"} {
		if !covered[want] {
			t.Errorf("the demo registry has nobody for %q", want)
		}
	}
	for _, k := range []rules.SituationKind{rules.SitRegularised, rules.Sit9ter, rules.SitStruckOff, rules.SitInsured,
		rules.SitResident, rules.SitFedasil} {
		if !covered[string(k)+" M"] && !covered[string(k)+" F"] && !covered[string(k)+" "] {
			t.Errorf("the demo registry has nobody in situation %s", k)
		}
	}
	b := openTestDB(t)
	if rep, err := b.LoadRegistry(ps); err != nil || rep != (LoadReport{Added: len(ps)}) {
		t.Fatalf("LoadRegistry = %+v, %v", rep, err)
	}
	if n := b.count(t, bucketPersons); n != len(ps) {
		t.Errorf("%d persons stored, want %d", n, len(ps))
	}
}
