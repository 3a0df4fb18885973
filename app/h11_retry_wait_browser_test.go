package app

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"copylab/static/browsertest"
)

// TestBrowserRetryWaitCountsDownOnThePage: on the real drafting page,
// with a model service that asks twice to wait 9 seconds, the progress
// counts each wait down in Chromium, one second at a time; the second
// wait starts again from its 9 seconds (the poll brings it). A rewrite's
// card counts its wait down alike. (That a poll does not redraw them as
// the wait runs down is TestRetryWaitShownWithItsCountdown's.)
func TestBrowserRetryWaitCountsDownOnThePage(t *testing.T) {
	if testing.Short() {
		t.Skip("browser test")
	}
	llm := newFakeLLM(t)
	r := &rewriteTab{t: t, tab: browsertest.NewTab(t), llm: llm}
	r.base, r.store = serveGenerating(t, h11RetryGenerator(t, llm))
	r.x = seedAnnsDraft(t, r.store)
	r.exceptions = browsertest.Exceptions(t, r.tab)
	signInTab(t, r.tab, r.base+"/login?next=/experiments/"+r.x.ID+"/generate", "ann@example.com", chromedp.EmulateViewport(1280, 900))

	h11RateLimited(llm, 2)
	r.do(chromedp.WaitVisible(chromedp.CSS("#brief-form")),
		chromedp.SetValue(chromedp.CSS("#f-goal"), "Get visitors to start a free trial"),
		chromedp.SetValue(chromedp.CSS("#f-n"), "2"),
		chromedp.Click(chromedp.CSS("#brief-submit")),
		chromedp.WaitVisible(chromedp.CSS("#generation [data-retry-ms]")))
	if got := r.eval(`document.querySelector(".gen-progress-text").textContent`); !strings.HasPrefix(got, "Writing 2 drafts with fake-gpt… The model service asked to wait; trying again in ") {
		t.Errorf("the progress reads %q", got)
	}
	runs := h11Watch(r, "#generation [data-retry-ms]", `document.querySelector('#generation[data-state="done"]') !== null`)
	if len(runs) != 2 {
		t.Fatalf("the progress showed %d waits, want 2: %v", len(runs), runs)
	}
	for i, run := range runs {
		h11CountsDown(t, "wait "+strconv.Itoa(i+1)+" of the drafts", run)
	}

	h11RateLimited(llm, 1)
	r.do(chromedp.Evaluate[chromedp.Void](`document.querySelector("#draft-1").scrollIntoView({block: "center"})`),
		chromedp.Click(chromedp.CSS(`#draft-1 [data-instruction="shorter"]`)),
		chromedp.WaitVisible(chromedp.CSS("#draft-1 [data-retry-ms]")))
	runs = h11Watch(r, "#draft-1 [data-retry-ms]", `document.querySelector("#draft-1:not(.draft-busy) .regen-message") !== null`)
	if len(runs) != 1 {
		t.Fatalf("the card showed %d waits, want 1: %v", len(runs), runs)
	}
	h11CountsDown(t, "the rewrite's wait", runs[0])
	if got := r.eval(`document.querySelector("#draft-1 .regen-message").textContent`); got != "Rewritten shorter." {
		t.Errorf("after its wait, the card says %q", got)
	}
	if ex := r.exceptions(); len(ex) > 0 {
		t.Errorf("the page threw: %v", ex)
	}
}

// h11Watch reads the wait in sel every 100 ms until done is true (or 40
// seconds pass), and returns the seconds it read, a run for each wait. A
// poll brings a new wait with a new element; one that redraws the region
// while a wait runs (the progress's "still working" after 15 seconds)
// brings the wait left, so the count goes on.
func h11Watch(r *rewriteTab, sel, done string) [][]int {
	r.t.Helper()
	var runs [][]int
	for deadline := time.Now().Add(40 * time.Second); r.eval("String("+done+")") != "true"; time.Sleep(100 * time.Millisecond) {
		if time.Now().After(deadline) {
			r.t.Fatalf("the wait did not end within 40 seconds: %v", runs)
		}
		got := r.eval(`(function () {
			var el = document.querySelector(` + strconv.Quote(sel) + `);
			if (!el) return "";
			if (el.h11Seen === undefined) { el.h11Seen = true; return "new " + el.textContent; }
			return el.textContent;
		})()`)
		if got == "" {
			continue
		}
		text, fresh := strings.CutPrefix(got, "new ")
		s := 1
		if text != "a second" {
			n, err := strconv.Atoi(strings.TrimSuffix(text, " seconds"))
			if err != nil {
				r.t.Fatalf("the wait reads %q", text)
			}
			s = n
		}
		switch last := len(runs) - 1; {
		case last < 0 || s > runs[last][len(runs[last])-1]:
			if !fresh {
				r.t.Errorf("the wait went up in place, to %d seconds, after %v", s, runs)
			}
			runs = append(runs, []int{s})
		case s < runs[last][len(runs[last])-1]:
			runs[last] = append(runs[last], s)
		}
	}
	return runs
}

// h11CountsDown checks a run of h11Watch: it starts near the 9 seconds
// asked and goes down to the last seconds. (h11Watch keeps only readings
// lower than the last, so the run goes down; on a busy machine, where the
// page's timer or this polling runs late, a reading may miss a second,
// but not most of them.)
func h11CountsDown(t *testing.T, name string, run []int) {
	t.Helper()
	if len(run) < 4 || run[0] < 8 || run[0] > 9 || run[len(run)-1] > 2 {
		t.Errorf("%s read %v (seconds), want a count from 9 down", name, run)
	}
}
