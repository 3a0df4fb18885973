package app

import (
	"net/http"
	"strings"
	"testing"
)

// TestShareLimitAnswer: over the share links' limit, the answer is the
// public routes' 429 (rateLimitedError: its code, its whole seconds in
// Retry-After) with the share page's own sentence, which words the wait
// for a person: at shareRate a token comes back within a second.
func TestShareLimitAnswer(t *testing.T) {
	e := newEnvWith(t, func(c *Config) { c.TrustedProxies = []string{"0.0.0.0"} })
	_, x := e.runningExperiment()
	var resp *http.Response
	var body string
	for range 500 {
		req := newRequest(http.MethodGet, "/r/"+x.ShareToken+"/live", nil)
		req.Header.Set("X-Forwarded-For", "203.0.113.7")
		if resp = e.do(req); resp.StatusCode != http.StatusOK {
			body = readBody(t, resp)
			break
		}
		resp.Body.Close()
	}
	wantStatus(t, resp, http.StatusTooManyRequests, body)
	if got := resp.Header.Get("Retry-After"); got != "1" {
		t.Errorf("Retry-After %q, want 1", got)
	}
	wantContains(t, body, "This shared page was asked for too often from your address. Wait a second, then reload it.")
	// The JSON form of the same error, as the API would word it, keeps
	// the public limit's code.
	if ans := classify(rateLimitedError("from this address", 0)); ans.body.Code != "rate_limited" || ans.retryAfter != 1 {
		t.Errorf("rateLimitedError: %+v", ans)
	}
	if strings.Contains(body, "send them again") {
		t.Error("the share page's 429 says the public routes' sentence")
	}
}
