package console

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/carmed/carmed/rules"
	"github.com/carmed/carmed/trust"
)

// Every text key the templates and the code name, and every key built from a value the rules or
// the trust file can hold, has its three translations: a missing one would show as its key.
func TestEveryKeyIsTranslated(t *testing.T) {
	keys := map[string]bool{}
	literal := regexp.MustCompile(`(?:\.T|T\(|translate\([a-z]+,) ?"([a-z][a-zA-Z]*(?:\.[a-zA-Z_]+)+|[a-z]+)"`)
	inCode := regexp.MustCompile(`"((?:err|admin|signin)\.[a-zA-Z.]+)"`)
	add := func(re *regexp.Regexp, b []byte) {
		for _, m := range re.FindAllSubmatch(b, -1) {
			keys[string(m[1])] = true
		}
	}
	if err := fs.WalkDir(templateFS, "templates", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(templateFS, p)
		add(literal, b)
		keys["title."+filepath.Base(p[:len(p)-len(".html")])] = true
		return err
	}); err != nil {
		t.Fatal(err)
	}
	gos, _ := filepath.Glob("*.go")
	for _, g := range gos {
		b, err := os.ReadFile(g)
		if err != nil {
			t.Fatal(err)
		}
		add(literal, b)
		add(inCode, b)
	}
	delete(keys, "title.layout")
	delete(keys, "title.messages")
	for _, s := range []rules.Status{rules.Active, rules.Suspended, rules.Stopped, rules.Closed} {
		keys["status."+string(s)] = true
	}
	for _, c := range []rules.Cause{rules.CauseCreate, rules.CauseModify, rules.CauseActivate, rules.CauseStop, rules.CauseClose, rules.CauseMutation} {
		keys["cause."+string(c)] = true
	}
	for _, k := range rules.CoverKinds {
		keys["cover."+string(k)] = true
	}
	for _, s := range []rules.Share{rules.Nothing, rules.Partial, rules.Full} {
		keys["share."+string(s)] = true
	}
	for _, m := range rules.MutationKinds {
		keys["mut."+string(m)] = true
	}
	for _, k := range []trust.Kind{trust.KindCPAS, trust.KindProvider, trust.KindAdmin} {
		keys["kind."+string(k)] = true
	}
	if len(keys) < 100 {
		t.Fatalf("found only %d keys: the scan is broken", len(keys))
	}
	for k := range keys {
		tr, ok := catalogue[k]
		if !ok {
			t.Errorf("%q is not in the catalogue", k)
			continue
		}
		for i, l := range languages {
			if tr[i] == "" {
				t.Errorf("%q has no %s text", k, l)
			}
		}
	}
}

func TestTheLanguageIsTheBrowsersFirstKnownOne(t *testing.T) {
	for h, want := range map[string]string{"": "en", "nl-BE,nl;q=0.9,fr;q=0.8": "nl", "de-DE, fr-BE;q=0.7": "fr", "de, it": "en"} {
		if got := fromAcceptLanguage(h); got != want {
			t.Errorf("Accept-Language %q: %s, want %s", h, got, want)
		}
	}
}
