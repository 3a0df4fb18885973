package app

import (
	"slices"
	"testing"

	"github.com/chromedp/chromedp"

	"copylab/static/browsertest"
)

// TestDoubleSubmitDropped: a form that posts is sent once while its page
// waits for the answer. A double click's second submit would otherwise
// reach copylab too, and the browser would show its answer ("Someone
// with this email can already sign in") instead of the first one, which
// showed a password or a link once. The second submit within 10 s is
// dropped; one after that goes; a form that only reads (GET) is never held
// back. The test's own listener, after app.js's, keeps the page from
// leaving and records whether each submit was dropped.
func TestDoubleSubmitDropped(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	tab := browsertest.NewTab(t) // skips without Chromium, fails under CI
	live := serveLive(t)
	live.ownerToken(t, "double")
	exceptions := browsertest.Exceptions(t, tab)
	signInTab(t, tab, live.base+"/login", "owner@example.com")
	if err := chromedp.Do(tab, chromedp.Navigate(live.base+"/experiments"), chromedp.WaitVisible(chromedp.CSS(`form.signout`))); err != nil {
		t.Fatal(err)
	}
	// app.js runs deferred: wait for it, then submit.
	if _, err := chromedp.Run(tab, chromedp.Poll[bool](`document.readyState === "complete"`)); err != nil {
		t.Fatal(err)
	}
	dropped, err := chromedp.Run(tab, chromedp.Evaluate[[]bool](`(() => {
		const seen = [];
		window.addEventListener("submit", (ev) => { seen.push(ev.defaultPrevented); ev.preventDefault(); });
		const post = document.querySelector("form.signout"), get = document.createElement("form");
		get.method = "get";
		get.action = "/experiments";
		document.body.append(get);
		post.requestSubmit();
		post.requestSubmit();                 // the double click's second
		post.sentAt = Date.now() - 11000;     // ten seconds on, no answer yet
		post.requestSubmit();
		get.requestSubmit();
		get.requestSubmit();
		return seen;
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if want := []bool{false, true, false, false, false}; !slices.Equal(dropped, want) {
		t.Errorf("dropped %v, want %v (post, post again, post 10 s on, get, get again)", dropped, want)
	}
	if ex := exceptions(); len(ex) > 0 {
		t.Errorf("page errors: %v", ex)
	}
}
