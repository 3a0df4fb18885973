package app

import (
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserNewBriefAsksWhileADraftIsRewritten: Write drafts asks
// before its drafts replace a set with a rewrite still running (the new
// brief stops it), in the words the server uses, and counts that draft
// as edited once its rewrite is done.
func TestBrowserNewBriefAsksWhileADraftIsRewritten(t *testing.T) {
	r := twoDraftsInTab(t)
	if got := r.briefQuestion(); got != "" {
		t.Fatalf("drafts as written ask %q", got)
	}
	release := r.llm.hold()
	defer release()
	r.do(chromedp.Evaluate[chromedp.Void](`document.querySelector("#draft-1").scrollIntoView({block: "center"})`),
		chromedp.Click(chromedp.CSS(`#draft-1 [data-instruction="shorter"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#draft-1.draft-busy`)))
	ask := func(want string) {
		t.Helper()
		// The card is swapped in, then settled (htmx's short settle
		// delay), before the page takes it in.
		if _, err := chromedp.Run(r.tab, chromedp.Poll[bool](`document.querySelector("#brief-submit").getAttribute("data-confirm") === `+strconv.Quote(want),
			chromedp.WithPollingTimeout(5*time.Second))); err != nil {
			t.Errorf("the brief asks %q, want %q", r.briefQuestion(), want)
		}
	}
	ask("Get new drafts for this brief? 1 draft is still being rewritten, and its rewrite will be lost.")

	release()
	r.do(chromedp.WaitVisible(chromedp.CSS(`#draft-1:not(.draft-busy) .regen-message`)))
	ask("Get new drafts for this brief? Your edits to 1 draft will be replaced.")
	if ex := r.exceptions(); len(ex) > 0 {
		t.Errorf("the page threw: %v", ex)
	}
}
