package app

import (
	"encoding/json"
	"html"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestGenerateShortfallSaysWhyFewer: a model that sent two drafts of
// five is said to have sent two, not to have broken the brief's rules.
func TestGenerateShortfallSaysWhyFewer(t *testing.T) {
	llm := newFakeLLM(t)
	llm.setReply(func(n, limit int) (int, map[string]string, string) {
		return 0, nil, completion(llm.drafts(min(n, 2), limit))
	})
	g := newGenFixture(t, llm.generator(5*time.Second))
	g.c.get(g.base)
	statusURL, _ := g.start(t, g.brief(5))
	frag := html.UnescapeString(g.wait(t, statusURL))
	wantContains(t, frag, "The model sent 4 drafts instead of 5.")
	wantNotContains(t, frag, "meet the brief's rules")
}

// TestShorterRewriteFailureNamesItsLimit: a Shorter rewrite that stays
// too long says the limit is the draft's own length, a number the
// marketer can see on the card, not a bare "the limit is 24".
func TestShorterRewriteFailureNamesItsLimit(t *testing.T) {
	llm := newFakeLLM(t)
	g := newGenFixture(t, llm.generator(5*time.Second))
	g.c.get(g.base)
	statusURL, _ := g.start(t, g.brief(2))
	texts := draftTexts(g.wait(t, statusURL))
	if len(texts) != 2 {
		t.Fatalf("%d drafts", len(texts))
	}
	current := len([]rune(texts[0]))
	long := strings.Repeat("Plan ", 12) + "today" // 65 characters
	llm.setReply(func(int, int) (int, map[string]string, string) {
		b, _ := json.Marshal(map[string]any{"variants": []map[string]string{{"text": long, "angle": "a", "rationale": "r"}}})
		return 0, nil, completion(string(b))
	})
	resp, card := g.c.hx(http.MethodPost, statusURL+"/drafts/0/regenerate?instruction=shorter", draftsForm(texts, []int{0, 1}, nil))
	wantStatus(t, resp, http.StatusOK, card)
	card = html.UnescapeString(waitCard(t, g.c, statusURL+"/drafts/0"))
	wantContains(t, card, "The rewrite did not work: the model could not write a draft shorter than the current "+itoa(current)+" characters (its last try had 65); try again.")
	wantNotContains(t, card, "the limit is")
}
