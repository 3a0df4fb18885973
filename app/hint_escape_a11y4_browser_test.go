package app

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"copylab/experiments"
	"copylab/static/browsertest"
)

// TestHintEscapeBrowser: Escape hides a "?" hint's explanation while the
// focus stays on its button (WCAG 1.4.13: content shown on focus can be
// dismissed without moving the focus), and the explanation shows again
// the next time the button takes the focus. The audit found Escape did
// nothing.
func TestHintEscapeBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	tab, live, x, exceptions, eval := a11y4ResultsTab(t)
	for _, id := range []string{"hint-rate", "hint-uplift"} {
		t.Run(id, func(t *testing.T) {
			btn := "#" + id + "-btn"
			state := fmt.Sprintf(`(document.activeElement && document.activeElement.id) + " " +
				getComputedStyle(document.getElementById(%q)).display`, id)
			if err := chromedp.Do(tab, chromedp.Navigate(live.base+"/experiments/"+x.ID+"/results"),
				chromedp.WaitVisible(chromedp.CSS(btn)), chromedp.Focus(chromedp.CSS(btn))); err != nil {
				t.Fatal(err)
			}
			if got, want := eval(state), id+"-btn block"; got != want {
				t.Fatalf("focused: %q, want %q", got, want)
			}
			if err := chromedp.Do(tab, chromedp.KeyEvent(kb.Escape)); err != nil {
				t.Fatal(err)
			}
			if got, want := eval(state), id+"-btn none"; got != want {
				t.Errorf("after Escape: %q (focus, explanation's display), want %q", got, want)
			}
			// Away and back: it shows again.
			if err := chromedp.Do(tab, chromedp.Evaluate[chromedp.Void](`document.activeElement.blur()`),
				chromedp.Focus(chromedp.CSS(btn))); err != nil {
				t.Fatal(err)
			}
			if got, want := eval(state), id+"-btn block"; got != want {
				t.Errorf("focused again: %q, want %q", got, want)
			}
		})
	}
	if ex := exceptions(); len(ex) > 0 {
		t.Errorf("the page threw: %v", ex)
	}
}

// a11y4ResultsTab signs a tab in to a live server with a started
// experiment of a week's results (5,000 events): the accessibility
// audit's results page. It returns the tab, the server, the experiment,
// the page's exceptions and an evaluator of JavaScript in the tab.
func a11y4ResultsTab(t *testing.T) (context.Context, *liveApp, experiments.Experiment, func() []string, func(string) string) {
	t.Helper()
	tab := browsertest.NewTab(t)
	live := serveLive(t)
	live.ownerToken(t, "a11y4")
	site, x := startPricingHero(t, live, "example.com")
	start := time.Now().UTC().AddDate(0, 0, -6).Truncate(24 * time.Hour)
	bulkResults(t, live.store, site, x, bulkSpec{Events: 5_000, Start: start, Days: 7, Seed: 3,
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
	return tab, live, x, exceptions, eval
}
