package app

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"copylab/static/browsertest"
)

// TestShownOnceReload: a page that shows something once (a new invite link,
// an API token) answers a form's POST. Reloading it used to send the form
// again: a second token, or a new invite link that silently retired the one
// just copied and sent. The page now puts its own address in the address
// bar (/users, /settings), so a reload shows the page, without the secret,
// and the link that was sent still works.
func TestShownOnceReload(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	tab := browsertest.NewTab(t) // skips without Chromium, fails under CI
	live := serveLive(t)
	live.ownerToken(t, "Deploy")
	signInTab(t, tab, live.base+"/login", "owner@example.com", chromedp.EmulateViewport(1280, 900))
	ctx := context.Background()

	// submit fills a form's field, presses its button, and waits for the
	// answer to load.
	submit := func(path, field, value, form string) {
		t.Helper()
		if err := chromedp.Do(tab, chromedp.Navigate(live.base+path), chromedp.WaitVisible(chromedp.CSS(field)),
			chromedp.SendKeys(chromedp.CSS(field), value)); err != nil {
			t.Fatal(err)
		}
		if _, err := chromedp.Run(tab, chromedp.WaitEvent(page.LoadEventFired, nil,
			chromedp.Click(chromedp.CSS(`form[action="`+form+`"] .btn-primary`)))); err != nil {
			t.Fatal(err)
		}
	}
	// reload reloads the tab and says where it is and whether it shows a
	// secret.
	reload := func() (path string, shown bool) {
		t.Helper()
		if _, err := chromedp.Run(tab, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Reload())); err != nil {
			t.Fatal(err)
		}
		path, err := chromedp.Run(tab, chromedp.Evaluate[string](`location.pathname`))
		if err != nil {
			t.Fatal(err)
		}
		shown, err = chromedp.Run(tab, chromedp.Evaluate[bool](`!!document.querySelector(".notice-key")`))
		if err != nil {
			t.Fatal(err)
		}
		return path, shown
	}
	wantPath := func(want string) {
		t.Helper()
		got, err := chromedp.Run(tab, chromedp.Poll[string](`location.pathname === "`+want+`" ? location.pathname : ""`,
			chromedp.WithPollingTimeout(15*time.Second)))
		if err != nil || got != want {
			t.Errorf("the page with the secret is at %q (%v), want %s in the address bar", got, err, want)
		}
	}

	submit("/users", "#f-invite-email", "ana@example.com", "/users/invites")
	link, err := chromedp.Run(tab, chromedp.Evaluate[string](`document.getElementById("invite-link").value`))
	if err != nil || !strings.HasPrefix(link, live.base+"/invite/") {
		t.Fatalf("invite link %q (%v)", link, err)
	}
	wantPath("/users")
	if path, shown := reload(); path != "/users" || shown {
		t.Errorf("after a reload: at %s, secret shown %v; want /users without it", path, shown)
	}
	resp, err := http.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("the link copied before the reload answers %d, want 200: the reload made a new one", resp.StatusCode)
	}

	submit("/settings", "#f-name", "CI", "/settings/tokens")
	wantPath("/settings")
	if path, shown := reload(); path != "/settings" || shown {
		t.Errorf("after a reload: at %s, secret shown %v; want /settings without it", path, shown)
	}
	u, _, err := live.store.UserByEmail(ctx, "owner@example.com")
	if err != nil {
		t.Fatal(err)
	}
	if toks, err := live.store.APITokens(ctx, u.ID); err != nil || len(toks) != 2 {
		t.Errorf("%d tokens after making one and reloading (%v), want 2 (Deploy and CI)", len(toks), err)
	}
}
