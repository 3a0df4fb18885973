package app

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestH7PlanEstimateSaidBrowser: the experiment form's sample-size
// estimate is fetched again as the planning fields are typed in, and was
// swapped whole, live region and all: a region that is itself swapped in
// is not read. The live region stays, and only what it says changes: the
// estimate, or why there is none, without the help under it.
func TestH7PlanEstimateSaidBrowser(t *testing.T) {
	h := newH7Tab(t)
	startPricingHero(t, h.live, "example.com")
	h.signIn()
	const region = `document.querySelector("#plan-estimate [aria-live], #plan-estimate[aria-live]")`
	h.do(chromedp.Navigate(h.live.base+"/experiments/new"), chromedp.WaitVisible(chromedp.CSS("#plan-estimate")),
		chromedp.Evaluate[chromedp.Void](`window.h7Region = `+region))
	type state struct {
		Same, Help bool
		Says       string
	}
	read := func() state {
		t.Helper()
		s, err := chromedp.Run(h.tab, chromedp.Evaluate[state](`(function () {
			var r = window.h7Region;
			var help = Array.from(document.querySelectorAll("#plan-estimate .help")).some(function (p) { return p.checkVisibility(); });
			return {Same: !!r && r.isConnected && r === `+region+`, Help: help, Says: r ? r.textContent.replace(/\s+/g, " ").trim() : ""};
		})()`))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	before := read()
	if before.Says == "" {
		t.Fatal("no live region in the estimate")
	}
	for _, tc := range []struct {
		typed, says string
		help        bool
	}{
		{"3", "from a 3% conversion rate", true},
		{"abc", "", false},
		{"4", "from a 4% conversion rate", true},
	} {
		was := h.eval(`document.querySelector("#plan-estimate").textContent`)
		h.do(chromedp.Evaluate[chromedp.Void](`document.querySelector("#f-plan-base").value = ""`), chromedp.SendKeys(chromedp.CSS("#f-plan-base"), tc.typed))
		h.wait("the estimate did not change for "+tc.typed, `document.querySelector("#plan-estimate").textContent !== `+jsString(was), 10*time.Second)
		got := read()
		if !got.Same {
			t.Errorf("typing %q replaced the live region: what it says now is not read", tc.typed)
		}
		if tc.says != "" && !strings.Contains(got.Says, tc.says) {
			t.Errorf("typing %q: the live region says %q, want %q in it", tc.typed, got.Says, tc.says)
		}
		if strings.Contains(got.Says, "two-group sample size") {
			t.Errorf("typing %q: the live region reads the help again: %q", tc.typed, got.Says)
		}
		if got.Help != tc.help {
			t.Errorf("typing %q: help shown %v, want %v", tc.typed, got.Help, tc.help)
		}
	}
	h.noExceptions()
}
