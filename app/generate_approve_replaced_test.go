package app

import (
	"net/http"
	"testing"
	"time"
)

// "Add" on drafts a newer brief replaced says so, not that they expired.
func TestApproveReplacedDraftsSaysTheyWereReplaced(t *testing.T) {
	llm := newFakeLLM(t)
	g := newGenFixture(t, llm.generator(5*time.Second))
	g.c.get(g.base)
	oldURL, _ := g.start(t, g.brief(2))
	texts := draftTexts(g.wait(t, oldURL))
	newURL, _ := g.start(t, answered(g.brief(2)))
	g.wait(t, newURL)

	resp, body := g.c.post(oldURL+"/approve", draftsForm(texts, []int{0}, nil))
	wantStatus(t, resp, http.StatusSeeOther, body)
	if loc := resp.Header.Get("Location"); loc != g.base {
		t.Fatalf("approve went to %q, want %q", loc, g.base)
	}
	_, page := g.c.get(g.base)
	wantContains(t, page, "replaced by the drafts of your newer brief")
	wantNotContains(t, page, "kept for an hour")
}
