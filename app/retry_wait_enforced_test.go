package app

import (
	"fmt"
	"html"
	"net/http"
	"strconv"
	"sync/atomic"
	"testing"
	"time"
)

// rateLimitedOnce makes the fake model service answer its first call with
// a 429 asking for a wait of retryAfter seconds, and write drafts after.
func rateLimitedOnce(llm *fakeLLM, retryAfter int) {
	var calls atomic.Int32
	busy := failWith(http.StatusTooManyRequests, map[string]string{"Retry-After": strconv.Itoa(retryAfter)}, "Rate limit reached")
	llm.setReply(func(n, limit int) (int, map[string]string, string) {
		if calls.Add(1) == 1 {
			return busy(n, limit)
		}
		return http.StatusOK, nil, completion(llm.drafts(n, limit))
	})
}

// TestRetryWaitIsKept: after the model service asked copylab to wait two
// minutes, "wait 2 minutes and try again" holds: Try again pressed at
// once (or the API called) is answered with the time left, and nothing
// is sent to the service, which would only refuse again and may count
// the refusal against the key.
func TestRetryWaitIsKept(t *testing.T) {
	llm := newFakeLLM(t)
	rateLimitedOnce(llm, 120)
	g := newGenFixture(t, llm.generator(2*time.Second))
	g.c.get(g.base)

	statusURL, _ := g.start(t, g.brief(2))
	frag := html.UnescapeString(g.wait(t, statusURL))
	wantContains(t, frag, `data-code="llm_rate_limited"`, "wait 2 minutes and try again.", "Try again")
	if n := llm.calls(); n != 1 {
		t.Fatalf("%d calls to the model service, want 1", n)
	}

	// Try again: the brief form, sent again at once.
	statusURL, _ = g.start(t, g.brief(2))
	frag = html.UnescapeString(g.wait(t, statusURL))
	wantContains(t, frag, `data-state="failed"`, `data-code="llm_rate_limited"`, "wait 2 minutes and try again.")
	if n := llm.calls(); n != 1 {
		t.Errorf("Try again during the wait called the model service (%d calls, want 1)", n)
	}

	tok := g.e.token("api@example.com")
	resp, out := g.e.api("POST", "/api/v1/experiments/"+g.x.ID+"/generate", tok, `{"n":2,"brief":{"goal":"Start a free trial"}}`)
	wantStatus(t, resp, http.StatusTooManyRequests, fmt.Sprint(out))
	if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err != nil || s < 100 || s > 120 {
		t.Errorf("Retry-After %q, want the time left of the 120 seconds asked", resp.Header.Get("Retry-After"))
	}
	if n := llm.calls(); n != 1 {
		t.Errorf("the API during the wait called the model service (%d calls, want 1)", n)
	}
}

// TestRetryWaitEnds: once the wait the service asked for is over, Try
// again asks the model again and the drafts come.
func TestRetryWaitEnds(t *testing.T) {
	llm := newFakeLLM(t)
	rateLimitedOnce(llm, 2)
	g := newGenFixture(t, llm.generator(2*time.Second))
	g.c.get(g.base)

	statusURL, _ := g.start(t, g.brief(2))
	started := time.Now()
	frag := html.UnescapeString(g.wait(t, statusURL))
	wantContains(t, frag, "wait 2 seconds and try again.")

	statusURL, _ = g.start(t, g.brief(2))
	frag = html.UnescapeString(g.wait(t, statusURL))
	if time.Since(started) < 1500*time.Millisecond {
		// Only meaningful while the wait still runs.
		wantContains(t, frag, `data-code="llm_rate_limited"`)
		if n := llm.calls(); n != 1 {
			t.Errorf("%d calls during the wait, want 1", n)
		}
	}

	time.Sleep(time.Until(started.Add(2100 * time.Millisecond)))
	statusURL, _ = g.start(t, g.brief(2))
	frag = g.wait(t, statusURL)
	if texts := draftTexts(frag); len(texts) != 2 {
		t.Errorf("after the wait: %d drafts; %s", len(texts), frag)
	}
	if n := llm.calls(); n != 2 {
		t.Errorf("%d calls to the model service, want 2", n)
	}
}

// TestRetryWaitIsKeptForRewrites: a rewrite the service refused with a
// wait keeps the wait for the next rewrite, which is told the time left
// without a call; a set of drafts, a far larger request the wait was not
// asked of, still asks.
func TestRetryWaitIsKeptForRewrites(t *testing.T) {
	llm := newFakeLLM(t)
	g := newGenFixture(t, llm.generator(2*time.Second))
	g.c.get(g.base)
	statusURL, _ := g.start(t, g.brief(2))
	texts := draftTexts(g.wait(t, statusURL))
	rewrite := func(t *testing.T, i int) string {
		t.Helper()
		resp, card := g.c.hx(http.MethodPost, statusURL+"/drafts/"+strconv.Itoa(i)+"/regenerate?instruction=shorter", draftsForm(texts, []int{0, 1}, nil))
		wantStatus(t, resp, http.StatusOK, card)
		return html.UnescapeString(waitCard(t, g.c, statusURL+"/drafts/"+strconv.Itoa(i)))
	}

	calls := llm.calls()
	rateLimitedOnce(llm, 120)
	wantContains(t, rewrite(t, 0), "The rewrite did not work", "wait 2 minutes and try again.")
	wantContains(t, rewrite(t, 0), "The rewrite did not work", "wait 2 minutes and try again.")
	if n := llm.calls() - calls; n != 1 {
		t.Errorf("%d calls for two rewrites in the wait, want 1", n)
	}

	statusURL, _ = g.start(t, answered(g.brief(2)))
	if got := draftTexts(g.wait(t, statusURL)); len(got) != 2 {
		t.Errorf("a set of drafts in a rewrite's wait: %d drafts", len(got))
	}
}
