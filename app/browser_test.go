package app

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"copylab/app/simulate"
	"copylab/experiments"
	"copylab/static/browsertest"
)

const browserUA = browsertest.PersonUserAgent

// uaTransport sends a browser's user agent: simulate's requests would
// otherwise carry Go's, which copylab counts as a bot.
type uaTransport struct{}

func (uaTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("User-Agent", browserUA)
	return http.DefaultTransport.RoundTrip(r)
}

var uaClient = &http.Client{Transport: uaTransport{}, Timeout: 10 * time.Second}

// tourShots are the screenshots of TestBrowserTour that docs/screenshots
// keeps (the README shows them); the tour checks its other views for
// width without saving them. TestTourShotsKept keeps the two lists alike.
var tourShots = map[string]bool{"setup": true, "experiment": true, "results": true, "results-phone": true, "site": true,
	"experiment-form-errors": true, "experiment-draft": true, "experiments-list": true, "share": true}

// TestTourShotsKept: every screenshot the tour saves is one
// docs/screenshots keeps, so that retaking them leaves no stray file.
func TestTourShotsKept(t *testing.T) {
	for name := range tourShots {
		if _, err := os.Stat(filepath.Join("..", "docs", "screenshots", name+".png")); err != nil {
			t.Errorf("the tour saves %s.png, which docs/screenshots does not keep: %v", name, err)
		}
	}
}

// TestBrowserTour drives the real app in headless Chromium: setup, the
// demo page's swap and conversion, a site with its tag, the experiment form
// with errors, and live results. It needs Chromium: without one it skips,
// except under CI (CI set), where it fails. It checks that no page it
// passes through is too wide, on a desktop and on a phone; with
// COPYLAB_SCREENSHOTS=DIR it also saves there the screenshots
// docs/screenshots keeps (tourShots).
//
//	COPYLAB_SCREENSHOTS=$PWD/docs/screenshots go test ./app -run TestBrowserTour -v
func TestBrowserTour(t *testing.T) {
	shots := os.Getenv("COPYLAB_SCREENSHOTS")
	if testing.Short() {
		t.Skip("the browser tour is not short")
	}
	ctx := context.Background()

	// The app, on a real port, as Run starts it, and a tab that plays a
	// person (copylab counts automation as bots).
	live := serveLive(t)
	base, a, store := live.base, live.app, live.store
	bctx := browsertest.NewTab(t)
	if err := browsertest.AsPerson(bctx); err != nil {
		t.Fatal(err)
	}

	do := func(actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(bctx, actions...); err != nil {
			t.Fatal(err)
		}
	}
	// submit clicks and waits for the next page to load.
	submit := func(sel string) {
		t.Helper()
		if _, err := chromedp.Run(bctx, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS(sel)))); err != nil {
			t.Fatalf("submit %s: %v", sel, err)
		}
	}
	// shot checks that the page is not too wide at this size (a phone's
	// too) and, in screenshot mode, when docs/screenshots keeps it, saves
	// it as name.png.
	shot := func(name string, width, height int64) {
		t.Helper()
		do(chromedp.EmulateViewport(width, height))
		// The page may not scroll sideways (TestPhonePagesFitBrowser checks
		// the boxes inside it).
		// Reading the widths lays the page out at the new size first.
		if over, err := chromedp.Run(bctx, chromedp.Evaluate[int](`document.documentElement.scrollWidth - document.documentElement.clientWidth`)); err != nil || over > 0 {
			t.Errorf("%s at %dpx: the page is %dpx too wide (%v)", name, width, over, err)
		}
		if shots != "" && tourShots[name] {
			// Let fonts and images settle before the picture.
			do(chromedp.Sleep(150 * time.Millisecond))
			saveShot(t, bctx, shots, name+".png", chromedp.FullScreenshot(100))
		}
		do(chromedp.EmulateViewport(1280, 900))
	}
	textOf := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(bctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("text of %s: %v", sel, err)
		}
		return s
	}

	do(chromedp.EmulateViewport(1280, 900), chromedp.Navigate(a.SetupURL()), chromedp.WaitVisible(chromedp.CSS("#f-email")))
	shot("setup", 1280, 860)
	shot("setup-phone", 390, 844)
	do(chromedp.SendKeys(chromedp.CSS("#f-email"), "owner@example.com"),
		chromedp.SendKeys(chromedp.CSS("#f-password"), testPassword),
		chromedp.SendKeys(chromedp.CSS("#f-password2"), testPassword))
	submit(".btn-primary")
	if got := textOf("h1"); !strings.Contains(got, DemoExperimentName) {
		t.Fatalf("after setup: %q", got)
	}
	shot("experiments", 1280, 700)

	// The demo: the tag swaps the headline before paint, and a click converts.
	do(chromedp.Navigate(base+"/demo"), chromedp.WaitVisible(chromedp.CSS("h1")), chromedp.Sleep(300*time.Millisecond))
	headline := textOf(`[data-copylab="hero"]`)
	valid := map[string]bool{DemoHeadline: true, demoVariants[0]: true, demoVariants[1]: true}
	if !valid[headline] {
		t.Errorf("demo headline %q", headline)
	}
	t.Logf("demo headline for this visitor: %q", headline)
	do(chromedp.Click(chromedp.CSS("#signup")), chromedp.WaitVisible(chromedp.CSS("#thanks")), chromedp.Sleep(500*time.Millisecond))
	shot("demo", 1280, 900)
	site, _, err := a.demoSite(ctx)
	if err != nil {
		t.Fatal(err)
	}
	running, _ := store.RunningExperiments(ctx, site.ID)
	demo := running[0]
	// The tag sends its queue a second after the first event: wait for it
	// (longer on a busy machine).
	var exposures, conversions int64
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		counts, err := store.Counts(ctx, demo)
		if err != nil {
			t.Fatal(err)
		}
		exposures, conversions = 0, 0
		for _, v := range counts.Variants {
			exposures += v.Exposures
			conversions += v.Conversions
		}
		if exposures > 0 && conversions > 0 {
			break
		}
	}
	if exposures != 1 || conversions != 1 {
		t.Errorf("after one demo visit and click: %d exposures, %d conversions", exposures, conversions)
	}

	// QA preview forces a variant and counts nothing.
	// (The QA build arrives after the page: wait for its copy.)
	do(chromedp.Navigate(base+"/demo?copylab="+demo.ID+":c"), chromedp.WaitVisible(chromedp.CSS("h1")))
	want, _ := json.Marshal(demoVariants[1])
	if _, err := chromedp.Run(bctx, chromedp.Poll[bool](`document.querySelector('[data-copylab="hero"]').textContent == `+string(want),
		chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Errorf("QA link shows %q", textOf(`[data-copylab="hero"]`))
	}

	// Some traffic for the results, through the public endpoints.
	rep, err := simulate.Run(ctx, simulate.Options{URL: base, Site: site.Key, Experiment: demo.ID, Visitors: 600,
		Rates: map[string]float64{"control": 0.08, "b": 0.11, "c": 0.095}, Concurrency: 8, Seed: 7, Client: uaClient})
	if err != nil {
		t.Fatalf("simulate: %v", err)
	}
	t.Logf("simulated: %s", strings.ReplaceAll(rep.String(), "\n", "; "))

	seedTourResults(t, store, site, demo) // two weeks of history: charts and segments (results_tour_test.go)
	do(chromedp.Navigate(base+"/experiments/"+demo.ID), chromedp.WaitVisible(chromedp.CSS("#results")))
	shot("experiment", 1280, 900)
	do(chromedp.Navigate(base+"/experiments/"+demo.ID+"/results"), chromedp.WaitVisible(chromedp.CSS("#results")))
	const visitors = `document.querySelector("#results .stat-value").textContent.trim()`
	before, err := chromedp.Run(bctx, chromedp.Evaluate[string](visitors))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := simulate.Run(ctx, simulate.Options{URL: base, Site: site.Key, Experiment: demo.ID, Visitors: 50,
		Rates: map[string]float64{"control": 0.1, "b": 0.1, "c": 0.1}, Concurrency: 4, Seed: 8, Client: uaClient}); err != nil {
		t.Fatal(err)
	}
	// The results poll every 5 s: the new visitors show without a reload
	// (a busy machine may need a poll or two more).
	after, err := chromedp.Run(bctx, chromedp.Poll[string](visitors+` != `+strconv.Quote(before)+` && `+visitors,
		chromedp.WithPollingTimeout(20*time.Second)))
	if err != nil {
		t.Errorf("results did not refresh live: %s, then %s (%v)", before, textOf("#results .stat-value"), err)
	}
	t.Logf("live refresh: %s → %s visitors", before, after)
	shot("results", 1280, 760)
	shot("results-phone", 390, 844)

	// A site of one's own, with its tag.
	do(chromedp.Navigate(base+"/sites"), chromedp.WaitVisible(chromedp.CSS("#f-name")),
		chromedp.SendKeys(chromedp.CSS("#f-name"), "Marketing site"), chromedp.SendKeys(chromedp.CSS("#f-domain"), "www.acme.example"))
	submit("form.form-grid .btn-primary")
	if got := textOf("h1"); got != "Marketing site" {
		t.Fatalf("site page h1 %q", got)
	}
	shot("site", 1280, 1400)
	shot("site-phone", 390, 844)

	// The experiment form, sent empty: every error beside its field.
	do(chromedp.Navigate(base+"/experiments/new"), chromedp.WaitVisible(chromedp.CSS("#f-name")),
		chromedp.SetValue(chromedp.CSS("#f-page"), "pricing"),
		chromedp.SendKeys(chromedp.CSS("#f-variants-1-text"), "<b>Bold</b> claim"),
		chromedp.SetValue(chromedp.CSS("#f-coverage"), "0"))
	submit(`.form-actions button[value="save"]`)
	if n, err := chromedp.Run(bctx, chromedp.Evaluate[int](`document.querySelectorAll(".field-error").length`)); err != nil || n < 4 {
		t.Errorf("%d field errors shown (%v)", n, err)
	}
	shot("experiment-form-errors", 1280, 1700)
	shot("experiment-form-phone", 390, 844)

	// A draft on the demo page: its page points at the preview links, and
	// one of them shows the draft's copy on the real page before it
	// starts. It tests the sign-up button, which no running test holds,
	// so its page shows what a new team's draft does: ready to start.
	draft, err := store.CreateExperiment(ctx, experiments.Experiment{SiteID: demo.SiteID, Name: "Demo: sign-up button",
		Page: "/demo", Selector: `[data-copylab="signup"]`, Goal: demo.Goal, CoverageBP: 10000,
		Variants: []experiments.Variant{{Text: "Start writing — it's free"}, {Text: "Try it free with your team"}}})
	if err != nil {
		t.Fatal(err)
	}
	do(chromedp.Navigate(base+"/experiments/"+draft.ID), chromedp.WaitVisible(chromedp.CSS("#preview")))
	if ok, err := chromedp.Run(bctx, chromedp.Evaluate[bool](`!!document.querySelector("form[action$='/start'] button")`)); err != nil || !ok {
		t.Errorf("the draft for a free element offers no Start button (%v)", err)
	}
	shot("experiment-draft", 1280, 1300)
	do(chromedp.Navigate(base+"/demo?copylab="+draft.ID+":b"), chromedp.WaitVisible(chromedp.CSS("h1")))
	if _, err := chromedp.Run(bctx, chromedp.Poll[bool](`document.querySelector('[data-copylab="signup"]').textContent == "Try it free with your team"`,
		chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Errorf("the draft's preview link shows %q", textOf(`[data-copylab="signup"]`))
	}
	do(chromedp.Navigate(base + "/demo?copylab="))
	do(chromedp.Navigate(base+"/experiments"), chromedp.WaitVisible(chromedp.CSS(".verdict-chip")))
	shot("experiments-list", 1280, 420)

	do(chromedp.Navigate(base+"/users"), chromedp.WaitVisible(chromedp.CSS("h1")))
	shot("users", 1280, 700)
	do(chromedp.Navigate(base+"/settings"), chromedp.WaitVisible(chromedp.CSS("h1")))
	shot("settings", 1280, 900)
	do(chromedp.Navigate(base+"/r/"+demo.ShareToken), chromedp.WaitVisible(chromedp.CSS("#results")))
	shot("share", 1280, 700)
	do(chromedp.Navigate(base+"/no/such/page"), chromedp.WaitVisible(chromedp.CSS("h1")))
	shot("not-found", 1280, 600)
	if shots != "" {
		fmt.Fprintln(os.Stderr, "screenshots in", shots)
	}
}

// signInTab signs email in on the page at loginURL (a /login address,
// with its ?next= if any) in tab, after the actions before (a viewport,
// say), and waits for the page the sign-in leads to.
// saveShot writes the picture action takes of tab (a full-page or an
// element's screenshot) to dir/file, making dir first: the screenshots of
// the README and of reviews (COPYLAB_SCREENSHOTS, COPYLAB_REVIEW_SHOTS).
func saveShot(t testing.TB, tab context.Context, dir, file string, action chromedp.Action[[]byte]) {
	t.Helper()
	buf, err := chromedp.Run(tab, action)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, file), buf, 0o644); err != nil {
		t.Fatal(err)
	}
}

func signInTab(t testing.TB, tab context.Context, loginURL, email string, before ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	steps := append(before, chromedp.Navigate(loginURL), chromedp.WaitVisible(chromedp.CSS("#f-email")),
		chromedp.SendKeys(chromedp.CSS("#f-email"), email), chromedp.SendKeys(chromedp.CSS("#f-password"), testPassword))
	if err := chromedp.Do(tab, steps...); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(tab, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS("form .btn-primary")))); err != nil {
		t.Fatal(err)
	}
}
