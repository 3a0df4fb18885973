package app

import (
	"context"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"copylab/experiments"
	"copylab/static/browsertest"
)

// headlessUA is what headless Chromium calls itself: a bot's user agent.
const headlessUA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/126.0.0.0 Safari/537.36"

// TestDemoClickNoteBrowser: the note under the demo page's button says
// what copylab did with the click, and the stored counts agree: counted
// for the headline the visitor saw, not counted again for the same
// visitor, and not counted at all for an automated browser (told by its
// user agent or by navigator.webdriver) or in a preview.
func TestDemoClickNoteBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("a browser test")
	}
	ctx := context.Background()
	live := serveLive(t)
	owner, _, err := AddUser(ctx, live.store, "owner@example.com", "Owner", testPassword)
	if err != nil {
		t.Fatal(err)
	}
	if err := live.app.createDemo(ctx, owner.ID); err != nil {
		t.Fatal(err)
	}
	demo, ok, err := live.app.demoExperiment(ctx)
	if err != nil || !ok {
		t.Fatalf("demo: %v %v", ok, err)
	}
	labels := map[string]string{DemoHeadline: "Original", demoVariants[0]: "Variant B", demoVariants[1]: "Variant C"}

	counts := func(t *testing.T) (conversions, bots int64) {
		t.Helper()
		c, err := live.store.Counts(ctx, demo)
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range c.Variants {
			conversions += v.Conversions
		}
		return conversions, c.Bots
	}
	// waitCounts waits for the tag's send (a second after the first
	// event) to reach the counts, or returns them as they are after 30 s
	// (a busy machine may take a while over the send and its storing: the
	// browser's timer, the POST, the ingest writer's batch and its commit
	// under -race, beside other browsers). A send that lands after the
	// wait would also throw the next subtest's starting counts off.
	waitCounts := func(t *testing.T, conversions, bots int64) (int64, int64) {
		t.Helper()
		var c, b int64
		for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
			if c, b = counts(t); c == conversions && b == bots {
				break
			}
		}
		return c, b
	}
	// click opens the page, clicks the button, and returns the headline
	// shown, the note's words and whether the note says it counted.
	click := func(t *testing.T, tab context.Context, url string) (headline, note, counted string) {
		t.Helper()
		if err := chromedp.Do(tab, chromedp.Navigate(url), chromedp.WaitVisible(chromedp.CSS("h1")),
			chromedp.Click(chromedp.CSS("#signup")), chromedp.WaitVisible(chromedp.CSS("#thanks"))); err != nil {
			t.Fatalf("%s: %v", url, err)
		}
		headline, err := chromedp.Run(tab, chromedp.Text(chromedp.CSS(`[data-copylab="hero"]`)))
		if err != nil {
			t.Fatal(err)
		}
		note, err = chromedp.Run(tab, chromedp.Evaluate[string](`(() => {
			const box = document.getElementById("thanks"), shown = [...box.querySelectorAll("p:not([hidden])")];
			return (shown.length ? shown.map((p) => p.textContent).join(" | ") : box.textContent).replace(/\s+/g, " ").trim();
		})()`))
		if err != nil {
			t.Fatal(err)
		}
		counted, err = chromedp.Run(tab, chromedp.Evaluate[string](`document.getElementById("thanks").dataset.counted || ""`))
		if err != nil {
			t.Fatal(err)
		}
		return strings.TrimSpace(headline), note, counted
	}
	notCounted := func(t *testing.T, note, counted string, want ...string) {
		t.Helper()
		if counted != "no" || !strings.Contains(note, "This click is not counted") || strings.Contains(note, "counts as a conversion") {
			t.Errorf("note %q (counted %q), want one that says the click is not counted", note, counted)
		}
		for _, w := range want {
			if !strings.Contains(note, w) {
				t.Errorf("note %q does not say %q", note, w)
			}
		}
	}

	t.Run("a person: counted once, for the headline they saw", func(t *testing.T) {
		tab := browsertest.NewTab(t)
		if err := browsertest.AsPerson(tab); err != nil {
			t.Fatal(err)
		}
		headline, note, counted := click(t, tab, live.base+"/demo")
		label, ok := labels[headline]
		if !ok {
			t.Fatalf("headline %q is none of the demo's", headline)
		}
		want := "Thanks! That click counts as a conversion for the headline you saw (" + label + ")."
		if counted != "yes" || !strings.HasPrefix(note, want) {
			t.Errorf("note %q (counted %q), want it to start %q", note, counted, want)
		}
		if c, b := waitCounts(t, 1, 0); c != 1 || b != 0 {
			t.Fatalf("after the click: %d conversions, %d bots; want 1, 0", c, b)
		}
		// The same visitor again, on a new page view: one conversion per visitor.
		_, note, counted = click(t, tab, live.base+"/demo")
		notCounted(t, note, counted, "one conversion per visitor")
		time.Sleep(1500 * time.Millisecond) // past the tag's send
		if c, b := counts(t); c != 1 || b != 0 {
			t.Errorf("after the second click: %d conversions, %d bots; want 1, 0", c, b)
		}
	})

	for _, tt := range []struct {
		name      string
		ua        string // "" leaves headless Chromium's own
		webdriver bool
	}{
		{"headless Chromium as it is", "", true},
		{"a bot's user agent only", headlessUA, false},
		{"navigator.webdriver only", browsertest.PersonUserAgent, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tab := browsertest.NewTab(t)
			if tt.ua != "" {
				if _, err := chromedp.Call(tab, emulation.SetUserAgentOverride, emulation.SetUserAgentOverrideParams{UserAgent: tt.ua}); err != nil {
					t.Fatal(err)
				}
			}
			if !tt.webdriver {
				if _, err := chromedp.Call(tab, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{
					Source: `Object.defineProperty(Navigator.prototype, "webdriver", {get: () => false})`,
				}); err != nil {
					t.Fatal(err)
				}
			}
			conv, bots := counts(t)
			_, note, counted := click(t, tab, live.base+"/demo")
			notCounted(t, note, counted, "automated", "leaves bots out")
			// copylab saw the visit and left it out, as the note says.
			if c, b := waitCounts(t, conv, bots+1); c != conv || b != bots+1 {
				t.Errorf("after the click: %d conversions, %d bots; want %d, %d", c, b, conv, bots+1)
			}
		})
	}

	t.Run("a preview counts nothing, in the tab until it is left", func(t *testing.T) {
		tab := browsertest.NewTab(t)
		if err := browsertest.AsPerson(tab); err != nil {
			t.Fatal(err)
		}
		conv, bots := counts(t)
		for _, path := range []string{"/demo?copylab=" + demo.ID + ":b", "/demo"} {
			headline, note, counted := click(t, tab, live.base+path)
			// The QA build comes after the page (by import(), which the
			// load event does not wait for).
			if path != "/demo" && headline != demoVariants[0] {
				if _, err := chromedp.Run(tab, chromedp.Poll[bool](`document.querySelector('[data-copylab="hero"]').textContent.trim() == `+strconv.Quote(demoVariants[0]),
					chromedp.WithPollingTimeout(10*time.Second))); err != nil {
					t.Errorf("%s: headline %q, want Variant B's (%v)", path, headline, err)
				}
			}
			notCounted(t, note, counted, "this is a preview", "Leave the preview")
		}
		// Leaving the preview makes this tab a visitor like any other.
		_, note, counted := click(t, tab, live.base+"/demo?copylab=")
		if counted != "yes" || !strings.Contains(note, "counts as a conversion") {
			t.Errorf("after leaving the preview: note %q (counted %q)", note, counted)
		}
		if c, b := waitCounts(t, conv+1, bots); c != conv+1 || b != bots {
			t.Errorf("%d conversions, %d bots; want %d, %d", c, b, conv+1, bots)
		}
	})

	t.Run("no running demo: not counted", func(t *testing.T) {
		if _, err := live.store.Transition(ctx, demo.ID, experiments.ActionPause); err != nil {
			t.Fatal(err)
		}
		live.app.snippets.reset()
		tab := browsertest.NewTab(t)
		if err := browsertest.AsPerson(tab); err != nil {
			t.Fatal(err)
		}
		_, note, counted := click(t, tab, live.base+"/demo")
		notCounted(t, note, counted, "the demo experiment is not running")
	})
}
