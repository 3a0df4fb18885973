package app

import (
	"context"
	"strconv"
	"testing"

	"github.com/chromedp/chromedp"

	"copylab/experiments"
	"copylab/static/browsertest"
)

// TestShareLinkGoneBrowser: in Chromium, the page of a share link that no
// longer works passes the app's page checks (a11yPageJS) and fits a phone
// and a laptop without scrolling sideways, with nothing to follow: no link,
// no button, no form.
func TestShareLinkGoneBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	live := serveLive(t)
	ctx := context.Background()
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
	// Only a started test's link can be replaced (a draft has none yet).
	if _, err := live.store.Transition(ctx, x.ID, experiments.ActionStart); err != nil {
		t.Fatal(err)
	}
	if _, err := live.store.NewShareLink(ctx, x.ID); err != nil {
		t.Fatal(err)
	}
	tab := browsertest.NewTab(t)
	exceptions := browsertest.Exceptions(t, tab)
	for _, w := range []int64{1280, 390} {
		name := strconv.FormatInt(w, 10) + " px"
		if err := chromedp.Do(tab, chromedp.EmulateViewport(w, 800), chromedp.Navigate(live.base+"/r/"+x.ShareToken),
			chromedp.WaitVisible(chromedp.CSS("h1"))); err != nil {
			t.Fatal(err)
		}
		problems, err := chromedp.Run(tab, chromedp.Evaluate[[]string]("("+a11yPageJS+")(true)"))
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range problems {
			t.Errorf("%s: %s", name, p)
		}
		got, err := chromedp.Run(tab, chromedp.Evaluate[[]int](`[
			document.documentElement.scrollWidth - document.documentElement.clientWidth,
			document.querySelectorAll("a, button, form, input").length,
			document.querySelector("h1").textContent === "This link no longer works" ? 1 : 0]`))
		if err != nil {
			t.Fatal(err)
		}
		if got[0] > 0 {
			t.Errorf("%s: scrolls sideways by %d px", name, got[0])
		}
		if got[1] > 0 {
			t.Errorf("%s: %d links, buttons or forms", name, got[1])
		}
		if got[2] != 1 {
			t.Errorf("%s: not the page of a link that no longer works", name)
		}
	}
	if ex := exceptions(); len(ex) > 0 {
		t.Errorf("the page threw: %v", ex)
	}
}
