package carmed_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// The import rules of design §2, checked on `go list -json ./...`:
//
//	cmd/carmed ─▶ gateway ─▶ face/cpas, face/provider, face/uma, face/harness, face/console ─▶ face ─▶ server
//	                   (every layer may also import the libraries below)
//	libraries: wssec, trust, schema, rules, store, agreement, gen/…, client, pki, conformance …
//
// - the pipeline (server) imports no face, nor gateway;
// - a face imports no other face (what they share is in package face), nor gateway;
// - the console (face/console) renders HTML from rules values: it reads no wire type (gen/…), so
//   it shows only what the shared code (face.ConsultProvider, face.ConsultCPAS…) gives it;
// - no library (anything outside server, face, gateway and cmd) imports any of those;
// - rules imports nothing of the project;
// - bbolt and the etcd client are imported by store only (tests included; the etcd test
//   cluster, internal/etcdtest, may use the client too).
//
// External test packages (package x_test) are exempt from the layering: server's end-to-end tests
// start the assembled gateway.

const module = "github.com/carmed/carmed"

// listedPackage is the part of `go list -json` the rules read.
type listedPackage struct {
	ImportPath   string
	Imports      []string
	TestImports  []string
	XTestImports []string
}

// rel is a package's path inside the module ("" for the root), or ok=false outside it.
func rel(path string) (string, bool) {
	if path == module {
		return "", true
	}
	r, ok := strings.CutPrefix(path, module+"/")
	return r, ok
}

// under reports whether p is dir or a package below it.
func under(p, dir string) bool { return p == dir || strings.HasPrefix(p, dir+"/") }

// isFace is a face package (face/X), not the shared package face.
func isFace(p string) bool { return strings.HasPrefix(p, "face/") }

// upper are the packages of the gateway side: the pipeline, the faces, the assembly, commands.
func upper(p string) bool {
	return p == "server" || under(p, "face") || p == "gateway" || under(p, "cmd")
}

// layoutViolations lists every import that breaks the rules, one line each.
func layoutViolations(pkgs []listedPackage) []string {
	var out []string
	for _, p := range pkgs {
		from, ok := rel(p.ImportPath)
		if !ok {
			continue
		}
		bad := func(to, why string) { out = append(out, fmt.Sprintf("%s imports %s: %s", p.ImportPath, to, why)) }
		for _, imp := range slices.Concat(p.Imports, p.TestImports, p.XTestImports) {
			if (imp == "go.etcd.io/bbolt" || strings.HasPrefix(imp, "go.etcd.io/bbolt/")) && from != "store" {
				bad(imp, "bbolt is used inside store/ only")
			}
			if strings.HasPrefix(imp, "go.etcd.io/etcd/") && from != "store" && from != "internal/etcdtest" {
				bad(imp, "the etcd client is used inside store/ only (and the test cluster)")
			}
		}
		for _, imp := range slices.Concat(p.Imports, p.TestImports) {
			to, ok := rel(imp)
			if !ok {
				continue
			}
			switch {
			case from == "rules":
				bad(imp, "rules imports nothing of the project")
			case !upper(from) && upper(to):
				bad(imp, "a library imports nothing of the pipeline, the faces or the gateway")
			case from == "server" && (under(to, "face") || to == "gateway" || under(to, "cmd")):
				bad(imp, "the pipeline knows no face")
			case from == "face" && (isFace(to) || to == "gateway" || under(to, "cmd")):
				bad(imp, "what the faces share knows no face")
			case isFace(from) && isFace(to) && !under(to, from) && !under(from, to):
				bad(imp, "faces never import each other")
			case from == "face/console" && under(to, "gen"):
				bad(imp, "the console reads no wire type: it shows what the shared face code gives it")
			case isFace(from) && (to == "gateway" || under(to, "cmd")):
				bad(imp, "a face knows nothing above it")
			case from == "gateway" && under(to, "cmd"):
				bad(imp, "the gateway knows no command")
			}
		}
	}
	return out
}

// goList runs `go list -e -json ./...` and decodes its stream of packages (-e: a package with an
// error, an import cycle say, is still listed with its imports).
func goList(t *testing.T) []listedPackage {
	t.Helper()
	b, err := exec.Command("go", "list", "-e", "-json", "./...").Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			t.Fatalf("go list: %v\n%s", err, ee.Stderr)
		}
		t.Fatalf("go list: %v", err)
	}
	var pkgs []listedPackage
	dec := json.NewDecoder(strings.NewReader(string(b)))
	for {
		var p listedPackage
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			t.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	return pkgs
}

func TestThePackageGraphKeepsItsLayers(t *testing.T) {
	pkgs := goList(t)
	found := map[string]bool{}
	for _, p := range pkgs {
		found[p.ImportPath] = true
	}
	for _, want := range []string{"server", "face", "face/cpas", "face/provider", "face/uma", "face/harness", "face/console", "gateway", "wssec", "trust", "schema", "rules", "store"} {
		if !found[module+"/"+want] {
			t.Fatalf("go list does not list %s: the check would see nothing", want)
		}
	}
	for _, v := range layoutViolations(pkgs) {
		t.Error(v)
	}
}

// The check itself: each rule fires on the import it forbids, and not on the allowed ones.
func TestTheLayoutCheckRefusesEachForbiddenImport(t *testing.T) {
	pkg := func(from string, imports ...string) listedPackage {
		p := listedPackage{ImportPath: module + "/" + from}
		for _, i := range imports {
			if !strings.Contains(i, ".") {
				i = module + "/" + i
			}
			p.Imports = append(p.Imports, i)
		}
		return p
	}
	allowed := []listedPackage{
		pkg("cmd/carmed", "gateway", "server", "face/harness", "wssec"),
		pkg("gateway", "server", "face/cpas", "face/provider", "face/harness", "rules"),
		pkg("face/cpas", "face", "server", "gen", "rules", "store", "trust"),
		pkg("face", "server", "rules", "store", "trust"),
		pkg("face/console", "face", "server", "rules", "store", "trust", "agreement"),
		pkg("gateway", "face/console"),
		pkg("server", "wssec", "trust", "schema", "store", "rules"),
		pkg("client", "wssec"), pkg("pki", "trust"), pkg("store", "rules", "go.etcd.io/bbolt", "go.etcd.io/etcd/client/v3"),
		{ImportPath: module + "/server", XTestImports: []string{module + "/gateway"}},
	}
	if v := layoutViolations(allowed); len(v) > 0 {
		t.Fatalf("allowed imports refused: %v", v)
	}
	for _, c := range []struct {
		name string
		p    listedPackage
	}{
		{"a face importing another face", pkg("face/cpas", "face/provider")},
		{"a face importing the gateway", pkg("face/harness", "gateway")},
		{"the console importing a SOAP face", pkg("face/console", "face/provider")},
		{"the console importing a wire type", pkg("face/console", "gen/provider")},
		{"the shared face package importing a face", pkg("face", "face/cpas")},
		{"the pipeline importing a face", pkg("server", "face/cpas")},
		{"the pipeline importing the gateway", pkg("server", "gateway")},
		{"a library importing the pipeline", pkg("wssec", "server")},
		{"a library importing a face", pkg("client", "face/provider")},
		{"the rules importing the store", pkg("rules", "store")},
		{"bbolt outside the store", pkg("pki", "go.etcd.io/bbolt")},
		{"bbolt in a test outside the store", listedPackage{ImportPath: module + "/server", TestImports: []string{"go.etcd.io/bbolt"}}},
		{"the etcd client outside the store", pkg("gateway", "go.etcd.io/etcd/client/v3")},
	} {
		if v := layoutViolations([]listedPackage{c.p}); len(v) != 1 {
			t.Errorf("%s: %d violations %v, want 1", c.name, len(v), v)
		}
	}
}
