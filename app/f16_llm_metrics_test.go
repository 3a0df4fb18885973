package app

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/promhttp"

	"copylab/variants"
)

// retryingGenerator talks to llm with the library's own retries (two
// after a 5xx), as copylab does by default; llm.generator turns them off.
func retryingGenerator(t *testing.T, llm *fakeLLM) *variants.Generator {
	t.Helper()
	g, err := variants.New(variants.Config{BaseURL: llm.srv.URL + "/v1", Model: "test-model", APIKey: testLLMKey, Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// metricValue reads one sample of the app's registry, 0 when absent.
func metricValue(t *testing.T, e *env, series string) float64 {
	t.Helper()
	rec := httptest.NewRecorder()
	promhttp.HandlerFor(e.app.Metrics().Registry(), promhttp.HandlerOpts{}).ServeHTTP(rec, httptest.NewRequest("GET", "/metrics", nil))
	m := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(series) + ` (\S+)$`).FindStringSubmatch(rec.Body.String())
	if m == nil {
		return 0
	}
	v, err := strconv.ParseFloat(m[1], 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// scripted answers the fake's requests from replies in turn, then as the
// fake does by default (drafts as asked).
func scripted(llm *fakeLLM, replies ...func(n, limit int) (int, map[string]string, string)) func(n, limit int) (int, map[string]string, string) {
	var mu sync.Mutex
	i := 0
	return func(n, limit int) (int, map[string]string, string) {
		mu.Lock()
		defer mu.Unlock()
		i++
		if i <= len(replies) && replies[i-1] != nil {
			return replies[i-1](n, limit)
		}
		return http.StatusOK, nil, completion(llm.drafts(n, limit))
	}
}

// TestF16LLMCallsCountRequests: copylab_llm_calls_total counts the
// requests sent to the model endpoint, each try and each follow-up for
// missing drafts, and copylab_llm_failures_total each failed one by
// code. It counted one per generation: a generation that tried three
// times counted once, and a follow-up not at all.
func TestF16LLMCallsCountRequests(t *testing.T) {
	llm := newFakeLLM(t)
	g := newGenFixture(t, retryingGenerator(t, llm))
	tok := g.e.token("api@example.com")
	path := "/api/v1/experiments/" + g.x.ID + "/generate"
	const (
		calls    = "copylab_llm_calls_total"
		failures = `copylab_llm_failures_total{code="llm_unavailable"}`
	)

	// 500 twice, then the drafts: three requests, two failed.
	llm.setReply(scripted(llm, failWith(500, nil, "boom"), failWith(500, nil, "boom")))
	resp, out := g.e.api("POST", path, tok, `{"n":2,"brief":{"goal":"Start a free trial"}}`)
	wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
	if got := metricValue(t, g.e, calls); got != 3 {
		t.Errorf("%s = %v after 500, 500, 200; want 3", calls, got)
	}
	if got := metricValue(t, g.e, failures); got != 2 {
		t.Errorf("%s = %v, want 2", failures, got)
	}

	// One draft of the two asked, then the follow-up for the other.
	one := func(n, limit int) (int, map[string]string, string) {
		return http.StatusOK, nil, completion(llm.drafts(1, limit))
	}
	llm.setReply(scripted(llm, one))
	resp, out = g.e.api("POST", path, tok, `{"n":2,"brief":{"goal":"Start a free trial"}}`)
	wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
	if got, want := metricValue(t, g.e, calls), float64(llm.calls()); got != want || want != 5 {
		t.Errorf("%s = %v, the server saw %v requests; want 5 both", calls, got, want)
	}
}

// TestF16HeldBackIsRefusedNotCalled: a generation copylab holds back
// because the model service's Retry-After has not passed sends nothing:
// it is counted in copylab_llm_refused_total with reason retry_after,
// not as a call, nor as another llm_rate_limited failure.
func TestF16HeldBackIsRefusedNotCalled(t *testing.T) {
	llm := newFakeLLM(t)
	llm.setReply(failWith(http.StatusTooManyRequests, map[string]string{"Retry-After": "60"}, "slow down"))
	g := newGenFixture(t, llm.generator(5*time.Second))
	tok := g.e.token("api@example.com")
	path := "/api/v1/experiments/" + g.x.ID + "/generate"

	for i := range 2 {
		resp, out := g.e.api("POST", path, tok, `{"n":2,"brief":{"goal":"Start a free trial"}}`)
		wantStatus(t, resp, http.StatusTooManyRequests, fmt.Sprint(out))
		if i == 0 && llm.calls() != 1 {
			t.Fatalf("the server saw %d requests, want 1", llm.calls())
		}
	}
	if llm.calls() != 1 {
		t.Errorf("the server saw %d requests, want 1: the second generation waits out the Retry-After", llm.calls())
	}
	for series, want := range map[string]float64{
		"copylab_llm_calls_total":                                         1,
		`copylab_llm_failures_total{code="llm_rate_limited"}`:             1,
		`copylab_llm_refused_total{call="generate",reason="retry_after"}`: 1,
	} {
		if got := metricValue(t, g.e, series); got != want {
			t.Errorf("%s = %v, want %v", series, got, want)
		}
	}
}

// TestF16APIGenerateFailureLogged: a generation through the API that
// the model service refuses is logged as the drafting page logs it (WARN
// "copy generation failed", with op, experiment and the cause), once;
// it left only the access line with its status. A 5xx also keeps the
// line handleError writes for it, at the error level, with the cause.
func TestF16APIGenerateFailureLogged(t *testing.T) {
	quota, _ := json.Marshal(map[string]any{"error": map[string]any{"message": "You exceeded your current quota.", "type": "insufficient_quota"}})
	tests := []struct {
		name   string
		reply  func(int, int) (int, map[string]string, string)
		status int
		code   string
		line   string
		lines  int // naming the code: the WARN line, and handleError's for a 5xx
	}{
		{"quota", func(int, int) (int, map[string]string, string) { return http.StatusTooManyRequests, nil, string(quota) },
			http.StatusPaymentRequired, variants.CodeQuota, `level=WARN msg="copy generation failed" op=generate experiment=`, 1},
		{"rate limited", failWith(http.StatusTooManyRequests, map[string]string{"Retry-After": "60"}, "slow down"),
			http.StatusTooManyRequests, variants.CodeRateLimited, `level=WARN msg="copy generation failed" op=generate experiment=`, 1},
		{"unavailable", failWith(http.StatusServiceUnavailable, nil, "overloaded"),
			http.StatusBadGateway, variants.CodeUnavailable, `level=WARN msg="copy generation failed" op=generate experiment=`, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			llm := newFakeLLM(t)
			llm.setReply(tt.reply)
			var logs syncBuffer
			g := newLoggedGenFixture(t, llm.generator(5*time.Second), &logs)
			tok := g.e.token("api@example.com")
			resp, out := g.e.api("POST", "/api/v1/experiments/"+g.x.ID+"/generate", tok, `{"n":2,"brief":{"goal":"Start a free trial"}}`)
			wantStatus(t, resp, tt.status, fmt.Sprint(out))
			var lines []string
			for _, l := range strings.Split(logs.String(), "\n") {
				if strings.Contains(l, tt.code) {
					lines = append(lines, l)
				}
			}
			if len(lines) != tt.lines {
				t.Fatalf("log lines naming %s: %q, want %d", tt.code, lines, tt.lines)
			}
			wantContains(t, lines[0], tt.line+g.x.ID, "error=", "request_id=")
			if tt.lines == 2 {
				wantContains(t, lines[1], `level=ERROR msg="request failed"`, "error=")
			}
		})
	}
}
