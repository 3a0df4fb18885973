package app

import (
	"context"
	"testing"
	"time"

	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"copylab/experiments"
	"copylab/static/browsertest"
)

// h7Tab is a tab signed in to a live server, with helpers that fail the
// test.
type h7Tab struct {
	t          *testing.T
	tab        context.Context
	live       *liveApp
	exceptions func() []string
}

func newH7Tab(t *testing.T) *h7Tab {
	t.Helper()
	if testing.Short() {
		t.Skip("browser test")
	}
	tab := browsertest.NewTab(t) // skips without Chromium, fails under CI
	live := serveLive(t)
	return &h7Tab{t: t, tab: tab, live: live, exceptions: browsertest.Exceptions(t, tab)}
}

func (h *h7Tab) signIn() {
	h.t.Helper()
	h.live.ownerToken(h.t, "h7")
	signInTab(h.t, h.tab, h.live.base+"/login", "owner@example.com", chromedp.EmulateViewport(1280, 900))
}

func (h *h7Tab) do(actions ...chromedp.Action[chromedp.Void]) {
	h.t.Helper()
	if err := chromedp.Do(h.tab, actions...); err != nil {
		h.t.Fatal(err)
	}
}

func (h *h7Tab) eval(js string) string {
	h.t.Helper()
	s, err := chromedp.Run(h.tab, chromedp.Evaluate[string](js))
	if err != nil {
		h.t.Fatalf("%s: %v", js, err)
	}
	return s
}

// wait polls js until it is true, or fails the test saying what.
func (h *h7Tab) wait(what, js string, d time.Duration) {
	h.t.Helper()
	step, cancel := context.WithTimeout(h.tab, d+5*time.Second)
	defer cancel()
	if _, err := chromedp.Run(step, chromedp.Poll[bool](js, chromedp.WithPollingTimeout(d))); err != nil {
		h.t.Fatalf("%s: %v", what, err)
	}
}

// submit clicks sel and waits for the next page to load.
func (h *h7Tab) submit(sel string) {
	h.t.Helper()
	if _, err := chromedp.Run(h.tab, chromedp.WaitEvent(page.LoadEventFired, nil, chromedp.Click(chromedp.CSS(sel)))); err != nil {
		h.t.Fatalf("submit %s: %v", sel, err)
	}
}

func (h *h7Tab) noExceptions() {
	h.t.Helper()
	if ex := h.exceptions(); len(ex) > 0 {
		h.t.Errorf("the page threw: %v", ex)
	}
}

// h7Started is a running test of two variants whose start was days ago.
func h7Started(t *testing.T, live *liveApp, days int) experiments.Experiment {
	t.Helper()
	_, x := resultsFixture(t, live.store, "Verdicts", "Original headline", "New headline")
	at := time.Now().Add(-time.Duration(days) * 24 * time.Hour).UnixMilli()
	for _, q := range []string{`update experiments set started_at = ? where id = ?`, `update experiment_history set at = ? where experiment_id = ?`} {
		if _, err := live.store.Writer().Exec(q, at, x.ID); err != nil {
			t.Fatal(err)
		}
	}
	return x
}
