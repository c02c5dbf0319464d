package schema

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"strings"
	"testing"
)

const requestsDir = "../testdata/requests"

// requestFiles is every payload file of the CPAS contract under testdata/requests (root = the
// operation element). harness/ holds the harness contract's requests: the repository root's
// contracts_test.go checks those against carmed-harness-v1.xsd.
func requestFiles(t testing.TB) []string {
	t.Helper()
	var files []string
	err := fs.WalkDir(os.DirFS(requestsDir), ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() && p == "harness" {
			return fs.SkipDir
		}
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".xml") {
			files = append(files, path.Join(requestsDir, p))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no request files found under " + requestsDir)
	}
	return files
}

func TestTheEmbeddedContractCompilesWithEveryOperationElement(t *testing.T) {
	s := contract(t)
	for _, op := range []string{"createCarmed", "modifyCarmed", "stopCarmed", "closeCarmed", "consultCarmed", "simulate"} {
		for _, suffix := range []string{"Request", "Response"} {
			if s.roots[qname{"urn:carmed:cpas:v1", op + suffix}] == nil {
				t.Errorf("no global element %s%s", op, suffix)
			}
		}
	}
	if s.roots[qname{"urn:carmed:cpas:v1", "carmedFault"}] == nil {
		t.Error("no global element carmedFault")
	}
}

func TestEveryRequestFileValidates(t *testing.T) {
	s := contract(t)
	files := append(requestFiles(t), "testdata/consult-response.xml")
	for _, f := range files {
		t.Run(f, func(t *testing.T) {
			if err := s.Validate(readDoc(t, f).Root()); err != nil {
				t.Fatalf("want valid, got %v", err)
			}
		})
	}
}

func TestAPayloadInsideASoapBodyUsesTheEnvelopesNamespaceDeclarations(t *testing.T) {
	s := contract(t)
	b, err := os.ReadFile(requestsDir + "/demo/consult.xml")
	if err != nil {
		t.Fatal(err)
	}
	payload := strings.Replace(string(b), ` xmlns:cpas="urn:carmed:cpas:v1"`, "", 1)
	env := `<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" xmlns:cpas="urn:carmed:cpas:v1"><s:Body>` + payload + `</s:Body></s:Envelope>`
	body := parse(t, []byte(env)).Root().SelectElement("s:Body")
	if err := s.Validate(body.ChildElements()[0]); err != nil {
		t.Fatalf("want valid, got %v", err)
	}
	// A default namespace on the Body puts the unqualified children in it.
	env = strings.Replace(env, `<s:Body>`, `<s:Body xmlns="urn:carmed:cpas:v1">`, 1)
	body = parse(t, []byte(env)).Root().SelectElement("s:Body")
	e := asError(t, s.Validate(body.ChildElements()[0]))
	if e == nil || e.Path != "/consultCarmedRequest/informationCustomer" || e.Reason != ReasonNamespace {
		t.Fatalf("got %v, want informationCustomer in the wrong namespace", e)
	}
}

func TestValidateOfNoElementIsAnError(t *testing.T) {
	if e := asError(t, contract(t).Validate(nil)); e == nil || e.Reason != ReasonNoElement {
		t.Fatalf("got %v", e)
	}
}

func TestValidateIsSafeForConcurrentUse(t *testing.T) {
	s := contract(t)
	valid := readDoc(t, createXML).Root()
	broken := readDoc(t, createXML)
	el(t, broken.Root(), "decision/validityPeriod/endDate").SetText("2025-02-30")
	done := make(chan error, 8)
	for g := range 8 {
		go func() {
			for range 200 {
				if g%2 == 0 {
					if err := s.Validate(valid); err != nil {
						done <- err
						return
					}
				} else if e, _ := s.Validate(broken.Root()).(*Error); e == nil || e.Path != "/createCarmedRequest/decision/validityPeriod/endDate" {
					done <- fmt.Errorf("broken document: got %v", e)
					return
				}
			}
			done <- nil
		}()
	}
	for range 8 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
}
