package app

import (
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// TestSignOutForgetsHTMXSnapshotsBrowser: htmx keeps snapshots of the
// pages it swapped under "htmx-history-cache", whole pages with their
// briefs and drafts: in localStorage (htmx 1, as earlier copylabs
// shipped) or in the tab's sessionStorage (htmx 2). Signing out removes
// both, as it removes the drafts generate.js keeps; other keys stay.
func TestSignOutForgetsHTMXSnapshotsBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	live, tab, _ := liveShopTab(t)
	signInTab(t, tab, live.base+"/login", "owner@example.com", chromedp.EmulateViewport(1280, 800))
	const snapshot = `[{"url":"/experiments/x/generate?job=j","content":"<form id=\"brief-form\">Our secret launch</form>"}]`
	if err := chromedp.Do(tab, chromedp.Navigate(live.base+"/settings"), chromedp.WaitVisible(chromedp.CSS("form.signout button")),
		chromedp.Evaluate[chromedp.Void](`localStorage.setItem("htmx-history-cache", `+jsString(snapshot)+`);
			sessionStorage.setItem("htmx-history-cache", `+jsString(snapshot)+`);
			localStorage.setItem("copylab.drafts.job1", "{}");
			localStorage.setItem("other", "kept");
			sessionStorage.setItem("other", "kept")`)); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(tab, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS("form.signout button")))); err != nil {
		t.Fatal(err)
	}
	for _, store := range []string{"localStorage", "sessionStorage"} {
		got, err := chromedp.Run(tab, chromedp.Evaluate[[]string](`Object.keys(`+store+`).filter(function (k) {
			return k === "other" || k === "htmx-history-cache" || k.indexOf("copylab.") === 0; }).sort()`))
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0] != "other" {
			t.Errorf("%s after signing out holds %q, want only the key that is not copylab's or htmx's snapshots", store, got)
		}
	}
}
