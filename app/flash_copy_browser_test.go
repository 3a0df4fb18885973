package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/accessibility"
	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"copylab/static/browsertest"
)

// TestFlashInThePartChanged signs out another browser from Settings in
// headless Chromium. The answer leads to /settings#sessions, far down the
// page: its message must be inside the Signed-in browsers card and on
// screen, not at the top of the page the browser scrolled past.
func TestFlashInThePartChanged(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	tab := browsertest.NewTab(t) // skips without Chromium, fails under CI
	live := serveLive(t)
	ctx := context.Background()
	live.ownerToken(t, "Deploy")
	owner, _, err := live.store.UserByEmail(ctx, "owner@example.com")
	if err != nil {
		t.Fatal(err)
	}
	id := make([]byte, 32)
	rand.Read(id)
	if err := live.store.CreateSession(ctx, hex.EncodeToString(id), owner.ID, "csrf",
		"Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0", "", time.Now().Add(24*time.Hour)); err != nil {
		t.Fatal(err)
	}
	signInTab(t, tab, live.base+"/login", "owner@example.com", chromedp.EmulateViewport(1280, 600))
	if err := chromedp.Do(tab, chromedp.Navigate(live.base+"/settings"), chromedp.WaitVisible(chromedp.CSS("#sessions"))); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(tab, chromedp.WaitEvent(page.LoadEventFired, nil,
		chromedp.Click(chromedp.CSS(`#sessions tr:not(:has(.badge)) button[type="submit"]`)))); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(tab, chromedp.WaitVisible(chromedp.CSS(".flash"))); err != nil {
		t.Fatal(err)
	}
	where, err := chromedp.Run(tab, chromedp.Evaluate[string](`(function () {
		var f = document.querySelector(".flash"), r = f.getBoundingClientRect();
		if (location.hash !== "#sessions") return "at " + location.href;
		if (!f.closest("#sessions")) return "outside the Signed-in browsers card";
		if (r.top < 0 || r.bottom > innerHeight) return "off screen: " + Math.round(r.top) + "–" + Math.round(r.bottom) + "px of " + innerHeight;
		return "";
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if where != "" {
		t.Errorf("the message %q is %s", "That browser is signed out…", where)
	}
}

// TestCopyButtons presses the copy buttons of a site's page in headless
// Chromium. Each has its own name for screen readers ("Copy Snippet
// tag"), not a row of "Copy"; a press says "Copied" for two seconds, and a
// second press within them starts the two seconds again and still leaves
// the button reading "Copy" afterwards.
func TestCopyButtons(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	tab := browsertest.NewTab(t) // skips without Chromium, fails under CI
	live := serveLive(t)
	token := live.ownerToken(t, "Deploy")
	site := live.call(t, "POST", "/api/v1/sites", token, `{"name":"Shop","domain":"shop.example"}`, 201)
	signInTab(t, tab, live.base+"/login", "owner@example.com", chromedp.EmulateViewport(1280, 900))
	if _, err := chromedp.Run(tab, func(ctx context.Context, tg *chromedp.Target) (cdp.Empty, error) {
		return cdp.Call(ctx, tg, browser.SetPermission, browser.SetPermissionParams{Permission: &browser.PermissionDescriptor{Name: "clipboard-write"},
			Setting: browser.PermissionSettingGranted, Origin: live.base})
	}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(tab, chromedp.Navigate(live.base+"/sites/"+site["id"].(string)),
		chromedp.WaitVisible(chromedp.CSS("[data-copy]"))); err != nil {
		t.Fatal(err)
	}
	// The pinned and asynchronous tags' boxes are in closed <details>; what
	// the page puts on the clipboard is kept in copiedText.
	if _, err := chromedp.Run(tab, chromedp.Evaluate[int](`document.querySelectorAll("main details").forEach(function (d) { d.open = true; });
		var write = navigator.clipboard.writeText.bind(navigator.clipboard);
		navigator.clipboard.writeText = function (s) { window.copiedText = s; return write(s); };
		0`)); err != nil {
		t.Fatal(err)
	}
	ids, err := chromedp.Run(tab, chromedp.QueryNodeIDs(chromedp.CSSAll("[data-copy]")))
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) < 2 {
		t.Fatalf("%d copy buttons on the site page, want the tag's and more", len(ids))
	}
	var names []string
	for _, id := range ids {
		no := false
		res, err := chromedp.Run(tab, func(ctx context.Context, tg *chromedp.Target) (accessibility.GetPartialAXTreeResult, error) {
			return cdp.Call(ctx, tg, accessibility.GetPartialAXTree, accessibility.GetPartialAXTreeParams{NodeID: id, FetchRelatives: &no})
		})
		if err != nil || len(res.Nodes) == 0 || res.Nodes[0].Name == nil {
			t.Fatalf("a copy button's accessibility node: %v", err)
		}
		var name string
		_ = json.Unmarshal(res.Nodes[0].Name.Value, &name)
		names = append(names, name)
	}
	seen := map[string]bool{}
	for _, n := range names {
		if !strings.HasPrefix(n, "Copy ") || seen[n] {
			t.Errorf("screen readers name the copy buttons %q", names)
			break
		}
		seen[n] = true
	}

	label := func() string {
		t.Helper()
		s, err := chromedp.Run(tab, chromedp.Evaluate[string](`document.querySelector("[data-copy]").textContent.trim()`))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	press := func() {
		t.Helper()
		if err := chromedp.Do(tab, chromedp.Click(chromedp.CSS("[data-copy]"))); err != nil {
			t.Fatal(err)
		}
	}
	press()
	if _, err := chromedp.Run(tab, chromedp.Poll[bool](`document.querySelector("[data-copy]").textContent.trim() === "Copied"`,
		chromedp.WithPollingTimeout(3*time.Second))); err != nil {
		t.Fatalf("the first press: %v (the button reads %q)", err, label())
	}
	time.Sleep(1200 * time.Millisecond)
	press()
	time.Sleep(1200 * time.Millisecond) // 2.4 s after the first press, 1.2 s after the second
	if got := label(); got != "Copied" {
		t.Errorf("1.2 s after a second press the button reads %q, want Copied", got)
	}
	if _, err := chromedp.Run(tab, chromedp.Poll[bool](`document.querySelector("[data-copy]").textContent.trim() === "Copy"`,
		chromedp.WithPollingTimeout(3*time.Second))); err != nil {
		t.Errorf("after both presses' two seconds: %v (the button reads %q)", err, label())
	}
	copied, err := chromedp.Run(tab, chromedp.Evaluate[string](`window.copiedText || ""`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(copied, "<script") {
		t.Errorf("the button copied %q, want the snippet tag", copied)
	}
}
