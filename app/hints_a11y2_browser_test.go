package app

import (
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"copylab/static/browsertest"
)

// TestResultsHintFocusSurvivesRefreshBrowser: a keyboard user who tabbed
// to a "?" hint button of the results table keeps the focus on it, with
// its explanation open, when the panel refreshes (htmx swaps #results
// every five seconds), on the experiment page and on the results page.
// Found by a fresh-eyes review: the hint buttons had no id, so the focus
// fell to the body on the first refresh and the explanation closed.
func TestResultsHintFocusSurvivesRefreshBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	tab := browsertest.NewTab(t) // skips without Chromium, fails under CI
	live := serveLive(t)
	live.ownerToken(t, "a11y")
	site, x := startPricingHero(t, live, "example.com")
	start := time.Now().UTC().AddDate(0, 0, -6).Truncate(24 * time.Hour)
	bulkResults(t, live.store, site, x, bulkSpec{Events: 20_000, Start: start, Days: 7, Seed: 3,
		Rates: map[string]float64{"control": 0.08, "b": 0.09, "c": 0.081}})
	exceptions := browsertest.Exceptions(t, tab)
	signInTab(t, tab, live.base+"/login", "owner@example.com", chromedp.EmulateViewport(1280, 900))

	eval := func(js string) string {
		t.Helper()
		s, err := chromedp.Run(tab, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		return s
	}
	const where = `document.activeElement ? document.activeElement.outerHTML.slice(0, 120) : ""`
	for _, page := range []string{"/experiments/" + x.ID, "/experiments/" + x.ID + "/results"} {
		for _, label := range []string{"About the chance to be best", "About the p-value"} {
			t.Run(page+" "+label, func(t *testing.T) {
				// The header's button: a phone's are in a line of their
				// own, hidden on a desktop (TestH7PhoneHintsBrowser).
				sel := fmt.Sprintf(`#results thead .hint-btn[aria-label=%q]`, label)
				if err := chromedp.Do(tab, chromedp.Navigate(live.base+page), chromedp.WaitVisible(chromedp.CSS(sel)),
					chromedp.Focus(chromedp.CSS(sel)),
					// A mark on the panel: the refreshed one does not carry it.
					chromedp.Evaluate[chromedp.Void](`document.getElementById("results").a11y2Mark = 1`)); err != nil {
					t.Fatal(err)
				}
				// The button's explanation is open while it has the focus.
				open := fmt.Sprintf(`(function () { var b = document.activeElement; return !!b && b.matches(%q) &&
					getComputedStyle(document.getElementById(b.getAttribute("aria-describedby"))).display !== "none"; })()`, sel)
				if eval(`String(`+open+`)`) != "true" {
					t.Fatalf("before the refresh the focus is on %s, want the open hint %q", eval(where), label)
				}
				// One more visitor: a poll that brings the same numbers swaps
				// nothing (data-poll-quiet), so nothing would move the focus.
				if _, err := live.store.Writer().Exec(`update variant_counts set exposures = exposures + 1
					where experiment_id = ? and variant = 'control'`, x.ID); err != nil {
					t.Fatal(err)
				}
				if _, err := chromedp.Run(tab, chromedp.Poll[bool](`!document.getElementById("results").a11y2Mark`,
					chromedp.WithPollingTimeout(15*time.Second))); err != nil {
					t.Fatalf("the results did not refresh: %v", err)
				}
				// htmx settles the swap, and app.js moves the focus, just after.
				if _, err := chromedp.Run(tab, chromedp.Poll[bool](open, chromedp.WithPollingTimeout(15*time.Second))); err != nil {
					t.Errorf("after the refresh the focus is on %s, want the hint %q, open", eval(where), label)
				}
			})
		}
	}
	if ex := exceptions(); len(ex) > 0 {
		t.Errorf("the pages threw: %v", ex)
	}
}
