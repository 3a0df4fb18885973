package app

import (
	"net/http"
	"path"
	"regexp"
	"strconv"
	"testing"
	"time"
)

// tryAgainWaitRe finds the wait a failed set of drafts counts down beside
// its Try again button, in milliseconds.
var tryAgainWaitRe = regexp.MustCompile(`id="try-again-wait" data-try-again-wait hidden>[^<]*<span data-retry-ms="(\d+)"`)

// TestFailedDraftsGiveTryAgainTheWaitLeft: a set of drafts the model
// service refused with a wait of two minutes is drawn with the time left
// of it beside Try again (the button described by it), for generate.js to
// count down and keep the button disabled until then: the server would
// refuse a try before. Drawn again later, it gives what is left then;
// once the wait is over, or for a failure with no wait, nothing.
func TestFailedDraftsGiveTryAgainTheWaitLeft(t *testing.T) {
	llm := newFakeLLM(t)
	rateLimitedOnce(llm, 120)
	g := newGenFixture(t, llm.generator(2*time.Second))
	g.c.get(g.base)
	statusURL, _ := g.start(t, g.brief(2))
	frag := g.wait(t, statusURL)
	wantContains(t, frag, `data-code="llm_rate_limited"`, `aria-describedby="try-again-wait"`)
	left := func(body string) int {
		t.Helper()
		m := tryAgainWaitRe.FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("no wait left beside Try again: %s", body)
		}
		ms, _ := strconv.Atoi(m[1])
		return ms
	}
	if ms := left(frag); ms < 110_000 || ms > 120_000 {
		t.Errorf("the failure gives %d ms left to wait, want the 120 seconds asked, less the moments since", ms)
	}

	page := g.base + "?job=" + path.Base(statusURL)
	g.e.app.now = func() time.Time { return time.Now().Add(100 * time.Second) }
	_, body := g.c.get(page)
	if ms := left(body); ms < 10_000 || ms > 20_000 {
		t.Errorf("100 seconds on, the page gives %d ms left to wait, want some 20 seconds", ms)
	}

	g.e.app.now = func() time.Time { return time.Now().Add(121 * time.Second) }
	_, body = g.c.get(page)
	wantContains(t, body, `data-code="llm_rate_limited"`, "Try again")
	wantNotContains(t, body, "try-again-wait")

	g.e.app.now = time.Now
	llm.setReply(failWith(http.StatusInternalServerError, nil, "boom"))
	other := newGenFixture(t, llm.generator(2*time.Second))
	other.c.get(other.base)
	statusURL, _ = other.start(t, other.brief(2))
	frag = other.wait(t, statusURL)
	wantContains(t, frag, `data-state="failed"`, "Try again")
	wantNotContains(t, frag, "try-again-wait", "data-retry-ms")
}
