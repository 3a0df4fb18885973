package app

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"copylab/experiments"
	"copylab/experiments/recorders"
	"copylab/static/browsertest"
)

// resultsFitJS lists what does not fit a results page at the tab's width:
// the page scrolling sideways, an element of <main> past the screen's
// edge (what lies inside a .table-wrap is left to it, though the box
// itself must fit: TestPhonePagesFitBrowser checks that nothing inside
// scrolls either), a chart's
// box that scrolls or a chart wider than its box, and axis labels clipped
// by their chart or shrunk below minPx on screen.
const resultsFitJS = `function (minPx) {
	var w = document.documentElement.clientWidth, out = [];
	var name = function (el) { return el.tagName.toLowerCase() + (el.id ? "#" + el.id : "") + "." + String(el.className.baseVal !== undefined ? el.className.baseVal : el.className).trim().replace(/\s+/g, "."); };
	if (document.documentElement.scrollWidth > w) out.push("the page scrolls " + (document.documentElement.scrollWidth - w) + " px sideways");
	var off = []; // the outermost elements off screen: their insides are not listed again
	document.querySelectorAll("main *").forEach(function (el) {
		if (el.closest(".table-wrap") && !el.classList.contains("table-wrap")) return;
		if (el.closest(".hint-text")) return; // shown on hover only, placed for it
		if (off.some(function (o) { return o.contains(el); })) return;
		var r = el.getBoundingClientRect();
		if (r.width > 0 && (r.right > w + 0.5 || r.left < -0.5)) {
			off.push(el);
			out.push(name(el) + " runs from " + Math.round(r.left) + " to " + Math.round(r.right) + " px");
		}
	});
	document.querySelectorAll(".chart-box").forEach(function (box) {
		if (box.scrollWidth > box.clientWidth) out.push("a chart's box scrolls " + (box.scrollWidth - box.clientWidth) + " px sideways");
		var svg = box.querySelector("svg"), b = box.getBoundingClientRect(), s = svg.getBoundingClientRect();
		if (s.right > b.right + 0.5 || s.left < b.left - 0.5) out.push(name(svg) + " runs " + Math.round(s.right - b.right) + " px past its box");
		var vb = svg.viewBox.baseVal, scale = s.width / vb.width;
		svg.querySelectorAll("text").forEach(function (t) {
			var bb = t.getBBox(), px = parseFloat(getComputedStyle(t).fontSize) * scale;
			if (bb.x < vb.x - 0.5 || bb.x + bb.width > vb.x + vb.width + 0.5) out.push("the label " + JSON.stringify(t.textContent) + " is cut off by its chart");
			if (px < minPx) out.push("the label " + JSON.stringify(t.textContent) + " is " + px.toFixed(1) + " px on screen");
		});
	});
	return out;
}`

// TestResultsFitPhoneBrowser: in Chromium, the pages that show a running
// test's results (its experiment page, its full results page, its share
// page and their recordings pages) fit a phone's 390 px, and the narrowest
// phones' 320: nothing scrolls
// sideways, neither the page nor a chart, whose axis labels stay whole and
// readable (at least 9 px on screen; 11 on a desktop). Before, each chart
// kept a width of 416 px and ran 57 px past the screen inside a box that
// scrolled. With COPYLAB_REVIEW_SHOTS=DIR it saves each page at each width
// there, for a person to look at.
func TestResultsFitPhoneBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	tab := browsertest.NewTab(t) // skips without Chromium, fails under CI
	live := serveLive(t)
	live.ownerToken(t, "phone")
	site, x := startPricingHero(t, live, "example.com")
	// Two weeks of traffic: both charts drawn over days, segments, a
	// verdict. (Three weeks' labels reach nearer the right edge.)
	start := time.Now().UTC().AddDate(0, 0, -20).Truncate(24 * time.Hour)
	bulkResults(t, live.store, site, x, bulkSpec{Events: 30_000, Start: start, Days: 21, Seed: 11,
		Rates: map[string]float64{"control": 0.08, "b": 0.086, "c": 0.081}, Effect: lovedInUSAndIndia})
	exceptions := browsertest.Exceptions(t, tab)
	signInTab(t, tab, live.base+"/login", "owner@example.com", chromedp.EmulateViewport(1280, 900))
	shots := os.Getenv("COPYLAB_REVIEW_SHOTS")

	for _, tc := range []struct{ name, path, wait string }{
		{"experiment", "/experiments/" + x.ID, "#results"},
		{"results", "/experiments/" + x.ID + "/results", ".chart-svg"},
		{"share", "/r/" + x.ShareToken, ".chart-svg"},
		{"recordings", "/experiments/" + x.ID + "/recordings", "#recordings"},
		{"share-recordings", "/r/" + x.ShareToken + "/recordings", "#recordings"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, w := range []int64{320, 390, 1280} {
				minPx := 9.0
				if w > 760 {
					minPx = 11
				}
				if err := chromedp.Do(tab, chromedp.EmulateViewport(w, 844), chromedp.Navigate(live.base+tc.path),
					chromedp.WaitVisible(chromedp.CSS(tc.wait))); err != nil {
					t.Fatal(err)
				}
				problems, err := chromedp.Run(tab, chromedp.Evaluate[[]string]("("+resultsFitJS+")("+strconv.FormatFloat(minPx, 'f', -1, 64)+")"))
				if err != nil {
					t.Fatal(err)
				}
				for _, p := range problems {
					t.Errorf("at %d px: %s", w, p)
				}
				if shots != "" {
					saveShot(t, tab, shots, tc.name+"-"+strconv.FormatInt(w, 10)+".png", chromedp.FullScreenshot(100))
					if tc.wait == ".chart-svg" { // and the charts alone, closer
						saveShot(t, tab, shots, tc.name+"-charts-"+strconv.FormatInt(w, 10)+".png",
							chromedp.Screenshot(chromedp.CSS(`section[aria-labelledby="over-time"]`)))
					}
				}
			}
		})
	}
	if ex := exceptions(); len(ex) > 0 {
		t.Errorf("the pages threw: %v", ex)
	}
}

// shopWithPostHog makes the site "Shop" at domain, recorded with PostHog.
func shopWithPostHog(t *testing.T, live *liveApp, domain string) experiments.Site {
	t.Helper()
	ctx := context.Background()
	site, err := live.store.CreateSite(ctx, experiments.Site{Name: "Shop", Domain: domain})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := live.store.UpdateSiteRecorders(ctx, site.ID, recorders.Settings{
		PostHog: &recorders.PostHog{Host: "https://eu.posthog.com", ProjectID: "12345"},
	}); err != nil {
		t.Fatal(err)
	}
	return site
}

// startPricingHero starts "Pricing hero" (the original and two variants)
// on a new site "Shop" at domain that records with PostHog.
func startPricingHero(t *testing.T, live *liveApp, domain string) (experiments.Site, experiments.Experiment) {
	t.Helper()
	ctx := context.Background()
	site := shopWithPostHog(t, live, domain)
	x, err := live.store.CreateExperiment(ctx, experiments.Experiment{SiteID: site.ID, Name: "Pricing hero", Page: "/pricing",
		Selector: `[data-copylab="hero"]`, Goal: experiments.Goal{Type: experiments.GoalClick, Selector: "#buy"}, CoverageBP: 10000,
		Variants: []experiments.Variant{{Text: "Simple pricing for growing teams"}, {Text: "Pay for what you ship"}, {Text: "Pricing that grows with you"}}})
	if err != nil {
		t.Fatal(err)
	}
	if x, err = live.store.Transition(ctx, x.ID, experiments.ActionStart); err != nil {
		t.Fatal(err)
	}
	return site, x
}
