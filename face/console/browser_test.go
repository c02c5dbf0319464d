package console_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/carmed/carmed/internal/needtool"
	"github.com/carmed/carmed/pki"
)

// One headless Chromium (Debian's package) serves every browser test of the package; each test
// opens its own browser contexts, so cookies never leak from one party to another.
var (
	browserOnce   sync.Once
	browserCtx    context.Context
	browserCancel context.CancelFunc = func() {}
	browserErr    error
)

func TestMain(m *testing.M) {
	code := m.Run()
	browserCancel()
	if pkiDir != "" {
		os.RemoveAll(pkiDir)
	}
	os.Exit(code)
}

// tab opens a fresh browser context (its own cookies) in the package's browser. Without Chromium
// the test is skipped, or fails under CI=true.
func tab(t *testing.T) context.Context {
	t.Helper()
	path := needtool.Path(t, "chromium")
	browserOnce.Do(func() {
		opts := append(chromedp.DefaultExecAllocatorOptions[:], chromedp.ExecPath(path), chromedp.NoSandbox,
			chromedp.DisableGPU, chromedp.WindowSize(1200, 900), chromedp.Flag("lang", "en"))
		alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
		ctx, cancelBrowser := chromedp.NewContext(alloc)
		browserCtx, browserCancel = ctx, func() { cancelBrowser(); cancelAlloc() }
		browserErr = chromedp.Do(ctx) // starts the browser
	})
	if browserErr != nil {
		t.Fatalf("starting %s: %v", path, browserErr)
	}
	ctx, cancel := chromedp.NewContext(browserCtx, chromedp.WithNewBrowserContext())
	t.Cleanup(cancel)
	// Open the tab now, on ctx itself: chromedp ties a tab to the context of its first Run, and
	// the steps below run on shorter-lived contexts derived from ctx.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("opening a tab: %v", err)
	}
	return ctx
}

// stepTimeout bounds one group of browser steps: a page that never shows what the test waits
// for fails the test in seconds, not at the go test deadline.
const stepTimeout = 20 * time.Second

// artefacts is where screenshots go: $CARMED_ARTEFACTS, else a directory under the system's temp.
func artefacts(t *testing.T) string {
	dir := os.Getenv("CARMED_ARTEFACTS")
	if dir == "" {
		dir = filepath.Join(os.TempDir(), "carmed-console-artefacts")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

// screenshot keeps the whole page as NAME.png among the artefacts.
func screenshot(t *testing.T, ctx context.Context, name string) {
	t.Helper()
	png := run(t, ctx, "screenshot "+name, chromedp.FullScreenshot(100))
	p := filepath.Join(artefacts(t), name+".png")
	if err := os.WriteFile(p, png, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", p)
}

// The helpers below read and wait through JavaScript (Runtime.evaluate) and type through the
// Input domain, never through DOM node ids: a node id query issued while a form's POST → 303 → GET
// replaces the document can wait for ever. Each bounds itself with stepTimeout.

// run is one bounded browser action; on failure the page is kept as an artefact.
func run[T any](t *testing.T, ctx context.Context, what string, a chromedp.Action[T]) T {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, stepTimeout)
	defer cancel()
	v, err := chromedp.Run(sctx, a)
	if err != nil {
		shot, cancel := context.WithTimeout(ctx, stepTimeout)
		defer cancel()
		if png, err2 := chromedp.Run(shot, chromedp.FullScreenshot(100)); err2 == nil {
			_ = os.WriteFile(filepath.Join(artefacts(t), "failed-"+t.Name()+".png"), png, 0o644)
		}
		t.Fatalf("%s: %v", what, err)
	}
	return v
}

func navigate(t *testing.T, ctx context.Context, url string) {
	t.Helper()
	run(t, ctx, "navigate to "+url, chromedp.Navigate(url))
}

// js evaluates an expression in the page.
func js[T any](t *testing.T, ctx context.Context, expr string) T {
	t.Helper()
	return run(t, ctx, expr, chromedp.Evaluate[T](expr))
}

func quoteJS(s string) string { return "'" + strings.ReplaceAll(s, "'", `\'`) + "'" }

func text(t *testing.T, ctx context.Context, sel string) string {
	t.Helper()
	return js[string](t, ctx, `(document.querySelector(`+quoteJS(sel)+`) || {innerText: ""}).innerText`)
}

func count(t *testing.T, ctx context.Context, sel string) int {
	t.Helper()
	return js[int](t, ctx, `document.querySelectorAll(`+quoteJS(sel)+`).length`)
}

// waitFor waits until sel is on a page loaded after the last press (polling with Evaluate:
// chromedp's Poll injects a function the console's CSP forbids).
func waitFor(t *testing.T, ctx context.Context, sel string) {
	t.Helper()
	expr := `!document.documentElement.dataset.pressed && !!document.querySelector(` + quoteJS(sel) + `)`
	deadline := time.Now().Add(stepTimeout)
	for {
		sctx, cancel := context.WithTimeout(ctx, stepTimeout)
		ok, err := chromedp.Run(sctx, chromedp.Evaluate[bool](expr))
		cancel()
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			run(t, ctx, "wait for "+sel, chromedp.Evaluate[bool](`false`)) // keeps the page as an artefact
			t.Fatalf("wait for %s: not there after %v (last error: %v)", sel, stepTimeout, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// typeInto focuses a field and types into it with the keyboard.
func typeInto(t *testing.T, ctx context.Context, id, keys string) {
	t.Helper()
	js[bool](t, ctx, `(e => { e.focus(); e.select && e.select(); return true })(document.getElementById(`+quoteJS(id)+`))`)
	run(t, ctx, "type into #"+id, chromedp.KeyEvent(keys))
}

// setValue sets a date or select field (their pickers are not keyboard-typable alike everywhere).
func setValue(t *testing.T, ctx context.Context, id, value string) {
	t.Helper()
	js[bool](t, ctx, `(e => { e.value = `+quoteJS(value)+`; return e.value === `+quoteJS(value)+` })(document.getElementById(`+quoteJS(id)+`))`)
}

// press focuses a button and presses Enter, as a keyboard user does; the page it leads to is
// told apart from this one by a mark on this one.
func press(t *testing.T, ctx context.Context, id string) {
	t.Helper()
	js[bool](t, ctx, `(e => { document.documentElement.dataset.pressed = "1"; e.focus(); return document.activeElement === e })(document.getElementById(`+quoteJS(id)+`))`)
	run(t, ctx, "press #"+id, chromedp.KeyEvent("\r"))
}

// pick signs in on the demo picker.
func pick(t *testing.T, ctx context.Context, e *env, kind, id string) {
	t.Helper()
	navigate(t, ctx, e.url+"/console/?lang=en")
	waitFor(t, ctx, "#demo-banner")
	press(t, ctx, "as-"+kind+"-"+id)
	waitFor(t, ctx, "#party")
}

func consult(t *testing.T, ctx context.Context, e *env, ssin, date string) {
	t.Helper()
	navigate(t, ctx, e.url+"/console/consult")
	typeInto(t, ctx, "ssin", ssin)
	setValue(t, ctx, "date", date)
	press(t, ctx, "consult-submit")
	waitFor(t, ctx, "#result")
}

// A provider consults in the browser and sees what Consult v2 shows it: the hospital not the
// paramedic cover reserved to Dr Dupont, who sees it; both see an agreement number today.
func TestBrowserProviderWebConsult(t *testing.T) {
	e := newEnv(t)
	e.createAndModify()
	hosp := tab(t)
	pick(t, hosp, e, "provider", pki.DemoNIHIIHospitalCHR)
	if !strings.Contains(text(t, hosp, "#demo-banner"), "DEMO") {
		t.Error("the demo sign-in is not marked on the page")
	}
	consult(t, hosp, e, ssinAdam, "2026-12-01")
	if n := count(t, hosp, "article.carmed"); n != 1 {
		t.Fatalf("the hospital sees %d decision versions, want 1", n)
	}
	if h := text(t, hosp, "article.carmed h3"); !strings.Contains(h, decision+" · v2") {
		t.Errorf("the hospital sees %q, want decision %s version 2", h, decision)
	}
	if count(t, hosp, `tr.cover[data-kind="hospitalization"]`) != 1 || count(t, hosp, ".agreement-number") != 1 {
		t.Error("the hospital does not see its hospitalisation cover and an agreement number")
	}
	if n := count(t, hosp, `tr.cover[data-kind="paramedic"]`); n != 0 {
		t.Errorf("the hospital sees the paramedic cover reserved to Dr Dupont (%d rows)", n)
	}
	screenshot(t, hosp, "webconsult-provider")

	gp := tab(t)
	pick(t, gp, e, "provider", pki.DemoNIHIIGPDupont)
	consult(t, gp, e, ssinAdam, "2026-12-01")
	if n := count(t, gp, `tr.cover[data-kind="paramedic"]`); n != 1 {
		t.Errorf("Dr Dupont, designated, sees %d paramedic covers, want 1", n)
	}

	// bad input: the error next to the field, in the language asked
	navigate(t, hosp, e.url+"/console/consult?lang=fr&mode=date&date=2026-12-01&ssin=1234")
	waitFor(t, hosp, "#ssin-err .field-error")
	if s := text(t, hosp, "#ssin-err"); !strings.Contains(s, "11 chiffres") {
		t.Errorf("the SSIN error in French reads %q", s)
	}
	screenshot(t, hosp, "webconsult-form-error-fr")
}

// The inspector after create → modify (SOAP) → mutation (the admin's form): the timeline draws the
// decision, its three versions, the suspension and the mutation, and the CPAS sees its notice.
func TestBrowserInspectorTimelineAfterCreateModifyMutation(t *testing.T) {
	e := newEnv(t)
	e.createAndModify()
	admin := tab(t)
	pick(t, admin, e, "admin", pki.DemoAdminID)
	navigate(t, admin, e.url+"/console/admin")
	typeInto(t, admin, "mut-ssin", ssinAdam)
	setValue(t, admin, "mut-effective", "2026-12-10")
	setValue(t, admin, "mut-kind", "SITUATION")
	setValue(t, admin, "mut-situation", "REGULARISED")
	press(t, admin, "mutation-submit")
	waitFor(t, admin, "#mutation-result")
	screenshot(t, admin, "harness-forms")

	navigate(t, admin, e.url+"/console/person")
	typeInto(t, admin, "ssin", ssinAdam)
	press(t, admin, "inspect-submit")
	waitFor(t, admin, "#timeline")
	for sel, want := range map[string]int{
		"#timeline g.decision":         1, // one decision
		"#timeline a.version-mark":     3, // create, modify, mutation
		"#timeline g.suspension":       1, // the refund-code suspension
		"#timeline g.mutation":         1, // the registry mutation
		"#timeline g.lane":             5, // v3's covers
		"#timeline g.todayline":        1,
		"#timeline rect.bar.suspended": 1,
	} {
		if n := count(t, admin, sel); n != want {
			t.Errorf("%s: %d, want %d", sel, n, want)
		}
	}
	screenshot(t, admin, "inspector-timeline")

	// a version mark opens the version; the diff between v1 and v2 marks the validity changed
	navigate(t, admin, e.url+"/console/decision/"+decision+"/diff?a=1&b=2")
	waitFor(t, admin, "#diff")
	if n := count(t, admin, "#diff tr.changed"); n < 2 {
		t.Errorf("v1 → v2 shows %d changed fields, want the validity and the paramedic cover at least", n)
	}
	// the changed fields are those that changed, not every field
	changed := js[string](t, admin, `Array.from(document.querySelectorAll('#diff tr.changed th')).map(e => e.innerText).join('|')`)
	if !strings.Contains(changed, "Validity") || !strings.Contains(changed, "Paramedic") {
		t.Errorf("v1 → v2 marks %q changed, want the validity and the paramedic cover among them", changed)
	}
	if n := count(t, admin, "#diff tbody tr:not(.changed)"); n == 0 {
		t.Error("v1 → v2 marks every field changed, the beneficiary's name included")
	}
	screenshot(t, admin, "inspector-diff")

	// the managing CPAS: its decision whole and its pending notice
	namur := tab(t)
	pick(t, namur, e, "cpas", "0212345668")
	navigate(t, namur, e.url+"/console/person?lang=nl&ssin="+ssinAdam)
	waitFor(t, namur, "#timeline")
	if count(t, namur, "#timeline a.version-mark") != 3 || count(t, namur, "#person-notices tr.pending") != 1 {
		t.Error("CPAS de Namur does not see its three versions and its pending notice")
	}
	screenshot(t, namur, "inspector-cpas-nl")

	// another CPAS: identification only, no content, no notice
	liege := tab(t)
	pick(t, liege, e, "cpas", "0207456769")
	navigate(t, liege, e.url+"/console/person?ssin="+ssinAdam)
	waitFor(t, liege, "#result")
	if count(t, liege, "#timeline rect.bar.other") != 1 || count(t, liege, "#timeline g.lane") != 0 || count(t, liege, "#person-notices") != 0 {
		t.Error("another CPAS sees more than the identification of the decision")
	}
}
