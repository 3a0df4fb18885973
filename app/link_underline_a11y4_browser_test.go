package app

import (
	"context"
	"testing"

	"github.com/chromedp/chromedp"

	"copylab/experiments"
	"copylab/static/browsertest"
)

// TestLinksInTextUnderlinedBrowser: a link inside a sentence is
// underlined, not told apart by its colour alone (WCAG 1.4.1, axe's
// link-in-text-block). The audit found the site page's "the tag that
// waits for consent", in a cell of the JavaScript API table, plain; the
// page's buttons stay plain.
func TestLinksInTextUnderlinedBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	tab := browsertest.NewTab(t)
	live := serveLive(t)
	live.ownerToken(t, "a11y4")
	site, err := live.store.CreateSite(context.Background(), experiments.Site{Name: "Shop", Domain: "example.com"})
	if err != nil {
		t.Fatal(err)
	}
	signInTab(t, tab, live.base+"/login", "owner@example.com", chromedp.EmulateViewport(1280, 900))
	if err := chromedp.Do(tab, chromedp.Navigate(live.base+"/sites/"+site.ID),
		chromedp.WaitReady(chromedp.CSS(`a[href$="#consent"]`))); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		sel, want string
	}{
		{`td a[href$="#consent"]`, "underline"},
		{`main a.btn, main button.btn`, "none"},
	} {
		got, err := chromedp.Run(tab, chromedp.Evaluate[string](`(function () {
			var el = document.querySelector(`+"`"+tc.sel+"`"+`);
			return el ? getComputedStyle(el).textDecorationLine : "missing";
		})()`))
		if err != nil {
			t.Fatal(err)
		}
		if got != tc.want {
			t.Errorf("%s: text-decoration-line %q, want %q", tc.sel, got, tc.want)
		}
	}
}
