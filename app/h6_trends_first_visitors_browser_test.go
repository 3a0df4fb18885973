package app

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"copylab/static/browsertest"
)

// TestH6TrendsFollowFirstVisitorsBrowser: when a test gets its first
// visitors, the charts and segments stop saying "No segments yet" as soon
// as the panel above them counts the visitors. Before, the panel refreshed
// every 5 seconds and the trends every 30: for up to 30 seconds the page
// said "300 visitors in the test" over "No visitors yet".
func TestH6TrendsFollowFirstVisitorsBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	tab := browsertest.NewTab(t)
	live := serveLive(t)
	live.ownerToken(t, "first")
	site, x := startPricingHero(t, live, "example.com")
	signInTab(t, tab, live.base+"/login", "owner@example.com", chromedp.EmulateViewport(1280, 900))
	// The page notes when the panel first counts visitors, and when it
	// asks for the trends (ms since the navigation): the trends must be
	// asked for as the panel counts, not at their own 30-second refresh.
	if err := chromedp.Do(tab, chromedp.Navigate(live.base+"/experiments/"+x.ID+"/results"),
		chromedp.WaitVisible(chromedp.CSS("#results-trends")),
		chromedp.Evaluate[chromedp.Void](`window.h6 = {counted: null, asked: []};
			document.addEventListener("htmx:beforeRequest", function (ev) {
				var elt = ev.detail && ev.detail.elt;
				if (elt && elt.id === "results-trends") window.h6.asked.push(performance.now());
			});
			document.addEventListener("htmx:afterSwap", function () {
				var r = document.getElementById("results");
				if (window.h6.counted === null && r && Number(r.getAttribute("data-visitors")) > 0) window.h6.counted = performance.now();
			});`)); err != nil {
		t.Fatal(err)
	}
	textOf := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(tab, chromedp.Evaluate[string](`document.querySelector(`+"\""+sel+"\""+`).textContent`))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	if !strings.Contains(textOf("#results-trends"), "No segments yet") {
		t.Fatal("the trends of a test with no visitor do not say so")
	}
	bulkResults(t, live.store, site, x, bulkSpec{Events: 900, Start: time.Now().UTC().Truncate(24 * time.Hour), Days: 1, Seed: 5,
		Rates: map[string]float64{"control": 0.08, "b": 0.09, "c": 0.08}})
	// The panel polls every 5 seconds: it counts the visitors at its
	// next poll, whose answer a busy machine under -race may take
	// seconds to compute.
	deadline := time.Now().Add(20 * time.Second)
	for strings.TrimSpace(textOf("#results .stat-value")) == "0" {
		if time.Now().After(deadline) {
			t.Fatal("the panel did not count the visitors")
		}
		time.Sleep(100 * time.Millisecond)
	}
	// The trends follow: their answer is one more round trip, as slow as
	// the machine, so it is waited for; what says that it did not come
	// from their own 30-second refresh is the moment the page asked for
	// it, as the panel counted.
	deadline = time.Now().Add(20 * time.Second)
	for strings.Contains(textOf("#results-trends"), "No segments yet") {
		if time.Now().After(deadline) {
			t.Fatal("20 seconds after the panel counted the visitors, the segments still say \"No segments yet\"")
		}
		time.Sleep(100 * time.Millisecond)
	}
	type asked struct {
		Counted *float64  `json:"counted"`
		Asked   []float64 `json:"asked"`
	}
	h6, err := chromedp.Run(tab, chromedp.Evaluate[asked](`window.h6`))
	if err != nil {
		t.Fatal(err)
	}
	if h6.Counted == nil {
		t.Fatal("the page saw no swap of the panel that counts visitors")
	}
	t.Logf("the panel counted the visitors at %.0f ms; the trends were asked for at %.0f ms", *h6.Counted, h6.Asked)
	if !slices.ContainsFunc(h6.Asked, func(at float64) bool { return at >= *h6.Counted && at < *h6.Counted+2000 }) {
		t.Errorf("the trends were not asked for as the panel counted the visitors (panel at %.0f ms, trends asked at %.0f ms): they waited for their own refresh", *h6.Counted, h6.Asked)
	}
}
