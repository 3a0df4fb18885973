package app

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"copylab/static/browsertest"
)

// TestBrowserNewBriefAsksAfterARewrite: a draft rewritten with its
// Shorter button is the marketer's work as much as one edited by hand:
// Write drafts asks first, Cancel sends nothing, and the answer writes
// new drafts without the server asking again.
func TestBrowserNewBriefAsksAfterARewrite(t *testing.T) {
	r := twoDraftsInTab(t)
	first := r.eval(`document.querySelector("#drafts-form").getAttribute("data-job")`)
	before := r.eval(`document.querySelector("#f-drafts-0-text").value`)
	if got := r.briefQuestion(); got != "" {
		t.Fatalf("drafts as written ask %q", got)
	}
	r.do(chromedp.Evaluate[chromedp.Void](`document.querySelector("#draft-0").scrollIntoView({block: "center"})`),
		chromedp.Click(chromedp.CSS(`#draft-0 [data-instruction="shorter"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#draft-0:not(.draft-busy) .regen-message`)))
	rewritten := r.eval(`document.querySelector("#f-drafts-0-text").value`)
	if rewritten == before {
		t.Fatalf("draft 1 was not rewritten: %q", rewritten)
	}

	const question = "Get new drafts for this brief? Your edits to 1 draft will be replaced."
	// The card is swapped in, then settled (htmx's short settle delay),
	// before the page takes in the new revision.
	if _, err := chromedp.Run(r.tab, chromedp.Poll[bool](`document.querySelector("#brief-submit").hasAttribute("data-confirm")`,
		chromedp.WithPollingTimeout(5*time.Second))); err != nil {
		t.Fatalf("after a rewrite the brief asks nothing: %v", err)
	}
	if got := r.briefQuestion(); got != question {
		t.Fatalf("after a rewrite the brief asks %q, want %q", got, question)
	}
	calls := r.llm.calls()
	r.do(chromedp.Click(chromedp.CSS("#brief-submit")))
	if _, err := chromedp.Run(r.tab, chromedp.Poll[bool](`!!document.getElementById("confirm-dialog")?.open`,
		chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("no question asked: %v; page: %s", err, browsertest.PageState(r.tab))
	}
	if got := r.eval(`document.querySelector("#confirm-dialog .confirm-question").textContent`); got != question {
		t.Errorf("asked %q, want %q", got, question)
	}
	r.do(chromedp.Click(chromedp.CSS(`#confirm-dialog .btn-secondary`)))
	time.Sleep(300 * time.Millisecond) // a request sent would have had time to leave
	if n := r.llm.calls(); n != calls {
		t.Errorf("Cancel: %d model calls, want none", n-calls)
	}
	if got := r.eval(`document.querySelector("#f-drafts-0-text").value`); got != rewritten {
		t.Errorf("after Cancel draft 1 reads %q, want the rewrite", got)
	}

	r.do(chromedp.Click(chromedp.CSS("#brief-submit")))
	if _, err := chromedp.Run(r.tab, chromedp.Poll[bool](`!!document.getElementById("confirm-dialog")?.open`,
		chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("no question asked again: %v", err)
	}
	newSet(t, r, `#confirm-dialog .confirm-ok`, first, "the answer")
	if got := r.eval(`document.querySelector("#brief-form .flash-error") ? document.querySelector("#brief-form .flash-error").textContent : ""`); got != "" {
		t.Errorf("the brief came back with %q after the answer", got)
	}
	if ex := r.exceptions(); len(ex) > 0 {
		t.Errorf("the page threw: %v", ex)
	}
}
