package app

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestDraftsCountCharactersAsPeopleDo: the brief's max length counts
// characters as a person does. A model's draft with a flag and a family
// emoji, 17 characters (24 code points) under a limit of 20, is kept; one
// of 29 characters is dropped, and its reason says 29.
func TestDraftsCountCharactersAsPeopleDo(t *testing.T) {
	short := "Fast " + flagDE + " shipping " + family                    // 17 characters
	long := "Plan " + flagDE + flagDE + flagDE + " every launch, calmly" // 29 characters
	llm := newFakeLLM(t)
	llm.setReply(sameAnswer(short, long))
	g := newGenFixture(t, llm.generator(5*time.Second))
	tok := tokenFor(t, g.e, "ann@example.com")
	resp, out := g.e.api(http.MethodPost, "/api/v1/experiments/"+g.x.ID+"/generate", tok,
		`{"n":2,"brief":{"goal":"Start a free trial","current_copy":"Project management for busy teams","max_length":20}}`)
	wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
	var kept []string
	for _, v := range out["variants"].([]any) {
		kept = append(kept, v.(map[string]any)["text"].(string))
	}
	if len(kept) != 1 || kept[0] != short {
		t.Errorf("kept %q, want only %q", kept, short)
	}
	var reason string
	for _, d := range out["dropped"].([]any) {
		if m := d.(map[string]any); m["text"] == long {
			reason, _ = m["reason"].(string)
		}
	}
	if want := "It is 29 characters long; the limit is 20."; reason != want {
		t.Errorf("the long draft's reason is %q, want %q (dropped: %v)", reason, want, out["dropped"])
	}
}

// TestDraftBoxesCountCharactersAsPeopleDo: the drafting page's boxes
// count as people do too. A request ("Or say what to change") of 300
// family emoji is 300 characters, at the limit, and goes to the model;
// 301 are refused naming 301 (code points would say 2,107, and refuse
// both as longer than a job keeps). A draft of 1,200 of them is kept as
// typed and refused at Add for the copy limit, naming 1,200. A box whose
// letters carry stacks of marks is refused by its bytes, with a sentence
// that says so.
func TestDraftBoxesCountCharactersAsPeopleDo(t *testing.T) {
	llm := newFakeLLM(t)
	g := newGenFixture(t, llm.generator(5*time.Second))
	g.c.get(g.base)
	statusURL, _ := g.start(t, g.brief(2))
	texts := draftTexts(g.wait(t, statusURL))

	note := func(t *testing.T, text string) string {
		t.Helper()
		form := draftsForm(texts, []int{0, 1}, nil)
		form.Set("drafts[0].note", text)
		resp, card := g.c.hx(http.MethodPost, statusURL+"/drafts/0/regenerate?instruction=custom", form)
		wantStatus(t, resp, http.StatusOK, card)
		return card
	}
	t.Run("a request at the limit", func(t *testing.T) {
		calls := llm.calls()
		card := note(t, strings.Repeat(family, 300))
		wantNotContains(t, card, "at most 300 characters", "Nothing was done")
		if llm.calls() == calls {
			t.Errorf("the model was not asked; the card: %s", card)
		}
		g.wait(t, statusURL)
	})
	t.Run("a request over the limit", func(t *testing.T) {
		calls := llm.calls()
		card := note(t, strings.Repeat(family, 301))
		wantContains(t, card, "at most 300 characters (this is 301)")
		if llm.calls() != calls {
			t.Error("the model was asked for a refused request")
		}
	})
	t.Run("a request of stacked marks", func(t *testing.T) {
		calls := llm.calls()
		card := note(t, zalgo) // 40 characters, 41,640 bytes
		wantContains(t, card, "A request can take at most 12,000 bytes, and this takes 41,640: remove the marks stacked on its letters.")
		if llm.calls() != calls {
			t.Error("the model was asked for a refused request")
		}
	})
	t.Run("a draft over the copy limit", func(t *testing.T) {
		form := draftsForm(texts, []int{0, 1}, map[int]string{1: strings.Repeat(family, 1200)})
		resp, page := g.c.post(statusURL+"/approve", form)
		wantStatus(t, resp, http.StatusUnprocessableEntity, page)
		wantContains(t, page, "Keep copy to at most 1000 characters (this is 1200).")
		if box := textOf(find1(t, parseHTML(t, page), "f-drafts-1-text")); box != strings.Repeat(family, 1200) {
			t.Errorf("the draft's box holds %d bytes, want the %d typed", len(box), len(family)*1200)
		}
	})
	t.Run("a draft of stacked marks", func(t *testing.T) {
		form := draftsForm(texts, []int{0, 1}, map[int]string{1: zalgo})
		resp, page := g.c.post(statusURL+"/approve", form)
		wantStatus(t, resp, http.StatusUnprocessableEntity, page)
		wantContains(t, page, "Copy can take at most 40,000 bytes to store, and this takes 41,640: remove the marks stacked on its letters.")
	})
}
