package app

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"copylab/static/browsertest"
)

// TestBrowserNewBriefAsksForAnotherTabsEdits: the same drafts open in two
// tabs, A and B. In B the marketer edits draft 1 and ticks draft 3; in A
// they edit draft 2, change the tone and press Write drafts. The new
// drafts would replace B's work too, which this browser keeps for the
// job, so A asks first, naming both tabs' work, though A's draft 1 and 3
// are as written (and A's edit, kept after B's, did not push B's out);
// Cancel sends nothing.
func TestBrowserNewBriefAsksForAnotherTabsEdits(t *testing.T) {
	r := draftingTab(t)
	signInTab(t, r.tab, r.base+"/login?next=/experiments/"+r.x.ID+"/generate", "ann@example.com", chromedp.EmulateViewport(1280, 900))
	r.do(chromedp.WaitVisible(chromedp.CSS("#brief-form")),
		chromedp.SetValue(chromedp.CSS("#f-goal"), "Get visitors to start a free trial"),
		chromedp.SetValue(chromedp.CSS("#f-n"), "3"),
		chromedp.Click(chromedp.CSS("#brief-submit")),
		chromedp.WaitVisible(chromedp.CSS(`#generation[data-state="done"] #draft-2`)))
	job := r.eval(`location.href`)
	first := r.eval(`document.querySelector("#drafts-form").getAttribute("data-job")`)

	// Tab B: another tab of the same browser (its cookies and storage).
	b, closeB := chromedp.NewContext(r.tab)
	defer closeB()
	const edited = "Plan the launch in one calm place, by hand"
	if err := chromedp.Do(b, chromedp.EmulateViewport(1280, 900), chromedp.Navigate(job), chromedp.WaitVisible(chromedp.CSS("#draft-2")),
		chromedp.Evaluate[chromedp.Void](`document.querySelector("#draft-0").scrollIntoView({block: "center"})`),
		chromedp.Clear(chromedp.CSS("#f-drafts-0-text")), chromedp.SendKeys(chromedp.CSS("#f-drafts-0-text"), edited),
		chromedp.Evaluate[chromedp.Void](`document.querySelector("#draft-2").scrollIntoView({block: "center"})`),
		chromedp.Click(chromedp.CSS("#draft-2 [data-include]"))); err != nil {
		t.Fatal(err)
	}

	// Tab A: draft 1 reads as written, and draft 2 gets an edit.
	if got := r.eval(`document.querySelector("#f-drafts-0-text").value`); got == edited {
		t.Fatal("tab A shows B's edit; the test needs A's draft 1 as written")
	}
	r.do(chromedp.Evaluate[chromedp.Void](`document.querySelector("#draft-1").scrollIntoView({block: "center"})`),
		chromedp.SendKeys(chromedp.CSS("#f-drafts-1-text"), ", today"))
	calls := r.llm.calls()
	r.do(chromedp.SetValue(chromedp.CSS("#f-tone"), "playful"),
		chromedp.Click(chromedp.CSS("#brief-submit")))
	const question = "Get new drafts for this brief? Your edits to 2 drafts and your tick on 1 draft will be replaced."
	if _, err := chromedp.Run(r.tab, chromedp.Poll[bool](`!!document.getElementById("confirm-dialog")?.open`,
		chromedp.WithPollingTimeout(5*time.Second))); err != nil {
		t.Fatalf("Write drafts in tab A asked nothing, and the new drafts would replace B's edit: %v; page: %s", err, browsertest.PageState(r.tab))
	}
	if got := r.eval(`document.querySelector("#confirm-dialog .confirm-question").textContent`); got != question {
		t.Errorf("tab A asked %q, want %q", got, question)
	}
	r.do(chromedp.Click(chromedp.CSS(`#confirm-dialog .btn-secondary`)))
	time.Sleep(300 * time.Millisecond) // a request sent would have had time to leave
	if n := r.llm.calls(); n != calls {
		t.Errorf("after Cancel: %d model calls, want none", n-calls)
	}
	if got := r.eval(`document.querySelector("#drafts-form").getAttribute("data-job")`); got != first {
		t.Error("after Cancel tab A shows another set of drafts")
	}

	// The answer writes new drafts; B's Add then finds its drafts
	// replaced. (What B says then is logged: its words are the server's.)
	r.do(chromedp.Click(chromedp.CSS("#brief-submit")), chromedp.WaitVisible(chromedp.CSS(`#confirm-dialog .confirm-ok`)))
	newSet(t, r, `#confirm-dialog .confirm-ok`, first, "the answer in tab A")
	step, cancel := context.WithTimeout(b, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(step, chromedp.Evaluate[chromedp.Void](`document.querySelector("[data-approve]").click()`), chromedp.Sleep(time.Second)); err != nil {
		t.Fatal(err)
	}
	said, err := chromedp.Run(step, chromedp.Evaluate[string](`location.href + " | " + document.querySelector("main").innerText`))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("tab B after Add: %.400s", said)
	if ex := r.exceptions(); len(ex) > 0 {
		t.Errorf("the page threw: %v", ex)
	}
}
