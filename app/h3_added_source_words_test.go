package app

import (
	"html"
	"net/http"
	"testing"
	"time"
)

// TestH3AddedDraftsSaySource: drafts added from the drafting page say
// where they came from in the message after the add and in each History
// line: offline suggestions as such, as Settings promises everywhere,
// and a model's drafts by the model's name.
func TestH3AddedDraftsSaySource(t *testing.T) {
	t.Run("offline", func(t *testing.T) {
		g := newGenFixture(t, nil)
		g.c.get(g.base)
		statusURL, _ := g.start(t, g.brief(1))
		texts := draftTexts(g.wait(t, statusURL))
		resp, body := g.c.post(statusURL+"/approve", draftsForm(texts, []int{0}, nil))
		wantStatus(t, resp, http.StatusSeeOther, body)
		_, page := g.c.get(resp.Header.Get("Location"))
		if got, want := flashText(page), "Added 1 offline suggestion to the experiment as variant C."; len(got) < len(want) || got[:len(want)] != want {
			t.Errorf("flash %q, want it to begin %q", got, want)
		}
		wantContains(t, page, "Added Variant C, an offline suggestion: “<bdi>"+html.EscapeString(texts[0])+"</bdi>”.")
	})
	t.Run("model", func(t *testing.T) {
		llm := newFakeLLM(t)
		g := newGenFixture(t, llm.generator(5*time.Second))
		g.c.get(g.base)
		statusURL, _ := g.start(t, g.brief(2))
		texts := draftTexts(g.wait(t, statusURL))
		edited := texts[1] + " today"
		resp, body := g.c.post(statusURL+"/approve", draftsForm(texts, []int{0, 1}, map[int]string{1: edited}))
		wantStatus(t, resp, http.StatusSeeOther, body)
		_, page := g.c.get(resp.Header.Get("Location"))
		wantContains(t, page, "Added 2 drafts to the experiment as variants C and D.",
			"Added Variant C, drafted by test-model-2026: “<bdi>"+html.EscapeString(texts[0])+"</bdi>”.",
			"Added Variant D, drafted by test-model-2026 and edited by hand: “<bdi>"+html.EscapeString(edited)+"</bdi>”.")
	})
}
