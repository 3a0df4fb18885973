package app

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"golang.org/x/text/unicode/norm"

	"copylab/experiments"
	"copylab/experiments/chars"
	"copylab/static/browsertest"
)

// TestDraftCounterCountsAsServerBrowser: the drafting page's counter
// ("N / 70 characters") counts what a person sees as one character as
// one, in Chromium as on the server: a family emoji, a flag and an "ö"
// typed as o and a combining mark are one each (they are 7, 2 and 2 code
// points, which both counted before). A draft of them over the brief's
// length is refused by the server with the count the counter showed, and
// the page it sends back shows that count too.
func TestDraftCounterCountsAsServerBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	tab := browsertest.NewTab(t) // skips without Chromium, fails under CI
	base, store, site := offlineDraftingSite(t)
	ctx := context.Background()
	x, err := store.CreateExperiment(ctx, experiments.Experiment{SiteID: site.ID, Name: "Hero drafts", Page: "/", Selector: `[data-copylab="hero"]`,
		Goal: experiments.Goal{Type: experiments.GoalClick, Selector: "#signup"}, CoverageBP: 10000,
		Variants: []experiments.Variant{{Text: "Project management for busy teams"}}})
	if err != nil {
		t.Fatal(err)
	}
	exceptions := browsertest.Exceptions(t, tab)
	signInTab(t, tab, base+"/login?next=/experiments/"+x.ID+"/generate", "ann@example.com", chromedp.EmulateViewport(1280, 900))
	wait, cancel := context.WithTimeout(tab, time.Minute)
	defer cancel()
	if err := chromedp.Do(wait, chromedp.WaitVisible(chromedp.CSS("#brief-form")),
		chromedp.SendKeys(chromedp.CSS("#f-product"), "Acme Boards, a kanban tool"),
		chromedp.Click(chromedp.CSS("#brief-submit")),
		chromedp.WaitVisible(chromedp.CSS(`#generation[data-state="done"] #draft-0`))); err != nil {
		t.Fatal(err)
	}

	// typeDraft puts text in draft 1's box as a person types it (the
	// input handlers run) and returns the counter's words.
	typeDraft := func(t *testing.T, text string) string {
		t.Helper()
		js := `(function () {
			var box = document.querySelector("#f-drafts-0-text");
			box.value = ` + strconv.Quote(text) + `;
			box.dispatchEvent(new Event("input", {bubbles: true}));
			return document.querySelector("#f-drafts-0-text-count").textContent;
		})()`
		got, err := chromedp.Run(tab, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	nfdO := norm.NFD.String("ö")
	for _, tc := range []struct{ name, text string }{
		{"family", family},
		{"flag", flagDE},
		{"o and a combining mark", nfdO},
		{"all three", family + flagDE + nfdO},
	} {
		t.Run(tc.name, func(t *testing.T) {
			want := strconv.Itoa(chars.Count(tc.text)) + " / 70 characters"
			if got := typeDraft(t, tc.text); got != want {
				t.Errorf("the counter says %q, want %q as the server counts", got, want)
			}
		})
	}

	t.Run("refused by the server with the same count", func(t *testing.T) {
		long := strings.TrimSpace(strings.Repeat(family+flagDE+nfdO+" ", 20))
		if n := chars.Count(long); n != 79 {
			t.Fatalf("the long draft is %d characters, want 79", n)
		}
		if got := typeDraft(t, long); got != "79 / 70 characters" {
			t.Errorf("the counter says %q, want 79 / 70 characters", got)
		}
		if _, err := chromedp.Run(wait, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS("[data-approve]")))); err != nil {
			t.Fatal(err)
		}
		got, err := chromedp.Run(tab, chromedp.Evaluate[[]string](`[
			document.querySelector("#f-drafts-0-text-count").textContent,
			document.querySelector("#f-drafts-0-text-error").textContent]`))
		if err != nil {
			t.Fatal(err)
		}
		if got[0] != "79 / 70 characters" {
			t.Errorf("the page sent back counts %q, want 79 / 70 characters", got[0])
		}
		if !strings.Contains(got[1], "Draft 1 is 79 characters; the brief asks for at most 70.") {
			t.Errorf("the server says %q, want it to count 79", got[1])
		}
	})
	if ex := exceptions(); len(ex) > 0 {
		t.Errorf("the page threw: %v", ex)
	}
}
