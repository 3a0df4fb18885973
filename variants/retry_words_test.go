package variants

import (
	"context"
	"sync"
	"testing"
	"time"
)

// TestRateLimitSaysHowOftenItTried: copylab tries again after a 429
// before it gives up; the sentence says so, and the caller hears of each
// wait while it lasts.
func TestRateLimitSaysHowOftenItTried(t *testing.T) {
	limited := reply{status: 429, header: map[string]string{"Retry-After-Ms": "20"}, body: `{"error":{"message":"slow down"}}`}
	f := newFakeLLM(t, limited)
	g := f.generator()
	var mu sync.Mutex
	var heard []Retry
	ctx := WithRetryNotice(context.Background(), func(r Retry) {
		mu.Lock()
		heard = append(heard, r)
		mu.Unlock()
	})
	_, err := g.Generate(ctx, testBrief)
	e := wantErrCode(t, err, CodeRateLimited)
	if f.calls() != 3 {
		t.Fatalf("calls = %d, want 3", f.calls())
	}
	wantIn(t, "message", e.Message, "rate limiting", "copylab tried 3 times", "try again")
	mu.Lock()
	defer mu.Unlock()
	if len(heard) != 2 {
		t.Fatalf("heard of %d retries, want 2: %+v", len(heard), heard)
	}
	for i, r := range heard {
		if r.Code != CodeRateLimited || r.Wait != 20*time.Millisecond || r.Try != i+2 {
			t.Errorf("retry %d = %+v", i, r)
		}
	}

	t.Run("failing service", func(t *testing.T) {
		f := newFakeLLM(t, apiError(503, "overloaded"))
		_, err := f.generator().Generate(context.Background(), testBrief)
		e := wantErrCode(t, err, CodeUnavailable)
		wantIn(t, "message", e.Message, "HTTP 503", "copylab tried 3 times")
	})
	t.Run("no retries: nothing to count", func(t *testing.T) {
		f := newFakeLLM(t, limited)
		_, err := f.generator(func(c *Config) { c.MaxRetries = -1 }).Generate(context.Background(), testBrief)
		e := wantErrCode(t, err, CodeRateLimited)
		wantNotIn(t, "message", e.Message, "tried")
	})
}
