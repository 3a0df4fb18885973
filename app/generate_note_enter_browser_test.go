package app

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"
)

// regenRequestsJS lists the rewrite requests the page has made, as paths
// with their query.
const regenRequestsJS = `performance.getEntriesByType("resource").map(function (e) { return e.name; }).
	filter(function (u) { return u.indexOf("/regenerate") >= 0; }).map(function (u) { var l = new URL(u); return l.pathname + l.search; })`

// TestBrowserNoteEnterRewritesItsDraft: Enter in draft 2's "Or say what to
// change" box asks for draft 2's rewrite with the words typed, and only
// that: it used to press the drafts form's first button, draft 1's
// Shorter, which rewrote draft 1 over the person's hand edit.
func TestBrowserNoteEnterRewritesItsDraft(t *testing.T) {
	r := twoDraftsInTab(t)
	edited := "Plan the launch in one calm place, by hand"
	r.do(chromedp.Evaluate[chromedp.Void](`document.querySelector("#draft-0").scrollIntoView({block: "center"})`),
		chromedp.Clear(chromedp.CSS("#f-drafts-0-text")), chromedp.SendKeys(chromedp.CSS("#f-drafts-0-text"), edited),
		chromedp.Evaluate[chromedp.Void](`document.querySelector("#draft-1").scrollIntoView({block: "center"})`),
		chromedp.SendKeys(chromedp.CSS("#f-drafts-1-note"), "mention the free trial"),
		chromedp.KeyEvent(kb.Enter))
	if _, err := chromedp.Run(r.tab, chromedp.Poll[bool](`!!document.querySelector("#draft-1:not(.draft-busy) .regen-message")`,
		chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Errorf("draft 2 was not rewritten: rewrites asked %v", r.evalList(regenRequestsJS))
	}
	if got := r.evalList(regenRequestsJS); len(got) != 1 || !strings.HasSuffix(got[0], "/drafts/1/regenerate?instruction=custom") {
		t.Errorf("Enter asked for the rewrites %v, want draft 2's own (drafts/1, custom)", got)
	}
	if req := r.llm.lastRequest(); !strings.Contains(req, "mention the free trial") {
		t.Errorf("the model was not asked with the words typed: %s", req)
	}
	if got := r.eval(`document.querySelector("#f-drafts-0-text").value`); got != edited {
		t.Errorf("draft 1's hand edit became %q", got)
	}

	// Enter on a tick box asks for nothing: no rewrite, no page sent.
	r.do(chromedp.Evaluate[chromedp.Void](`window.copylabStayed = true`),
		chromedp.Focus(chromedp.CSS("#draft-0 [data-include]")), chromedp.KeyEvent(kb.Enter), chromedp.Sleep(500*time.Millisecond))
	if got := r.eval(`String(window.copylabStayed === true) + " " + String(document.querySelectorAll(".draft-busy").length)`); got != "true 0" {
		t.Errorf("Enter on a tick box sent the page or asked for a rewrite (stayed, busy cards: %s)", got)
	}
	if got := r.evalList(regenRequestsJS); len(got) != 1 {
		t.Errorf("after Enter on a tick box the rewrites asked are %v", got)
	}
	if ex := r.exceptions(); len(ex) > 0 {
		t.Errorf("the page threw: %v", ex)
	}
}

// TestBrowserNoteEnterWithoutJavaScript: the drafting page works without
// JavaScript, and there too Enter in draft 2's box rewrites draft 2 with
// the words typed, keeping draft 1's hand edit.
func TestBrowserNoteEnterWithoutJavaScript(t *testing.T) {
	r := twoDraftsInTab(t)
	job := r.eval(`location.href`)
	if _, err := chromedp.Call(r.tab, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatal(err)
	}
	r.do(chromedp.Navigate(job), chromedp.WaitVisible(chromedp.CSS("#f-drafts-1-note")))
	if got := r.eval(`typeof htmx`); got != "undefined" {
		t.Fatalf("scripts still run: htmx is %s", got)
	}
	edited := "Plan the launch in one calm place, by hand"
	r.do(chromedp.Clear(chromedp.CSS("#f-drafts-0-text")), chromedp.SendKeys(chromedp.CSS("#f-drafts-0-text"), edited),
		chromedp.SendKeys(chromedp.CSS("#f-drafts-1-note"), "mention the free trial"))
	if _, err := chromedp.Run(r.tab, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.KeyEvent(kb.Enter))); err != nil {
		t.Fatal(err)
	}
	// Without JavaScript the page does not poll: reload until the
	// rewrite is done, as the person would with the Refresh link.
	for deadline := time.Now().Add(10 * time.Second); r.eval(`String(!!document.querySelector("#draft-1:not(.draft-busy) .regen-message"))`) != "true"; {
		if time.Now().After(deadline) {
			t.Fatalf("draft 2 was not rewritten; the page: %s", r.eval(`document.querySelector("#generation") ? document.querySelector("#generation").innerText : document.body.innerText`))
		}
		r.do(chromedp.Sleep(100*time.Millisecond), chromedp.Navigate(job))
	}
	if req := r.llm.lastRequest(); !strings.Contains(req, "mention the free trial") {
		t.Errorf("the model was not asked with the words typed: %s", req)
	}
	if got := r.eval(`document.querySelector("#f-drafts-0-text").value`); got != edited {
		t.Errorf("draft 1's hand edit became %q", got)
	}
	if got := r.eval(`document.querySelector("#draft-0 .regen-message") ? document.querySelector("#draft-0 .regen-message").textContent : ""`); got != "" {
		t.Errorf("draft 1 was rewritten: %q", got)
	}
}

func (r *rewriteTab) evalList(js string) []string {
	r.t.Helper()
	s, err := chromedp.Run(r.tab, chromedp.Evaluate[[]string](js))
	if err != nil {
		r.t.Fatalf("%s: %v", js, err)
	}
	return s
}
