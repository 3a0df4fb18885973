package app

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"copylab/static/browsertest"
)

// TestBrowserNewBriefAsksBeforeReplacingEdits: with a draft edited by
// hand and one ticked, Write drafts asks first, in the page's confirm
// dialog, naming what would be lost. Cancel sends nothing and leaves the
// drafts as they were; Write drafts in the dialog writes new ones. With
// nothing edited or ticked, a new brief asks nothing.
func TestBrowserNewBriefAsksBeforeReplacingEdits(t *testing.T) {
	r := draftingTab(t)
	signInTab(t, r.tab, r.base+"/login?next=/experiments/"+r.x.ID+"/generate", "ann@example.com", chromedp.EmulateViewport(1280, 900))
	r.do(chromedp.WaitVisible(chromedp.CSS("#brief-form")),
		chromedp.SetValue(chromedp.CSS("#f-goal"), "Get visitors to start a free trial"),
		chromedp.SetValue(chromedp.CSS("#f-n"), "3"),
		chromedp.Click(chromedp.CSS("#brief-submit")),
		chromedp.WaitVisible(chromedp.CSS(`#generation[data-state="done"] #draft-2`)))
	first := r.eval(`document.querySelector("#drafts-form").getAttribute("data-job")`)

	// The marketer rewrites draft 1 by hand and ticks draft 3, then
	// changes the brief.
	const edited = "Plan the launch in one calm place, by hand"
	r.do(chromedp.Evaluate[chromedp.Void](`document.querySelector("#draft-0").scrollIntoView({block: "center"})`),
		chromedp.Clear(chromedp.CSS("#f-drafts-0-text")), chromedp.SendKeys(chromedp.CSS("#f-drafts-0-text"), edited),
		chromedp.Evaluate[chromedp.Void](`document.querySelector("#draft-2").scrollIntoView({block: "center"})`),
		chromedp.Click(chromedp.CSS("#draft-2 [data-include]")),
		chromedp.SetValue(chromedp.CSS("#f-tone"), "playful"))
	calls := r.llm.calls()

	const question = "Get new drafts for this brief? Your edits to 1 draft and your tick on 1 draft will be replaced."
	asked := func(how string) {
		t.Helper()
		askedQuestion(t, r, how, question, "Write drafts")
	}
	unchanged := func(when string) {
		t.Helper()
		time.Sleep(300 * time.Millisecond) // a request sent would have had time to leave
		if n := r.llm.calls(); n != calls {
			t.Errorf("%s: %d model calls, want none", when, n-calls)
		}
		if got := r.eval(`document.querySelector("#drafts-form").getAttribute("data-job")`); got != first {
			t.Errorf("%s: the drafts are another set", when)
		}
		if got := r.eval(`document.querySelector("#f-drafts-0-text").value`); got != edited {
			t.Errorf("%s: draft 1 reads %q, want the edit", when, got)
		}
		if got := r.eval(`String(document.querySelector("#draft-2 [data-include]").checked)`); got != "true" {
			t.Errorf("%s: draft 3 is no longer ticked", when)
		}
		if got := r.eval(`document.querySelector("#f-tone").value`); got != "playful" {
			t.Errorf("%s: the brief's tone reads %q", when, got)
		}
	}

	// Cancel changes nothing.
	r.do(chromedp.Click(chromedp.CSS("#brief-submit")))
	asked("Write drafts")
	r.do(chromedp.Click(chromedp.CSS(`#confirm-dialog .btn-secondary`)))
	unchanged("after Cancel")

	// Enter in a field of the brief asks too; Escape says no.
	r.do(chromedp.Focus(chromedp.CSS("#f-tone")), chromedp.KeyEvent(kb.Enter))
	asked("Enter in the brief")
	r.do(chromedp.KeyEvent(kb.Escape))
	unchanged("after Escape")

	// The answer writes new drafts.
	r.do(chromedp.Click(chromedp.CSS("#brief-submit")))
	asked("Write drafts, again")
	newSet(t, r, `#confirm-dialog .confirm-ok`, first, "the answer")
	if got := r.eval(`document.querySelector("#f-drafts-0-text").value`); got == edited {
		t.Error("the new set still shows the old edit")
	}
	if r.eval(`document.querySelector("#brief-form .flash-error") ? document.querySelector("#brief-form .flash-error").textContent : ""`) != "" {
		t.Error("the brief came back with an error after the answer")
	}

	// Nothing edited or ticked: a new brief asks nothing.
	second := r.eval(`document.querySelector("#drafts-form").getAttribute("data-job")`)
	if got := r.eval(`String(document.querySelector("#brief-submit").hasAttribute("data-confirm"))`); got != "false" {
		t.Error("the untouched drafts' Write drafts asks first")
	}
	newSet(t, r, "#brief-submit", second, "Write drafts on untouched drafts")
	if got := r.eval(`String(!!document.getElementById("confirm-dialog")?.open)`); got != "false" {
		t.Error("the untouched drafts' Write drafts asked first")
	}
	if ex := r.exceptions(); len(ex) > 0 {
		t.Errorf("the page threw: %v", ex)
	}
}

// newSet clicks the button at sel and waits for a set of drafts other
// than the one with the id prev.
func newSet(t *testing.T, r *rewriteTab, sel, prev, what string) {
	t.Helper()
	r.do(chromedp.Click(chromedp.CSS(sel)))
	step, cancel := context.WithTimeout(r.tab, 30*time.Second)
	defer cancel()
	// The new set is in, and htmx has taken up the brief's form that came
	// with it (its initHash): a click before that, in the few
	// milliseconds of the swap's settling, sends the form without htmx,
	// as a browser without scripts would, which is another test's path.
	if _, err := chromedp.Run(step, chromedp.Poll[bool](`(() => {
		const f = document.querySelector('#generation[data-state="done"] #drafts-form');
		const b = document.querySelector('#brief-form');
		const d = b && b['htmx-internal-data'];
		return !!f && f.getAttribute("data-job") !== `+strconv.Quote(prev)+` && !!d && !!d.initHash;
	})()`, chromedp.WithPollingTimeout(20*time.Second))); err != nil {
		t.Fatalf("%s wrote no new drafts: %v; page: %s", what, err, browsertest.PageState(r.tab))
	}
}
