package app

import (
	"net/http"
	"sync/atomic"
	"testing"
	"time"
)

// TestExperimentPageSaysDraftsWait: while copylab writes drafts from a
// person's brief, and once they are written and not yet added, the
// experiment's page says so to that person, with a link to the drafting
// page and until when the drafts are kept; once added, or for another
// person, it says nothing of them. Looking at the experiment's page does
// not keep the drafts longer.
func TestExperimentPageSaysDraftsWait(t *testing.T) {
	llm := newFakeLLM(t)
	g := newGenFixture(t, llm.generator(5*time.Second))
	page := "/experiments/" + g.x.ID
	start := time.Date(2026, 11, 25, 3, 30, 0, 0, time.UTC)
	var clock atomic.Int64 // the drafting jobs' clock
	clock.Store(start.UnixNano())
	g.e.app.genJobs.now = func() time.Time { return time.Unix(0, clock.Load()).UTC() }
	g.c.get(g.base)

	release := llm.hold()
	statusURL, _ := g.start(t, g.brief(3))
	_, body := g.c.get(page)
	wantContains(t, body, `id="drafts-waiting"`, "copylab is writing drafts from your brief.", `href="`+g.base+`"`)
	release()
	texts := draftTexts(g.wait(t, statusURL))

	// Looked at ten minutes later: the drafts' hour still counts from the
	// drafting page's last look, not from this page's.
	clock.Store(start.Add(10 * time.Minute).UnixNano())
	_, body = g.c.get(page)
	wantContains(t, body, `id="drafts-waiting"`, "3 drafts from your brief are waiting on the drafting page",
		`href="`+g.base+`"`, "04:30 UTC")
	_, body = g.c.get(page)
	wantContains(t, body, "04:30 UTC")

	// A newer brief that fails leaves these drafts as they were, and the
	// page still says they wait.
	llm.setReply(func(int, int) (int, map[string]string, string) {
		return http.StatusBadRequest, nil, `{"error":{"message":"bad request"}}`
	})
	failing := g.newBrief()
	failing.Set("replace", "1")
	failedURL, _ := g.start(t, failing)
	wantContains(t, g.wait(t, failedURL), `data-state="failed"`)
	llm.setReply(nil)
	_, body = g.c.get(page)
	// The drafting page showed them below the new brief at 03:40: kept
	// for an hour from then.
	wantContains(t, body, `id="drafts-waiting"`, "3 drafts from your brief are waiting on the drafting page", "04:40 UTC")

	other := g.e.signIn("bo@example.com")
	_, body = other.get(page)
	wantNotContains(t, body, `id="drafts-waiting"`)

	resp, body := g.c.post(statusURL+"/approve", draftsForm(texts, []int{0}, nil))
	wantStatus(t, resp, http.StatusSeeOther, body)
	g.c.get(page) // reads the flash
	_, body = g.c.get(page)
	wantNotContains(t, body, `id="drafts-waiting"`)
}
