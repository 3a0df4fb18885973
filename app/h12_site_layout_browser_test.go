package app

import (
	"context"
	"os"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"copylab/experiments"
	"copylab/static/browsertest"
)

// siteLeadJS is where the site page's "Experiments on this site" heading
// and its install card start, in px from the top of the page, whether
// the tag to paste is shown (checkVisibility: a closed <details> skips
// its content), and whether the install help has a summary to press.
const siteLeadJS = `(function () {
	var h = Array.prototype.find.call(document.querySelectorAll("h2"), function (e) { return e.textContent.trim() === "Experiments on this site"; });
	var tag = document.getElementById("tag"), install = document.getElementById("install");
	var top = function (e) { return e ? Math.round(e.getBoundingClientRect().top + window.scrollY) : -1; };
	return {top: top(h), install: top(install), tagShown: !!tag && tag.checkVisibility(),
		summary: !!document.querySelector("#install-help > summary")};
})()`

// TestSitePageExperimentsFirstBrowser: once the tag is installed, a
// site's experiments start within the first screen, on a desktop and on
// a phone, and the install help is folded away until its summary is
// pressed. Found by a review: they started 1659 px down on a desktop and
// 3266 px down on a phone, under the install card and the JavaScript API.
func TestSitePageExperimentsFirstBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	tab := browsertest.NewTab(t) // skips without Chromium, fails under CI
	live := serveLive(t)
	ctx := context.Background()
	if _, _, err := addUser(ctx, live.store, "owner@example.com", "", testPassword, 10); err != nil {
		t.Fatal(err)
	}
	shop, err := live.store.CreateSite(ctx, experiments.Site{Name: "Shop", Domain: "shop.example.com"})
	if err != nil {
		t.Fatal(err)
	}
	// A load a minute ago, as the tag's handler records it: Installed.
	at := time.Now().Add(-time.Minute).Unix()
	s := live.app.snippets.tags.of(shop.Key)
	s.last.Store(at)
	s.mu.Lock()
	s.pages[0] = tagPage{origin: "https://shop.example.com", at: at}
	s.mu.Unlock()

	signInTab(t, tab, live.base+"/login", "owner@example.com", chromedp.EmulateViewport(1280, 900))
	type lead struct {
		Top      int  `json:"top"`
		Install  int  `json:"install"`
		TagShown bool `json:"tagShown"`
		Summary  bool `json:"summary"`
	}
	shots := os.Getenv("COPYLAB_REVIEW_SHOTS")
	for _, size := range []struct {
		name          string
		width, height int64
	}{{"desktop", 1280, 900}, {"phone", 390, 844}} {
		if err := chromedp.Do(tab, chromedp.EmulateViewport(size.width, size.height), chromedp.Navigate(live.base+"/sites/"+shop.ID),
			chromedp.WaitVisible(chromedp.CSS("#tag-status"))); err != nil {
			t.Fatal(err)
		}
		got, err := chromedp.Run(tab, chromedp.Evaluate[lead](siteLeadJS))
		if err != nil {
			t.Fatal(err)
		}
		if got.Top < 0 || got.Top > int(size.height) {
			t.Errorf("%s: Experiments on this site starts %d px down, past the first screen (%d px)", size.name, got.Top, size.height)
		}
		if got.Install < got.Top {
			t.Errorf("%s: the install card (%d px down) comes before the experiments (%d px)", size.name, got.Install, got.Top)
		}
		if got.TagShown || !got.Summary {
			t.Errorf("%s: the tag to paste is shown (%v) or not folded away (%v) while the tag is installed", size.name, got.TagShown, got.Summary)
		}
		if shots != "" {
			saveShot(t, tab, shots, "site-installed-"+size.name+".png", chromedp.FullScreenshot(100))
		}
	}
	// The help is a press away.
	if t.Failed() {
		return
	}
	if err := chromedp.Do(tab, chromedp.Click(chromedp.CSS("#install-help > summary")), chromedp.WaitVisible(chromedp.CSS("#tag"))); err != nil {
		t.Fatal(err)
	}
}
