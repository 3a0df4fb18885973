package app

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"copylab/static/browsertest"
)

// editAndTick has the marketer, on a page of three drafts, write draft 1
// in her own words and tick draft 3, and returns the drafts' job.
func editAndTick(t *testing.T, r *rewriteTab, edited string) string {
	t.Helper()
	signInTab(t, r.tab, r.base+"/login?next=/experiments/"+r.x.ID+"/generate", "ann@example.com", chromedp.EmulateViewport(1280, 800))
	r.do(chromedp.WaitVisible(chromedp.CSS("#brief-form")),
		chromedp.SetValue(chromedp.CSS("#f-goal"), "Get visitors to start a free trial"),
		chromedp.SetValue(chromedp.CSS("#f-n"), "3"),
		chromedp.Click(chromedp.CSS("#brief-submit")),
		chromedp.WaitVisible(chromedp.CSS(`#generation[data-state="done"] #draft-2`)),
		chromedp.Evaluate[chromedp.Void](`document.querySelector("#draft-0").scrollIntoView({block: "center"})`),
		chromedp.Clear(chromedp.CSS("#f-drafts-0-text")), chromedp.SendKeys(chromedp.CSS("#f-drafts-0-text"), edited),
		chromedp.Evaluate[chromedp.Void](`document.querySelector("#draft-2").scrollIntoView({block: "center"})`),
		chromedp.Click(chromedp.CSS("#draft-2 [data-include]")))
	return r.eval(`document.querySelector("#drafts-form").getAttribute("data-job")`)
}

// answerQuestion waits for the page's confirm dialog, checks its
// question (askedQuestion), and presses the button at sel in it.
func answerQuestion(t *testing.T, r *rewriteTab, how, question, okLabel, sel string) {
	t.Helper()
	askedQuestion(t, r, how, question, okLabel)
	r.do(chromedp.Click(chromedp.CSS(sel)))
}

// askedQuestion waits for the page's confirm dialog and checks its
// question and the label of its answer button.
func askedQuestion(t *testing.T, r *rewriteTab, how, question, okLabel string) {
	t.Helper()
	if _, err := chromedp.Run(r.tab, chromedp.Poll[bool](`!!document.getElementById("confirm-dialog")?.open`,
		chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("%s: no question asked: %v; page: %s", how, err, browsertest.PageState(r.tab))
	}
	if got := r.eval(`document.querySelector("#confirm-dialog .confirm-question").textContent`); got != question {
		t.Errorf("%s: asked %q, want %q", how, got, question)
	}
	if got := r.eval(`document.querySelector("#confirm-dialog .confirm-ok").textContent`); got != okLabel {
		t.Errorf("%s: the answer button says %q, want %q", how, got, okLabel)
	}
}

const tryAgainBtn = `#generation button[form="brief-form"]`

// TestBrowserTryAgainAsksBeforeReplacingEdits: the reviewer's steps. The
// drafts are ready; the marketer writes draft 1 in her own words and
// ticks draft 3; the model service fails (HTTP 500) the brief she then
// sends, after she said yes to replacing them; the page says they stay as
// she left them, below the failure. Try again would replace them as
// surely as Write drafts: it asks the same question first, and Cancel
// sends nothing and keeps her edit and tick. Its answer writes new
// drafts.
func TestBrowserTryAgainAsksBeforeReplacingEdits(t *testing.T) {
	r := draftingTab(t)
	const edited = "My own careful wording"
	first := editAndTick(t, r, edited)
	const question = "Get new drafts for this brief? Your edits to 1 draft and your tick on 1 draft will be replaced."

	// Held, so that the failure comes by the progress's poll, with the
	// drafts below it, as it did for the reviewer.
	release := r.llm.hold()
	defer release()
	r.llm.setReply(failWith(http.StatusInternalServerError, nil, "boom"))
	r.do(chromedp.Click(chromedp.CSS("#brief-submit")))
	answerQuestion(t, r, "Write drafts", question, "Write drafts", "#confirm-dialog .confirm-ok")
	r.do(chromedp.WaitVisible(chromedp.CSS(`#generation[data-state="running"]`)))
	release()
	r.do(chromedp.WaitVisible(chromedp.CSS(`#generation[data-state="failed"] ` + `button[form="brief-form"]`)))
	if _, err := chromedp.Run(r.tab, chromedp.Poll[bool](`(document.querySelector("#previous-drafts-note")?.textContent || "").includes("stay as you left them")`,
		chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("the drafts below the failure do not say they stay: %v; page: %s", err, browsertest.PageState(r.tab))
	}
	r.llm.setReply(nil) // the model service is back
	calls := r.llm.calls()

	unchanged := func(when string) {
		t.Helper()
		time.Sleep(300 * time.Millisecond) // a request sent would have had time to leave
		if n := r.llm.calls(); n != calls {
			t.Errorf("%s: %d model calls, want none", when, n-calls)
		}
		if got := r.eval(`document.querySelector("#drafts-form")?.getAttribute("data-job") || "(none)"`); got != first {
			t.Fatalf("%s: the drafts are %s, want the set she edited, %s", when, got, first)
		}
		if got := r.eval(`document.querySelector("#f-drafts-0-text").value`); got != edited {
			t.Errorf("%s: draft 1 reads %q, want her edit", when, got)
		}
		if got := r.eval(`String(document.querySelector("#draft-2 [data-include]").checked)`); got != "true" {
			t.Errorf("%s: draft 3 is no longer ticked", when)
		}
	}

	// Write drafts asks (it did before), Cancel.
	r.do(chromedp.Click(chromedp.CSS("#brief-submit")))
	answerQuestion(t, r, "Write drafts after the failure", question, "Write drafts", "#confirm-dialog .btn-secondary")
	unchanged("after Cancel on Write drafts")

	// Try again asks the same, and Cancel keeps everything.
	r.do(chromedp.Evaluate[chromedp.Void](`document.querySelector('`+tryAgainBtn+`').scrollIntoView({block: "center"})`),
		chromedp.Click(chromedp.CSS(tryAgainBtn)))
	answerQuestion(t, r, "Try again", question, "Try again", "#confirm-dialog .btn-secondary")
	unchanged("after Cancel on Try again")

	// The answer writes new drafts.
	r.do(chromedp.Click(chromedp.CSS(tryAgainBtn)), chromedp.WaitVisible(chromedp.CSS(`#confirm-dialog .confirm-ok`)))
	newSet(t, r, "#confirm-dialog .confirm-ok", first, "Try again's answer")
	if msg := r.eval(`document.querySelector("#brief-form .flash-error")?.textContent || ""`); msg != "" {
		t.Errorf("the brief came back with %q after the answer", msg)
	}
	if ex := r.exceptions(); len(ex) > 0 {
		t.Errorf("the page threw: %v", ex)
	}
}

// TestBrowserTryAgainAfterARateLimit: the model service refuses the new
// brief with a wait (HTTP 429, Retry-After); the failure comes at once,
// with the way back to the previous drafts, not the drafts themselves.
// While the wait is counted down beside Try again, the failure's
// sentence names no time of its own, and once the button is enabled
// nothing on the page says to wait. Try again then does not replace the
// drafts she edited, ticked and had rewritten, which the page does not
// show: it asks first, naming them, and after Cancel they are as she
// left them.
func TestBrowserTryAgainAfterARateLimit(t *testing.T) {
	r := draftingTab(t)
	const edited = "My own careful wording"
	first := editAndTick(t, r, edited)
	// And draft 2 rewritten, shorter.
	r.do(chromedp.Evaluate[chromedp.Void](`document.querySelector("#draft-1").scrollIntoView({block: "center"})`),
		chromedp.Click(chromedp.CSS(`#draft-1 [data-instruction="shorter"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#draft-1:not(.draft-busy) .regen-message`)))
	rewritten := r.eval(`document.querySelector("#f-drafts-1-text").value`)

	// Eight seconds: under -race on a busy machine the failure may take a
	// few seconds to come, and a shorter wait could be over by then.
	rateLimitedOnce(r.llm, 8)
	r.do(chromedp.Click(chromedp.CSS("#brief-submit")))
	answerQuestion(t, r, "Write drafts",
		"Get new drafts for this brief? Your edits to 2 drafts and your tick on 1 draft will be replaced.", "Write drafts",
		"#confirm-dialog .confirm-ok")
	r.do(chromedp.WaitVisible(chromedp.CSS(`#generation[data-state="failed"] ` + `button[form="brief-form"]`)))

	said := func() string {
		return r.eval(`document.querySelector("#generation").innerText`)
	}
	if got := r.eval(`document.querySelector('#generation .flash-error').textContent`); got != "The model service is rate limiting requests." {
		t.Errorf("during the countdown the failure says %q, want no wait of its own", got)
	}
	if s := said(); !strings.Contains(s, "You can try again in ") {
		t.Errorf("no countdown beside Try again: %q", s)
	}
	deadline := time.Now().Add(14 * time.Second)
	for r.eval(`String(document.querySelector('`+tryAgainBtn+`').disabled)`) == "true" {
		if time.Now().After(deadline) {
			t.Fatal("Try again was still disabled 14 seconds after a wait of 8")
		}
		time.Sleep(100 * time.Millisecond)
	}
	for _, stale := range []string{"wait", "try again in", "minute", "second"} {
		if s := said(); strings.Contains(strings.ToLower(s), stale) {
			t.Errorf("with Try again enabled the failure still says %q: %q", stale, s)
		}
	}

	calls := r.llm.calls()
	r.do(chromedp.Evaluate[chromedp.Void](`document.querySelector('`+tryAgainBtn+`').scrollIntoView({block: "center"})`),
		chromedp.Click(chromedp.CSS(tryAgainBtn)))
	answerQuestion(t, r, "Try again",
		"Get new drafts for this brief? New drafts replace the 3 drafts of your previous brief. Your edits to 2 drafts and your tick on 1 draft will be replaced.",
		"Try again", "#confirm-dialog .btn-secondary")
	time.Sleep(300 * time.Millisecond)
	if n := r.llm.calls(); n != calls {
		t.Errorf("Try again called the model %d times before an answer", n-calls)
	}

	// The previous drafts are as she left them.
	r.do(chromedp.Click(chromedp.CSS(`#generation a[href$="?job=`+first+`"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#generation[data-state="done"] #draft-2`)))
	if got := r.eval(`document.querySelector("#drafts-form").getAttribute("data-job")`); got != first {
		t.Fatalf("the previous drafts are %s, want %s", got, first)
	}
	if got := r.eval(`document.querySelector("#f-drafts-0-text").value`); got != edited {
		t.Errorf("draft 1 reads %q, want her edit", got)
	}
	if got := r.eval(`document.querySelector("#f-drafts-1-text").value`); got != rewritten {
		t.Errorf("draft 2 reads %q, want the rewrite %q", got, rewritten)
	}
	if got := r.eval(`String(document.querySelector("#draft-2 [data-include]").checked)`); got != "true" {
		t.Error("draft 3 is no longer ticked")
	}
	if ex := r.exceptions(); len(ex) > 0 {
		t.Errorf("the page threw: %v", ex)
	}
}
