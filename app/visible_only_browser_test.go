package app

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"copylab/static/browsertest"
)

// TestVisibleOnlyInBrowser: an experiment created through the API with
// visible_only on, tested on an element far below the fold, counts nobody
// while the visitor stays at the top of the page, and counts them once
// when they scroll to it, however often they scroll back. A second
// experiment on the headline, an ordinary one, is the witness: its
// exposure leaves in the same batch as the page load's events, and its
// conversion (a click at the top after scrolling) in the batch after the
// scrolls, so waiting for each to count waits for everything the tag sent
// until then, with no fixed sleep.
func TestVisibleOnlyInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	tab := browsertest.NewTab(t) // skips without Chromium, fails under CI
	live := serveLive(t)
	token := live.ownerToken(t, "visible-only")

	site := live.call(t, "POST", "/api/v1/sites", token, `{"name":"Shop","domain":"shop.example.com"}`, 201)
	siteID, siteKey := site["id"].(string), site["key"].(string)
	newExperiment := func(name, selector, visible string) string {
		t.Helper()
		x := live.call(t, "POST", "/api/v1/experiments", token, fmt.Sprintf(`{"site_id":%q,"name":%q,"page":"/pricing",
			"selector":%q,"goal":{"type":"click","selector":"#buy"},"visible_only":%s,
			"variants":[{"text":"Original"},{"text":"Variant"}]}`, siteID, name, selector, visible), 201)
		if x["visible_only"] != (visible == "true") {
			t.Fatalf("%s: visible_only %v, want %s", name, x["visible_only"], visible)
		}
		id := x["id"].(string)
		live.call(t, "POST", "/api/v1/experiments/"+id+"/start", token, "", 200)
		return id
	}
	faq := newExperiment("FAQ heading", `[data-copylab="faq"]`, "true")
	hero := newExperiment("Headline", `[data-copylab="hero"]`, "false")

	host := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprintf(w, `<!doctype html><html><head><meta charset="utf-8"><title>Pricing</title>
<script src="%s/s/%s.js"></script></head>
<body style="margin:0"><h1 data-copylab="hero">Original</h1><button id="buy">Buy now</button>
<div style="height:4000px"></div><h2 data-copylab="faq">Original</h2><div style="height:4000px"></div></body></html>`, live.base, siteKey)
	}))
	defer host.Close()

	// totals reads an experiment's exposures and conversions from the
	// results API, over all its variants.
	totals := func(id string) (exposures, conversions float64) {
		t.Helper()
		res := live.call(t, "GET", "/api/v1/experiments/"+id+"/results", token, "", 200)
		for _, v := range res["variants"].([]any) {
			v := v.(map[string]any)
			exposures += v["exposures"].(float64)
			conversions += v["conversions"].(float64)
		}
		return exposures, conversions
	}
	// waitFor polls until an experiment has counted these totals; the tag
	// batches its events for up to a second.
	waitFor := func(what, id string, exposures, conversions float64) {
		t.Helper()
		for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(100 * time.Millisecond) {
			e, c := totals(id)
			if e == exposures && c == conversions {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: %v exposures and %v conversions, want %v and %v", what, e, c, exposures, conversions)
			}
		}
	}
	run := func(js string) {
		t.Helper()
		if _, err := chromedp.Run(tab, chromedp.Evaluate[any](js, chromedp.EvalAwaitPromise)); err != nil {
			t.Fatalf("%s: %v", js, err)
		}
	}
	// A frame after a scroll, the page's IntersectionObservers have looked.
	const frames = `new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))`

	if err := browsertest.AsPerson(tab); err != nil {
		t.Fatal(err)
	}
	exceptions := browsertest.Exceptions(t, tab)
	if err := chromedp.Do(tab, chromedp.EmulateViewport(1280, 800), chromedp.Navigate(host.URL+"/pricing"),
		chromedp.WaitVisible(chromedp.CSS("#buy"))); err != nil {
		t.Fatal(err)
	}
	run(frames)
	// The page load's batch has arrived: the headline's exposure, and no
	// exposure for the FAQ heading, whose copy is set all the same.
	waitFor("the headline after the page load", hero, 1, 0)
	if e, _ := totals(faq); e != 0 {
		t.Fatalf("the FAQ heading, below the fold, counted %v exposures on load", e)
	}
	if got, err := chromedp.Run(tab, chromedp.Evaluate[string](`document.querySelector('[data-copylab="faq"]').textContent`)); err != nil || got == "" {
		t.Fatalf("the FAQ heading's copy: %q (%v)", got, err)
	}

	run(`document.querySelector('[data-copylab="faq"]').scrollIntoView()`)
	waitFor("the FAQ heading scrolled into view", faq, 1, 0)

	// Back to the top and down again, then a click on the goal at the top:
	// still one exposure.
	run(`scrollTo(0, 0)`)
	run(frames)
	run(`document.querySelector('[data-copylab="faq"]').scrollIntoView()`)
	run(frames)
	run(`scrollTo(0, 0)`)
	if err := chromedp.Do(tab, chromedp.Click(chromedp.CSS("#buy"))); err != nil {
		t.Fatal(err)
	}
	waitFor("the headline after the click", hero, 1, 1)
	waitFor("the FAQ heading seen twice and the click", faq, 1, 1)
	if ex := exceptions(); len(ex) > 0 {
		t.Errorf("the page threw: %v", ex)
	}
}
