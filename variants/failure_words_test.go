package variants

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
)

// The failure sentences are read by a marketer on the drafting page; the
// server's own settings belong in the log line (Error), which whoever
// runs copylab reads. These tests hold each sentence to that.

func wantErrCode(t *testing.T, err error, code string) *Error {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) || e.Code != code {
		t.Fatalf("err = %v, want %s", err, code)
	}
	return e
}

func wantIn(t *testing.T, what, s string, subs ...string) {
	t.Helper()
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			t.Errorf("%s = %q, want it to contain %q", what, s, sub)
		}
	}
}

func wantNotIn(t *testing.T, what, s string, subs ...string) {
	t.Helper()
	for _, sub := range subs {
		if strings.Contains(s, sub) {
			t.Errorf("%s = %q, want it without %q", what, s, sub)
		}
	}
}

// TestTimeoutWordsMarketerAndOperator: a model that never answers gets a
// sentence the marketer can act on (try again; fewer drafts for a set),
// and the server flag only in the log line.
func TestTimeoutWordsMarketerAndOperator(t *testing.T) {
	f := newFakeLLM(t, reply{delay: 10 * time.Second, body: completionBody(variantsJSON(good[:5]...), "stop")})
	g := f.generator(func(c *Config) { c.Timeout = 200 * time.Millisecond })

	_, err := g.Generate(context.Background(), testBrief)
	e := wantErrCode(t, err, CodeTimeout)
	wantIn(t, "message", e.Message, "did not answer within", "try again", "fewer drafts", "Whoever runs copylab can let it wait longer.")
	wantNotIn(t, "message", e.Message, "--llm-timeout", "COPYLAB_")
	wantIn(t, "log line", e.Error(), "--llm-timeout", "COPYLAB_LLM_TIMEOUT")

	_, err = g.Regenerate(context.Background(), testBrief, nil, good[0], InstructionDifferentAngle)
	e = wantErrCode(t, err, CodeTimeout)
	wantIn(t, "rewrite message", e.Message, "did not answer within", "try again", "Whoever runs copylab can let it wait longer.")
	wantNotIn(t, "rewrite message", e.Message, "--llm-timeout", "fewer drafts")
	wantIn(t, "rewrite log line", e.Error(), "--llm-timeout")
}
