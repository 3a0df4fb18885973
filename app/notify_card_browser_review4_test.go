package app

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"copylab/experiments"
	"copylab/static/browsertest"
)

// TestNotifyCardFocusBrowserReview4: each of the Notifications card's
// actions (Save webhook, Send a test message, Turn off) comes back to the
// card with the focus on the message that says what it did, not on the
// body, so that a keyboard is in the card and a screen reader reads the
// result; the card is on screen. Turn off asks first, in the page's
// dialog with Cancel focused, and says the URL will have to be pasted
// again; Escape keeps the webhook. Found by a browser review.
func TestNotifyCardFocusBrowserReview4(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	// liveShopTab's start, with the setting a receiver on 127.0.0.1 needs.
	live := serveLiveChanged(t, allowPrivateWebhooksOn) // the server before the browser
	tab := browsertest.NewTab(t)                        // skips without Chromium, fails under CI
	ctx := context.Background()
	if _, _, err := AddUser(ctx, live.store, "owner@example.com", "Owner", testPassword); err != nil {
		t.Fatal(err)
	}
	site, err := live.store.CreateSite(ctx, experiments.Site{Name: "Shop", Domain: "shop.example"})
	if err != nil {
		t.Fatal(err)
	}
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer hook.Close()
	exceptions := browsertest.Exceptions(t, tab)
	signInTab(t, tab, live.base+"/login", "owner@example.com", chromedp.EmulateViewport(1280, 800))

	do := func(actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(tab, actions...); err != nil {
			t.Fatalf("%v; page: %s", err, browsertest.PageState(tab))
		}
	}
	submit := func(sel string) {
		t.Helper()
		if _, err := chromedp.Run(tab, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS(sel)))); err != nil {
			t.Fatalf("%s: %v", sel, err)
		}
	}
	saved := func() string {
		t.Helper()
		s, err := live.store.Site(ctx, site.ID)
		if err != nil {
			t.Fatal(err)
		}
		return s.WebhookURL
	}
	// landed waits for the card's message saying says, lets Chromium
	// make its jump to the #fragment, and checks where the focus is.
	landed := func(action, says string) {
		t.Helper()
		step, cancel := context.WithTimeout(tab, 20*time.Second)
		_, err := chromedp.Run(step, chromedp.Poll[bool](`(document.querySelector("#notifications .flash")?.textContent || "").includes(`+strconv.Quote(says)+`)`,
			chromedp.WithPollingTimeout(15*time.Second)))
		cancel()
		if err != nil {
			t.Fatalf("after %s, no message %q in the card: %v; page: %s", action, says, err, browsertest.PageState(tab))
		}
		do(chromedp.Sleep(300 * time.Millisecond))
		type state struct {
			Focus        string
			OnFlash      bool
			FlashOnPage  bool
			CardOnScreen bool
		}
		got, err := chromedp.Run(tab, chromedp.Evaluate[state](`(function () {
			var a = document.activeElement, f = document.querySelector("#notifications .flash"),
				card = document.querySelector("#notifications").getBoundingClientRect(), r = f.getBoundingClientRect();
			return {
				focus: a ? a.tagName + (a.id ? "#" + a.id : "") + " " + (a.textContent || "").slice(0, 40) : "",
				onFlash: a === f,
				flashOnPage: r.top >= 0 && r.bottom <= innerHeight,
				cardOnScreen: card.top >= 0 && card.top < 150,
			};
		})()`))
		if err != nil {
			t.Fatal(err)
		}
		if !got.OnFlash {
			t.Errorf("after %s the focus is on %q, want the card's message", action, got.Focus)
		}
		if !got.FlashOnPage || !got.CardOnScreen {
			t.Errorf("after %s: the card at the top %v, its message on screen %v", action, got.CardOnScreen, got.FlashOnPage)
		}
	}

	do(chromedp.Navigate(live.base+"/sites/"+site.ID), chromedp.WaitVisible(chromedp.CSS("#f-webhook-url")),
		chromedp.SendKeys(chromedp.CSS("#f-webhook-url"), hook.URL+"/hooks/s3cret"))
	submit("#notifications form.form-grid .btn-primary")
	landed("Save webhook", "Notifications on")

	submit(`#notifications form[action$="/notifications/test"] button`)
	landed("Send a test message", "Test message sent")

	// Turn off asks first; Escape keeps the webhook.
	off := `#notifications form.inline input[name="off"] + button`
	do(chromedp.Click(chromedp.CSS(off)))
	type dialog struct {
		Open     bool
		Question string
		Focus    string
	}
	ask, err := chromedp.Run(tab, chromedp.Evaluate[dialog](`(function () {
		var d = document.getElementById("confirm-dialog");
		return {open: !!(d && d.open), question: d ? d.querySelector(".confirm-question").textContent : "",
			focus: (document.activeElement && document.activeElement.textContent) || ""};
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if !ask.Open || ask.Focus != "Cancel" || !strings.Contains(ask.Question, "paste it again") {
		t.Fatalf("Turn off: dialog %+v, want open, Cancel focused, saying the URL must be pasted again; webhook now %q", ask, saved())
	}
	do(chromedp.KeyEvent(kb.Escape), chromedp.Sleep(200*time.Millisecond))
	if saved() == "" {
		t.Fatal("Escape turned notifications off")
	}
	do(chromedp.Click(chromedp.CSS(off)), chromedp.WaitVisible(chromedp.CSS(`#confirm-dialog .confirm-ok`)))
	submit(`#confirm-dialog .confirm-ok`)
	landed("Turn off", "Notifications off")
	if got := saved(); got != "" {
		t.Errorf("after Turn off the webhook is %q", got)
	}
	if ex := exceptions(); len(ex) > 0 {
		t.Errorf("script errors: %v", ex)
	}
}
