package app

import (
	"context"
	"os"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"copylab/static/browsertest"
)

// TestInviteInBrowser invites a teammate from the Users page in headless
// Chromium, copies the link with its Copy button, and opens what was
// copied in another browser (its own cookies), where the newcomer makes
// their account and lands signed in on the sites list with the welcome.
// Both pages fit a 320 px phone. With COPYLAB_REVIEW_SHOTS=DIR it saves the two pages there.
func TestInviteInBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	admin := browsertest.NewTab(t) // skips without Chromium, fails under CI
	live := serveLive(t)
	live.ownerToken(t, "Deploy")
	signInTab(t, admin, live.base+"/login", "owner@example.com", chromedp.EmulateViewport(1280, 900))
	grantClipboard(t, admin, live.base)
	if err := chromedp.Do(admin, chromedp.Navigate(live.base+"/users"), chromedp.WaitVisible(chromedp.CSS("#f-invite-email")),
		chromedp.SendKeys(chromedp.CSS("#f-invite-email"), "ana@example.com"), chromedp.SendKeys(chromedp.CSS("#f-invite-name"), "Ana")); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(admin, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS(`form[action="/users/invites"] .btn-primary`)))); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(admin, chromedp.Evaluate[int](`var write = navigator.clipboard.writeText.bind(navigator.clipboard);
		navigator.clipboard.writeText = function (s) { window.copiedText = s; return write(s); };
		0`)); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(admin, chromedp.WaitVisible(chromedp.CSS("#invite-link-copy")), chromedp.Click(chromedp.CSS("#invite-link-copy"))); err != nil {
		t.Fatal(err)
	}
	link, err := chromedp.Run(admin, chromedp.Poll[string](`window.copiedText || ""`, chromedp.WithPollingTimeout(10*time.Second)))
	if err != nil {
		t.Fatalf("the Copy button copied nothing: %v", err)
	}
	if !regexp.MustCompile(`^` + regexp.QuoteMeta(live.base) + `/invite/[a-z2-7]{32}$`).MatchString(link) {
		t.Fatalf("the Copy button copied %q, want the invite link", link)
	}
	shots := os.Getenv("COPYLAB_REVIEW_SHOTS")
	if shots != "" {
		saveShot(t, admin, shots, "invite-users.png", chromedp.FullScreenshot(100))
	}

	// On a 320 px phone, the link's box and the pending invites fit.
	fits := func(tab context.Context, what string) {
		t.Helper()
		over, err := chromedp.Run(tab, chromedp.Evaluate[int](`document.documentElement.scrollWidth - innerWidth`))
		if err != nil {
			t.Fatal(err)
		}
		if over > 0 {
			t.Errorf("%s is %d px wider than a 320 px phone", what, over)
		}
	}
	if err := chromedp.Do(admin, chromedp.EmulateViewport(320, 640), chromedp.WaitVisible(chromedp.CSS("#invites"))); err != nil {
		t.Fatal(err)
	}
	fits(admin, "the Users page with the new link and a pending invite")

	newcomer := browsertest.NewTab(t)
	if err := chromedp.Do(newcomer, chromedp.EmulateViewport(320, 640), chromedp.Navigate(link), chromedp.WaitVisible(chromedp.CSS("#f-password"))); err != nil {
		t.Fatal(err)
	}
	fits(newcomer, "the invite page")
	if err := chromedp.Do(newcomer, chromedp.EmulateViewport(390, 844)); err != nil {
		t.Fatal(err)
	}
	if shots != "" {
		saveShot(t, newcomer, shots, "invite-accept.png", chromedp.FullScreenshot(100))
	}
	if err := chromedp.Do(newcomer, chromedp.SendKeys(chromedp.CSS("#f-password"), testPassword),
		chromedp.SendKeys(chromedp.CSS("#f-password2"), testPassword)); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(newcomer, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS("form .btn-primary")))); err != nil {
		t.Fatal(err)
	}
	got, err := chromedp.Run(newcomer, chromedp.Evaluate[string](`location.pathname + " | " + (document.querySelector(".flash") || {textContent: ""}).textContent`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(got, "/sites | ") || !strings.Contains(got, "Welcome to copylab!") {
		t.Errorf("after Create my account the newcomer is at %q, want /sites with the welcome", got)
	}
}
