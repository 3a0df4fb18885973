package app

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"copylab/static/browsertest"
)

// TestBrowserPreviousDraftsBelowTheNewerBrief: in Chromium, a new brief
// sent over a first set of drafts shows its progress with the first set
// below it, labelled as what the new drafts will replace; the first
// set's page, opened again while the brief is written (Back, or a tab
// reloaded), shows the same. When the new drafts are written the page
// shows them in place of the progress and the first set goes, without a
// reload.
func TestBrowserPreviousDraftsBelowTheNewerBrief(t *testing.T) {
	r := twoDraftsInTab(t)
	first := r.eval(`document.querySelector("#drafts-form").getAttribute("data-job")`)
	firstURL := r.eval(`location.href`)

	release := r.llm.hold()
	defer release()
	r.do(chromedp.SetValue(chromedp.CSS("#f-tone"), "playful"),
		chromedp.SetValue(chromedp.CSS("#f-n"), "3"),
		chromedp.Click(chromedp.CSS("#brief-submit")),
		chromedp.WaitVisible(chromedp.CSS(`#generation[data-state="running"]`)))

	// waitFor waits at most d for js to be true, and reports whether it was.
	waitFor := func(js string, d time.Duration) bool {
		t.Helper()
		for deadline := time.Now().Add(d); ; time.Sleep(100 * time.Millisecond) {
			if r.eval(`String(!!(`+js+`))`) == "true" {
				return true
			}
			if time.Now().After(deadline) {
				return false
			}
		}
	}
	check := func(where string) {
		t.Helper()
		if !waitFor(`document.querySelector("#previous-drafts #draft-1")`, 5*time.Second) {
			t.Fatalf("%s: no previous drafts on the page; page: %s", where, browsertest.PageState(r.tab))
		}
		got := r.eval(`(function () {
			var g = document.querySelector("#generation"), p = document.querySelector("#previous-drafts");
			return [g.getAttribute("data-state"),
				String(!!(g.compareDocumentPosition(p) & Node.DOCUMENT_POSITION_FOLLOWING)),
				p.querySelector("h2").textContent.trim(),
				p.querySelector("#drafts-form").getAttribute("data-job"),
				document.querySelector("#f-tone").value].join(" | "); })()`)
		want := "running | true | Your previous drafts | " + first + " | playful"
		if got != want {
			t.Errorf("%s: the page shows %q, want %q; page: %s", where, got, want, browsertest.PageState(r.tab))
		}
		if note := r.eval(`document.querySelector("#previous-drafts-note").textContent`); !strings.Contains(note, "take the place of these") {
			t.Errorf("%s: the previous drafts say %q", where, note)
		}
	}
	check("after the brief was sent")
	r.do(chromedp.Navigate(firstURL), chromedp.WaitVisible(chromedp.CSS(`#generation[data-state="running"]`)))
	check("the first set's page, opened again")

	release()
	r.do(chromedp.WaitVisible(chromedp.CSS(`#generation[data-state="done"] #draft-2`)))
	if !waitFor(`!document.querySelector("#previous-drafts")`, 5*time.Second) {
		t.Fatalf("the first set is still on the page once the new drafts are there; page: %s", browsertest.PageState(r.tab))
	}
	if got := r.eval(`String(document.querySelectorAll("#drafts-form").length) + " " + document.querySelector("#drafts-form").getAttribute("data-job")`); strings.HasSuffix(got, first) || !strings.HasPrefix(got, "1 ") {
		t.Errorf("drafts forms on the page: %q, want the new brief's only", got)
	}
	if ex := r.exceptions(); len(ex) > 0 {
		t.Errorf("the page threw: %v", ex)
	}
}
