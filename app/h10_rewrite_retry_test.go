package app

import (
	"net/http"
	"path"
	"testing"
	"time"

	"copylab/variants"
)

// TestRewriteKeepsItsRetryWait: a rewrite that waits to ask a rate
// limiting model service again keeps the wait on its draft, as a set of
// drafts keeps it on its job, so that its card can say it waits (and
// count the wait down) instead of only "Rewriting…" until it fails.
func TestRewriteKeepsItsRetryWait(t *testing.T) {
	llm := newFakeLLM(t)
	gen, err := variants.New(variants.Config{BaseURL: llm.srv.URL + "/v1", Model: "fake-gpt", APIKey: testLLMKey, Timeout: 5 * time.Second, MaxRetries: 1})
	if err != nil {
		t.Fatal(err)
	}
	g := newGenFixture(t, gen)
	g.c.get(g.base)
	statusURL, _ := g.start(t, g.brief(2))
	texts := draftTexts(g.wait(t, statusURL))
	j, ok := g.e.app.genJobs.get(path.Base(statusURL), g.x.ID, personOf(storedUser(t, g.e, "ann@example.com")))
	if !ok {
		t.Fatal("no job")
	}

	llm.setReply(failWith(http.StatusTooManyRequests, map[string]string{"Retry-After": "2"}, "Rate limit reached"))
	resp, card := g.c.hx(http.MethodPost, statusURL+"/drafts/1/regenerate?instruction=shorter", draftsForm(texts, []int{0, 1}, nil))
	wantStatus(t, resp, http.StatusOK, card)

	waited := false
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline) && !waited; time.Sleep(20 * time.Millisecond) {
		j.mu.Lock()
		d := j.drafts[1]
		why, left, ok := retryWait(d.retry, d.retryAt, time.Now())
		j.mu.Unlock()
		if ok {
			waited = true
			if why != "The model service asked to wait" || left <= 0 || left > 2*time.Second || d.retry.Try != 2 {
				t.Errorf("the rewrite's wait: %q, %s left, %+v", why, left, d.retry)
			}
		}
	}
	if !waited {
		t.Fatal("the rewrite never kept its wait to try again")
	}
	card = waitCard(t, g.c, statusURL+"/drafts/1")
	wantContains(t, card, "The rewrite did not work", "copylab tried 2 times")
	j.mu.Lock()
	_, _, ok = retryWait(j.drafts[1].retry, j.drafts[1].retryAt, time.Now())
	j.mu.Unlock()
	if ok {
		t.Error("the wait is still said after the rewrite ended")
	}
}
