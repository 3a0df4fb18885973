package app

import (
	"testing"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
)

// TestBrowserDraftEditsSurviveAReload: what the person typed and ticked
// in the drafts (a text, an untick, a request in a box) is still there
// after a reload and after leaving the page and coming back, as the
// progress note promises, with the counts and the approve button to
// match; a rewrite finished since wins over an older edit of its draft;
// and Add sends what the page shows, then forgets what it kept.
func TestBrowserDraftEditsSurviveAReload(t *testing.T) {
	r := twoDraftsInTab(t)
	job := r.eval(`location.href`)
	edited := "Plan the launch in one calm place, by hand"
	r.do(chromedp.Evaluate[chromedp.Void](`document.querySelector("#draft-0").scrollIntoView({block: "center"})`),
		chromedp.Clear(chromedp.CSS("#f-drafts-0-text")), chromedp.SendKeys(chromedp.CSS("#f-drafts-0-text"), edited),
		chromedp.SendKeys(chromedp.CSS("#f-drafts-0-note"), "warmer"),
		chromedp.Evaluate[chromedp.Void](`document.querySelector("#draft-1").scrollIntoView({block: "center"})`),
		chromedp.Click(chromedp.CSS("#draft-1 [data-include]")))

	check := func(when string) {
		t.Helper()
		if got := r.eval(`document.querySelector("#f-drafts-0-text").value`); got != edited {
			t.Errorf("%s: draft 1 reads %q, want the edit %q", when, got, edited)
		}
		if got := r.eval(`document.querySelector("#f-drafts-0-text-count").textContent`); got != "42 / 70 characters" {
			t.Errorf("%s: the count says %q", when, got)
		}
		if got := r.eval(`String(document.querySelector("#draft-0 [data-edited]").hidden)`); got != "false" {
			t.Errorf("%s: the edited badge is hidden", when)
		}
		if got := r.eval(`document.querySelector("#f-drafts-0-note").value`); got != "warmer" {
			t.Errorf("%s: draft 1's box reads %q", when, got)
		}
		if got := r.eval(`String(document.querySelector("#draft-1 [data-include]").checked)`); got != "false" {
			t.Errorf("%s: draft 2 is ticked again", when)
		}
		if got := r.eval(`String(document.querySelector("#draft-1").classList.contains("draft-excluded"))`); got != "true" {
			t.Errorf("%s: draft 2 is not marked as left out", when)
		}
		if got := r.eval(`document.querySelector("[data-approve]").textContent`); got != "Add 1 draft to the experiment" {
			t.Errorf("%s: the approve button says %q", when, got)
		}
	}
	r.do(chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#draft-1")))
	check("after a reload")
	r.do(chromedp.Navigate(r.base+"/experiments/"+r.x.ID), chromedp.WaitVisible(chromedp.CSS("h1")),
		chromedp.Navigate(r.base+"/experiments/"+r.x.ID+"/generate"), chromedp.WaitVisible(chromedp.CSS("#draft-1")))
	check("back from the experiment's page")

	// Edit draft 2's text, then have it rewritten: the rewrite is newer
	// than the edit, so the reload shows the rewrite.
	r.do(chromedp.Navigate(job), chromedp.WaitVisible(chromedp.CSS("#draft-1")),
		chromedp.Evaluate[chromedp.Void](`document.querySelector("#draft-1").scrollIntoView({block: "center"})`),
		chromedp.Clear(chromedp.CSS("#f-drafts-1-text")), chromedp.SendKeys(chromedp.CSS("#f-drafts-1-text"), "An edit the rewrite replaces"),
		chromedp.Click(chromedp.CSS(`#draft-1 [data-instruction="more like this"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#draft-1:not(.draft-busy) .regen-message`)))
	rewritten := r.eval(`document.querySelector("#f-drafts-1-text").value`)
	if rewritten == "An edit the rewrite replaces" {
		t.Fatal("the rewrite did not change draft 2")
	}
	r.do(chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS("#draft-1")))
	if got := r.eval(`document.querySelector("#f-drafts-1-text").value`); got != rewritten {
		t.Errorf("after the rewrite and a reload draft 2 reads %q, want the rewrite %q", got, rewritten)
	}
	check("after the rewrite and a reload")

	// Add sends the drafts as the page shows them.
	if _, err := chromedp.Run(r.tab, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS("[data-approve]")))); err != nil {
		t.Fatal(err)
	}
	x, err := r.store.Experiment(t.Context(), r.x.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(x.Variants) != 2 || x.Variants[1].Text != edited {
		t.Errorf("added %+v, want only draft 1 as edited", x.Variants)
	}
	if got := r.eval(`String(Object.keys(localStorage).concat(Object.keys(sessionStorage)).filter(function (k) { return k.indexOf("copylab.drafts") === 0; }).length)`); got != "0" {
		t.Errorf("the browser still keeps %s drafts' edits after they were added", got)
	}
	if ex := r.exceptions(); len(ex) > 0 {
		t.Errorf("the page threw: %v", ex)
	}
}
