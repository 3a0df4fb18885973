package app

import (
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
	if err := chromedp.Do(tab, chromedp.Navigate(live.base+"/experiments/"+x.ID+"/results"),
		chromedp.WaitVisible(chromedp.CSS("#results-trends"))); err != nil {
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
	// The panel polls every 5 seconds: within 8, it counts the visitors,
	// and the trends must follow it, well before their own refresh.
	deadline := time.Now().Add(8 * time.Second)
	for strings.TrimSpace(textOf("#results .stat-value")) == "0" {
		if time.Now().After(deadline) {
			t.Fatal("the panel did not count the visitors")
		}
		time.Sleep(100 * time.Millisecond)
	}
	deadline = time.Now().Add(3 * time.Second)
	for strings.Contains(textOf("#results-trends"), "No segments yet") {
		if time.Now().After(deadline) {
			t.Fatal("3 seconds after the panel counted the visitors, the segments still say \"No segments yet\"")
		}
		time.Sleep(100 * time.Millisecond)
	}
}
