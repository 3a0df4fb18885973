package app

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"strconv"
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
	live, tab, site := liveShopTab(t)
	ctx := context.Background()
	// The token's row above keeps #sessions as far down Settings as before.
	if _, err := CreateToken(ctx, live.store, "owner@example.com", "Deploy"); err != nil {
		t.Fatal(err)
	}
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

	// A card whose heading shares a row with a badge (.section-head):
	// the message goes under the row, not between the heading and the
	// badge.
	if err := chromedp.Do(tab, chromedp.Navigate(live.base+"/sites/"+site.ID), chromedp.WaitVisible(chromedp.CSS("#f-clarity-project-id"))); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(tab, chromedp.SendKeys(chromedp.CSS("#f-clarity-project-id"), "abc123")); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(tab, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS("#recorders .btn-primary")))); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(tab, chromedp.WaitVisible(chromedp.CSS(".flash"))); err != nil {
		t.Fatal(err)
	}
	where, err = chromedp.Run(tab, chromedp.Evaluate[string](`(function () {
		var f = document.querySelector(".flash");
		if (!f.closest("#recorders")) return "outside the recorders card";
		if (f.closest(".section-head")) return "inside the heading's row";
		var row = f.closest("#recorders").querySelector(".section-head");
		if (row && row.nextElementSibling !== f) return "not right under the heading's row";
		return "";
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if where != "" {
		t.Errorf("the recorders card's message is %s", where)
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
	grantClipboard(t, tab, live.base)
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
	// The page's clock dates each change of the first button's label
	// (window.copyLog: [ms, label]), so that the two seconds are checked
	// as the page counts them, however slowly the test drives it.
	if _, err := chromedp.Run(tab, chromedp.Evaluate[chromedp.Void](`(b => {
		window.copyLog = [];
		new MutationObserver(() => copyLog.push([performance.now(), b.textContent.trim()])).observe(b, {childList: true, characterData: true, subtree: true});
	})(document.querySelector("[data-copy]"))`)); err != nil {
		t.Fatal(err)
	}
	waitLabel := func(what, want string) {
		t.Helper()
		if _, err := chromedp.Run(tab, chromedp.Poll[bool](`document.querySelector("[data-copy]").textContent.trim() === `+strconv.Quote(want),
			chromedp.WithPollingTimeout(10*time.Second))); err != nil {
			t.Fatalf("%s: %v (the button reads %q)", what, err, label())
		}
	}
	type change struct {
		At    float64
		Label string
	}
	// A second press within the first's two seconds is what is tested: a
	// busy machine may be too slow to make it in time, and then the
	// presses are made again.
	for try := 1; ; try++ {
		if _, err := chromedp.Run(tab, chromedp.Evaluate[chromedp.Void](`copyLog.length = 0`)); err != nil {
			t.Fatal(err)
		}
		press()
		waitLabel("the first press", "Copied")
		time.Sleep(1000 * time.Millisecond)
		press()
		if _, err := chromedp.Run(tab, chromedp.Poll[bool](`copyLog.filter((c) => c[1] === "Copied").length >= 2`,
			chromedp.WithPollingTimeout(10*time.Second))); err != nil {
			t.Fatalf("the second press: %v (the button reads %q)", err, label())
		}
		waitLabel("after both presses' two seconds", "Copy")
		raw, err := chromedp.Run(tab, chromedp.Evaluate[[][]any](`copyLog`))
		if err != nil {
			t.Fatal(err)
		}
		var log []change
		for _, c := range raw {
			at, _ := c[0].(float64)
			l, _ := c[1].(string)
			log = append(log, change{at, l})
		}
		// Each press sets "Copied" (the second again); the label comes
		// back once, two seconds after the last.
		if n := len(log); n >= 3 && log[0].Label == "Copied" && log[n-2].Label == "Copied" && log[n-2].At-log[0].At >= 1900 {
			if try < 3 {
				t.Logf("try %d: the second press came %.0f ms after the first, too late to test; again", try, log[n-2].At-log[0].At)
				continue
			}
			t.Fatalf("the second press came %.0f ms after the first three times: too late to test the restart of its two seconds", log[n-2].At-log[0].At)
		}
		if len(log) != 3 || log[0].Label != "Copied" || log[1].Label != "Copied" || log[2].Label != "Copy" {
			t.Fatalf("the button's label went %v, want Copied, Copied again at the second press, then Copy", log)
		}
		t.Logf("Copied at 0 ms, again at %.0f ms, Copy at %.0f ms", log[1].At-log[0].At, log[2].At-log[0].At)
		if back := log[2].At - log[1].At; back < 1995 {
			t.Errorf("the label came back %.0f ms after the second press (%.0f ms after the first), want two seconds after the second", back, log[2].At-log[0].At)
		}
		break
	}
	copied, err := chromedp.Run(tab, chromedp.Evaluate[string](`window.copiedText || ""`))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(copied, "<script") {
		t.Errorf("the button copied %q, want the snippet tag", copied)
	}
}

// grantClipboard lets the pages of origin in tab write the clipboard, as
// a person's click on a Copy button does, without a prompt.
func grantClipboard(t *testing.T, tab context.Context, origin string) {
	t.Helper()
	if _, err := chromedp.Run(tab, func(ctx context.Context, tg *chromedp.Target) (cdp.Empty, error) {
		return cdp.Call(ctx, tg, browser.SetPermission, browser.SetPermissionParams{Permission: &browser.PermissionDescriptor{Name: "clipboard-write"},
			Setting: browser.PermissionSettingGranted, Origin: origin})
	}); err != nil {
		t.Fatal(err)
	}
}
