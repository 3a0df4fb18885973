package app

import (
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// TestSignOutForgetsKeptDraftsBrowser: the drafting page keeps typed edits
// in localStorage (generate.js, "copylab.drafts.JOB") so that a reload
// loses none. Signing out forgets them: the next person at a shared
// computer should not find someone's unsent copy in the browser. Other
// keys of the origin stay.
func TestSignOutForgetsKeptDraftsBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	live, tab, _ := liveShopTab(t)
	signInTab(t, tab, live.base+"/login", "owner@example.com", chromedp.EmulateViewport(1280, 800))
	if err := chromedp.Do(tab, chromedp.Navigate(live.base+"/settings"), chromedp.WaitVisible(chromedp.CSS("form.signout button")),
		chromedp.Evaluate[chromedp.Void](`localStorage.setItem("copylab.drafts.job1", "{}");
			localStorage.setItem("copylab.drafts.job2", "{}");
			localStorage.setItem("other", "kept")`)); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(tab, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS("form.signout button")))); err != nil {
		t.Fatal(err)
	}
	got, err := chromedp.Run(tab, chromedp.Evaluate[[]string](`Object.keys(localStorage).sort()`))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0] != "other" {
		t.Errorf("localStorage after signing out holds %q, want only the key that is not copylab's drafts", got)
	}
}
