package app

import (
	"testing"
	"time"
)

// TestGenerateTimeoutAdvice: a model that does not answer in time gets
// advice a marketer can follow. copylab has no setting for the model's
// timeout, so the page must not tell them to raise it.
func TestGenerateTimeoutAdvice(t *testing.T) {
	llm := newFakeLLM(t)
	llm.setReply(func(int, int) (int, map[string]string, string) { return -1, nil, "" })
	g := newGenFixture(t, llm.generator(300*time.Millisecond))
	g.c.get(g.base)
	statusURL, _ := g.start(t, g.brief(2))
	frag := g.wait(t, statusURL)
	wantContains(t, frag, `data-code="llm_timeout"`, "did not answer within", "try again", "fewer variants")
	wantNotContains(t, frag, "raise the timeout")
}
