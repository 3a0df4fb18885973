package variants

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
)

// notices records what WithCallNotice reports, as "ok", "held:CODE" or
// the failure's code.
type notices struct {
	mu  sync.Mutex
	got []string
}

func (n *notices) ctx() context.Context {
	return WithCallNotice(context.Background(), func(c Call) {
		s := "ok"
		var e *Error
		switch {
		case c.HeldBack && errors.As(c.Err, &e):
			s = "held:" + e.Code
		case errors.As(c.Err, &e):
			s = e.Code
		case errors.Is(c.Err, context.Canceled):
			s = "canceled"
		case c.Err != nil:
			s = "other"
		}
		n.mu.Lock()
		n.got = append(n.got, s)
		n.mu.Unlock()
	})
}

func (n *notices) String() string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return fmt.Sprint(n.got)
}

// TestF16CallNoticeEveryRequest: the notice is called once for each
// request the server receives, tries and follow-ups alike, with the
// failure's code, and once for a call held back by a Retry-After, which
// the server never receives.
func TestF16CallNoticeEveryRequest(t *testing.T) {
	t.Run("500 twice, then drafts", func(t *testing.T) {
		f := newFakeLLM(t, apiError(500, "boom"), apiError(500, "boom"), okReply(variantsJSON(good[:5]...)))
		var n notices
		if _, err := f.generator().Generate(n.ctx(), testBrief); err != nil {
			t.Fatal(err)
		}
		if got, want := n.String(), "[llm_unavailable llm_unavailable ok]"; got != want || f.calls() != 3 {
			t.Errorf("notices %s for %d requests, want %s for 3", got, f.calls(), want)
		}
	})

	t.Run("follow-up", func(t *testing.T) {
		f := newFakeLLM(t, okReply(variantsJSON(good[:2]...)), okReply(variantsJSON(good[2:5]...)))
		var n notices
		if _, err := f.generator().Generate(n.ctx(), testBrief); err != nil {
			t.Fatal(err)
		}
		if got, want := n.String(), "[ok ok]"; got != want || f.calls() != 2 {
			t.Errorf("notices %s for %d requests, want %s for 2", got, f.calls(), want)
		}
	})

	t.Run("held back by Retry-After", func(t *testing.T) {
		f := newFakeLLM(t, reply{status: 429, header: map[string]string{"Retry-After": "60"}, body: `{"error":{"message":"slow down"}}`})
		g := f.generator()
		var n notices
		for range 2 {
			if _, err := g.Generate(n.ctx(), testBrief); err == nil {
				t.Fatal("Generate succeeded")
			}
		}
		if got, want := n.String(), "[llm_rate_limited held:llm_rate_limited]"; got != want || f.calls() != 1 {
			t.Errorf("notices %s for %d requests, want %s for 1", got, f.calls(), want)
		}
	})

	t.Run("rewrite and connection test", func(t *testing.T) {
		f := newFakeLLM(t, okReply(variantsJSON(good[5])), okReply("OK"))
		g := f.generator()
		var n notices
		if _, err := g.Regenerate(n.ctx(), testBrief, nil, good[0], InstructionDifferentAngle); err != nil {
			t.Fatal(err)
		}
		if err := g.TestConnection(n.ctx()); err != nil {
			t.Fatal(err)
		}
		if got, want := n.String(), "[ok ok]"; got != want {
			t.Errorf("notices %s, want %s", got, want)
		}
	})

	t.Run("given up before sending", func(t *testing.T) {
		f := newFakeLLM(t, okReply(variantsJSON(good[:5]...)))
		var n notices
		ctx, cancel := context.WithCancel(n.ctx())
		cancel()
		if _, err := f.generator().Generate(ctx, testBrief); !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want canceled", err)
		}
		if got := n.String(); got != "[]" || f.calls() != 0 {
			t.Errorf("notices %s for %d requests, want none", got, f.calls())
		}
	})
}
