package app

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"copylab/experiments"
	"copylab/static/browsertest"
)

// headingRectsJS lists the boxes of the page's headings, lead lines and
// breadcrumbs, as "tag: left top width height", to compare the layout
// with and without their overflow-wrap.
const headingRectsJS = `Array.prototype.map.call(document.querySelectorAll("h1, h2, h3, .lead, .crumbs"), function (el) {
	var r = el.getBoundingClientRect();
	return el.tagName + "." + el.className + " " + JSON.stringify(el.textContent.trim().slice(0, 30)) + ": " +
		[r.left, r.top, r.width, r.height].map(Math.round).join(" ");
})`

// TestLongSiteNameFitsBrowser: a site named with 120 characters and no
// space (the longest name a site may have) does not widen its page at
// 320 px: the heading, the lead line and the breadcrumb break the name
// rather than run off the screen. Names with spaces wrap as before: on
// pages without long unbroken names the headings, lead lines and
// breadcrumbs lie where they would without overflow-wrap. Found by a
// fresh-eyes review: the site page was 1660 px wide at 320 px.
func TestLongSiteNameFitsBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	tab := browsertest.NewTab(t) // skips without Chromium, fails under CI
	live := serveLive(t)
	live.ownerToken(t, "a11y")
	ctx := context.Background()
	long, err := live.store.CreateSite(ctx, experiments.Site{Name: strings.Repeat("Acme", experiments.MaxNameLen/4), Domain: "example.org"})
	if err != nil {
		t.Fatal(err)
	}
	site, x := startPricingHero(t, live, "example.com")
	exceptions := browsertest.Exceptions(t, tab)
	signInTab(t, tab, live.base+"/login", "owner@example.com", chromedp.EmulateViewport(320, 640))

	if err := chromedp.Do(tab, chromedp.EmulateViewport(320, 640), chromedp.Navigate(live.base+"/sites/"+long.ID),
		chromedp.WaitVisible(chromedp.CSS("h1"))); err != nil {
		t.Fatal(err)
	}
	if w, err := chromedp.Run(tab, chromedp.Evaluate[[]int](`[document.documentElement.scrollWidth, window.innerWidth]`)); err != nil {
		t.Fatal(err)
	} else if w[0] > w[1] {
		t.Errorf("the page of a site with a 120-character name is %d px wide at %d px", w[0], w[1])
	}
	problems, err := chromedp.Run(tab, chromedp.Evaluate[[]string](narrowFitJS))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		// Only the name's own lines: the rest of the page is
		// TestNarrowPagesFitBrowser's.
		if strings.Contains(p, "AcmeAcme") && (strings.Contains(p, "h1") || strings.Contains(p, "lead") || strings.Contains(p, "crumbs")) {
			t.Errorf("at 320 px: %s", p)
		}
	}

	// The same layout with and without the rule where no name needs it.
	const normal = `(function () { var s = document.createElement("style"); s.id = "a11y2-normal";
		s.textContent = "h1, h2, h3, .lead, .crumbs { overflow-wrap: normal !important; }"; document.head.appendChild(s); })()`
	for _, w := range []int64{320, 390, 1280} {
		for _, path := range []string{"/sites/" + site.ID, "/experiments/" + x.ID, "/experiments/" + x.ID + "/results", "/settings", "/users", "/sites"} {
			if err := chromedp.Do(tab, chromedp.EmulateViewport(w, 800), chromedp.Navigate(live.base+path), chromedp.WaitVisible(chromedp.CSS("h1"))); err != nil {
				t.Fatal(err)
			}
			with, err := chromedp.Run(tab, chromedp.Evaluate[[]string](headingRectsJS))
			if err != nil {
				t.Fatal(err)
			}
			without, err := chromedp.Run(tab, chromedp.Evaluate[[]string](`(`+normal+`, `+headingRectsJS+`)`))
			if err != nil {
				t.Fatal(err)
			}
			if len(with) != len(without) {
				t.Fatalf("%s: %d headings, then %d", path, len(with), len(without))
			}
			for i := range with {
				if with[i] != without[i] {
					t.Errorf("%s at %d px: %s, without overflow-wrap %s", path, w, with[i], without[i])
				}
			}
		}
	}
	if ex := exceptions(); len(ex) > 0 {
		t.Errorf("the pages threw: %v", ex)
	}
}
