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

// tagLinesJS lists the lines of the tag's status that wrap where they
// should not at the window's width. Each line of the sites list's Tag
// cell ("Loaded 2 minutes ago", "on https://…", the badge) that is
// narrower than its card stays on one line: its height as laid out is its
// height with white-space: nowrap. And nowhere, in the list or the site
// page's sentences, does "on" end a line apart from the page origin it
// names.
const tagLinesJS = `(function () {
	var out = [];
	var text = function (el) { return JSON.stringify(el.textContent.trim().replace(/\s+/g, " ")); };
	document.querySelectorAll('td[data-label="Tag"] > *').forEach(function (el) {
		var row = el.closest("tr"), rs = getComputedStyle(row);
		var card = row.clientWidth - parseFloat(rs.paddingLeft) - parseFloat(rs.paddingRight);
		var h = el.getBoundingClientRect().height;
		el.style.whiteSpace = "nowrap";
		var one = el.getBoundingClientRect().height, r = document.createRange();
		r.selectNodeContents(el);
		var long = r.getBoundingClientRect().width;
		el.style.whiteSpace = "";
		if (long <= card && h > one + 1) {
			out.push("sites list: " + text(el) + " takes " + Math.round(h) + " px, " + Math.round(one) + " on one line, in a card " + Math.round(card) + " px wide");
		}
	});
	document.querySelectorAll(".tag-origin").forEach(function (el) {
		var r = document.createRange(), node = el.firstChild;
		r.setStart(node, 0);
		r.setEnd(node, Math.min(node.length, 4)); // "on", its space, the origin's first letter
		var rects = Array.prototype.filter.call(r.getClientRects(), function (b) { return b.width > 0; });
		if (rects.length > 1 && Math.abs(rects[0].top - rects[rects.length - 1].top) > 2) out.push(text(el) + ": on is apart from its page");
	});
	return out;
})()`

// TestSiteTagPhoneBrowser: on a phone (375 px) the sites list's Tag cell
// keeps each of its lines whole: "on https://www.shop.example.com" on
// one line, not "on" on a line of its own, and "Loaded 12 minutes ago"
// on one line (before, the cell had a third of the card, 115 px, and
// wrapped both). The site page's status keeps "on" with its page too, and
// nothing scrolls sideways: an origin longer than a phone breaks, after
// "on" and its first letters.
func TestSiteTagPhoneBrowser(t *testing.T) {
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
	docs, err := live.store.CreateSite(ctx, experiments.Site{Name: "Documentation", Domain: "docs.example.com"})
	if err != nil {
		t.Fatal(err)
	}
	// Loads 12 minutes ago ("Loaded 12 minutes ago" is longer than "just
	// now"), as the tag's handler records them.
	seen := func(key, origin string) {
		at := time.Now().Add(-12 * time.Minute).Unix()
		s := live.app.snippets.tags.of(key)
		s.last.Store(at)
		s.mu.Lock()
		s.pages[0] = tagPage{origin: origin, at: at}
		s.mu.Unlock()
	}
	seen(shop.Key, "https://www.shop.example.com")
	// A staging copy, with a long name: flagged, and longer than a phone.
	seen(docs.Key, "https://preview-build-2841.staging.docs.example.com:8443")

	signInTab(t, tab, live.base+"/login", "owner@example.com", chromedp.EmulateViewport(1280, 900))
	shots := os.Getenv("COPYLAB_REVIEW_SHOTS")
	for _, tc := range []struct {
		name, path, wait string
	}{
		{"sites", "/sites", `td[data-label="Tag"]`},
		{"site", "/sites/" + shop.ID, "#tag-status"},
		{"site-elsewhere", "/sites/" + docs.ID, "#tag-status"},
	} {
		for _, width := range []int64{375} {
			if err := chromedp.Do(tab, chromedp.EmulateViewport(width, 812), chromedp.Navigate(live.base+tc.path),
				chromedp.WaitVisible(chromedp.CSS(tc.wait))); err != nil {
				t.Fatal(err)
			}
			wrapped, err := chromedp.Run(tab, chromedp.Evaluate[[]string](tagLinesJS))
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range wrapped {
				t.Errorf("%s at %d px: %s", tc.name, width, p)
			}
			scrolls, err := chromedp.Run(tab, chromedp.Evaluate[[]string](phoneScrollJS))
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range scrolls {
				t.Errorf("%s at %d px: %s", tc.name, width, p)
			}
			if shots != "" {
				saveShot(t, tab, shots, "tag-"+tc.name+"-"+itoa(int(width))+".png", chromedp.FullScreenshot(100))
			}
		}
	}
}
