package app

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"copylab/experiments"
	"copylab/static/browsertest"
)

// TestConfirmDialogBrowser: a button that asks first (data-confirm) asks
// in the page's own modal dialog, with the button's question, Cancel
// focused, and an answer button in the action's words (red for a danger
// action). Escape and Cancel change nothing and give the focus back to the
// button; the answer does what the button does.
func TestConfirmDialogBrowser(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	live, tab, site := liveShopTab(t)
	ctx := context.Background()
	x, err := live.store.CreateExperiment(ctx, experiments.Experiment{SiteID: site.ID, Name: "Hero", Page: "/", Selector: "h1",
		Goal: experiments.Goal{Type: experiments.GoalClick, Selector: "#buy"}, CoverageBP: 10000,
		Variants: []experiments.Variant{{Text: "Ship faster"}, {Text: "Ship sooner"}}})
	if err != nil {
		t.Fatal(err)
	}
	exceptions := browsertest.Exceptions(t, tab)
	signInTab(t, tab, live.base+"/login", "owner@example.com", chromedp.EmulateViewport(1280, 900))
	if err := chromedp.Do(tab, chromedp.Navigate(live.base+"/experiments/"+x.ID), chromedp.WaitVisible(chromedp.CSS(`form[action$="/start"] button`))); err != nil {
		t.Fatal(err)
	}
	type dialogState struct {
		Open     bool   `json:"open"`
		Question string `json:"question"`
		Asked    string `json:"asked"` // the button's data-confirm
		OK       string `json:"ok"`
		Danger   bool   `json:"danger"`
		Focus    string `json:"focus"`
	}
	state := func(button string) dialogState {
		t.Helper()
		s, err := chromedp.Run(tab, chromedp.Evaluate[dialogState](`(() => {
			const d = document.getElementById("confirm-dialog"), b = document.querySelector('`+button+`');
			return {open: !!(d && d.open), question: d ? d.querySelector(".confirm-question").textContent : "",
				asked: b ? b.getAttribute("data-confirm") : "", ok: d ? d.querySelector(".confirm-ok").textContent : "",
				danger: !!(d && d.querySelector(".confirm-ok.btn-danger")),
				focus: document.activeElement === b ? "button" : (document.activeElement?.textContent || "")};
		})()`))
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	// closed waits for the dialog to close and the focus to go back to
	// the button. Chromium puts the focus back as the dialog closes; the
	// close event, a task of its own, may still be on its way (the
	// asked-again step below is about that event coming late).
	closed := func(button string) dialogState {
		t.Helper()
		if _, err := chromedp.Run(tab, chromedp.Poll[bool](`(() => {
			const d = document.getElementById("confirm-dialog");
			return !(d && d.open) && document.activeElement === document.querySelector('`+button+`');
		})()`, chromedp.WithPollingTimeout(10*time.Second))); err != nil {
			t.Logf("waiting for the dialog to close: %v", err)
		}
		return state(button)
	}
	status := func() experiments.Status {
		t.Helper()
		got, err := live.store.Experiment(ctx, x.ID)
		if err != nil {
			t.Fatal(err)
		}
		return got.Status
	}
	click := func(sel string) {
		t.Helper()
		if err := chromedp.Do(tab, chromedp.Click(chromedp.CSS(sel))); err != nil {
			t.Fatal(err)
		}
	}

	start := `form[action$="/start"] button`
	click(start)
	s := state(start)
	if !s.Open || s.Question != s.Asked || s.Asked == "" || s.OK != "Start" || s.Danger || s.Focus != "Cancel" {
		t.Fatalf("Start's dialog %+v, want open with the button's question, Start, Cancel focused", s)
	}
	if err := chromedp.Do(tab, chromedp.KeyEvent(kb.Escape)); err != nil {
		t.Fatal(err)
	}
	if s := closed(start); s.Open || s.Focus != "button" {
		t.Errorf("after Escape %+v, want closed, the focus on Start", s)
	}
	if got := status(); got != experiments.StatusDraft {
		t.Fatalf("Escape left the test %s", got)
	}

	// The answer. Each step has its own bound, well inside the tab's, and
	// says what the page showed when it fails: a CI run once spent all 3
	// minutes of the tab waiting for the load event after this click, and
	// said no more. The store is the judge of the answer, not the load.
	click(start)
	if _, err := chromedp.Run(tab, chromedp.Poll[bool](`!!document.getElementById("confirm-dialog")?.open`,
		chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("Start's second click opened no dialog: %v; page: %s", err, browsertest.PageState(tab))
	}
	step, cancel := context.WithTimeout(tab, 30*time.Second)
	err = chromedp.Do(step, chromedp.Click(chromedp.CSS(`#confirm-dialog .confirm-ok`)))
	cancel()
	if err != nil {
		t.Fatalf("clicking the answer: %v; page: %s", err, browsertest.PageState(tab))
	}
	deadline := time.Now().Add(30 * time.Second)
	for status() != experiments.StatusRunning {
		if time.Now().After(deadline) {
			t.Fatalf("30 s after the answer the test is %s, want running; page: %s", status(), browsertest.PageState(tab))
		}
		time.Sleep(50 * time.Millisecond)
	}
	// Stop is a danger action: its answer is red; Cancel keeps it running.
	stop := `form[action$="/stop"] button`
	step, cancel = context.WithTimeout(tab, 30*time.Second)
	err = chromedp.Do(step, chromedp.WaitVisible(chromedp.CSS(stop)))
	cancel()
	if err != nil {
		t.Fatalf("the running test's page shows no Stop: %v; page: %s", err, browsertest.PageState(tab))
	}
	click(stop)
	if s := state(stop); !s.Open || s.OK != "Stop" || !s.Danger || s.Question != s.Asked {
		t.Errorf("Stop's dialog %+v, want its question and a red Stop", s)
	}
	click(`#confirm-dialog .btn-secondary`)
	if s := closed(stop); s.Open || s.Focus != "button" {
		t.Errorf("after Cancel %+v, want closed, the focus on Stop", s)
	}
	if got := status(); got != experiments.StatusRunning {
		t.Errorf("Cancel left the test %s", got)
	}

	// Asked again before the last close's event has run (Escape, then a
	// quick click): that late event must not take the new question's
	// button away, or its answer would do nothing. The script closes and
	// asks again within one task, so the close event surely comes after.
	if _, err := chromedp.Run(tab, chromedp.Evaluate[bool](`(() => {
		const b = document.querySelector('`+stop+`');
		b.click();
		document.getElementById("confirm-dialog").close();
		b.click();
		return true;
	})()`)); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Run(tab, chromedp.Poll[bool](`!!document.getElementById("confirm-dialog")?.open`,
		chromedp.WithPollingTimeout(10*time.Second))); err != nil {
		t.Fatalf("asked again, no dialog: %v; page: %s", err, browsertest.PageState(tab))
	}
	step, cancel = context.WithTimeout(tab, 30*time.Second)
	err = chromedp.Do(step, chromedp.Click(chromedp.CSS(`#confirm-dialog .confirm-ok`)))
	cancel()
	if err != nil {
		t.Fatalf("clicking the answer: %v; page: %s", err, browsertest.PageState(tab))
	}
	// As bounded as the first answer: the click, the form's POST, the
	// store's transition and the redirect, under -race beside other
	// browsers on a busy machine.
	deadline = time.Now().Add(30 * time.Second)
	for status() != experiments.StatusStopped {
		if time.Now().After(deadline) {
			t.Fatalf("30 s after the answer, asked again after a close, the test is %s, want stopped; page: %s", status(), browsertest.PageState(tab))
		}
		time.Sleep(50 * time.Millisecond)
	}
	if ex := exceptions(); len(ex) > 0 {
		t.Errorf("page errors: %v", ex)
	}
}
