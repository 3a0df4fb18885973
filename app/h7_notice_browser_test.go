package app

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// h7ObscuredJS says what of the focused element the "can't be reached"
// notice covers, or "": any part of an element that fits in the window
// beside the notice, or the whole of a larger one.
const h7ObscuredJS = `(function () {
	var n = document.querySelector("[data-connection-notice]");
	var a = document.activeElement;
	if (!n || !a || a === document.body || !n.checkVisibility()) return "";
	var r = a.getBoundingClientRect(), q = n.getBoundingClientRect();
	if (r.width === 0 && r.height === 0) return "";
	var ox = Math.min(r.right, q.right) - Math.max(r.left, q.left);
	var oy = Math.min(r.bottom, q.bottom) - Math.max(r.top, q.top);
	if (ox <= 0 || oy <= 0) return "";
	var room = window.innerHeight - q.height;
	if (r.height >= room && oy < r.height) return "";
	return (a.id ? "#" + a.id : a.tagName.toLowerCase()) + " " + JSON.stringify((a.textContent || "").trim().slice(0, 40)) +
		" (" + Math.round(ox) + "x" + Math.round(oy) + " px covered)";
})()`

// TestH7UnreachableNoticeObscuresNothingBrowser: while copylab can't be
// reached a notice says so, in a fixed place. It sat over the top of the
// window, on the navigation and on whatever the keyboard focused there,
// on a phone and on a desktop (WCAG 2.4.11). Tabbing through the results
// page while it shows, the focus is never under it.
func TestH7UnreachableNoticeObscuresNothingBrowser(t *testing.T) {
	h := newH7Tab(t)
	_, x := startPricingHero(t, h.live, "example.com")
	setLiveCounts(t, h.live, x, [2]int64{1000, 50}, [2]int64{1000, 60}, [2]int64{1000, 55})
	h.signIn()
	h.do(chromedp.Navigate(h.live.base+"/experiments/"+x.ID+"/results"), chromedp.WaitVisible(chromedp.CSS("#results .table-results")))
	cut := cutCopylabOff(t, h.tab, h.live.base)
	cut.set("refused")
	h.wait("no notice that copylab can't be reached", `(function () {
		var n = document.querySelector("[data-connection-notice]");
		return !!n && n.checkVisibility() && n.textContent.indexOf("copylab can't be reached.") === 0;
	})()`, 15*time.Second)
	for _, size := range [][2]int64{{375, 812}, {1280, 900}} {
		t.Run(fmt.Sprint(size[0]), func(t *testing.T) {
			h.do(chromedp.EmulateViewport(size[0], size[1]),
				chromedp.Evaluate[chromedp.Void](`document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)`))
			var covered []string
			for i := 0; i < 60; i++ {
				h.do(chromedp.KeyEvent(kb.Tab))
				if got := h.eval(h7ObscuredJS); got != "" {
					covered = append(covered, got)
				}
			}
			if len(covered) > 0 {
				t.Errorf("at %d px the notice covers the focused element %d times: %s", size[0], len(covered), strings.Join(covered, "; "))
			}
		})
	}
	cut.set("")
	h.wait("the notice stayed once copylab answered", `!document.querySelector("[data-connection-notice]").checkVisibility()`, 40*time.Second)
	if pad := h.eval(`getComputedStyle(document.body).paddingBottom + " " + getComputedStyle(document.documentElement).scrollPaddingBottom`); pad != "0px 0px" && pad != "0px auto" {
		t.Errorf("once the notice went, the page keeps room for it: %s", pad)
	}
	h.noExceptions()
}
