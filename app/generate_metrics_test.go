package app

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// TestGenerateCountsLLMCalls: every request to the model endpoint is counted
// in /metrics, failures by the variants package's code; a brief refused
// before any call is not a call.
func TestGenerateCountsLLMCalls(t *testing.T) {
	llm := newFakeLLM(t)
	g := newGenFixture(t, llm.generator(time.Second))
	tok := g.e.token("api@example.com")
	path := "/api/v1/experiments/" + g.x.ID + "/generate"

	resp, out := g.e.api("POST", path, tok, `{"n":2,"brief":{"goal":"Start a free trial"}}`)
	wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
	llm.setReply(failWith(500, nil, "boom"))
	resp, out = g.e.api("POST", path, tok, `{"n":2,"brief":{"goal":"Start a free trial"}}`)
	wantStatus(t, resp, http.StatusBadGateway, fmt.Sprint(out))
	resp, out = g.e.api("POST", path, tok, `{"brief":{"goal":""}}`)
	if resp.StatusCode < 400 || resp.StatusCode >= 500 {
		t.Fatalf("an invalid brief answered %d: %v", resp.StatusCode, out)
	}

	// The app's own registry, as /metrics serves it.
	rec := httptest.NewRecorder()
	promhttp.HandlerFor(g.e.app.Metrics().Registry(), promhttp.HandlerOpts{}).ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	body := rec.Body.String()
	for _, want := range []string{
		"copylab_llm_calls_total 2\n",
		`copylab_llm_failures_total{code="llm_unavailable"} 1`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}
