package app

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"copylab/experiments"
	"copylab/static/browsertest"
)

// TestSiteFormErrorFocusBrowser: a site page's form sent back with an
// error (Settings with its name cleared, Session recordings with a bad
// address) comes back at its card, /sites/{id}/settings#settings, with the
// focus on the first field in error, as every other form does, and the
// card still scrolled into view. Chromium's jump to the #fragment blurred
// the focus app.js had given the field, leaving it on the body. Found by a
// fresh-eyes review.
func TestSiteFormErrorFocusBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	live, tab, site := liveShopTab(t)
	signInTab(t, tab, live.base+"/login", "owner@example.com", chromedp.EmulateViewport(1280, 800))

	for _, tt := range []struct {
		name, card, fill, value, submit, want string
	}{
		{name: "settings", card: "#settings", fill: "#f-name", value: "", submit: "#settings .btn-primary", want: "#f-name"},
		{name: "recorders", card: "#recorders", fill: "#f-posthog-host", value: "not an address", submit: "#recorders .btn-primary",
			want: "#f-posthog-host"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if err := chromedp.Do(tab, chromedp.Navigate(live.base+"/sites/"+site.ID), chromedp.WaitVisible(chromedp.CSS(tt.fill)),
				chromedp.Evaluate[chromedp.Void](`document.querySelector(`+strconv.Quote(tt.fill)+`).value = `+strconv.Quote(tt.value))); err != nil {
				t.Fatal(err)
			}
			if _, err := chromedp.Run(tab, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS(tt.submit)))); err != nil {
				t.Fatal(err)
			}
			// Let the fragment's jump happen, whenever Chromium makes it.
			if err := chromedp.Do(tab, chromedp.Sleep(300*time.Millisecond)); err != nil {
				t.Fatal(err)
			}
			type state struct {
				Hash, Focus               string
				Invalid, CardAtTop, Shown bool
			}
			got, err := chromedp.Run(tab, chromedp.Evaluate[state](`(function () {
				var a = document.activeElement, card = document.querySelector(`+strconv.Quote(tt.card)+`).getBoundingClientRect();
				return {
					hash: location.hash,
					focus: a ? (a.id ? "#" + a.id : a.tagName) : "",
					invalid: !!a && a.getAttribute("aria-invalid") === "true",
					// The card at the top, below the sticky top bar (the
					// page's scroll-padding), as the fragment put it; the
					// field on screen.
					cardAtTop: card.top >= 0 && card.top < 150,
					shown: !!a && a.getBoundingClientRect().top >= 0 && a.getBoundingClientRect().bottom <= innerHeight,
				};
			})()`))
			if err != nil {
				t.Fatal(err)
			}
			if got.Focus != tt.want || !got.Invalid {
				t.Errorf("focus on %s (aria-invalid %v), want the first field in error, %s", got.Focus, got.Invalid, tt.want)
			}
			if !got.CardAtTop || !got.Shown {
				t.Errorf("after the error, the %s card at the top %v, the focused field on screen %v (hash %q)", tt.card, got.CardAtTop, got.Shown, got.Hash)
			}
		})
	}
}

// liveShopTab is the start of most browser tests of the pages: the server
// (before the browser), a tab, the owner's account and the "Shop" site.
func liveShopTab(t *testing.T) (*liveApp, context.Context, experiments.Site) {
	t.Helper()
	live := serveLive(t)         // the server before the browser
	tab := browsertest.NewTab(t) // skips without Chromium, fails under CI
	ctx := context.Background()
	if _, _, err := AddUser(ctx, live.store, "owner@example.com", "Owner", testPassword); err != nil {
		t.Fatal(err)
	}
	site, err := live.store.CreateSite(ctx, experiments.Site{Name: "Shop", Domain: "shop.example"})
	if err != nil {
		t.Fatal(err)
	}
	return live, tab, site
}
