package app

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"copylab/variants"
)

// TestH4RewriteNamesTriedCopy: a follow-up's rewrite tells the model
// what each text it must stay clear of is: the other drafts are the
// other variants of this test, and the copy the followed test already
// put before visitors is copy tried in an earlier test, not "other
// variants". A rewrite with nothing tried before says nothing of it.
func TestH4RewriteNamesTriedCopy(t *testing.T) {
	llm := newFakeLLM(t)
	g := newGenFixture(t, llm.generator(5*time.Second))
	x := h9ShippedTest(t, g.e, g.site.ID)
	resp, body := g.c.post("/experiments/"+x.ID+"/follow-up", nil)
	wantStatus(t, resp, http.StatusSeeOther, body)
	id, _ := strings.CutSuffix(strings.TrimPrefix(resp.Header.Get("Location"), "/experiments/"), "/generate")
	g.base = "/experiments/" + id + "/generate"

	const other = "Stop chasing updates across five apps"
	g.c.get(g.base)
	h10Reply(llm, "Plan every launch in one calm place", other)
	v := g.brief(2)
	v.Set("current_copy", h10Shipped)
	statusURL, _ := g.start(t, v)
	texts := draftTexts(g.wait(t, statusURL))
	if len(texts) != 2 {
		t.Fatalf("drafts %q", texts)
	}

	h10Reply(llm, "Deadlines met without the Monday panic")
	resp, card := g.c.hx(http.MethodPost, statusURL+"/drafts/0/regenerate?instruction=different+angle", draftsForm(texts, []int{0, 1}, nil))
	wantStatus(t, resp, http.StatusOK, card)
	for deadline := time.Now().Add(10 * time.Second); strings.Contains(card, "draft-busy") && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		_, card = g.c.hx(http.MethodGet, statusURL+"/drafts/0", nil)
	}
	wantContains(t, card, "Deadlines met without the Monday panic")

	req := llm.lastRequest()
	block := func(tag string) string {
		_, rest, ok := strings.Cut(req, "<"+tag+">")
		in, _, _ := strings.Cut(rest, "</"+tag+">")
		if !ok {
			return ""
		}
		return in
	}
	others, tried := block("others"), block("tried")
	if !strings.Contains(others, other) {
		t.Errorf("the other draft is not among this test's other variants: %s", req)
	}
	for _, want := range []string{h10Lost, h10Original} {
		if strings.Contains(others, want) {
			t.Errorf("%q, tried in the followed test, is called another variant of this test: %s", want, req)
		}
		if !strings.Contains(tried, want) {
			t.Errorf("%q is not named as copy tried in an earlier test: %s", want, req)
		}
	}
	wantContains(t, req, "these other variants of this test:", "this copy, already tried in earlier tests:")
	if variants.PromptVersion == "v1" {
		t.Errorf("the prompt's wording changed, but its version is still %s", variants.PromptVersion)
	}
}
