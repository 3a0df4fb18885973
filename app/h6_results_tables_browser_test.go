package app

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"copylab/static/browsertest"
)

// tableWrapsJS lists, for each box of the results' tables (.table-wrap),
// what a reader cannot see: a cell cut off by the box with no way to
// scroll to it, or a box that scrolls but cannot take the focus, has no
// name, or gives no sign that it scrolls. A box that fits is not
// expected to be focusable.
const tableWrapsJS = `(function () {
	var out = [];
	document.querySelectorAll("main .table-wrap").forEach(function (wrap) {
		var table = wrap.querySelector("table");
		if (!table || wrap.getClientRects().length === 0) return;
		var name = table.caption ? table.caption.textContent.trim() : table.className;
		if (wrap.scrollWidth > wrap.clientWidth + 1) {
			if (wrap.getAttribute("tabindex") !== "0") out.push(name + ": its box scrolls " + (wrap.scrollWidth - wrap.clientWidth) + " px but cannot take the focus");
			if (!wrap.getAttribute("aria-label") && !wrap.getAttribute("aria-labelledby")) out.push(name + ": its box scrolls but has no name");
			if (getComputedStyle(wrap).backgroundImage === "none") out.push(name + ": its box scrolls with no sign that it does");
			return;
		}
		var box = wrap.getBoundingClientRect();
		table.querySelectorAll("tbody th, tbody td").forEach(function (c) {
			var r = c.getBoundingClientRect();
			if (r.width > 0 && (r.right > box.right + 1 || r.left < box.left - 1)) out.push(name + ": a cell runs from " + Math.round(r.left) + " to " + Math.round(r.right) + " px, past its box (" + Math.round(box.left) + " to " + Math.round(box.right) + ")");
		});
	});
	return out;
})()`

// TestH6ResultsTablesReadableBrowser: at 1280 px, with the data tables
// under the charts open, every column of a three-arm test could be read.
// Before, each table sat in a 493 px box while it was 896 px wide: every
// column but the original's was cut off, the box gave no sign that it
// scrolled and could not take the keyboard's focus. Checked at 375 px too,
// where the tables read as cards, and on the segments, with every
// details open.
func TestH6ResultsTablesReadableBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	tab := browsertest.NewTab(t)
	live := serveLive(t)
	live.ownerToken(t, "tables")
	site, x := startPricingHero(t, live, "example.com")
	start := time.Now().UTC().AddDate(0, 0, -9).Truncate(24 * time.Hour)
	bulkResults(t, live.store, site, x, bulkSpec{Events: 20_000, Start: start, Days: 10, Seed: 3,
		Rates: map[string]float64{"control": 0.08, "b": 0.088, "c": 0.081}, Effect: lovedInUSAndIndia})
	signInTab(t, tab, live.base+"/login", "owner@example.com", chromedp.EmulateViewport(1280, 900))
	for _, path := range []string{"/experiments/" + x.ID + "/results", "/r/" + x.ShareToken} {
		for _, w := range []int64{1280, 375} {
			if err := chromedp.Do(tab, chromedp.EmulateViewport(w, 900), chromedp.Navigate(live.base+path),
				chromedp.WaitVisible(chromedp.CSS(".chart-svg")),
				chromedp.Evaluate[chromedp.Void](`document.querySelectorAll("main details").forEach(function (d) { d.open = true; })`)); err != nil {
				t.Fatal(err)
			}
			problems, err := chromedp.Run(tab, chromedp.Evaluate[[]string](tableWrapsJS))
			if err != nil {
				t.Fatal(err)
			}
			for _, p := range problems {
				t.Errorf("%s at %d px: %s", path, w, p)
			}
			// Three arms fit under a chart without scrolling.
			over, err := chromedp.Run(tab, chromedp.Evaluate[int](`(function () { var w = document.querySelector("#rate-data .table-wrap"); return w.scrollWidth - w.clientWidth; })()`))
			if err != nil {
				t.Fatal(err)
			}
			if over > 1 {
				t.Errorf("%s at %d px: the daily rates scroll %d px", path, w, over)
			}
		}
	}
}
