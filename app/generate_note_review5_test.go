package app

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestGenerateRewriteNoteInvalid: "Rewrite" with nothing written in the
// draft's "say what to change" box is refused in its card, and the box
// is what is wrong: it is marked invalid and described by the message,
// so the focus goes there (the script focuses the first invalid field of
// a swapped card) and a screen reader says why. The draft's text is not
// marked. Once a rewrite is asked for in words, the box is valid again.
func TestGenerateRewriteNoteInvalid(t *testing.T) {
	llm := newFakeLLM(t)
	g := newGenFixture(t, llm.generator(5*time.Second))
	g.c.get(g.base)
	statusURL, _ := g.start(t, g.brief(2))
	texts := draftTexts(g.wait(t, statusURL))

	resp, card := g.c.hx(http.MethodPost, statusURL+"/drafts/0/regenerate?instruction=custom", draftsForm(texts, []int{0, 1}, nil))
	wantStatus(t, resp, http.StatusOK, card)
	doc := parseHTML(t, card)
	note := find1(t, doc, "f-drafts-0-note")
	if got := attrOf(note, "aria-invalid"); got != "true" {
		t.Errorf("the note's aria-invalid is %q, want true", got)
	}
	id := attrOf(note, "aria-describedby")
	if id == "" {
		t.Fatal("the note is described by nothing")
	}
	if got := textOf(find1(t, doc, id)); !strings.HasPrefix(got, "Say what to change first") {
		t.Errorf("the note is described by %q", got)
	}
	if got := attrOf(find1(t, doc, "f-drafts-0-text"), "aria-invalid"); got != "" {
		t.Errorf("the draft's text is marked invalid (%q)", got)
	}

	// The same draft, asked in words: the box is no longer marked.
	form := draftsForm(texts, []int{0, 1}, nil)
	form.Set("drafts[0].note", "mention the free trial")
	_, card = g.c.hx(http.MethodPost, statusURL+"/drafts/0/regenerate?instruction=custom", form)
	for deadline := time.Now().Add(10 * time.Second); strings.Contains(card, "draft-busy") && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		_, card = g.c.hx(http.MethodGet, statusURL+"/drafts/0", nil)
	}
	wantContains(t, card, "Rewritten as asked.")
	if got := attrOf(find1(t, parseHTML(t, card), "f-drafts-0-note"), "aria-invalid"); got != "" {
		t.Errorf("after a rewrite, the note's aria-invalid is %q", got)
	}
}
