package store

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/carmed/carmed/rules"
)

func TestBackupCopyOpensWithTheData(t *testing.T) {
	b := openTestDB(t)
	v := version("000000000001", 1, ssinA, cbeA)
	p := rules.Person{SSIN: ssinA, LastName: "Exemple", BirthDate: rules.MustDate("1985-03-14"), DeathDate: rules.NoDate}
	putVersions(t, b, v)
	if _, err := b.LoadRegistry([]rules.Person{p}); err != nil {
		t.Fatal(err)
	}

	copyPath := filepath.Join(t.TempDir(), "backup.db")
	f, err := os.Create(copyPath)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Backup(f); err != nil {
		t.Fatalf("Backup: %v", err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}

	c, err := Open(copyPath, Options{NoSync: true})
	if err != nil {
		t.Fatalf("opening the copy: %v", err)
	}
	defer c.Close()
	if problems := c.Check(); len(problems) != 0 {
		t.Errorf("the copy has problems: %v", problems)
	}
	_ = c.View(func(r Reader) error {
		d, err := r.Decision("000000000001")
		if err != nil || !reflect.DeepEqual(d.Versions, []rules.Version{v}) {
			t.Errorf("decision in the copy: %+v, %v", d, err)
		}
		got, err := r.Person(ssinA)
		if err != nil || !reflect.DeepEqual(got, p) {
			t.Errorf("person in the copy: %+v, %v", got, err)
		}
		return nil
	})
}
