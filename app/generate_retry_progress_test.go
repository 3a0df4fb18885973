package app

import (
	"html"
	"net/http"
	"strings"
	"testing"
	"time"

	"copylab/variants"
)

// TestGenerateRateLimitRetriesShown: while copylab waits to ask a rate
// limiting model service again, the progress says so; when it gives up,
// the failure says how many times it tried.
func TestGenerateRateLimitRetriesShown(t *testing.T) {
	llm := newFakeLLM(t)
	llm.setReply(failWith(http.StatusTooManyRequests, map[string]string{"Retry-After": "1"}, "Rate limit reached"))
	gen, err := variants.New(variants.Config{BaseURL: llm.srv.URL + "/v1", Model: "fake-gpt", APIKey: testLLMKey, Timeout: 5 * time.Second, MaxRetries: 2})
	if err != nil {
		t.Fatal(err)
	}
	g := newGenFixture(t, gen)
	g.c.get(g.base)
	statusURL, _ := g.start(t, g.brief(5))

	sawWait := false
	var frag string
	for deadline := time.Now().Add(15 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		resp, body := g.c.hx(http.MethodGet, statusURL, nil)
		wantStatus(t, resp, http.StatusOK, body)
		body = html.UnescapeString(body)
		if !strings.Contains(body, `data-state="running"`) {
			frag = body
			break
		}
		if strings.Contains(body, "Writing 5 drafts with fake-gpt… The model service asked to wait; trying again in a second.") {
			sawWait = true
		}
	}
	if !sawWait {
		t.Error("the progress never said that copylab waits to try again")
	}
	if llm.calls() != 3 {
		t.Errorf("the model was asked %d times, want 3", llm.calls())
	}
	wantContains(t, frag, `data-code="llm_rate_limited"`, "rate limiting requests, and copylab tried 3 times; wait a moment and try again.",
		"The model service asked to wait a second before the next try.")
}
