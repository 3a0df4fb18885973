package app

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestH7PhoneHintsBrowser: on a phone the results table reads as cards
// and its header row is hidden, with the "?" buttons that explain the
// conversion rate, the uplift, the chance to be best and the p-value:
// nobody on a phone could reach them. Each explanation has a button
// there too, above the cards, which opens it on focus inside the screen;
// a desktop shows each button once, in its column's header.
func TestH7PhoneHintsBrowser(t *testing.T) {
	tab, live, x, exceptions, eval := a11y4ResultsTab(t)
	want := []string{"About the conversion rate", "About the uplift", "About the chance to be best", "About the p-value"}
	const visible = `Array.from(document.querySelectorAll("#results .hint-btn")).filter(function (b) { return b.checkVisibility(); })`
	for _, width := range []int64{375, 1280} {
		t.Run(fmt.Sprint(width), func(t *testing.T) {
			if err := chromedp.Do(tab, chromedp.EmulateViewport(width, 812), chromedp.Navigate(live.base+"/experiments/"+x.ID+"/results"),
				chromedp.WaitVisible(chromedp.CSS("#results .table-results"))); err != nil {
				t.Fatal(err)
			}
			got := eval(visible + `.map(function (b) { return b.getAttribute("aria-label"); }).join("|")`)
			if got != strings.Join(want, "|") {
				t.Fatalf("at %d px the visible hint buttons are %q, want %q", width, got, strings.Join(want, "|"))
			}
			for i, label := range want {
				// The button takes the keyboard's focus, and its explanation
				// shows, whole, inside the window.
				res := eval(fmt.Sprintf(`(function () {
					var b = %s[%d];
					b.focus();
					if (document.activeElement !== b) return "not focused";
					var tip = document.getElementById(b.getAttribute("aria-describedby"));
					if (!tip || !tip.checkVisibility()) return "explanation hidden";
					var r = tip.getBoundingClientRect();
					if (r.left < 0 || r.right > document.documentElement.clientWidth) return "explanation from " + Math.round(r.left) + " to " + Math.round(r.right) + " px";
					return "";
				})()`, visible, i))
				if res != "" {
					t.Errorf("at %d px, %s: %s", width, label, res)
				}
			}
			if over := eval(`String(document.documentElement.scrollWidth - document.documentElement.clientWidth)`); over != "0" {
				t.Errorf("at %d px the page is %s px too wide", width, over)
			}
		})
	}
	if ex := exceptions(); len(ex) > 0 {
		t.Errorf("the page threw: %v", ex)
	}
}
