package app

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestResultsPanelHeadingsBrowser: on the experiment page the results
// panel's headings are <h3>, under the card's "Results" <h2>, and stay so
// when the panel refreshes (its poll asks for the level); the verdict's
// title looks as it does on the results page, where it is an <h2>.
func TestResultsPanelHeadingsBrowser(t *testing.T) {
	h := newH7Tab(t)
	x := h7Started(t, h.live, 2)
	setLiveCounts(t, h.live, x, [2]int64{300, 15}, [2]int64{300, 16})
	h.signIn()
	const levels = `Array.prototype.map.call(document.querySelectorAll("#results h1, #results h2, #results h3, #results h4"), function (h) { return h.tagName; }).join(" ")`
	const look = `(function () {
		var s = getComputedStyle(document.querySelector("#results .verdict-title"));
		return [s.fontSize, s.fontWeight, s.lineHeight, s.margin, s.letterSpacing, s.textTransform, s.color, s.display].join(" ");
	})()`
	const visitors = `document.querySelector("#results .stat-value").textContent.trim()`

	h.do(chromedp.Navigate(h.live.base+"/experiments/"+x.ID+"/results"), chromedp.WaitVisible(chromedp.CSS("#results .verdict-title")))
	resultsLook := h.eval(look)
	if got := h.eval(levels); got != "H2 H2" {
		t.Errorf("results page: the panel's headings are %q, want two H2", got)
	}

	h.do(chromedp.Navigate(h.live.base+"/experiments/"+x.ID), chromedp.WaitVisible(chromedp.CSS("#results .verdict-title")))
	if got := h.eval(levels); got != "H3 H3" {
		t.Errorf("experiment page: the panel's headings are %q, want two H3", got)
	}
	if got := h.eval(look); got != resultsLook {
		t.Errorf("experiment page: the verdict's title looks like %q, on the results page %q", got, resultsLook)
	}
	setLiveCounts(t, h.live, x, [2]int64{320, 15}, [2]int64{320, 16})
	h.wait("the panel did not refresh", visitors+` === "640"`, 15*time.Second)
	if got := h.eval(levels); got != "H3 H3" {
		t.Errorf("experiment page, refreshed: the panel's headings are %q, want two H3", got)
	}
	h.noExceptions()
}
