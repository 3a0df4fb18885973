package app

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// TestBrowserNewBriefWithoutJavaScriptAsksAfterRefresh: in Chromium with
// scripts off, a brief's drafts arrive by the progress's Refresh link, not
// by a poll. The brief form of that page names them (its job field), so a
// new brief sent from it asks before its drafts replace them, and Replace
// the drafts writes new ones.
func TestBrowserNewBriefWithoutJavaScriptAsksAfterRefresh(t *testing.T) {
	r := draftingTab(t)
	if _, err := chromedp.Call(r.tab, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	signInTab(t, r.tab, r.base+"/login?next=/experiments/"+r.x.ID+"/generate", "ann@example.com", chromedp.EmulateViewport(1280, 900))
	release := r.llm.hold()
	defer release()
	r.do(chromedp.WaitVisible(chromedp.CSS("#brief-form")),
		chromedp.SetValue(chromedp.CSS("#f-goal"), "Get visitors to start a free trial"),
		chromedp.SetValue(chromedp.CSS("#f-n"), "3"))
	if got := r.eval(`typeof htmx`); got != "undefined" {
		t.Fatalf("scripts still run: htmx is %s", got)
	}
	load := func(a chromedp.Action[chromedp.Void]) {
		t.Helper()
		if _, err := chromedp.Run(r.tab, chromedp.WaitEvent(page.LoadEventFired, nil, a)); err != nil {
			t.Fatal(err)
		}
	}
	load(chromedp.Click(chromedp.CSS("#brief-submit")))
	if got := r.eval(`document.querySelector("#generation").getAttribute("data-state")`); got != "running" {
		t.Fatalf("the brief's page shows %q, want the progress", got)
	}
	release()
	for deadline := time.Now().Add(10 * time.Second); r.eval(`document.querySelector("#generation").getAttribute("data-state")`) != "done"; {
		if time.Now().After(deadline) {
			t.Fatal("the drafts never arrived by the Refresh link")
		}
		load(chromedp.Click(chromedp.CSS(".refresh-link")))
	}
	job := r.eval(`document.querySelector("#drafts-form").getAttribute("data-job")`)
	if got := r.eval(`document.querySelector('#brief-form [name="job"]').value`); got != job {
		t.Fatalf("the brief form names job %q, the drafts are %q", got, job)
	}

	calls := r.llm.calls()
	load(chromedp.Click(chromedp.CSS("#brief-submit")))
	if got := r.eval(`document.querySelector("#f-replace-error") ? document.querySelector("#f-replace-error").textContent : ""`); !strings.HasPrefix(got, "New drafts replace the 3 drafts below") {
		t.Errorf("the new brief came back with %q, want the question", got)
	}
	if n := r.llm.calls(); n != calls {
		t.Errorf("%d model calls before the answer, want none", n-calls)
	}
	if got := r.eval(`document.querySelector("#drafts-form").getAttribute("data-job")`); got != job {
		t.Errorf("the drafts below are another set: %q", got)
	}

	load(chromedp.Click(chromedp.CSS(`#brief-form button[name="replace"]`)))
	if got := r.eval(`new URL(location.href).searchParams.get("job") || ""`); got == "" || got == job {
		t.Errorf("Replace the drafts went to %s, want the new brief's page", r.eval(`location.href`))
	}
}
