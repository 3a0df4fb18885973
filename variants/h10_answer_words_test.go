package variants

import (
	"context"
	"testing"
)

// TestCutOffAnswerIsRetried: a 200 whose JSON body ends part way (a
// server that crashed or a proxy that dropped the rest) is a broken
// answer, worth trying again like a connection that broke off; it says
// nothing about the base URL. An answer that is not OpenAI-shaped at
// all (a web page, another JSON shape) still points at the base URL.
func TestCutOffAnswerIsRetried(t *testing.T) {
	cut := completionBody(variantsJSON(good[:5]...), "stop")
	cut = cut[:len(cut)/2]
	tests := []struct {
		name    string
		body    string
		code    string
		calls   int
		want    []string
		wantNot []string
	}{
		{"cut off", `{"id":"x","object":"chat.completion","choices":[{"message":{"role":"assistant","content":"{\"variants\": [`, CodeUnavailable, 3,
			[]string{"broke off", "copylab tried 3 times", "try again"}, []string{"base URL", "OpenAI-compatible"}},
		{"cut off in the middle of the content", cut, CodeUnavailable, 3,
			[]string{"broke off"}, []string{"base URL"}},
		{"web page", "<html><body>Welcome</body></html>", CodeBadOutput, 1,
			[]string{"did not answer like an OpenAI-compatible API", "base URL"}, nil},
		{"another JSON shape", `[{"status":"ok"}]`, CodeBadOutput, 1,
			[]string{"did not answer like an OpenAI-compatible API", "base URL"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFakeLLM(t, reply{body: tt.body})
			_, err := f.generator().Generate(context.Background(), testBrief)
			e := wantErrCode(t, err, tt.code)
			if f.calls() != tt.calls {
				t.Errorf("calls = %d, want %d", f.calls(), tt.calls)
			}
			wantIn(t, "message", e.Message, tt.want...)
			wantNotIn(t, "message", e.Message, tt.wantNot...)

			// Test connection fails too, in the same words.
			err = newFakeLLM(t, reply{body: tt.body}).generator().TestConnection(context.Background())
			e = wantErrCode(t, err, tt.code)
			wantNotIn(t, "test message", e.Message, tt.wantNot...)
		})
	}
}

// TestRateLimitSaysTheWait: a 429 whose Retry-After is known says the
// wait in the sentence itself ("wait 2 minutes"), which the drafting
// page, the API and Test connection all show, rather than "wait a
// moment" beside a wait of minutes. Without a Retry-After, or with one
// of a second, "a moment" is true.
func TestRateLimitSaysTheWait(t *testing.T) {
	tests := []struct {
		name    string
		header  map[string]string
		want    string
		wantNot string
	}{
		{"two minutes", map[string]string{"Retry-After": "120"}, "rate limiting requests; wait 2 minutes and try again.", "a moment"},
		{"seconds", map[string]string{"Retry-After": "45"}, "rate limiting requests; wait 45 seconds and try again.", "a moment"},
		{"milliseconds, rounded up", map[string]string{"Retry-After-Ms": "30500"}, "wait 31 seconds and try again.", "a moment"},
		{"not said", nil, "rate limiting requests; wait a moment and try again.", "seconds"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			limited := reply{status: 429, header: tt.header, body: `{"error":{"message":"slow down"}}`}
			f := newFakeLLM(t, limited)
			_, err := f.generator(func(c *Config) { c.MaxRetries = -1 }).Generate(context.Background(), testBrief)
			e := wantErrCode(t, err, CodeRateLimited)
			wantIn(t, "message", e.Message, tt.want)
			wantNotIn(t, "message", e.Message, tt.wantNot)

			err = newFakeLLM(t, limited).generator(func(c *Config) { c.MaxRetries = -1 }).TestConnection(context.Background())
			e = wantErrCode(t, err, CodeRateLimited)
			wantIn(t, "test message", e.Message, tt.want)
		})
	}
}
