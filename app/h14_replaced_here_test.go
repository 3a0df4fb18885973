package app

import (
	"context"
	"net/http"
	"testing"
	"time"
)

// TestGonePressSaysWhatTheGenerationPageShows: Add or a rewrite pressed
// on drafts that are gone (a tab left open) lands on the generation
// page, so the message there says what that page shows, not to open it:
// the newer brief's drafts below, and that nothing of the old drafts was
// added. The status of the old job, swapped into the page that still
// shows it, keeps pointing to the generation page, where they are.
func TestGonePressSaysWhatTheGenerationPageShows(t *testing.T) {
	llm := newFakeLLM(t)
	g := newGenFixture(t, llm.generator(5*time.Second))
	g.c.get(g.base)
	oldURL, _ := g.start(t, g.brief(2))
	texts := draftTexts(g.wait(t, oldURL))
	newURL, _ := g.start(t, answered(g.brief(2)))
	newTexts := draftTexts(g.wait(t, newURL))
	if len(newTexts) != 2 {
		t.Fatalf("%d new drafts, want 2", len(newTexts))
	}
	const here = "These drafts were replaced by the drafts of your newer brief. They are below; nothing from the old drafts was added to the experiment."

	t.Run("Add", func(t *testing.T) {
		resp, body := g.c.post(oldURL+"/approve", draftsForm(texts, []int{0}, map[int]string{0: "An edit of the old draft"}))
		wantStatus(t, resp, http.StatusSeeOther, body)
		if loc := resp.Header.Get("Location"); loc != g.base {
			t.Fatalf("Add went to %q, want the generation page %q", loc, g.base)
		}
		_, page := g.c.get(g.base)
		wantContains(t, page, here, newTexts[0], newTexts[1])
		wantNotContains(t, page, "Open the generation page")
		x, err := g.e.store.Experiment(context.Background(), g.x.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(x.Variants) != len(g.x.Variants) {
			t.Errorf("the experiment has %d variants after Add on replaced drafts, want the %d it had", len(x.Variants), len(g.x.Variants))
		}
	})

	t.Run("a rewrite", func(t *testing.T) {
		resp, body := g.c.hx(http.MethodPost, oldURL+"/drafts/0/regenerate?instruction=shorter", draftsForm(texts, []int{0}, nil))
		wantStatus(t, resp, http.StatusOK, body)
		if to := resp.Header.Get("HX-Redirect"); to != g.base {
			t.Fatalf("HX-Redirect %q, want %q", to, g.base)
		}
		_, page := g.c.get(g.base)
		wantContains(t, page, here, newTexts[0])
		wantNotContains(t, page, "Open the generation page")
	})

	t.Run("the old status, in a page that still shows it", func(t *testing.T) {
		_, frag := g.c.hx(http.MethodGet, oldURL, nil)
		wantContains(t, frag, "These drafts were replaced by the drafts of your newer brief. Open the generation page to see them.")
	})

	t.Run("drafts gone for good", func(t *testing.T) {
		resp, body := g.c.post(g.base+"/jobs/aaaaaaaaaaaaaaaaaaaa/approve", draftsForm(texts, []int{0}, nil))
		wantStatus(t, resp, http.StatusSeeOther, body)
		if loc := resp.Header.Get("Location"); loc != g.base {
			t.Fatalf("Add went to %q, want %q", loc, g.base)
		}
		_, page := g.c.get(g.base)
		wantContains(t, page, "These drafts are not here", "Your brief is kept: write new ones below.")
		wantNotContains(t, page, "Open the generation page")
	})
}
