package app

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestH7VerdictChangeAnnouncedBrowser: the results panel refreshes every
// five seconds, and its verdict can change while someone reads it ("Keep
// the test running" becomes "Early lead: not called yet"). Nothing said
// so: only the broken-split banner spoke. The verdict's heading is now
// said through the page's live region when a refresh changes it, once:
// not at the page's load, and not at refreshes that keep it.
func TestH7VerdictChangeAnnouncedBrowser(t *testing.T) {
	h := newH7Tab(t)
	x := h7Started(t, h.live, 2)
	setLiveCounts(t, h.live, x, [2]int64{300, 15}, [2]int64{300, 16})
	h.signIn()
	const title = `document.querySelector("#results .verdict-title").textContent.replace(/^[^A-Za-z]+/, "").trim()`
	const visitors = `document.querySelector("#results .stat-value").textContent.trim()`
	h.do(chromedp.Navigate(h.live.base+"/experiments/"+x.ID+"/results"), chromedp.WaitVisible(chromedp.CSS("#results .verdict-title")),
		// Everything the live region says from now on.
		chromedp.Evaluate[chromedp.Void](`window.h7Said = [];
			new MutationObserver(function () {
				var t = document.getElementById("announcer").textContent;
				if (t) window.h7Said.push(t);
			}).observe(document.getElementById("announcer"), {childList: true, characterData: true, subtree: true});`))
	first := h.eval(title)
	said := func(text string) int {
		t.Helper()
		n := 0
		for _, s := range strings.Split(h.eval(`window.h7Said.join("\n")`), "\n") {
			if strings.Contains(s, text) {
				n++
			}
		}
		return n
	}

	// New counts, same verdict: the panel is swapped, nothing is said.
	setLiveCounts(t, h.live, x, [2]int64{320, 15}, [2]int64{320, 16})
	h.wait("the panel did not refresh", visitors+` === "640"`, 15*time.Second)
	time.Sleep(300 * time.Millisecond)
	if h.eval(title) != first {
		t.Fatalf("the verdict changed from %q to %q with the counts meant to keep it", first, h.eval(title))
	}
	if n := said(first); n != 0 {
		t.Errorf("a refresh that kept the verdict said %q %d times", first, n)
	}

	// A clear lead two days in: the verdict changes, and is said.
	setLiveCounts(t, h.live, x, [2]int64{100000, 5000}, [2]int64{100000, 6500})
	h.wait("the verdict did not change", title+` !== `+jsString(first), 15*time.Second)
	now := h.eval(title)
	t.Logf("verdict: %q, then %q", first, now)
	step, cancel := context.WithTimeout(h.tab, 5*time.Second)
	defer cancel()
	if _, err := chromedp.Run(step, chromedp.Poll[bool](`window.h7Said.some(function (s) { return s.indexOf(`+jsString(now)+`) >= 0; })`,
		chromedp.WithPollingTimeout(3*time.Second))); err != nil {
		t.Errorf("the new verdict %q was not said; the live region said %q", now, h.eval(`window.h7Said.join(" | ")`))
	}

	// New counts, same verdict again: not said twice.
	setLiveCounts(t, h.live, x, [2]int64{100100, 5005}, [2]int64{100000, 6500})
	h.wait("the panel did not refresh", visitors+` === "200,100"`, 15*time.Second)
	time.Sleep(300 * time.Millisecond)
	if h.eval(title) == now {
		if n := said(now); n != 1 {
			t.Errorf("the verdict %q was said %d times, want once", now, n)
		}
	}
	h.noExceptions()
}
