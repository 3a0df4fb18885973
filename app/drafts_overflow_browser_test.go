package app

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"copylab/experiments"
	"copylab/static/browsertest"
)

// unbrokenCopy is 300 characters without a space: a URL pasted as copy,
// or a model's draft gone wrong. Nothing in it lets a line break.
var unbrokenCopy = func() string {
	s := "https://shop.example.com/pricing?" + strings.Repeat("utm_campaign=spring_sale&", 12)
	return s[:300]
}()

// TestLongUnbrokenCopyWrapsBrowser lays out in headless Chromium, on a
// desktop (1280 px) and a phone (375 px), the pages that show copy a
// person or a model wrote, with 300 characters of it that hold no space:
// the drafting page with it typed into a draft, and again as the server
// sends it back when the draft is refused for its length; the
// experiment's page and edit form with it as a variant; a running
// experiment's page and results. The text wraps inside its box and the
// page never scrolls sideways. Found by a fresh-eyes review: a
// 150-character URL typed into a draft made the drafting page 1935 px
// wide in a 1280 px window.
func TestLongUnbrokenCopyWrapsBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	tab := browsertest.NewTab(t) // skips without Chromium, fails under CI
	base, store, site := offlineDraftingSite(t)
	ctx := context.Background()
	newExperiment := func(name string, texts ...string) experiments.Experiment {
		t.Helper()
		var vs []experiments.Variant
		for _, s := range texts {
			vs = append(vs, experiments.Variant{Text: s})
		}
		x, err := store.CreateExperiment(ctx, experiments.Experiment{SiteID: site.ID, Name: name, Page: "/", Selector: `[data-copylab="hero"]`,
			Goal: experiments.Goal{Type: experiments.GoalClick, Selector: "#signup"}, CoverageBP: 10000, Variants: vs})
		if err != nil {
			t.Fatal(err)
		}
		return x
	}
	// The original stays short: the brief holds it to the element's
	// length.
	draft := newExperiment("Hero drafts", "Project management for busy teams", unbrokenCopy)
	running := newExperiment("Hero running", "Project management for busy teams", unbrokenCopy)
	running, err := store.Transition(ctx, running.ID, experiments.ActionStart)
	if err != nil {
		t.Fatal(err)
	}
	exceptions := browsertest.Exceptions(t, tab)

	// fits checks the page as it is at each width: the document is no
	// wider than the window.
	fits := func(t *testing.T, what string) {
		t.Helper()
		for _, width := range []int64{1280, 375} {
			if err := chromedp.Do(tab, chromedp.EmulateViewport(width, 900)); err != nil {
				t.Fatal(err)
			}
			// Reading the widths lays the page out at the new size first.
			got, err := chromedp.Run(tab, chromedp.Evaluate[[]int](`[document.documentElement.scrollWidth, window.innerWidth]`))
			if err != nil {
				t.Fatal(err)
			}
			if got[0] > got[1] {
				t.Errorf("%s at %d px: the page is %d px wide in a %d px window, so it scrolls sideways", what, width, got[0], got[1])
			}
		}
	}

	signInTab(t, tab, base+"/login?next=/experiments/"+draft.ID+"/generate", "ann@example.com", chromedp.EmulateViewport(1280, 900))
	t.Run("drafting", func(t *testing.T) {
		// The offline drafts come at once; a minute is room for a busy
		// machine, and a wait that fails says so before the tab's time runs
		// out.
		wait, cancel := context.WithTimeout(tab, time.Minute)
		defer cancel()
		if err := chromedp.Do(wait, chromedp.WaitVisible(chromedp.CSS("#brief-form")),
			chromedp.SendKeys(chromedp.CSS("#f-product"), "Acme Boards, a kanban tool"),
			chromedp.Click(chromedp.CSS("#brief-submit")),
			chromedp.WaitVisible(chromedp.CSS(`#generation[data-state="done"] #draft-0`))); err != nil {
			t.Fatal(err)
		}
		fits(t, "the drafts")
		// Typed as a person types it: the value changes and the draft's
		// input handlers (the count, the "edited" badge) run.
		typed := `(function () {
			var box = document.querySelector("#f-drafts-0-text");
			box.value = ` + strconv.Quote(unbrokenCopy) + `;
			box.dispatchEvent(new Event("input", {bubbles: true}));
		})()`
		if err := chromedp.Do(tab, chromedp.EmulateViewport(1280, 900), chromedp.Evaluate[chromedp.Void](typed)); err != nil {
			t.Fatal(err)
		}
		fits(t, "a long draft typed in")
		// Added to the experiment, the draft is refused (it is longer than
		// the element takes) and the server sends the page back with the
		// draft as typed: the layout now comes from the server's HTML.
		if _, err := chromedp.Run(wait, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS("[data-approve]")))); err != nil {
			t.Fatal(err)
		}
		got, err := chromedp.Run(tab, chromedp.Evaluate[string](`document.querySelector("#f-drafts-0-text").value`))
		if err != nil || got != unbrokenCopy {
			t.Fatalf("the refused draft came back as %q (%v), want it as typed", got, err)
		}
		fits(t, "the refused draft sent back")
	})

	for _, tc := range []struct{ name, path, wait string }{
		{"experiment draft", "/experiments/" + draft.ID, "#preview"},
		{"edit draft", "/experiments/" + draft.ID + "/edit", "#plan-estimate"},
		{"experiment running", "/experiments/" + running.ID, "h1"},
		{"results", "/experiments/" + running.ID + "/results", ".table-results"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if err := chromedp.Do(tab, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(base+tc.path),
				chromedp.WaitVisible(chromedp.CSS(tc.wait))); err != nil {
				t.Fatalf("%s: %v", tc.path, err)
			}
			fits(t, tc.name)
		})
	}
	if ex := exceptions(); len(ex) > 0 {
		t.Errorf("the pages threw: %v", ex)
	}
}
