package app

import (
	"context"
	"math"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"copylab/app/simulate"
	"copylab/experiments"
	"copylab/static/browsertest"
)

// TestExperimentPagesLayout lays out the experiment pages in headless
// Chromium and measures them: what a screenshot would show, held as
// numbers: a link-styled button lines up with the text above it.
func TestExperimentPagesLayout(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	tab := browsertest.NewTab(t) // skips without Chromium, fails under CI
	live := serveLive(t)
	ctx := context.Background()
	live.ownerToken(t, "layout")
	owner, _, err := live.store.UserByEmail(ctx, "owner@example.com")
	if err != nil {
		t.Fatal(err)
	}
	// The demo: a running experiment with visitors, so the list shows a
	// verdict and a leader.
	if err := live.app.createDemo(ctx, owner.ID); err != nil {
		t.Fatal(err)
	}
	site, _, err := live.app.demoSite(ctx)
	if err != nil {
		t.Fatal(err)
	}
	running, err := live.store.RunningExperiments(ctx, site.ID)
	if err != nil || len(running) != 1 {
		t.Fatalf("running demo: %v (%v)", running, err)
	}
	demo := running[0]
	// A draft beside it: a row without a result yet.
	if _, err := live.store.CreateExperiment(ctx, experiments.Experiment{SiteID: site.ID, Name: "Demo: a much longer name for the next headline test",
		Page: "/demo", Selector: demo.Selector, Goal: demo.Goal, CoverageBP: 10000,
		Variants: []experiments.Variant{{Text: DemoHeadline}, {Text: "Notes your whole team finds again"}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := simulate.Run(ctx, simulate.Options{URL: live.base, Site: site.Key, Experiment: demo.ID, Visitors: 200,
		Rates: map[string]float64{"control": 0.08, "b": 0.12, "c": 0.1}, Concurrency: 4, Seed: 3, Client: uaClient}); err != nil {
		t.Fatal(err)
	}

	if err := chromedp.Do(tab, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(live.base+"/login"), chromedp.WaitVisible(chromedp.CSS("#f-email")),
		chromedp.SendKeys(chromedp.CSS("#f-email"), "owner@example.com"),
		chromedp.SendKeys(chromedp.CSS("#f-password"), testPassword)); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(tab, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS("form .btn-primary")))); err != nil {
		t.Fatal(err)
	}
	open := func(t *testing.T, path string, width, height int64, ready string) {
		t.Helper()
		if err := chromedp.Do(tab, chromedp.EmulateViewport(width, height), chromedp.Navigate(live.base+path),
			chromedp.WaitVisible(chromedp.CSS(ready))); err != nil {
			t.Fatal(err)
		}
	}
	eval := func(t *testing.T, js string) float64 {
		t.Helper()
		v, err := chromedp.Run(tab, chromedp.Evaluate[float64](js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		return v
	}

	// A link-styled button under a card's text starts where that text
	// starts: its words, not its box, line up ("Make a new link" sat 8 px
	// in, from its side padding).
	t.Run("share card's link button lines up with its text", func(t *testing.T) {
		for _, width := range []int64{1280, 390} {
			open(t, "/experiments/"+demo.ID, width, 900, `button[data-confirm^="Make a new share link"]`)
			const textLeft = `(function (el) { var r = document.createRange(); r.selectNodeContents(el); return r.getBoundingClientRect().left; })`
			button := eval(t, textLeft+`(document.querySelector('button[data-confirm^="Make a new share link"]'))`)
			help := eval(t, textLeft+`(document.querySelector('button[data-confirm^="Make a new share link"]').closest("section").querySelector("p.help"))`)
			if math.Abs(button-help) > 0.5 {
				t.Errorf("at %dpx the button's words start at %.1fpx, the card's text at %.1fpx", width, button, help)
			}
		}
	})
}
