package app

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"copylab/experiments"
	"copylab/experiments/recorders"
	"copylab/static/browsertest"
)

// TestSitePagesInBrowser lays out the sites list and a site's page in
// headless Chromium. On a phone (390 px) neither page scrolls sideways:
// a site that uses four recorders names them in a sentence, not in a
// badge that cannot wrap, and the sites list reads as cards, with each
// site's experiments and key on screen rather than in a sideways
// scroller. On a desktop, "Send a test message" says how it went inside
// the Notifications card the page comes back to, on screen.
func TestSitePagesInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	tab := browsertest.NewTab(t)                        // skips without Chromium, fails under CI
	live := serveLiveChanged(t, allowPrivateWebhooksOn) // its webhook receiver is on 127.0.0.1
	ctx := context.Background()
	if _, _, err := AddUser(ctx, live.store, "owner@example.com", "Owner", testPassword); err != nil {
		t.Fatal(err)
	}
	site, err := live.store.CreateSite(ctx, experiments.Site{Name: "Marketing site of the growth team", Domain: "www.a-rather-long-company-domain.example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := live.store.CreateSite(ctx, experiments.Site{Name: "Docs", Domain: "docs.example.com"}); err != nil {
		t.Fatal(err)
	}
	if _, err := live.store.UpdateSiteRecorders(ctx, site.ID, recorders.Settings{
		PostHog: &recorders.PostHog{Host: "https://eu.posthog.com", ProjectID: "12345"},
		Clarity: &recorders.Clarity{ProjectID: "k2x9p4q1"},
		Hotjar:  &recorders.Hotjar{SiteID: "1234567"},
		Custom:  "https://replay.example.com/sessions/{session_id}",
	}); err != nil {
		t.Fatal(err)
	}
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer hook.Close()
	if _, err := live.store.SetSiteWebhook(ctx, site.ID, hook.URL+"/hook"); err != nil {
		t.Fatal(err)
	}

	do := func(actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(tab, actions...); err != nil {
			t.Fatal(err)
		}
	}
	eval := func(js string) float64 {
		t.Helper()
		v, err := chromedp.Run(tab, chromedp.Evaluate[float64](js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		return v
	}
	signInTab(t, tab, live.base+"/login", "owner@example.com", chromedp.EmulateViewport(1280, 900))

	t.Run("on a phone", func(t *testing.T) {
		for _, path := range []string{"/sites", "/sites/" + site.ID} {
			do(chromedp.EmulateViewport(390, 844), chromedp.Navigate(live.base+path), chromedp.WaitVisible(chromedp.CSS("main h1")))
			if over := eval(`document.documentElement.scrollWidth - document.documentElement.clientWidth`); over > 0 {
				t.Errorf("%s scrolls %.0fpx sideways", path, over)
			}
		}
		// The list: no table scrolls in its box, and every cell of every
		// site is on screen.
		do(chromedp.Navigate(live.base+"/sites"), chromedp.WaitVisible(chromedp.CSS("main table tbody td")))
		if n := eval(`Array.from(document.querySelectorAll("main .table-wrap")).filter(b => b.scrollWidth > b.clientWidth).length`); n > 0 {
			t.Error("the sites list scrolls sideways in its box")
		}
		if n := eval(`(function () {
			var w = document.documentElement.clientWidth, out = 0;
			document.querySelectorAll("main table tbody td").forEach(function (td) {
				var r = td.getBoundingClientRect();
				if (r.width === 0 || r.left < 0 || r.right > w + 0.5) out++;
			});
			return out;
		})()`); n > 0 {
			t.Errorf("%.0f cells of the sites list lie off screen", n)
		}
	})

	t.Run("test message", func(t *testing.T) {
		do(chromedp.EmulateViewport(1280, 900), chromedp.Navigate(live.base+"/sites/"+site.ID),
			chromedp.WaitVisible(chromedp.CSS("#notifications form.inline button")))
		if _, err := chromedp.Run(tab, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS("#notifications form.inline button")))); err != nil {
			t.Fatal(err)
		}
		do(chromedp.WaitVisible(chromedp.CSS(".flash")))
		got, err := chromedp.Run(tab, chromedp.Evaluate[string](`(function () {
			var f = document.querySelector(".flash"), r = f.getBoundingClientRect();
			if (!f.closest("#notifications")) return "outside the card: " + f.textContent;
			if (r.top < 0 || r.bottom > innerHeight) return "off screen at " + Math.round(r.top) + "px: " + f.textContent;
			return f.textContent;
		})()`))
		if err != nil || got != "Test message sent to "+hook.Listener.Addr().String()+"." {
			t.Errorf("after Send a test message: %q (%v)", got, err)
		}
	})

	// A page of the site loads the tag from copylab, another origin: under
	// Chromium's default referrer policy the request names the page's
	// origin, without its path, and the site page says so.
	t.Run("tag status", func(t *testing.T) {
		shop := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			io.WriteString(w, `<!doctype html><html><head><script src="`+live.app.snippetURL(site.Key)+`"></script></head><body><h1>Pricing</h1></body></html>`)
		}))
		defer shop.Close()
		page := strings.TrimPrefix(shop.URL, "http://")
		if _, err := live.store.UpdateSite(ctx, experiments.Site{ID: site.ID, Name: site.Name, Domain: page, HideTimeoutMS: site.HideTimeoutMS}); err != nil {
			t.Fatal(err)
		}
		do(chromedp.Navigate(live.base+"/sites/"+site.ID), chromedp.WaitVisible(chromedp.CSS("#tag-status")))
		if got := eval(`document.querySelector("#tag-status").textContent.indexOf("Not seen yet")`); got < 0 {
			t.Error("the tag status does not start as Not seen yet")
		}
		do(chromedp.Navigate(shop.URL+"/pricing?email=a@b.example"), chromedp.WaitVisible(chromedp.CSS("h1")))
		if got := eval(`typeof window.copylab === "object" ? 1 : 0`); got != 1 {
			t.Fatal("the tag did not run on the page")
		}
		do(chromedp.Navigate(live.base+"/sites/"+site.ID), chromedp.WaitVisible(chromedp.CSS("#tag-status")))
		got, err := chromedp.Run(tab, chromedp.Evaluate[string](`document.querySelector("#tag-status").textContent.replace(/\s+/g, " ").trim()`))
		if err != nil {
			t.Fatal(err)
		}
		if want := "Tag loaded just now on " + shop.URL + "."; !strings.Contains(got, want) || strings.Contains(got, "pricing") {
			t.Errorf("tag status %q, want %q", got, want)
		}
	})
}
