package app

import (
	"strconv"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"copylab/static/browsertest"
)

// TestBrowserBackDuringAGenerationShowsTheServersPage: after a first set
// of drafts, the marketer sends a new brief and, while it is written,
// presses Back, and Forward once it is done, and Back again. Each step
// shows the page as the server has it then, not a snapshot htmx took as
// the brief left: once the new drafts are written they replace the first
// set, and Back to the first set's address shows the new drafts, with
// the word that they replaced the first, not the first set as if it
// could still be added.
func TestBrowserBackDuringAGenerationShowsTheServersPage(t *testing.T) {
	r := draftingTab(t)
	signInTab(t, r.tab, r.base+"/login?next=/experiments/"+r.x.ID+"/generate", "ann@example.com", chromedp.EmulateViewport(1280, 900))
	r.do(chromedp.WaitVisible(chromedp.CSS("#brief-form")),
		chromedp.SetValue(chromedp.CSS("#f-goal"), "Get visitors to start a free trial"),
		chromedp.SetValue(chromedp.CSS("#f-n"), "2"),
		chromedp.Click(chromedp.CSS("#brief-submit")),
		chromedp.WaitVisible(chromedp.CSS(`#generation[data-state="done"] #draft-1`)))
	first := r.eval(`document.querySelector("#drafts-form").getAttribute("data-job")`)
	firstURL := r.eval(`location.href`)

	// A new brief, held at the model: its generation runs.
	release := r.llm.hold()
	defer release()
	r.do(chromedp.SetValue(chromedp.CSS("#f-tone"), "playful"),
		chromedp.Click(chromedp.CSS("#brief-submit")),
		chromedp.WaitVisible(chromedp.CSS(`#generation[data-state="running"]`)))
	secondURL := r.eval(`location.href`)
	if secondURL == firstURL {
		t.Fatalf("the new brief's page kept the first job's address %s", secondURL)
	}

	// step steps through the tab's history and waits for the page to settle
	// at the address want: whatever it shows first (a snapshot, or the
	// page going on to load), the page it settles on is what counts.
	step := func(how, want string) {
		t.Helper()
		r.do(chromedp.Evaluate[chromedp.Void](how))
		settled := func() bool {
			for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
				// A page that reloads interrupts the question: ask again.
				ok, err := chromedp.Run(r.tab, chromedp.Evaluate[bool](`location.href === `+strconv.Quote(want)+
					` && document.readyState === "complete" && !!document.querySelector("#generation")`))
				if err == nil && ok {
					return true
				}
			}
			return false
		}
		if !settled() {
			t.Fatalf("%s: no generation shown at %s; page: %s", how, want, browsertest.PageState(r.tab))
		}
		time.Sleep(1500 * time.Millisecond)
		if !settled() {
			t.Fatalf("%s: the page went on to show no generation at %s; page: %s", how, want, browsertest.PageState(r.tab))
		}
	}

	// Back while the new brief is written: the first set's address, with
	// a brief button that works. (What the server shows there while the
	// new brief is written is its own affair: it keeps the first set
	// until the new drafts are there.)
	step(`history.back()`, firstURL)
	if got := r.eval(`String(document.querySelector("#brief-submit").disabled)`); got != "false" {
		t.Errorf("after Back the Write drafts button is disabled; page: %s", browsertest.PageState(r.tab))
	}
	t.Logf("Back while the new brief is written shows: generation %s, drafts of the first set: %s",
		r.eval(`document.querySelector("#generation").getAttribute("data-state")`),
		r.eval(`String(!!document.querySelector('#drafts-form[data-job="`+first+`"]'))`))

	// The new drafts are written; Forward shows them.
	release()
	step(`history.forward()`, secondURL)
	r.do(chromedp.WaitVisible(chromedp.CSS(`#generation[data-state="done"] #draft-1`)))
	second := r.eval(`document.querySelector("#drafts-form").getAttribute("data-job")`)
	if second == first {
		t.Fatal("the new brief's page shows the first set of drafts")
	}

	// Back to the first set's address: its drafts were replaced.
	step(`history.back()`, firstURL)
	if got := r.eval(`(document.querySelector("#drafts-form") || {getAttribute: function () { return "none"; }}).getAttribute("data-job")`); got != second {
		want := "the new brief's"
		if got == first {
			t.Errorf("after Back the page shows the replaced drafts, ready to add; want %s", want)
		} else {
			t.Errorf("after Back the page shows drafts %q; want %s", got, want)
		}
	}
	if got := r.eval(`(document.querySelector("#brief-form .flash-error") || {}).textContent || ""`); got != replacedText(true, "They are below.") {
		t.Errorf("after Back the page says %q", got)
	}
	if got := r.eval(`document.querySelector("#f-tone").value`); got != "playful" {
		t.Errorf("after Back the brief's tone reads %q, want the new brief's", got)
	}
	if ex := r.exceptions(); len(ex) > 0 {
		t.Errorf("the page threw: %v", ex)
	}
}
