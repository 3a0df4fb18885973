package app

import (
	"net/http"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"copylab/static/browsertest"
)

// tooFewCellsJS lists what is wrong with the "Too few visitors yet" cells
// of the results table: missing, hidden, its words broken over two lines,
// or its line of visitors needed running past its card or its column.
const tooFewCellsJS = `(function () {
	var out = [], cells = document.querySelectorAll('.table-results td[data-label="Chance to be best"]');
	if (cells.length === 0) out.push("no chance to be best cells");
	cells.forEach(function (td, i) {
		var word = td.querySelector(".too-few"), line = td.querySelector(".interval");
		if (!word || word.getClientRects().length === 0) { out.push("row " + i + ": no visible too-few words"); return; }
		var tops = [];
		var r = document.createRange();
		r.selectNodeContents(word);
		Array.prototype.forEach.call(r.getClientRects(), function (b) {
			if (b.width > 0 && !tops.some(function (t) { return Math.abs(t - b.top) < 2; })) tops.push(b.top);
		});
		if (tops.length > 1) out.push("row " + i + ": " + JSON.stringify(word.textContent.trim()) + " is split over " + tops.length + " lines");
		if (!line || line.getClientRects().length === 0) { out.push("row " + i + ": no visible line of visitors needed"); return; }
		var c = td.getBoundingClientRect(), l = line.getBoundingClientRect();
		if (l.left < c.left - 0.5 || l.right > c.right + 0.5) out.push("row " + i + ": the line " + JSON.stringify(line.textContent) + " runs past its cell");
	});
	return out;
})()`

// noCountryJS lists what is wrong with the Country segment's sentence for
// when no visitor's country is known: missing, hidden, or running past its
// card.
const noCountryJS = `(function () {
	var p = document.querySelector("#seg-country .no-country");
	if (!p || p.getClientRects().length === 0) return ["no visible sentence in place of the country table"];
	var card = p.closest(".card").getBoundingClientRect(), r = p.getBoundingClientRect();
	return r.left < card.left || r.right > card.right ? ["the country sentence runs past its card"] : [];
})()`

// TestResultsTooFewPhoneBrowser: in Chromium, a test with six visitors a
// variant shows "Too few visitors yet" and the visitors still needed in
// place of each chance to be best, whole and inside each variant's card on
// a phone (390 px) and in its column on a desktop, on the results page and
// the share page, which still fit the screen; so does the Country
// segment's sentence, as no visitor's country is known.
func TestResultsTooFewPhoneBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	tab := browsertest.NewTab(t) // skips without Chromium, fails under CI
	live := serveLive(t)
	live.ownerToken(t, "phone")
	site, x := startPricingHero(t, live, "example.com")
	// Eighteen visitors through POST /e, which knows no country here (no
	// country header, no GeoIP database).
	for i := range 18 {
		req, err := http.NewRequest(http.MethodPost, live.base+"/e",
			strings.NewReader(eventBody(site.Key, "v"+strconv.Itoa(i), x.ID, x.Variants[i%3].Key, i%4 == 0)))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "text/plain;charset=UTF-8")
		req.Header.Set("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNoContent {
			t.Fatalf("POST /e: %s", resp.Status)
		}
	}
	exceptions := browsertest.Exceptions(t, tab)
	signInTab(t, tab, live.base+"/login", "owner@example.com", chromedp.EmulateViewport(1280, 900))
	shots := os.Getenv("COPYLAB_REVIEW_SHOTS")
	for _, tc := range []struct{ name, path string }{
		{"results", "/experiments/" + x.ID + "/results"},
		{"share", "/r/" + x.ShareToken},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, w := range []int64{390, 1280} {
				if err := chromedp.Do(tab, chromedp.EmulateViewport(w, 844), chromedp.Navigate(live.base+tc.path),
					chromedp.WaitVisible(chromedp.CSS(".too-few"))); err != nil {
					t.Fatal(err)
				}
				problems, err := chromedp.Run(tab, chromedp.Evaluate[[]string](tooFewCellsJS+".concat("+noCountryJS+")"))
				if err != nil {
					t.Fatal(err)
				}
				fit, err := chromedp.Run(tab, chromedp.Evaluate[[]string]("("+resultsFitJS+")(9)"))
				if err != nil {
					t.Fatal(err)
				}
				problems = append(problems, fit...)
				if w < 760 {
					edges, err := chromedp.Run(tab, chromedp.Evaluate[[]string](resultsCardEdgesJS))
					if err != nil {
						t.Fatal(err)
					}
					problems = append(problems, edges...)
				}
				for _, p := range problems {
					t.Errorf("at %d px: %s", w, p)
				}
				if shots != "" {
					saveShot(t, tab, shots, "toofew-"+tc.name+"-"+strconv.FormatInt(w, 10)+".png", chromedp.FullScreenshot(100))
					saveShot(t, tab, shots, "toofew-segments-"+tc.name+"-"+strconv.FormatInt(w, 10)+".png",
						chromedp.Screenshot(chromedp.CSS(`section[aria-labelledby="segments"]`)))
				}
			}
		})
	}
	if ex := exceptions(); len(ex) > 0 {
		t.Errorf("the pages threw: %v", ex)
	}
}
