package app

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"copylab/static/browsertest"
)

// TestDemoSignupFocusBrowser: Enter on the demo's sign-up button, which
// then turns disabled, leaves the focus on the note that says what became
// of the click, not on the body (the audit found it there); and the note
// sits in a live region that is in the page, shown, before the note
// appears in it, so that a screen reader says it (a region that appears
// along with its text is often not read).
func TestDemoSignupFocusBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	ctx := context.Background()
	live := serveLive(t)
	owner, _, err := AddUser(ctx, live.store, "owner@example.com", "Owner", testPassword)
	if err != nil {
		t.Fatal(err)
	}
	if err := live.app.createDemo(ctx, owner.ID); err != nil {
		t.Fatal(err)
	}
	tab := browsertest.NewTab(t)
	exceptions := browsertest.Exceptions(t, tab)
	eval := func(js string) string {
		t.Helper()
		s, err := chromedp.Run(tab, chromedp.Evaluate[string](js))
		if err != nil {
			t.Fatalf("%s: %v", js, err)
		}
		return s
	}
	if err := chromedp.Do(tab, chromedp.Navigate(live.base+"/demo"), chromedp.WaitVisible(chromedp.CSS("#signup")),
		chromedp.Evaluate[chromedp.Void](`window.a11y4Live = document.getElementById("thanks").closest('[role="status"]')`)); err != nil {
		t.Fatal(err)
	}
	const region = `(function () { var r = window.a11y4Live; return !r ? "none" :
		[r.isConnected, r.hidden || !!r.closest("[hidden]"), getComputedStyle(r).display].join(" "); })()`
	if got, want := eval(region), "true false block"; got != want {
		t.Errorf("before the click, the note's live region: %q (in the page, hidden, display), want %q", got, want)
	}
	if err := chromedp.Do(tab, chromedp.Focus(chromedp.CSS("#signup")), chromedp.KeyEvent(kb.Enter)); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(tab, chromedp.Poll[bool](`document.getElementById("signup").disabled`,
		chromedp.WithPollingTimeout(5*time.Second))); err != nil {
		t.Fatalf("the button did not turn disabled: %v", err)
	}
	focused := `document.activeElement ? document.activeElement.tagName + "#" + document.activeElement.id : ""`
	if _, err := chromedp.Run(tab, chromedp.Poll[bool](`(`+focused+`) === "DIV#thanks"`,
		chromedp.WithPollingTimeout(2*time.Second))); err != nil {
		t.Errorf("after Enter on the button the focus is on %q, want the note DIV#thanks", eval(focused))
	}
	if got, want := eval(region), "true false block"; got != want {
		t.Errorf("after the click, the note's live region: %q, want %q (the same node)", got, want)
	}
	if got := eval(`window.a11y4Live ? window.a11y4Live.textContent.replace(/\s+/g, " ").trim() : ""`); got == "" {
		t.Errorf("the live region says nothing after the click")
	}
	if ex := exceptions(); len(ex) > 0 {
		t.Errorf("the page threw: %v", ex)
	}
}
