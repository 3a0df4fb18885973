package app

import (
	"fmt"
	"html"
	"net/http"
	"strings"
	"testing"
	"time"

	"copylab/variants"
)

// TestSettingsLLMTestTimeoutSaysTheLimit: a model that does not answer
// in time fails Test connection with the limit that ran out, which is
// --llm-timeout, the one drafting waits for each answer; and the
// advice to start copylab with a longer one for a slow model.
func TestSettingsLLMTestTimeoutSaysTheLimit(t *testing.T) {
	llm := newFakeLLM(t)
	llm.setReply(func(int, int) (int, map[string]string, string) { return -1, nil, "" })
	g := newGenFixture(t, llm.generator(2*time.Second))
	start := time.Now()
	resp, body := g.c.hx(http.MethodPost, "/settings/llm/test", nil)
	wantStatus(t, resp, http.StatusOK, body)
	body = html.UnescapeString(body)
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("the test took %s for a limit of 2 seconds", took)
	}
	wantContains(t, body, `data-ok="false"`, "The test failed. The model did not answer within 2 seconds",
		"--llm-timeout (COPYLAB_LLM_TIMEOUT)", "A local model may still be loading")
	wantNotContains(t, body, "20 seconds")
}

// TestSettingsLLMTestWaitsAsLongAsDrafting: a model that answers within
// --llm-timeout passes Test connection, as drafting would work with it,
// even when it takes longer than 20 seconds (the test once gave up at
// 20 seconds whatever the setting). Slow: it waits 21 seconds.
func TestSettingsLLMTestWaitsAsLongAsDrafting(t *testing.T) {
	if testing.Short() {
		t.Skip("waits 21 seconds")
	}
	t.Parallel()
	llm := newFakeLLM(t)
	g := newGenFixture(t, llm.generator(30*time.Second))
	release := llm.hold()
	defer time.AfterFunc(21*time.Second, release).Stop()
	resp, body := g.c.hx(http.MethodPost, "/settings/llm/test", nil)
	wantStatus(t, resp, http.StatusOK, body)
	wantContains(t, body, `data-ok="true"`, "Connected: test-model")
}

// TestRateLimitWaitInEveryAnswer: a 429 whose Retry-After asks for two
// minutes says "wait 2 minutes" where it used to say "wait a moment":
// on the drafting page, in the API's message and in Test connection.
func TestRateLimitWaitInEveryAnswer(t *testing.T) {
	t.Parallel()
	llm := newFakeLLM(t)
	llm.setReply(failWith(http.StatusTooManyRequests, map[string]string{"Retry-After": "120"}, "Rate limit reached"))
	g := newGenFixture(t, llm.generator(2*time.Second))
	const want = "The model service is rate limiting requests; wait 2 minutes and try again."

	g.c.get(g.base)
	statusURL, _ := g.start(t, g.brief(2))
	frag := html.UnescapeString(g.wait(t, statusURL))
	wantContains(t, frag, `data-code="llm_rate_limited"`, want)
	wantNotContains(t, frag, "a moment")

	tok := g.e.token("api@example.com")
	resp, out := g.e.api("POST", "/api/v1/experiments/"+g.x.ID+"/generate", tok, `{"n":2,"brief":{"goal":"Start a free trial"}}`)
	wantStatus(t, resp, http.StatusTooManyRequests, fmt.Sprint(out))
	apiErr, _ := out["error"].(map[string]any)
	if msg, _ := apiErr["message"].(string); msg != want {
		t.Errorf("API message = %q, want %q", msg, want)
	}
	if got := resp.Header.Get("Retry-After"); got != "120" {
		t.Errorf("Retry-After = %q, want 120", got)
	}

	resp, body := g.c.hx(http.MethodPost, "/settings/llm/test", nil)
	wantStatus(t, resp, http.StatusOK, body)
	wantContains(t, html.UnescapeString(body), "The test failed. "+want)
}

// TestCutOffAnswerIsNotABaseURL: a 200 whose body ends part way is a
// broken answer to try again, on the drafting page and in Test
// connection, not a sign of a wrong base URL; a web page still is.
func TestCutOffAnswerIsNotABaseURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		body    string
		want    string
		wantNot string
	}{
		{"cut off", `{"id":"x","object":"chat.completion","choices":[{"message":{"role":"assistant","content":"{\"variants\": [`,
			"The model service's answer broke off before it was complete; try again.", "base URL"},
		{"web page", "<!doctype html><title>Router</title>", "check the base URL (it usually ends in /v1)", "broke off"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			llm := newFakeLLM(t)
			llm.setReply(func(int, int) (int, map[string]string, string) { return 200, nil, tt.body })
			g := newGenFixture(t, llm.generator(2*time.Second))
			g.c.get(g.base)
			statusURL, _ := g.start(t, g.brief(2))
			frag := html.UnescapeString(g.wait(t, statusURL))
			wantContains(t, frag, `data-state="failed"`, tt.want)
			wantNotContains(t, frag, tt.wantNot)
			if strings.Contains(tt.want, "broke off") {
				wantContains(t, frag, `data-code="`+variants.CodeUnavailable+`"`)
			}

			resp, body := g.c.hx(http.MethodPost, "/settings/llm/test", nil)
			wantStatus(t, resp, http.StatusOK, body)
			body = html.UnescapeString(body)
			wantContains(t, body, `data-ok="false"`, tt.want)
			wantNotContains(t, body, tt.wantNot)
		})
	}
}
