package app

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserSectionHeadsKeepWords: at 390 and 320 px a card's heading
// beside its hint ("Brief" beside "Only the current copy and the goal
// are required.") keeps its words whole: it read "Bri / ef". A heading
// of one long unbroken word still breaks rather than widen the page.
func TestBrowserSectionHeadsKeepWords(t *testing.T) {
	r := twoDraftsInTab(t)
	// brokenWordsJS lists the words of the cards' headings that lie on
	// more than one line.
	const brokenWordsJS = `(function () {
		var out = [];
		document.querySelectorAll(".section-head h2").forEach(function (h) {
			var walk = document.createTreeWalker(h, NodeFilter.SHOW_TEXT), node;
			while ((node = walk.nextNode())) {
				var re = /\S+/g, m;
				while ((m = re.exec(node.data))) {
					var range = document.createRange();
					range.setStart(node, m.index);
					range.setEnd(node, m.index + m[0].length);
					var tops = {};
					Array.prototype.forEach.call(range.getClientRects(), function (rc) { if (rc.width > 0) tops[Math.round(rc.top)] = true; });
					if (Object.keys(tops).length > 1) out.push(m[0] + " (" + h.getBoundingClientRect().width.toFixed(0) + " px wide)");
				}
			}
		});
		return out;
	})()`
	for _, w := range []int64{390, 320} {
		r.do(chromedp.EmulateViewport(w, 800), chromedp.Sleep(50*time.Millisecond))
		if got := r.eval(`String(document.querySelectorAll(".section-head h2").length)`); got != "2" {
			t.Fatalf("%s cards' headings, want Brief and Drafts", got)
		}
		if broken, err := chromedp.Run(r.tab, chromedp.Evaluate[[]string](brokenWordsJS)); err != nil {
			t.Fatal(err)
		} else if len(broken) > 0 {
			t.Errorf("at %d px these words of the headings break: %v", w, broken)
		}
	}
	// A heading of 60 letters without a space (a long name) breaks within
	// the card at 320 px.
	r.do(chromedp.Evaluate[chromedp.Void](`document.querySelector("#brief-form .section-head h2").textContent = "W".repeat(60)`))
	fits := r.eval(`(function () {
		var h = document.querySelector("#brief-form .section-head h2"), head = h.parentElement;
		return [Math.round(h.getBoundingClientRect().right) <= Math.round(head.getBoundingClientRect().right),
			document.documentElement.scrollWidth <= window.innerWidth].join(" ");
	})()`)
	if fits != "true true" {
		t.Errorf("a long heading runs out of its card or widens the page: %s", fits)
	}
}
