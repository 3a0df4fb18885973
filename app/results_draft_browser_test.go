package app

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"copylab/experiments"
	"copylab/static/browsertest"
)

// TestResultsDraftBrowser: in Chromium, at 1280 and 390 px, a draft's full
// results page and its share page show their empty state whole (no
// sideways scroll, the card inside the screen), pass the app's page checks
// (a11yPageJS), and ask the server for nothing more after they load: no
// poll of the live panel or the trends in the five seconds one would come.
// The share page links nowhere. With COPYLAB_REVIEW_SHOTS=DIR it saves
// each page at each width there, for a person to look at (docs/screenshots
// keeps none of them).
func TestResultsDraftBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	tab := browsertest.NewTab(t) // skips without Chromium, fails under CI
	live := serveLive(t)
	ctx := context.Background()
	live.ownerToken(t, "draft")
	site, err := live.store.CreateSite(ctx, experiments.Site{Name: "Shop", Domain: "example.com"})
	if err != nil {
		t.Fatal(err)
	}
	x, err := live.store.CreateExperiment(ctx, experiments.Experiment{SiteID: site.ID, Name: "Pricing hero", Page: "/pricing",
		Selector: `[data-copylab="hero"]`, Goal: experiments.Goal{Type: experiments.GoalClick, Selector: "#buy"}, CoverageBP: 10000,
		Variants: []experiments.Variant{{Text: "Original headline"}, {Text: "New headline"}}})
	if err != nil {
		t.Fatal(err)
	}
	exceptions := browsertest.Exceptions(t, tab)
	signInTab(t, tab, live.base+"/login", "owner@example.com", chromedp.EmulateViewport(1280, 900))
	shots := os.Getenv("COPYLAB_REVIEW_SHOTS")

	for _, tc := range []struct {
		name, path string
		app        bool   // the signed-in frame, checked as the app's
		heading    string // the empty state's
		links      int    // links and controls in <main>
	}{
		{"results", "/experiments/" + x.ID + "/results", true, "No results yet", 3}, // the crumbs' two links and Back to the experiment
		{"share", "/r/" + x.ShareToken, false, "This test has not started yet", 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			loaded := time.Now()
			if err := chromedp.Do(tab, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(live.base+tc.path),
				chromedp.WaitVisible(chromedp.CSS("h1"))); err != nil {
				t.Fatal(err)
			}
			for _, w := range []int64{1280, 390} {
				name := strconv.FormatInt(w, 10) + " px"
				if err := chromedp.Do(tab, chromedp.EmulateViewport(w, 844)); err != nil {
					t.Fatal(err)
				}
				problems, err := chromedp.Run(tab, chromedp.Evaluate[[]string]("("+a11yPageJS+")("+strconv.FormatBool(tc.app)+")"))
				if err != nil {
					t.Fatal(err)
				}
				for _, p := range problems {
					t.Errorf("%s: %s", name, p)
				}
				// (Without an empty state this throws, and the test stops.)
				got, err := chromedp.Run(tab, chromedp.Evaluate[[]float64](`(function () {
					var card = document.getElementById("draft-results").getBoundingClientRect(), w = document.documentElement.clientWidth;
					return [document.documentElement.scrollWidth - w,
						card.left < 0 || card.right > w ? 1 : 0,
						document.querySelectorAll("[hx-get], [hx-trigger], #results, #results-trends, .verdict, table").length,
						document.querySelectorAll("main a[href]:not(.skip), main button, main form, main input").length];
				})()`))
				if err != nil {
					t.Fatal(err)
				}
				if got[0] > 0 {
					t.Errorf("%s: the page scrolls %.0f px sideways", name, got[0])
				}
				if got[1] > 0 {
					t.Errorf("%s: the empty state does not fit the screen", name)
				}
				if got[2] > 0 {
					t.Errorf("%s: %.0f polled regions, verdicts or tables", name, got[2])
				}
				if int(got[3]) != tc.links {
					t.Errorf("%s: %.0f links and controls in the content, want %d", name, got[3], tc.links)
				}
				heading, err := chromedp.Run(tab, chromedp.Text(chromedp.CSS("#draft-results h2")))
				if err != nil || heading != tc.heading {
					t.Errorf("%s: the empty state is headed %q (%v), want %q", name, heading, err, tc.heading)
				}
				if shots != "" {
					saveShot(t, tab, shots, "draft-"+tc.name+"-"+strconv.FormatInt(w, 10)+".png", chromedp.FullScreenshot(100))
				}
			}
			// A live panel polls every 5 s: past that, the page has asked
			// for nothing but what it loaded with.
			time.Sleep(time.Until(loaded.Add(5500 * time.Millisecond)))
			polls, err := chromedp.Run(tab, chromedp.Evaluate[[]string](`performance.getEntriesByType("resource")
				.map(function (e) { return e.name; }).filter(function (n) { return /\/(live|trends)(\?|$)/.test(n); })`))
			if err != nil {
				t.Fatal(err)
			}
			if len(polls) > 0 {
				t.Errorf("the page polled: %v", polls)
			}
		})
	}
	if ex := exceptions(); len(ex) > 0 {
		t.Errorf("the pages threw: %v", ex)
	}
}
