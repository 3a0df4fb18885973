package app

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"copylab/experiments"
	"copylab/static/browsertest"
)

// TestBrowserDraftFormPressedAgain: "Draft copy with AI" on the New
// experiment form saves a draft and opens its drafting page. Back in the
// browser shows the filled form again, and pressing the button a second
// time saved a second experiment of the same name, without a word (only
// a double click was held back). The second press now opens the draft the
// first one saved, and says so.
func TestBrowserDraftFormPressedAgain(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	tab := browsertest.NewTab(t) // skips without Chromium, fails under CI
	base, store, _ := offlineDraftingSite(t)
	exceptions := browsertest.Exceptions(t, tab)
	do := func(actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(tab, actions...); err != nil {
			t.Fatal(err)
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
	// press clicks "Draft copy with AI" and waits for the page it leads to.
	press := func() {
		t.Helper()
		do(chromedp.Evaluate[chromedp.Void](`document.querySelector('button[value="generate"]').scrollIntoView({block: "center"})`))
		if _, err := chromedp.Run(tab, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS(`button[value="generate"]`)))); err != nil {
			t.Fatal(err)
		}
		do(chromedp.WaitVisible(chromedp.CSS("#brief-form")))
	}
	all := func() []experiments.Experiment {
		t.Helper()
		xs, err := store.Experiments(context.Background(), experiments.ExperimentFilter{})
		if err != nil {
			t.Fatal(err)
		}
		return xs
	}

	signInTab(t, tab, base+"/login?next=/experiments/new", "ann@example.com", chromedp.EmulateViewport(1280, 900))
	do(chromedp.WaitVisible(chromedp.CSS("#f-name")),
		chromedp.SendKeys(chromedp.CSS("#f-name"), "Hero"),
		chromedp.SendKeys(chromedp.CSS(`[name="variants[0].text"]`), "Project management for busy teams"))
	press()
	first := all()
	if len(first) != 1 {
		t.Fatalf("%d experiments after the first press", len(first))
	}
	if !strings.Contains(eval(`location.pathname`), first[0].ID) {
		t.Fatalf("the first press went to %s", eval(`location.href`))
	}

	// Back to the form, as the browser shows it again, and press again.
	// The history goes back 1 entry: the 303 after the post replaced it.
	if _, err := chromedp.Run(tab, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Evaluate[chromedp.Void](`history.back()`))); err != nil {
		t.Fatal(err)
	}
	do(chromedp.WaitVisible(chromedp.CSS("#f-name")))
	if got := eval(`document.querySelector("#f-name").value`); got != "Hero" {
		t.Logf("the form came back with the name %q", got)
	}
	if _, err := chromedp.Run(tab, chromedp.Poll[bool](`document.readyState === "complete"`, chromedp.WithPollingTimeout(5*time.Second))); err != nil {
		t.Fatal(err)
	}
	// app.js holds back a second submit within 10 s of the first (a
	// double click): the form is the page's new one here, but a page kept
	// whole in the back-forward cache would still carry the first one's
	// time, which is not what this test is about.
	do(chromedp.Evaluate[chromedp.Void](`document.querySelectorAll("form").forEach(function (f) { f.sentAt = 0 })`))
	if eval(`document.querySelector("#f-name").value`) == "" {
		// The browser did not keep what was typed: type it again, as the
		// person would.
		do(chromedp.SendKeys(chromedp.CSS("#f-name"), "Hero"),
			chromedp.SendKeys(chromedp.CSS(`[name="variants[0].text"]`), "Project management for busy teams"))
	}
	press()
	if xs := all(); len(xs) != 1 {
		t.Errorf("%d experiments after the second press, want the first one only", len(xs))
	}
	if !strings.Contains(eval(`location.pathname`), first[0].ID) {
		t.Errorf("the second press went to %s, want the first draft's drafting page", eval(`location.href`))
	}
	if got := eval(`(document.querySelector("#main > .flash") || {}).textContent || ""`); !strings.Contains(got, "already") {
		t.Errorf("the second press says %q, want that the draft was saved already", got)
	}
	if ex := exceptions(); len(ex) > 0 {
		t.Errorf("the page threw: %v", ex)
	}
}
