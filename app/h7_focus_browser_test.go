package app

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestH7FocusAfterFormsBrowser: where the focus is when a form's answer
// loads. Two passwords that differ on /setup: both fields come back empty,
// and the focus is on the first, not on "Password again". A new API token,
// shown once: the focus is on its box, so a screen reader reads it.
func TestH7FocusAfterFormsBrowser(t *testing.T) {
	h := newH7Tab(t)
	const focused = `(function () { var a = document.activeElement; return a ? (a.id || a.className) : ""; })()`
	h.do(chromedp.EmulateViewport(375, 812), chromedp.Navigate(h.live.app.SetupURL()), chromedp.WaitVisible(chromedp.CSS("#f-email")),
		chromedp.SendKeys(chromedp.CSS("#f-email"), "owner@example.com"),
		chromedp.SendKeys(chromedp.CSS("#f-password"), testPassword),
		chromedp.SendKeys(chromedp.CSS("#f-password2"), testPassword+"!"))
	h.submit("form .btn-primary")
	if got := h.eval(focused); got != "f-password" {
		t.Errorf("after two passwords that differ the focus is on %q, want f-password", got)
	}

	h.live.ownerToken(t, "h7")
	signInTab(t, h.tab, h.live.base+"/login", "owner@example.com", chromedp.EmulateViewport(375, 812))
	h.do(chromedp.Navigate(h.live.base+"/settings"), chromedp.WaitVisible(chromedp.CSS("#f-name")),
		chromedp.SendKeys(chromedp.CSS("#f-name"), "CI deploy"))
	h.submit(`form[action="/settings/tokens"] .btn`)
	h.wait("the new token's box does not have the focus", `(function () {
		var a = document.activeElement, box = document.getElementById("new-token");
		return !!a && !!box && a !== document.body && a !== box && a.contains(box);
	})()`, 3*time.Second)
	h.noExceptions()
}
