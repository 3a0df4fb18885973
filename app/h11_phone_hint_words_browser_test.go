package app

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestPhoneHintWordsBrowser: each explanation a width shows speaks only
// of what that width draws. A phone hides the results table's interval
// bars and shows each interval as a range under its figure, so its
// explanations of the conversion rate and the uplift say "the range
// under it", not "the bar", "the thin line" or "the shaded zone"; a
// desktop, which draws them, still explains them.
func TestPhoneHintWordsBrowser(t *testing.T) {
	tab, live, x, exceptions, eval := a11y4ResultsTab(t)
	// Every visible explanation's text, then whether any bar is drawn and
	// any range is shown as text.
	const read = `(function () {
		var shown = function (el) { return el.checkVisibility(); };
		var tips = Array.from(document.querySelectorAll("#results .hint-btn")).filter(shown).map(function (b) {
			return document.getElementById(b.getAttribute("aria-describedby")).textContent.replace(/\s+/g, " ").trim();
		});
		var bars = Array.from(document.querySelectorAll("#results .table-results svg.ci")).some(shown);
		var ranges = Array.from(document.querySelectorAll("#results .table-results .interval")).some(shown);
		return JSON.stringify({tips: tips, bars: bars, ranges: ranges});
	})()`
	for _, tc := range []struct {
		width int64
		bars  bool
	}{{375, false}, {1280, true}} {
		t.Run(fmt.Sprint(tc.width), func(t *testing.T) {
			if err := chromedp.Do(tab, chromedp.EmulateViewport(tc.width, 812), chromedp.Navigate(live.base+"/experiments/"+x.ID+"/results"),
				chromedp.WaitVisible(chromedp.CSS("#results .table-results"))); err != nil {
				t.Fatal(err)
			}
			got := eval(read)
			if !strings.Contains(got, `"ranges":true`) || strings.Contains(got, `"bars":true`) != tc.bars {
				t.Fatalf("at %d px: %s (want bars drawn: %v)", tc.width, got, tc.bars)
			}
			for _, w := range []string{"The bar", "thin line", "shaded zone"} {
				if strings.Contains(got, w) != tc.bars {
					t.Errorf("at %d px, with bars drawn %v, an explanation says %q: %v", tc.width, tc.bars, w, strings.Contains(got, w))
				}
			}
			if !tc.bars && !strings.Contains(got, "range under it is the 95% interval") {
				t.Errorf("at %d px no explanation says what the range under a figure is: %s", tc.width, got)
			}
		})
	}
	if ex := exceptions(); len(ex) > 0 {
		t.Errorf("the page threw: %v", ex)
	}
}
