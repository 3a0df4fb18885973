package app

import (
	"net/http"
	"strings"
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

// TestGenerateOfflineCustomRewrite: the offline generator cannot follow a
// request in the marketer's words, so its rewrite does not claim it did.
func TestGenerateOfflineCustomRewrite(t *testing.T) {
	g := newGenFixture(t, nil)
	g.c.get(g.base)
	statusURL, _ := g.start(t, g.brief(2))
	texts := draftTexts(g.wait(t, statusURL))
	if len(texts) != 2 {
		t.Fatalf("%d offline drafts", len(texts))
	}
	form := draftsForm(texts, []int{0, 1}, nil)
	form.Set("drafts[1].note", "mention the free trial")
	resp, card := g.c.hx(http.MethodPost, statusURL+"/drafts/1/regenerate?instruction=custom", form)
	wantStatus(t, resp, http.StatusOK, card)
	for deadline := time.Now().Add(5 * time.Second); strings.Contains(card, "draft-busy") && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		_, card = g.c.hx(http.MethodGet, statusURL+"/drafts/1", nil)
	}
	wantContains(t, card, "Replaced with another offline template: the offline generator cannot follow written requests.")
	wantNotContains(t, card, "Rewritten as asked.")

	// The buttons it can follow still say what they did.
	resp, card = g.c.hx(http.MethodPost, statusURL+"/drafts/0/regenerate?instruction=different+angle", draftsForm(texts, []int{0, 1}, nil))
	wantStatus(t, resp, http.StatusOK, card)
	for deadline := time.Now().Add(5 * time.Second); strings.Contains(card, "draft-busy") && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		_, card = g.c.hx(http.MethodGet, statusURL+"/drafts/0", nil)
	}
	wantContains(t, card, "Rewritten with a different angle.")
}
