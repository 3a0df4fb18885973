package app

import (
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBrowserRewriteEmptyNoteFocus: pressing a draft's "Rewrite" with its
// "say what to change" box empty swaps in the card with the message; the
// focus goes to that box, where the fix is, not to the draft's text, and
// the box is described by the message.
func TestBrowserRewriteEmptyNoteFocus(t *testing.T) {
	r := twoDraftsInTab(t)
	r.do(chromedp.Evaluate[chromedp.Void](`document.querySelector("#draft-1").scrollIntoView({block: "center"})`),
		chromedp.Click(chromedp.CSS(`#draft-1 [data-instruction="custom"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#draft-1 .regen-failed`)))
	if _, err := chromedp.Run(r.tab, chromedp.Poll[bool](`document.activeElement && document.activeElement.id === "f-drafts-1-note"`,
		chromedp.WithPollingTimeout(15*time.Second))); err != nil {
		t.Errorf("the focus is on %q, want the note f-drafts-1-note", r.eval(`document.activeElement ? document.activeElement.id || document.activeElement.tagName : ""`))
	}
	desc := r.eval(`(function(){var n=document.getElementById("f-drafts-1-note"); var d=document.getElementById(n.getAttribute("aria-describedby")||""); return d ? d.textContent : ""})()`)
	if want := "Say what to change first, such as “mention the free trial”."; desc != want {
		t.Errorf("the note is described by %q, want %q", desc, want)
	}
	if ex := r.exceptions(); len(ex) > 0 {
		t.Errorf("the page threw: %v", ex)
	}
}
