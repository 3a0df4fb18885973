package app

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"copylab/experiments"
	"copylab/static/browsertest"
)

// TestHistoryLongWordPhoneBrowser: a History line with one long word (a
// German page pattern) wraps inside the experiment page on a phone. Found
// by a review at 390 px: "Page changed from / to
// /produkte/Donaudampfschifffahrtsgesellschaftskapitänsmützenüberzugsreißverschluss*"
// made the page 650 px wide, so that the whole page scrolled sideways.
func TestHistoryLongWordPhoneBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	tab := browsertest.NewTab(t) // skips without Chromium, fails under CI
	live := serveLive(t)
	live.ownerToken(t, "Deploy script")
	site := shopWithPostHog(t, live, "shop.example.com")
	ctx := context.Background()
	x, err := live.store.CreateExperiment(ctx, experiments.Experiment{SiteID: site.ID, Name: "Hero copy", Page: "/",
		Selector: `[data-copylab="hero"]`, Goal: experiments.Goal{Type: experiments.GoalClick, Selector: "#buy"}, CoverageBP: 10000,
		Variants: []experiments.Variant{{Text: "Project management for busy teams"}, {Text: "Plan, track and ship together"}}})
	if err != nil {
		t.Fatal(err)
	}
	const long = "/produkte/Donaudampfschifffahrtsgesellschaftskapitänsmützenüberzugsreißverschluss*"
	x.Page = long
	if _, err := live.store.UpdateExperiment(ctx, x); err != nil {
		t.Fatal(err)
	}
	signInTab(t, tab, live.base+"/login", "owner@example.com", chromedp.EmulateViewport(390, 844))
	for _, w := range []int64{390, 320} {
		if err := chromedp.Do(tab, chromedp.EmulateViewport(w, 844), chromedp.Navigate(live.base+"/experiments/"+x.ID),
			chromedp.WaitVisible(chromedp.CSS("#history li"))); err != nil {
			t.Fatal(err)
		}
		// [the page's scroll width, the window's width, the right edge
		// of the History's text], and the History's text.
		got, err := chromedp.Run(tab, chromedp.Evaluate[[]float64](`[document.documentElement.scrollWidth, innerWidth,
			(function () {
				var right = 0, walk = document.createTreeWalker(document.getElementById("history"), NodeFilter.SHOW_TEXT);
				for (var n = walk.nextNode(); n; n = walk.nextNode()) {
					var r = document.createRange();
					r.selectNodeContents(n);
					right = Math.max(right, r.getBoundingClientRect().right);
				}
				return right;
			})()]`))
		if err != nil {
			t.Fatal(err)
		}
		text, err := chromedp.Run(tab, chromedp.Evaluate[string](`document.querySelector("#history ol").textContent`))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(text, "Donaudampfschifffahrtsgesellschaftskapitänsmützenüberzugsreißverschluss") {
			t.Fatalf("the History does not show the page: %q", text)
		}
		if got[0] > got[1] {
			t.Errorf("at %d px the experiment page is %.0f px wide in a %.0f px window: it scrolls sideways", w, got[0], got[1])
		}
		if got[2] > got[1] {
			t.Errorf("at %d px the History's text reaches %.0f px, past the %.0f px window", w, got[2], got[1])
		}
	}
}
