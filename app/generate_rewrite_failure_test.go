package app

import (
	"net/http"
	"testing"
	"time"
)

// A failed rewrite says what a failed set of drafts says, fitted to one
// draft: a timeout in the words the progress uses ("2 seconds", not
// "2s") without the advice to ask for fewer drafts, and a rate limit
// with the wait the model service asked for.
func TestRewriteFailureSentences(t *testing.T) {
	llm := newFakeLLM(t)
	g := newGenFixture(t, llm.generator(2*time.Second))
	g.c.get(g.base)
	statusURL, _ := g.start(t, g.brief(2))
	texts := draftTexts(g.wait(t, statusURL))

	rewrite := func(t *testing.T, i int) string {
		t.Helper()
		resp, card := g.c.hx(http.MethodPost, statusURL+"/drafts/"+itoa64(int64(i))+"/regenerate?instruction=shorter", draftsForm(texts, []int{0, 1}, nil))
		wantStatus(t, resp, http.StatusOK, card)
		return waitCard(t, g.c, statusURL+"/drafts/"+itoa64(int64(i)))
	}

	t.Run("timeout", func(t *testing.T) {
		llm.setReply(func(int, int) (int, map[string]string, string) { return -1, nil, "" })
		card := rewrite(t, 0)
		wantContains(t, card, "The rewrite did not work", "did not answer within 2 seconds", "Whoever runs copylab can let it wait longer.")
		wantNotContains(t, card, "fewer drafts", "2s;", "--llm-timeout")
	})
	t.Run("rate limited", func(t *testing.T) {
		llm.setReply(failWith(http.StatusTooManyRequests, map[string]string{"Retry-After": "20"}, "Rate limit reached"))
		card := rewrite(t, 1)
		wantContains(t, card, "The rewrite did not work", "rate limiting", "wait 20 seconds and try again.")
		wantNotContains(t, card, "before the next try")
	})
	t.Run("generation timeout", func(t *testing.T) {
		llm.setReply(func(int, int) (int, map[string]string, string) { return -1, nil, "" })
		newURL, _ := g.start(t, answered(g.brief(2)))
		frag := g.wait(t, newURL)
		wantContains(t, frag, "did not answer within 2 seconds", "fewer drafts")
		wantNotContains(t, frag, "2s;")
	})
}
