package app

import (
	"net/http"
	"path"
	"testing"
	"time"
)

// TestNewBriefOfRepeatsLinksBack: a new brief whose drafts all repeat
// copy the experiment already has ended with "0 drafts" and no way back
// to the previous drafts, which were still there at their own address;
// and the experiment's "Draft copy with AI" then opened that empty page.
// As a brief that fails, it now links back to them, kept as they were.
// Its empty state also named a "Suggest drafts" button where, with a
// model, the page's button reads "Write drafts".
func TestNewBriefOfRepeatsLinksBack(t *testing.T) {
	llm := newFakeLLM(t)
	g := newGenFixture(t, llm.generator(5*time.Second))
	g.c.get(g.base)
	oldURL, _ := g.start(t, g.brief(2))
	if n := len(draftTexts(g.wait(t, oldURL))); n != 2 {
		t.Fatalf("%d drafts, want 2", n)
	}
	oldID := path.Base(oldURL)

	// The model sends only copy the experiment has, and again when asked
	// for the rest.
	llm.setReply(func(int, int) (int, map[string]string, string) {
		return http.StatusOK, nil, completion(`{"variants":[{"text":"Projects, finally under control","angle":"outcome","rationale":"Calm."}]}`)
	})
	v := g.brief(2)
	v.Set("tone", "calm")
	newURL, _ := g.start(t, answered(v))
	frag := g.wait(t, newURL)
	wantContains(t, frag, "No new drafts this time", "the experiment already has it.")
	if n := len(draftTexts(frag)); n != 0 {
		t.Fatalf("%d drafts, want none", n)
	}
	back := `<a href="` + g.base + `?job=` + oldID + `" data-replaces=`
	for _, page := range []string{g.base + "?job=" + path.Base(newURL), g.base} {
		_, body := g.c.get(page)
		wantContains(t, body, back, ">Back to your previous drafts</a>", "press Write drafts for another try")
		wantNotContains(t, body, "Suggest drafts")
	}
	// The previous drafts are still there.
	_, body := g.c.get(g.base + "?job=" + oldID)
	if n := len(draftTexts(body)); n != 2 {
		t.Errorf("%d previous drafts, want 2", n)
	}
}
