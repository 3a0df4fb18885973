package app

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

// TestGenerateEnterInANote: the drafts form's default button, the one
// Enter presses in a browser without JavaScript, is not a card's action
// (it was draft 1's Shorter, so Enter in draft 2's "say what to change"
// box rewrote draft 1). It sends the form on to the rewrite of the draft
// whose box was typed in, with the same body; when the boxes do not say
// which draft, it keeps the edits and says how to ask for a rewrite.
func TestGenerateEnterInANote(t *testing.T) {
	llm := newFakeLLM(t)
	g := newGenFixture(t, llm.generator(5*time.Second))
	g.c.get(g.base)
	statusURL, _ := g.start(t, g.brief(3))
	page := g.wait(t, statusURL)
	texts := draftTexts(page)

	// The first submit button of the drafts form is the Enter one.
	form := page[strings.Index(page, `id="drafts-form"`):]
	first := regexp.MustCompile(`<button[^>]*type="submit"[^>]*>`).FindString(form)
	if !strings.Contains(first, `name="enter"`) || strings.Contains(first, "formaction") {
		t.Errorf("the drafts form's default button is %s", first)
	}

	edited := "Plan every launch in one calm place, by hand"
	tests := []struct {
		name     string
		notes    map[int]string
		status   int
		location string
	}{
		{"one box typed in", map[int]string{1: "mention the free trial"}, http.StatusTemporaryRedirect, statusURL + "/drafts/1/regenerate?instruction=custom"},
		{"two boxes typed in", map[int]string{1: "warmer", 2: "shorter still"}, http.StatusSeeOther, strings.Replace(statusURL, "/jobs/", "?job=", 1)},
		{"no box typed in", nil, http.StatusSeeOther, strings.Replace(statusURL, "/jobs/", "?job=", 1)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := draftsForm(texts, []int{0, 1}, map[int]string{0: edited})
			for i, n := range tt.notes {
				v.Set(fmt.Sprintf("drafts[%d].note", i), n)
			}
			v.Set("enter", "1")
			resp, body := g.c.post(statusURL+"/approve", v)
			wantStatus(t, resp, tt.status, body)
			if got := resp.Header.Get("Location"); got != tt.location {
				t.Errorf("sent to %q, want %q", got, tt.location)
			}
			x, _ := g.e.store.Experiment(context.Background(), g.x.ID)
			if len(x.Variants) != 2 {
				t.Errorf("Enter added drafts: %+v", x.Variants)
			}
			if tt.status == http.StatusSeeOther {
				_, next := g.c.get(tt.location)
				wantContains(t, next, "To rewrite a draft, say what to change in its box and press its Rewrite button.",
					">"+html.EscapeString(edited)+"</textarea>")
			}
		})
	}
}
