package app

import (
	"context"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"golang.org/x/crypto/bcrypt"

	"copylab/experiments"
	"copylab/static/browsertest"
	"copylab/variants"
)

// TestBrowserGenerate drives copy generation in headless Chromium against
// a fake model server: the brief, the progress while the model writes,
// editing one draft, rewriting another, approving, and starting the
// experiment. With COPYLAB_SCREENSHOTS=DIR it saves there the brief form
// and the drafts, the screenshots docs/screenshots keeps (generateShots).
//
//	COPYLAB_SCREENSHOTS=$PWD/docs/screenshots go test ./app -run TestBrowserGenerate -v
func TestBrowserGenerate(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	tab := browsertest.NewTab(t) // skips without Chromium, fails under CI
	llm := newFakeLLM(t)
	base, store := serveGenerating(t, llm.generator(10*time.Second))
	ctx := context.Background()
	if _, _, err := addUser(ctx, store, "ann@example.com", "Ann", testPassword, bcrypt.MinCost); err != nil {
		t.Fatal(err)
	}
	site, err := store.CreateSite(ctx, experiments.Site{Name: "Acme Boards", Domain: "acme.example", BrandVoice: "We say you, never users. No exclamation marks."})
	if err != nil {
		t.Fatal(err)
	}
	// Created with only the control, as the "Draft copy with AI" button
	// saves it.
	x, err := store.CreateExperiment(ctx, experiments.Experiment{SiteID: site.ID, Name: "Homepage hero", Page: "/", Selector: `[data-copylab="hero"]`,
		Goal: experiments.Goal{Type: experiments.GoalClick, Selector: "#signup"}, CoverageBP: 10000,
		Variants: []experiments.Variant{{Text: "Project management for busy teams"}}})
	if err != nil {
		t.Fatal(err)
	}

	shots := os.Getenv("COPYLAB_SCREENSHOTS")
	exceptions := browsertest.Exceptions(t, tab)
	do := func(actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(tab, actions...); err != nil {
			t.Fatal(err)
		}
	}
	submit := func(sel string) {
		t.Helper()
		if _, err := chromedp.Run(tab, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS(sel)))); err != nil {
			t.Fatalf("submit %s: %v", sel, err)
		}
	}
	eval := func(js string) string {
		t.Helper()
		s, err := chromedp.Run(tab, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		return s
	}
	// shot saves the window at 1280×height, scrolled so that the element
	// at sel is at its top ("" for the top of the page), in screenshot
	// mode and when docs/screenshots keeps it.
	shot := func(name, sel string, height int64) {
		width := int64(1280)
		if strings.HasSuffix(name, "-phone") {
			width = 390
		}
		t.Helper()
		if shots == "" || !generateShots[name] {
			return
		}
		scroll := `window.scrollTo(0, 0)`
		if sel != "" {
			// Keep the element below the sticky top bar, whose height the
			// page's scroll padding follows (two rows on a phone).
			scroll = `window.scrollTo(0, document.querySelector(` + strconv.Quote(sel) +
				`).getBoundingClientRect().top + window.scrollY - parseFloat(getComputedStyle(document.documentElement).scrollPaddingTop))`
		}
		do(chromedp.EmulateViewport(width, height), chromedp.Evaluate[chromedp.Void](`document.activeElement && document.activeElement.blur()`),
			chromedp.Evaluate[chromedp.Void](scroll), chromedp.Sleep(150*time.Millisecond))
		buf, err := chromedp.Run(tab, chromedp.CaptureScreenshot())
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll(shots, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(shots, name+".png"), buf, 0o644); err != nil {
			t.Fatal(err)
		}
		do(chromedp.EmulateViewport(1280, 900))
	}

	do(chromedp.EmulateViewport(1280, 900), chromedp.Navigate(base+"/login?next=/experiments/"+x.ID+"/generate"), chromedp.WaitVisible(chromedp.CSS("#f-email")),
		chromedp.SendKeys(chromedp.CSS("#f-email"), "ann@example.com"), chromedp.SendKeys(chromedp.CSS("#f-password"), testPassword))
	submit("form .btn-primary")

	// The brief: the control and the site's brand voice are filled in.
	do(chromedp.WaitVisible(chromedp.CSS("#brief-form")))
	if got := eval(`document.querySelector("#f-current-copy").value`); got != "Project management for busy teams" {
		t.Fatalf("current copy %q", got)
	}
	if got := eval(`document.querySelector("#f-brand-voice").value`); !strings.HasPrefix(got, "We say you") {
		t.Errorf("brand voice %q", got)
	}
	do(chromedp.SetValue(chromedp.CSS("#f-goal"), "Get visitors to start a free trial"),
		chromedp.SendKeys(chromedp.CSS("#f-product"), "Acme Boards, a kanban tool"),
		chromedp.SendKeys(chromedp.CSS("#f-audience"), "small agency owners"),
		chromedp.SendKeys(chromedp.CSS("#f-tone"), "friendly and confident"),
		chromedp.SendKeys(chromedp.CSS("#f-must-not-say"), "guarantee"),
		chromedp.SetValue(chromedp.CSS("#f-n"), "4"))
	shot("generate-brief", "", 1560)

	// Generate: the model is held, so the progress shows; then released.
	release := llm.hold()
	defer release()
	do(chromedp.Click(chromedp.CSS(`#brief-form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#generation[data-state="running"] .spinner`)))
	if got := eval(`document.querySelector(".gen-progress-text").textContent`); got != "Writing 4 drafts with test-model…" {
		t.Errorf("progress %q", got)
	}
	if got := eval(`location.search`); !strings.HasPrefix(got, "?job=") {
		t.Errorf("the address is not the job's: %q", got)
	}
	release()
	do(chromedp.WaitVisible(chromedp.CSS(`#generation[data-state="done"] #draft-3`)))
	if n := eval(`String(document.querySelectorAll(".draft").length)`); n != "4" {
		t.Fatalf("%s drafts", n)
	}

	// Edit draft 1: the count and the edited badge follow the typing.
	edited := "Plan every launch in one calm, shared place"
	do(chromedp.Clear(chromedp.CSS("#f-drafts-0-text")), chromedp.SendKeys(chromedp.CSS("#f-drafts-0-text"), edited))
	if got := eval(`document.querySelector("#f-drafts-0-text-count").textContent`); got != "43 / 70 characters" {
		t.Errorf("live count %q", got)
	}
	if hidden := eval(`String(document.querySelector("#draft-0 [data-edited]").hidden)`); hidden != "false" {
		t.Error("the edited badge did not appear")
	}

	// Rewrite draft 3 shorter: only its card changes.
	before := eval(`document.querySelector("#f-drafts-2-text").value`)
	do(chromedp.Evaluate[chromedp.Void](`document.querySelector("#draft-2").scrollIntoView({block: "center"})`),
		chromedp.Click(chromedp.CSS(`#draft-2 [data-instruction="shorter"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#draft-2 .regen-message`)))
	after := eval(`document.querySelector("#f-drafts-2-text").value`)
	if after == before || len([]rune(after)) >= len([]rune(before)) {
		t.Errorf("rewrite %q of %q", after, before)
	}
	if got := eval(`document.querySelector("#f-drafts-0-text").value`); got != edited {
		t.Errorf("the rewrite lost the edit of another draft: %q", got)
	}

	// The first two drafts start ticked. Untick draft 2 and tick drafts 3
	// and 4; the approve button counts, and the split follows.
	// (Scrolled to the middle first: the sticky approve bar covers the
	// bottom of the window, and a click there would approve.)
	for _, i := range []string{"1", "2", "3"} {
		do(chromedp.Evaluate[chromedp.Void](`document.querySelector("#draft-`+i+`").scrollIntoView({block: "center"})`),
			chromedp.Click(chromedp.CSS(`#draft-`+i+` [data-include]`)))
	}
	if got := eval(`document.querySelector("[data-approve]").textContent`); got != "Add 3 drafts to the experiment" {
		t.Errorf("approve button %q", got)
	}
	if got := eval(`document.querySelector("[data-split]").textContent`); got != "Original and 3 variants: 25% of the test's visitors each." {
		t.Errorf("split %q", got)
	}
	shot("generate-drafts", "#generation", 1300)
	// On a phone nothing sticks out sideways.
	do(chromedp.EmulateViewport(390, 844), chromedp.Sleep(100*time.Millisecond))
	if over := eval(`String(document.documentElement.scrollWidth - document.documentElement.clientWidth)`); over != "0" {
		t.Errorf("at 390px the page is %spx too wide", over)
	}

	submit("[data-approve]")
	if got := eval(`document.querySelector(".flash-ok") ? document.querySelector(".flash-ok").textContent : ""`); !strings.Contains(got, "Added 3 drafts") {
		t.Errorf("flash %q", got)
	}
	if n := eval(`String(document.querySelectorAll(".variants .provenance").length)`); n != "3" {
		t.Errorf("%s provenance lines", n)
	}

	// Launch. Start asks first (app.js's dialog, whose words the
	// experiment page's tests check): answer yes, as the person would.
	do(chromedp.Click(chromedp.CSS(`form[action$="/start"] button`)), chromedp.WaitVisible(chromedp.CSS(`#confirm-dialog .confirm-ok`)))
	submit(`#confirm-dialog .confirm-ok`)
	got, err := store.Experiment(ctx, x.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != experiments.StatusRunning || len(got.Variants) != 4 {
		t.Fatalf("after start: %s with %d variants", got.Status, len(got.Variants))
	}
	b := got.Variants[1]
	if b.Text != edited || !b.Edited || b.Source != experiments.SourceModel || b.ApprovedBy != "ann@example.com" || b.PromptVersion != variants.PromptVersion {
		t.Errorf("variant b %+v", b)
	}
	if c := got.Variants[2]; c.Text != after || c.Edited {
		t.Errorf("rewritten variant %+v", c)
	}

	// Settings: the model in use, and the connection test.
	do(chromedp.Navigate(base+"/settings"), chromedp.WaitVisible(chromedp.CSS("#llm")),
		chromedp.Click(chromedp.CSS(`#llm button[type="submit"]`)), chromedp.WaitVisible(chromedp.CSS(".llm-test-outcome")))
	if got := eval(`document.querySelector(".llm-test-outcome").textContent`); !strings.HasPrefix(got, "Connected: test-model at ") {
		t.Errorf("test connection said %q", got)
	}
	if strings.Contains(eval(`document.body.innerHTML`), testLLMKey) {
		t.Error("the settings page shows the API key")
	}

	if ex := exceptions(); len(ex) > 0 {
		t.Errorf("the page threw: %v", ex)
	}
}

// generateShots are the screenshots of TestBrowserGenerate that
// docs/screenshots keeps (the README shows them).
var generateShots = map[string]bool{"generate-brief": true, "generate-drafts": true}

// TestBrowserShotsKept: every screenshot the browser tests save is one
// docs/screenshots keeps, and every one it keeps is saved by exactly one
// of them, so that retaking them leaves no stray file and misses none.
func TestBrowserShotsKept(t *testing.T) {
	lists := map[string]map[string]bool{"TestBrowserTour": tourShots, "TestBrowserGenerate": generateShots, "TestRecordingsEndToEnd": recordingsShots}
	dir := filepath.Join("..", "docs", "screenshots")
	by := map[string][]string{}
	for test, names := range lists {
		for name := range names {
			by[name+".png"] = append(by[name+".png"], test)
			if _, err := os.Stat(filepath.Join(dir, name+".png")); err != nil {
				t.Errorf("%s saves %s.png, which docs/screenshots does not keep: %v", test, name, err)
			}
		}
	}
	kept, err := filepath.Glob(filepath.Join(dir, "*.png"))
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range kept {
		if tests := by[filepath.Base(path)]; len(tests) != 1 {
			t.Errorf("docs/screenshots keeps %s, saved by %d tests (%v), want one", filepath.Base(path), len(tests), tests)
		}
	}
}

// serveGenerating is copylab on a real 127.0.0.1 port with gen as its copy
// generator, and opts (such as clockAhead) applied.
func serveGenerating(t *testing.T, gen *variants.Generator, opts ...Option) (string, *experiments.Store) {
	t.Helper()
	ctx := context.Background()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + ln.Addr().String()
	store, err := experiments.Open(ctx, filepath.Join(t.TempDir(), "copylab.db"))
	if err != nil {
		t.Fatal(err)
	}
	ing := experiments.NewIngester(store, experiments.IngestOptions{Logger: slog.New(slog.DiscardHandler)})
	a, err := New(Config{Addr: ln.Addr().String(), DBPath: store.Path(), PublicURL: base, BcryptCost: 10,
		SetupToken: testSetupToken, Logger: slog.New(slog.DiscardHandler)}, store, ing, append([]Option{WithGenerator(gen)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	go a.Fiber().Listener(ln)
	t.Cleanup(func() {
		a.Fiber().ShutdownWithTimeout(5 * time.Second)
		ing.Close(ctx)
		store.Close()
	})
	return base, store
}
