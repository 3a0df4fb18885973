package app

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"copylab/experiments"
	"copylab/static/browsertest"
)

// TestBrowserRewriteKeepsTheUntick unticks a draft in Chromium while it
// is rewritten: when the rewrite is done and its card swapped in, the box
// stays unticked, the approve button counts one draft, and adding them
// adds only the other.
func TestBrowserRewriteKeepsTheUntick(t *testing.T) {
	r := twoDraftsInTab(t)
	llm, do, eval := r.llm, r.do, r.eval

	release := llm.hold()
	defer release()
	// Scrolled to the middle first: the sticky approve bar covers the
	// bottom of the window.
	do(chromedp.Evaluate[chromedp.Void](`document.querySelector("#draft-0").scrollIntoView({block: "center"})`),
		chromedp.Click(chromedp.CSS(`#draft-0 [data-instruction="shorter"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#draft-0.draft-busy`)),
		chromedp.Click(chromedp.CSS(`#draft-0 [data-include]`)))
	if got := eval(`String(document.querySelector("#draft-0 [data-include]").checked)`); got != "false" {
		t.Fatalf("the box did not untick: %s", got)
	}
	release()
	do(chromedp.WaitVisible(chromedp.CSS(`#draft-0:not(.draft-busy) .regen-message`)))
	if got := eval(`String(document.querySelector("#draft-0 [data-include]").checked)`); got != "false" {
		t.Error("the finished rewrite ticked the draft again")
	}
	if got := eval(`document.querySelector("[data-approve]").textContent`); got != "Add 1 draft to the experiment" {
		t.Errorf("approve button %q", got)
	}

	r.approveOnlySecond()
}

// TestBrowserRewriteKeepsAnUntickDuringTheLastPoll unticks a draft in
// Chromium after its rewriting card's last poll has left, while the
// answer is on its way back (held in the browser's network layer). The
// server rendered that answer from the poll, with the box ticked; the
// card swapped in keeps the box as the person left it, unticked, and so
// do the approve button's count and the drafts added.
func TestBrowserRewriteKeepsAnUntickDuringTheLastPoll(t *testing.T) {
	r := twoDraftsInTab(t)
	llm, do, eval := r.llm, r.do, r.eval

	release := llm.hold()
	defer release()
	do(chromedp.Evaluate[chromedp.Void](`document.querySelector("#draft-0").scrollIntoView({block: "center"})`),
		chromedp.Click(chromedp.CSS(`#draft-0 [data-instruction="shorter"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#draft-0.draft-busy`)))

	// From now on every answer to the card's poll waits in the browser
	// until the test lets it go. The model answers once the first is
	// held: htmx sends one poll of a card at a time, so no poll can slip
	// past. Busy answers go on at once; the first that is not busy is
	// the last poll's, and the person unticks while it is held.
	var final string
	lastPoll := func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		lctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		defer cancel()
		paused := cdp.Events(lctx, tg, fetch.RequestPaused)
		if _, err := cdp.Call(ctx, tg, fetch.Enable, fetch.EnableParams{Patterns: []*fetch.RequestPattern{
			{URLPattern: "*/drafts/0*", RequestStage: fetch.RequestStageResponse}}}); err != nil {
			return chromedp.Void{}, err
		}
		defer cdp.Call(ctx, tg, fetch.Disable, cdp.Empty{})
		for ev, err := range paused {
			if err != nil {
				return chromedp.Void{}, fmt.Errorf("waiting for the last poll: %w", err)
			}
			if ev.Request.Method != http.MethodGet {
				return chromedp.Void{}, fmt.Errorf("unexpected %s %s", ev.Request.Method, ev.Request.URL)
			}
			body, err := cdp.Call(ctx, tg, fetch.GetResponseBody, fetch.GetResponseBodyParams{RequestID: ev.RequestID})
			if err != nil {
				return chromedp.Void{}, err
			}
			release()
			if !strings.Contains(string(body.Body), "draft-busy") {
				final = string(body.Body)
				if _, err := chromedp.Click(chromedp.CSS(`#draft-0 [data-include]`))(ctx, tg); err != nil {
					return chromedp.Void{}, err
				}
				_, err := cdp.Call(ctx, tg, fetch.ContinueResponse, fetch.ContinueResponseParams{RequestID: ev.RequestID})
				return chromedp.Void{}, err
			}
			if _, err := cdp.Call(ctx, tg, fetch.ContinueResponse, fetch.ContinueResponseParams{RequestID: ev.RequestID}); err != nil {
				return chromedp.Void{}, err
			}
		}
		return chromedp.Void{}, fmt.Errorf("no last poll")
	}
	do(lastPoll)
	// The race is real: the poll left with the box ticked, and the server
	// answered with it ticked.
	if box := includeBox.FindString(final); !strings.Contains(box, "checked") {
		t.Fatalf("the last poll's answer has the box %s; the test needs it ticked", box)
	}

	do(chromedp.WaitVisible(chromedp.CSS(`#draft-0:not(.draft-busy) .regen-message`)))
	if got := eval(`String(document.querySelector("#draft-0 [data-include]").checked)`); got != "false" {
		t.Error("the card swapped in after the untick ticked the draft again")
	}
	if got := eval(`String(document.querySelector("#draft-0").classList.contains("draft-excluded"))`); got != "true" {
		t.Error("the unticked card is not marked as left out")
	}
	if got := eval(`document.querySelector("[data-approve]").textContent`); got != "Add 1 draft to the experiment" {
		t.Errorf("approve button %q", got)
	}
	r.approveOnlySecond()
}

// TestBrowserDraftingStopsWhenDeleted deletes the experiment (as a
// teammate would) while its drafting page polls the progress: the page
// says the experiment is gone, links back to the list, and asks no more.
func TestBrowserDraftingStopsWhenDeleted(t *testing.T) {
	r := draftingTab(t)
	tab, store, x, exceptions, do, eval := r.tab, r.store, r.x, r.exceptions, r.do, r.eval
	release := r.llm.hold()
	defer release()
	// polls counts the requests the page made for the job.
	polls := func() string {
		t.Helper()
		return eval(`String(performance.getEntriesByType("resource").filter(function (e) { return e.name.indexOf("/generate/jobs/") >= 0; }).length)`)
	}

	signInTab(t, tab, r.base+"/login?next=/experiments/"+x.ID+"/generate", "ann@example.com", chromedp.EmulateViewport(1280, 900))
	do(chromedp.WaitVisible(chromedp.CSS("#brief-form")),
		chromedp.SetValue(chromedp.CSS("#f-goal"), "Get visitors to start a free trial"),
		chromedp.Click(chromedp.CSS("#brief-submit")),
		chromedp.WaitVisible(chromedp.CSS(`#generation[data-state="running"]`)))

	if _, err := store.DeleteExperiment(context.Background(), x.ID); err != nil {
		t.Fatal(err)
	}
	do(chromedp.WaitVisible(chromedp.CSS(`#generation[data-state="gone"]`)))
	if got := eval(`document.querySelector("#generation p").textContent`); got != "This experiment has been deleted, so its drafts are gone." {
		t.Errorf("the page says %q", got)
	}
	if got := eval(`document.querySelector("#generation a").getAttribute("href")`); got != "/experiments" {
		t.Errorf("the link goes to %q", got)
	}
	if got := eval(`String(!!document.querySelector("#brief-form"))`); got != "false" {
		t.Error("the brief form is still there, for an experiment that is gone")
	}
	before := polls()
	do(chromedp.Sleep(2500 * time.Millisecond))
	if after := polls(); after != before {
		t.Errorf("the page went on polling: %s requests, then %s", before, after)
	}
	if ex := exceptions(); len(ex) > 0 {
		t.Errorf("the page threw: %v", ex)
	}
}

// rewriteTab is a Chromium tab on copylab with the fake model and Ann's
// draft (draftingTab), or on its drafting page with two drafts written
// (twoDraftsInTab).
type rewriteTab struct {
	t          *testing.T
	tab        context.Context
	base       string // copylab's URL
	llm        *fakeLLM
	store      *experiments.Store
	x          experiments.Experiment
	second     string // the second draft's text
	exceptions func() []string
}

// draftingTab serves copylab with the fake model and Ann's fresh draft,
// and opens a tab, not signed in yet.
func draftingTab(t *testing.T) *rewriteTab {
	t.Helper()
	if testing.Short() {
		t.Skip("browser test")
	}
	r := &rewriteTab{t: t, tab: browsertest.NewTab(t), llm: newFakeLLM(t)} // NewTab skips without Chromium, fails under CI
	r.base, r.store = serveGenerating(t, r.llm.generator(30*time.Second))
	r.x = seedAnnsDraft(t, r.store)
	r.exceptions = browsertest.Exceptions(t, r.tab)
	return r
}

// twoDraftsInTab signs Ann in on a fresh draft's drafting page and has two
// drafts written.
func twoDraftsInTab(t *testing.T) *rewriteTab {
	t.Helper()
	r := draftingTab(t)
	signInTab(t, r.tab, r.base+"/login?next=/experiments/"+r.x.ID+"/generate", "ann@example.com", chromedp.EmulateViewport(1280, 900))
	r.do(chromedp.WaitVisible(chromedp.CSS("#brief-form")),
		chromedp.SetValue(chromedp.CSS("#f-goal"), "Get visitors to start a free trial"),
		chromedp.SetValue(chromedp.CSS("#f-n"), "2"),
		chromedp.Click(chromedp.CSS("#brief-submit")),
		chromedp.WaitVisible(chromedp.CSS(`#generation[data-state="done"] #draft-1`)))
	r.second = r.eval(`document.querySelector("#f-drafts-1-text").value`)
	return r
}

func (r *rewriteTab) do(actions ...chromedp.Action[chromedp.Void]) {
	r.t.Helper()
	if err := chromedp.Do(r.tab, actions...); err != nil {
		r.t.Fatal(err)
	}
}

func (r *rewriteTab) eval(js string) string {
	r.t.Helper()
	s, err := chromedp.Run(r.tab, chromedp.Evaluate[string](js))
	if err != nil {
		r.t.Fatalf("%s: %v", js, err)
	}
	return s
}

// approveOnlySecond presses the add button and checks that only the
// second draft was added, and that the page threw nothing.
func (r *rewriteTab) approveOnlySecond() {
	r.t.Helper()
	if _, err := chromedp.Run(r.tab, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS("[data-approve]")))); err != nil {
		r.t.Fatal(err)
	}
	got, err := r.store.Experiment(context.Background(), r.x.ID)
	if err != nil {
		r.t.Fatal(err)
	}
	if len(got.Variants) != 2 || got.Variants[1].Text != r.second {
		r.t.Errorf("added %+v, want only the ticked draft %q", got.Variants, r.second)
	}
	if ex := r.exceptions(); len(ex) > 0 {
		r.t.Errorf("the page threw: %v", ex)
	}
}
