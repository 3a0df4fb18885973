package app

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"copylab/variants"
)

// TestAPIGenerateFailureWarnsAtAnyStatus: every generation through the
// API that the model fails writes the drafting page's WARN line, "copy
// generation failed" with op, experiment and the cause, once, whatever
// status the API answers. A failure answered with a 5xx (the model
// endpoint answering 500, 502 or 503) wrote only handleError's ERROR
// request line, so an operator who follows the WARN lines missed it.
func TestAPIGenerateFailureWarnsAtAnyStatus(t *testing.T) {
	tests := []struct {
		name     string
		upstream int
		status   int
		code     string
	}{
		{"endpoint 500", http.StatusInternalServerError, http.StatusBadGateway, variants.CodeUnavailable},
		{"endpoint 502", http.StatusBadGateway, http.StatusBadGateway, variants.CodeUnavailable},
		{"endpoint 503", http.StatusServiceUnavailable, http.StatusBadGateway, variants.CodeUnavailable},
		{"endpoint 504", http.StatusGatewayTimeout, http.StatusGatewayTimeout, variants.CodeTimeout},
		{"endpoint 429", http.StatusTooManyRequests, http.StatusTooManyRequests, variants.CodeRateLimited},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			llm := newFakeLLM(t)
			llm.setReply(failWith(tt.upstream, nil, "upstream trouble"))
			var logs syncBuffer
			g := newLoggedGenFixture(t, llm.generator(5*time.Second), &logs)
			tok := g.e.token("api@example.com")
			resp, out := g.e.api("POST", "/api/v1/experiments/"+g.x.ID+"/generate", tok, `{"n":2,"brief":{"goal":"Start a free trial"}}`)
			wantStatus(t, resp, tt.status, fmt.Sprint(out))
			var warns []string
			for _, l := range strings.Split(logs.String(), "\n") {
				if strings.Contains(l, `msg="copy generation failed"`) {
					warns = append(warns, l)
				}
			}
			if len(warns) != 1 {
				t.Fatalf("WARN lines %q, want 1; the log:\n%s", warns, logs.String())
			}
			wantContains(t, warns[0], "level=WARN", "op=generate experiment="+g.x.ID, "error=", tt.code, "request_id=")
		})
	}
}

// TestAPIGenerateInvalidBriefNotWarned: a brief the library refuses is
// the client's mistake, not a failure of the model: no WARN line.
func TestAPIGenerateInvalidBriefNotWarned(t *testing.T) {
	llm := newFakeLLM(t)
	var logs syncBuffer
	g := newLoggedGenFixture(t, llm.generator(5*time.Second), &logs)
	tok := g.e.token("api@example.com")
	resp, out := g.e.api("POST", "/api/v1/experiments/"+g.x.ID+"/generate", tok, `{"n":2,"brief":{"goal":"`+strings.Repeat("x", 5000)+`"}}`)
	wantStatus(t, resp, http.StatusUnprocessableEntity, fmt.Sprint(out))
	if strings.Contains(logs.String(), "copy generation failed") {
		t.Errorf("an invalid brief logged as a failed generation:\n%s", logs.String())
	}
	if llm.calls() != 0 {
		t.Errorf("the model server saw %d requests, want 0", llm.calls())
	}
}
