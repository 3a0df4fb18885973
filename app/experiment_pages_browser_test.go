package app

import (
	"context"
	"encoding/json"
	"math"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/accessibility"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/chromedp"

	"copylab/app/simulate"
	"copylab/experiments"
	"copylab/static/browsertest"
)

// TestExperimentPagesLayout lays out the experiment pages in headless
// Chromium and measures them: what a screenshot would show, held as
// numbers. On a phone the experiments list shows every experiment's
// result without sideways scrolling, and stays a table to a screen
// reader; a link-styled button lines up with the text above it.
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

	signInTab(t, tab, live.base+"/login", "owner@example.com", chromedp.EmulateViewport(1280, 900))
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

	// On a phone each experiment reads as a card: the page does not
	// scroll sideways, the list's own box does not either, and each
	// experiment's result lies inside the screen. (The cells are found by
	// their column's header, "Result", as a screen reader finds them.)
	const resultCells = `(function () {
		var table = document.querySelector("main table"), col = -1;
		table.querySelectorAll("thead th").forEach(function (th, i) { if (th.textContent.trim() === "Result") col = i; });
		return Array.prototype.map.call(table.querySelectorAll("tbody tr"), function (tr) { return tr.children[col]; });
	})()`
	t.Run("experiments list on a phone", func(t *testing.T) {
		open(t, "/experiments", 390, 844, "main table tbody td")
		if over := eval(t, `document.documentElement.scrollWidth - document.documentElement.clientWidth`); over > 0 {
			t.Errorf("the page scrolls %.0fpx sideways", over)
		}
		if over := eval(t, `(function (w) { return w.scrollWidth - w.clientWidth; })(document.querySelector("main table").parentElement)`); over > 0 {
			t.Errorf("the list scrolls %.0fpx sideways in its box", over)
		}
		outside, err := chromedp.Run(tab, chromedp.Evaluate[[]string](`(function (cells) {
			var out = [], w = document.documentElement.clientWidth;
			if (cells.length !== 2) out.push(cells.length + " result cells, want 2");
			cells.forEach(function (td) {
				var r = td.getBoundingClientRect();
				if (r.width === 0 || r.height === 0 || r.left < 0 || r.right > w || td.scrollWidth > td.clientWidth)
					out.push(JSON.stringify(td.innerText) + " at " + Math.round(r.left) + "–" + Math.round(r.right) + "px of " + w);
			});
			return out;
		})(`+resultCells+`)`))
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range outside {
			t.Errorf("a result out of view: %s", o)
		}
		// What a screen reader meets: a table, the Result column's header,
		// and the rows and cells of it.
		for sel, want := range map[string]string{
			"main table":                       "table",
			"main table thead th:nth-child(7)": "columnheader",
			"main table tbody tr":              "row",
			"main table tbody td:nth-child(7)": "cell",
		} {
			if got := axRole(t, tab, sel); got != want {
				t.Errorf("%s is a %q to a screen reader, want %q", sel, got, want)
			}
		}
		if h := eval(t, `document.querySelector("main table thead th:nth-child(7)").textContent.trim() === "Result" ? 1 : 0`); h != 1 {
			t.Error("the seventh column is not Result")
		}
	})

	// On a desktop the list stays a plain table, its header in sight.
	t.Run("experiments list on a desktop", func(t *testing.T) {
		open(t, "/experiments", 1280, 900, "main table tbody td")
		if h := eval(t, `document.querySelector("main table thead").getBoundingClientRect().height`); h < 20 {
			t.Errorf("the header row is %.0fpx high", h)
		}
		if d := eval(t, `getComputedStyle(document.querySelector("main table tbody tr")).display === "table-row" ? 1 : 0`); d != 1 {
			t.Error("the rows are not table rows")
		}
	})
}

// axRole is the role Chromium gives the first element at sel in its
// accessibility tree, or "ignored" when it leaves it out.
func axRole(t *testing.T, tab context.Context, sel string) string {
	t.Helper()
	ids, err := chromedp.Run(tab, chromedp.QueryNodeIDs(chromedp.CSS(sel)))
	if err != nil || len(ids) == 0 {
		t.Fatalf("%s: %v", sel, err)
	}
	no := false
	res, err := chromedp.Run(tab, func(ctx context.Context, tg *chromedp.Target) (accessibility.GetPartialAXTreeResult, error) {
		return cdp.Call(ctx, tg, accessibility.GetPartialAXTree, accessibility.GetPartialAXTreeParams{NodeID: ids[0], FetchRelatives: &no})
	})
	if err != nil || len(res.Nodes) == 0 {
		t.Fatalf("%s: accessibility node: %v", sel, err)
	}
	n := res.Nodes[0]
	if n.Ignored {
		return "ignored"
	}
	var role string
	if n.Role != nil {
		_ = json.Unmarshal(n.Role.Value, &role)
	}
	return strings.TrimSpace(role)
}
