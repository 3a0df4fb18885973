package app

import (
	"html"
	"net/http"
	"testing"
	"time"
)

// TestFailureAfterItsWaitSaysNoWait: a failure the model service asked a
// wait after names the wait on the page as served (for a browser without
// JavaScript) only while it lasts: the page, or its poll, drawn once the
// wait is over says the failure without it, and no note repeats it.
func TestFailureAfterItsWaitSaysNoWait(t *testing.T) {
	llm := newFakeLLM(t)
	rateLimitedOnce(llm, 2)
	g := newGenFixture(t, llm.generator(2*time.Second))
	g.c.get(g.base)

	statusURL, _ := g.start(t, g.brief(2))
	frag := html.UnescapeString(g.wait(t, statusURL))
	failed := time.Now()
	wantContains(t, frag, `data-code="llm_rate_limited"`, "wait 2 seconds and try again.")
	page := g.base + "?job=" + jobOf(statusURL)
	_, body := g.c.get(page)
	wantContains(t, html.UnescapeString(body), "wait 2 seconds and try again.")

	time.Sleep(time.Until(failed.Add(2100 * time.Millisecond)))
	_, body = g.c.get(page)
	_, poll := g.c.hx(http.MethodGet, statusURL, nil)
	for name, got := range map[string]string{"the page": body, "the poll": poll} {
		got = html.UnescapeString(got)
		wantContains(t, got, `data-code="llm_rate_limited">The model service is rate limiting requests.</div>`, "Try again")
		wantNotContains(t, got, "wait 2 seconds", "and try again.", "asked to wait", "data-wait-free", "data-said-wait")
		if t.Failed() {
			t.Fatalf("%s after the wait: %s", name, got)
		}
	}
}
