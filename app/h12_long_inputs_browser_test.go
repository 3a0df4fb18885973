package app

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/input"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"copylab/experiments"
)

// TestLongInputsBrowser: in Chromium, an API token's name typed past 120
// characters, and a webhook URL pasted past 2,000, come back refused
// beside the field with every character, and nothing is saved: the
// browser no longer drops the rest as it is entered, which saved the
// first 120 characters of the name, or a cut URL that posts nowhere,
// without a word.
func TestLongInputsBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	live, tab, site := liveShopTab(t)
	signInTab(t, tab, live.base+"/login", "owner@example.com", chromedp.EmulateViewport(1280, 900))
	// paste enters text as a paste or an IME does, at once: a browser
	// applies maxlength to it as to typing.
	paste := func(text string) chromedp.Action[chromedp.Void] {
		return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
			_, err := cdp.Call(ctx, t, input.InsertText, input.InsertTextParams{Text: text})
			return chromedp.Void{}, err
		}
	}
	for _, tc := range []struct {
		name, path, input, form, typed, says string
		paste                                bool
	}{
		{name: "token name", path: "/settings", input: "#f-name", form: `form[action="/settings/tokens"]`,
			typed: "Nightly deploy script " + strings.Repeat("x", 108), says: "120 characters"},
		{name: "webhook URL", path: "/sites/" + site.ID, input: "#f-webhook-url", form: `form[action="/sites/` + site.ID + `/notifications"]:has(#f-webhook-url)`,
			typed: "https://hooks.slack.com/services/" + strings.Repeat("T0", experiments.MaxWebhookURLLen/2), says: "2000 bytes", paste: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			enter := chromedp.SendKeys(chromedp.CSS(tc.input), tc.typed)
			if tc.paste {
				enter = chromedp.Steps(chromedp.Focus(chromedp.CSS(tc.input)), paste(tc.typed))
			}
			if err := chromedp.Do(tab, chromedp.Navigate(live.base+tc.path), chromedp.WaitVisible(chromedp.CSS(tc.input)), enter); err != nil {
				t.Fatal(err)
			}
			if _, err := chromedp.Run(tab, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS(tc.form+" .btn-primary")))); err != nil {
				t.Fatal(err)
			}
			got, err := chromedp.Run(tab, chromedp.Evaluate[[]string](`[document.querySelector("`+tc.input+`").value,
				(document.querySelector("`+tc.input+`").closest(".field").querySelector(".field-error") || {}).textContent || ""]`))
			if err != nil {
				t.Fatal(err)
			}
			if got[0] != tc.typed || !strings.Contains(got[1], tc.says) {
				t.Errorf("value %d characters (entered %d), message beside it %q", len(got[0]), len(tc.typed), got[1])
			}
		})
	}
	ctx := context.Background()
	u, _, err := live.store.UserByEmail(ctx, "owner@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if ts, err := live.store.APITokens(ctx, u.ID); err != nil || len(ts) != 0 {
		t.Errorf("tokens saved: %d (%v)", len(ts), err)
	}
	if s, err := live.store.Site(ctx, site.ID); err != nil || s.WebhookURL != "" {
		t.Errorf("webhook saved: %.60q (%v)", s.WebhookURL, err)
	}
}
