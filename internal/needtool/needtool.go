// Package needtool finds the external programs the cross-check tests run against (libxml2's
// xmllint, xmlsec1, Debian's Python with zeep). `make test` installs them first (or stops with the
// command to run), so a missing tool only happens with `go test` run by hand: there the test is
// skipped with a message that says what was not checked and how to install it, and under CI
// (CI=true) it fails, so a CI machine can never pass by checking less.
package needtool

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// debian names the Debian packages that provide each tool, as `make deps` (or .ci/run) installs them.
var debian = map[string]string{
	"xmllint":  "libxml2-utils",
	"xmlsec1":  "xmlsec1",
	Python:     "python3-zeep python3-xmlsec",
	"etcd":     "etcd-server", // the etcd store tests (store/, the cluster tests)
	"chromium": "chromium",    // the console's browser tests (face/console)
}

// notInDeps are the tools `make deps` leaves out (a browser is a large install for a developer
// who does not touch the console); .ci/run installs them.
var notInDeps = map[string]bool{"chromium": true}

// Python is Debian's interpreter, where python3-zeep and python3-xmlsec are installed; a python3
// earlier on PATH (pyenv, a venv) usually lacks them.
const Python = "/usr/bin/python3"

// CI tells whether the tests run under CI, where a missing tool is a failure.
func CI() bool {
	v := strings.ToLower(os.Getenv("CI"))
	return v != "" && v != "false" && v != "0"
}

// Path returns the path of the named program; missing, the test fails under CI and is skipped
// elsewhere.
func Path(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		missing(t, name, err.Error())
	}
	return p
}

// Optional is Path for a test that still checks something without the program: missing, it fails
// under CI and otherwise logs what is not cross-checked and returns false.
func Optional(t testing.TB, name string) (string, bool) {
	t.Helper()
	p, err := exec.LookPath(name)
	if err == nil {
		return p, true
	}
	if CI() {
		t.Fatalf("%s is required when CI is set (apt-get install %s): %v", name, debian[name], err)
	}
	t.Logf("NOT CROSS-CHECKED: %s is not installed, so only half of this test ran; install it with `sudo make deps` (Debian %s)", name, debian[name])
	return "", false
}

// PythonWith returns Debian's Python when it can import every module; otherwise the test fails
// under CI and is skipped elsewhere.
func PythonWith(t testing.TB, modules ...string) string {
	t.Helper()
	out, err := exec.Command(Python, "-c", "import "+strings.Join(modules, ", ")).CombinedOutput()
	if err != nil {
		missing(t, Python, "cannot import "+strings.Join(modules, ", ")+": "+strings.TrimSpace(string(out)))
	}
	return Python
}

func missing(t testing.TB, name, why string) {
	t.Helper()
	if CI() {
		t.Fatalf("%s is required when CI is set (apt-get install %s): %s", name, debian[name], why)
	}
	if notInDeps[name] {
		t.Skipf("SKIPPED, NOTHING CHECKED: %s is missing (%s); install it with `sudo apt-get install %s` (Debian; .ci/run does); under CI=true this test fails", name, why, debian[name])
	}
	t.Skipf("SKIPPED, NOTHING CHECKED: %s is missing (%s); `make test` installs it, or run `sudo make deps` (Debian %s); under CI=true this test fails", name, why, debian[name])
}
