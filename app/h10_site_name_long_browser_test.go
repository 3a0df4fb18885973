package app

import (
	"strings"
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// TestSiteNameOverLimitBrowser: in Chromium, a site name typed past 120
// characters, on the add-site form and in the site's settings, comes
// back refused beside the field with every character typed, and nothing
// is saved: the browser no longer drops the rest as it is typed, which
// saved the first 120 without a word.
func TestSiteNameOverLimitBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	live, tab, site := liveShopTab(t)
	signInTab(t, tab, live.base+"/login", "owner@example.com", chromedp.EmulateViewport(1280, 900))
	long := "Marketing site " + strings.Repeat("x", 115) // 130 characters
	for _, tc := range []struct{ name, path, button string }{
		{"add site", "/sites", `form[action="/sites"] .btn-primary`},
		{"settings", "/sites/" + site.ID, "#settings .btn-primary"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// Typed, not set: a browser applies maxlength to typing.
			if err := chromedp.Do(tab, chromedp.Navigate(live.base+tc.path), chromedp.WaitVisible(chromedp.CSS("#f-name"))); err != nil {
				t.Fatal(err)
			}
			if _, err := chromedp.Run(tab, chromedp.Evaluate[string](`document.querySelector("#f-name").value = ""`)); err != nil {
				t.Fatal(err)
			}
			if err := chromedp.Do(tab, chromedp.SendKeys(chromedp.CSS("#f-name"), long),
				chromedp.SetValue(chromedp.CSS("#f-domain"), "shop.example")); err != nil {
				t.Fatal(err)
			}
			if _, err := chromedp.Run(tab, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS(tc.button)))); err != nil {
				t.Fatal(err)
			}
			got, err := chromedp.Run(tab, chromedp.Evaluate[[]string](`[document.querySelector("#f-name").value,
				(document.querySelector("#f-name").closest(".field").querySelector(".field-error") || {}).textContent || ""]`))
			if err != nil {
				t.Fatal(err)
			}
			if got[0] != long || !strings.Contains(got[1], "120 characters") {
				t.Errorf("name %d characters (typed %d), message beside it %q", len(got[0]), len(long), got[1])
			}
		})
	}
	sites, err := live.store.Sites(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(sites) != 1 || sites[0].Name != "Shop" {
		t.Errorf("saved: %+v", sites)
	}
}
