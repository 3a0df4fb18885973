package app

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserTryAgainWaitsOutTheWaitAsked: in Chromium, a set of drafts
// the model service refused with a wait of 10 seconds has its Try again
// button disabled, the time left shown beside it and counted down; once
// the wait is over the button is enabled, the note gone, and pressing it
// brings the drafts.
func TestBrowserTryAgainWaitsOutTheWaitAsked(t *testing.T) {
	r := draftingTab(t)
	// Ten seconds: under -race on a busy machine the failed card may take
	// a few seconds to come, and a shorter wait could be over by then.
	rateLimitedOnce(r.llm, 10)
	signInTab(t, r.tab, r.base+"/login?next=/experiments/"+r.x.ID+"/generate", "ann@example.com", chromedp.EmulateViewport(1280, 900))
	r.do(chromedp.WaitVisible(chromedp.CSS("#brief-form")),
		chromedp.SetValue(chromedp.CSS("#f-goal"), "Get visitors to start a free trial"),
		chromedp.SetValue(chromedp.CSS("#f-n"), "2"),
		chromedp.Click(chromedp.CSS("#brief-submit")),
		chromedp.WaitVisible(chromedp.CSS(`#generation[data-state="failed"] button[form="brief-form"]`)))

	const btn = `document.querySelector('#generation button[form="brief-form"]')`
	if got := r.eval(`String(` + btn + `.disabled)`); got != "true" {
		t.Errorf("during the wait Try again is enabled")
	}
	note := r.eval(`(function () { var n = document.querySelector("#try-again-wait");
		return n && !n.hidden ? n.textContent : "(none shown)"; })()`)
	if !strings.HasPrefix(note, "You can try again in ") || !strings.Contains(note, "second") {
		t.Errorf("beside Try again: %q, want the time left", note)
	}
	if got := r.eval(btn + `.getAttribute("aria-describedby") || ""`); got != "try-again-wait" {
		t.Errorf("Try again is described by %q, want the note", got)
	}

	deadline := time.Now().Add(16 * time.Second)
	for r.eval(`String(`+btn+`.disabled)`) == "true" {
		if time.Now().After(deadline) {
			t.Fatal("Try again was still disabled 16 seconds after a wait of 10")
		}
		time.Sleep(100 * time.Millisecond)
	}
	if got := r.eval(`String(document.querySelector("#try-again-wait").hidden)`); got != "true" {
		t.Errorf("after the wait the note still shows")
	}
	r.do(chromedp.Click(chromedp.CSS(`#generation button[form="brief-form"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#generation[data-state="done"] #draft-1`)))
	if ex := r.exceptions(); len(ex) > 0 {
		t.Errorf("the page threw: %v", ex)
	}
}
