package app

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"golang.org/x/crypto/bcrypt"

	"copylab/experiments"
	"copylab/static/browsertest"
)

// TestBrowserGenerateFailed looks at a failed generation in Chromium, on
// a desktop and a phone: the sentence, the advice and the Try again
// button each stand apart, and nothing sticks out sideways.
func TestBrowserGenerateFailed(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	tab := browsertest.NewTab(t) // skips without Chromium, fails under CI
	llm := newFakeLLM(t)
	llm.setReply(failWith(500, nil, "boom"))
	base, store := serveGenerating(t, llm.generator(5*time.Second))
	ctx := context.Background()
	if _, _, err := addUser(ctx, store, "ann@example.com", "Ann", testPassword, bcrypt.MinCost); err != nil {
		t.Fatal(err)
	}
	site, err := store.CreateSite(ctx, experiments.Site{Name: "Acme Boards", Domain: "acme.example"})
	if err != nil {
		t.Fatal(err)
	}
	x, err := store.CreateExperiment(ctx, experiments.Experiment{SiteID: site.ID, Name: "Homepage hero", Page: "/", Selector: `[data-copylab="hero"]`,
		Goal: experiments.Goal{Type: experiments.GoalClick, Selector: "#signup"}, CoverageBP: 10000,
		Variants: []experiments.Variant{{Text: "Project management for busy teams"}}})
	if err != nil {
		t.Fatal(err)
	}
	exceptions := browsertest.Exceptions(t, tab)
	do := func(actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(tab, actions...); err != nil {
			t.Fatal(err)
		}
	}
	num := func(js string) float64 {
		t.Helper()
		f, err := chromedp.Run(tab, chromedp.Evaluate[float64](js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		return f
	}

	signInTab(t, tab, base+"/login?next=/experiments/"+x.ID+"/generate", "ann@example.com", chromedp.EmulateViewport(1280, 900))
	do(chromedp.WaitVisible(chromedp.CSS("#brief-form")),
		chromedp.SendKeys(chromedp.CSS("#f-goal"), "Get visitors to start a free trial"),
		chromedp.Click(chromedp.CSS("#brief-submit")),
		chromedp.WaitVisible(chromedp.CSS(`#generation[data-state="failed"] button[form="brief-form"]`)))

	for _, width := range []int64{1280, 390} {
		do(chromedp.EmulateViewport(width, 844), chromedp.Sleep(100*time.Millisecond))
		w := strconv.Itoa(int(width))
		if over := num(`document.documentElement.scrollWidth - document.documentElement.clientWidth`); over != 0 {
			t.Errorf("at %spx the page is %.0fpx too wide", w, over)
		}
		// The gap between the last line of advice and the button.
		gap := num(`(function () {
			var g = document.querySelector("#generation");
			var help = g.querySelector(".help");
			var btn = g.querySelector('button[form="brief-form"]');
			return btn.getBoundingClientRect().top - help.getBoundingClientRect().bottom;
		})()`)
		if gap < 8 {
			t.Errorf("at %spx the Try again button sits %.1fpx under the advice, want 8px or more", w, gap)
		}
	}
	if ex := exceptions(); len(ex) > 0 {
		t.Errorf("the page threw: %v", ex)
	}
}
