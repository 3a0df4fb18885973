package app

import (
	"fmt"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"copylab/experiments"
	"copylab/static/browsertest"
)

// setLiveCounts writes the variant counts of x straight into the live
// app's store, as the ingester would have summed them.
func setLiveCounts(t *testing.T, live *liveApp, x experiments.Experiment, counts ...[2]int64) {
	t.Helper()
	for i, c := range counts {
		if _, err := live.store.Writer().Exec(`insert into variant_counts (experiment_id, variant, exposures, conversions, applied, missed)
			values (?, ?, ?, ?, ?, 0) on conflict do update set exposures = excluded.exposures, conversions = excluded.conversions, applied = excluded.applied`,
			x.ID, x.Variants[i].Key, c[0], c[1], c[0]); err != nil {
			t.Fatal(err)
		}
	}
}

// TestResultsPollQuietBrowser: the results panel polls every five seconds,
// but a poll that brings the same results swaps nothing, so the
// broken-split banner is not inserted anew (a screen reader re-read it at
// each swap, the audit found, since it was role=alert); only the
// "Updated" time moves. New counts still swap the panel, and the banner is
// never an alert.
func TestResultsPollQuietBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	tab := browsertest.NewTab(t)
	live := serveLive(t)
	live.ownerToken(t, "a11y4")
	_, x := startPricingHero(t, live, "example.com")
	setLiveCounts(t, live, x, [2]int64{10000, 500}, [2]int64{8000, 400}, [2]int64{10000, 500})
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
	const updated = `document.querySelector("#results .updated").textContent.trim()`
	if err := chromedp.Do(tab, chromedp.Navigate(live.base+"/experiments/"+x.ID+"/results"),
		chromedp.WaitVisible(chromedp.CSS("#results .banner-danger")),
		chromedp.Evaluate[chromedp.Void](`window.a11y4Banner = document.querySelector("#results .banner-danger");
			window.a11y4Updated = `+updated)); err != nil {
		t.Fatal(err)
	}
	if n := eval(`String(document.querySelectorAll('#results [role="alert"]').length)`); n != "0" {
		t.Errorf("the results panel has %s role=alert, want none: a polled panel re-announces it", n)
	}
	// A poll with the same counts: the "Updated" time moves, the banner
	// stays the same node.
	if _, err := chromedp.Run(tab, chromedp.Poll[bool](updated+` !== window.a11y4Updated`,
		chromedp.WithPollingTimeout(15*time.Second))); err != nil {
		t.Fatalf("the panel's Updated time did not move: %v", err)
	}
	if eval(`String(window.a11y4Banner.isConnected)`) != "true" {
		t.Errorf("a poll with unchanged results inserted the broken-split banner anew")
	}
	// New counts: the panel is swapped, with them.
	setLiveCounts(t, live, x, [2]int64{10100, 505}, [2]int64{8000, 400}, [2]int64{10000, 500})
	if _, err := chromedp.Run(tab, chromedp.Poll[bool](`!window.a11y4Banner.isConnected &&
		document.querySelector("#results .stat-value").textContent.trim() === "28,100"`,
		chromedp.WithPollingTimeout(15*time.Second))); err != nil {
		t.Errorf("new counts did not refresh the panel: %v (%s)", err, eval(`document.querySelector("#results .stat-value").textContent`))
	}
	if ex := exceptions(); len(ex) > 0 {
		t.Errorf("the page threw: %v", ex)
	}
}

// TestTrendsSummaryFocusSurvivesRefreshBrowser: a keyboard user on a
// <summary> of the charts and segments (a chart's "Data table", a
// segment) keeps the focus on it, and its details keep their state,
// across the trends' refresh (htmx swaps #results-trends every 30 s). The
// audit found the focus fell to the body: the summaries had no id, so
// app.js could not find the new one.
func TestTrendsSummaryFocusSurvivesRefreshBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	tab, live, x, exceptions, eval := a11y4ResultsTab(t)
	const where = `document.activeElement ? document.activeElement.outerHTML.slice(0, 120) : ""`
	for _, tc := range []struct {
		name, details string
		open          bool
	}{
		{"rate data table, open", "#rate-data", true},
		{"visit data table, closed", "#visit-data", false},
		{"device segment, open", "#seg-device", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			sel := tc.details + " > summary"
			if err := chromedp.Do(tab, chromedp.Navigate(live.base+"/experiments/"+x.ID+"/results"),
				chromedp.WaitVisible(chromedp.CSS(sel)),
				chromedp.Evaluate[chromedp.Void](fmt.Sprintf(`document.querySelector(%q).open = %v`, tc.details, tc.open)),
				chromedp.Focus(chromedp.CSS(sel)),
				chromedp.Evaluate[chromedp.Void](`document.getElementById("results-trends").a11y4Mark = 1`),
				// The 30-second poll, now.
				chromedp.Evaluate[chromedp.Void](`htmx.ajax("GET", document.getElementById("results-trends").getAttribute("hx-get"),
					{source: "#results-trends", target: "#results-trends", swap: "outerHTML"})`)); err != nil {
				t.Fatal(err)
			}
			if _, err := chromedp.Run(tab, chromedp.Poll[bool](`!document.getElementById("results-trends").a11y4Mark`,
				chromedp.WithPollingTimeout(10*time.Second))); err != nil {
				t.Fatalf("the trends did not refresh: %v", err)
			}
			back := fmt.Sprintf(`document.activeElement === document.querySelector(%q) &&
				document.querySelector(%q).open === %v`, sel, tc.details, tc.open)
			if _, err := chromedp.Run(tab, chromedp.Poll[bool](back, chromedp.WithPollingTimeout(3*time.Second))); err != nil {
				t.Errorf("after the refresh the focus is on %s (open: %s), want %s, open %v", eval(where),
					eval(fmt.Sprintf(`String(document.querySelector(%q).open)`, tc.details)), sel, tc.open)
			}
		})
	}
	if ex := exceptions(); len(ex) > 0 {
		t.Errorf("the page threw: %v", ex)
	}
}
