package app

import (
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestBriefIncludesDraftsOnlyWhenShown: the brief form carries the drafts
// form's fields with htmx (hx-include="#drafts-form") only where a drafts
// form is rendered with it. Without one, htmx logs "The selector
// "#drafts-form" on hx-include returned no matches!" at every press.
// (Drafts that arrive later, by a poll, are generate.js's to point the
// brief at: TestBrowserNewBriefAsksBeforeReplacingEdits.)
func TestBriefIncludesDraftsOnlyWhenShown(t *testing.T) {
	llm := newFakeLLM(t)
	g := newGenFixture(t, llm.generator(10*time.Second))
	const include = `hx-include="#drafts-form"`

	_, page := g.c.get(g.base)
	wantContains(t, page, `id="brief-form"`)
	wantNotContains(t, page, include, `id="drafts-form"`)

	// The brief's answer while its drafts are written: the workspace, no
	// drafts form yet.
	release := llm.hold()
	defer release()
	statusURL, running := g.start(t, g.brief(2))
	wantContains(t, running, `id="brief-form"`, `data-state="running"`)
	wantNotContains(t, running, include)
	release()

	// The page of the finished set shows its drafts form: the brief
	// carries it.
	g.wait(t, statusURL)
	resp, done := g.c.get(g.base + "?job=" + jobOf(statusURL))
	wantStatus(t, resp, http.StatusOK, done)
	wantContains(t, done, `id="drafts-form"`)
	brief := done[strings.Index(done, `id="brief-form"`):]
	brief = brief[:strings.Index(brief, ">")]
	if !strings.Contains(brief, include) {
		t.Errorf("the brief form beside the drafts does not include them: %s", brief)
	}
}

// TestBrowserBriefWithoutDraftsLogsNothing: pressing Write drafts on a
// page with no drafts yet logs no htmx error about the brief's
// hx-include, and drafts that a poll brings in later come along with the
// next brief all the same.
func TestBrowserBriefWithoutDraftsLogsNothing(t *testing.T) {
	r := draftingTab(t)
	var (
		mu     sync.Mutex
		logged []string
	)
	msgs := chromedp.Console(r.tab) // subscribes now
	go func() {
		for m, err := range msgs {
			if err != nil {
				return
			}
			mu.Lock()
			logged = append(logged, m.String())
			mu.Unlock()
		}
	}()
	noMisses := func(when string) {
		t.Helper()
		mu.Lock()
		defer mu.Unlock()
		for _, m := range logged {
			if strings.Contains(m, "returned no matches") {
				t.Errorf("%s: the console says %s", when, m)
			}
		}
	}

	signInTab(t, r.tab, r.base+"/login?next=/experiments/"+r.x.ID+"/generate", "ann@example.com", chromedp.EmulateViewport(1280, 900))
	release := r.llm.hold()
	defer release()
	r.do(chromedp.WaitVisible(chromedp.CSS("#brief-form")),
		chromedp.SetValue(chromedp.CSS("#f-goal"), "Get visitors to start a free trial"),
		chromedp.SetValue(chromedp.CSS("#f-n"), "3"),
		chromedp.Click(chromedp.CSS("#brief-submit")),
		chromedp.WaitVisible(chromedp.CSS(`#generation[data-state="running"]`)))
	release()
	r.do(chromedp.WaitVisible(chromedp.CSS(`#generation[data-state="done"] #draft-2`)))
	time.Sleep(200 * time.Millisecond) // the console's messages arrive on their own
	noMisses("the first brief")

	// The drafts came by the poll: the brief now carries them, so an
	// edit is sent with the next brief and the server sees it.
	first := r.eval(`document.querySelector("#drafts-form").getAttribute("data-job")`)
	if got := r.eval(`document.querySelector("#brief-form").getAttribute("hx-include") || ""`); got != "#drafts-form" {
		t.Errorf("the brief beside the polled drafts has hx-include %q", got)
	}
	newSet(t, r, "#brief-submit", first, "Write drafts on untouched drafts")
	noMisses("the second brief")
	if ex := r.exceptions(); len(ex) > 0 {
		t.Errorf("the page threw: %v", ex)
	}
}
