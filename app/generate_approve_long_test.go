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
	"unicode/utf8"
)

// TestGenerateApproveOverTheBriefsLength: a ticked draft longer than the
// brief's limit is not added without a word. The Add answers with the
// drafts again, the draft's text marked (so the focus goes there) with a
// sentence that names the draft, its length and the limit, and a box to
// add such drafts anyway; ticking it adds the draft as it is.
func TestGenerateApproveOverTheBriefsLength(t *testing.T) {
	llm := newFakeLLM(t)
	g := newGenFixture(t, llm.generator(5*time.Second))
	g.c.get(g.base)
	brief := g.brief(2)
	brief.Set("max_length", "40")
	statusURL, _ := g.start(t, brief)
	texts := draftTexts(g.wait(t, statusURL))
	if len(texts) != 2 {
		t.Fatalf("%d drafts", len(texts))
	}
	long := "Plan every launch, sprint and review in one calm place"
	n := utf8.RuneCountInString(long)

	tests := []struct {
		name    string
		include []int
		edits   map[int]string
		status  int
		want    []string
		added   int // variants added
	}{
		{"refused", []int{0, 1}, map[int]string{1: long}, http.StatusUnprocessableEntity, []string{
			fmt.Sprintf("Draft 2 is %d characters; the brief asks for at most 40.", n),
			`aria-invalid="true"`,
			`name="allow_long"`,
			"Add drafts over 40 characters anyway",
		}, 0},
		{"unticked, not in the way", []int{0}, map[int]string{1: long}, http.StatusSeeOther, nil, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			form := draftsForm(texts, tt.include, tt.edits)
			before, _ := g.e.store.Experiment(context.Background(), g.x.ID)
			resp, body := g.c.post(statusURL+"/approve", form)
			wantStatus(t, resp, tt.status, body)
			for _, w := range tt.want {
				if !strings.Contains(body, html.EscapeString(w)) && !strings.Contains(body, w) {
					t.Errorf("the answer lacks %q", w)
				}
			}
			if tt.status == http.StatusUnprocessableEntity {
				// The mark is on the long draft's text, not the other's.
				area := regexp.MustCompile(`<textarea id="f-drafts-1-text"[^>]*>`).FindString(body)
				if !strings.Contains(area, `aria-invalid="true"`) {
					t.Errorf("the long draft's text is not marked: %s", area)
				}
				if strings.Contains(regexp.MustCompile(`<textarea id="f-drafts-0-text"[^>]*>`).FindString(body), "aria-invalid") {
					t.Error("the draft within the limit is marked")
				}
				if !strings.Contains(body, ">"+html.EscapeString(long)+"</textarea>") {
					t.Error("the edit is lost")
				}
			}
			after, _ := g.e.store.Experiment(context.Background(), g.x.ID)
			if got := len(after.Variants) - len(before.Variants); got != tt.added {
				t.Errorf("%d variants added, want %d", got, tt.added)
			}
		})
	}

	t.Run("added anyway when asked", func(t *testing.T) {
		// A fresh job: the add above ended the first.
		statusURL, _ := g.start(t, brief)
		texts := draftTexts(g.wait(t, statusURL))
		form := draftsForm(texts, []int{1}, map[int]string{1: long})
		resp, body := g.c.post(statusURL+"/approve", form)
		wantStatus(t, resp, http.StatusUnprocessableEntity, body)
		form.Set("allow_long", "on")
		resp, body = g.c.post(statusURL+"/approve", form)
		wantStatus(t, resp, http.StatusSeeOther, body)
		x, _ := g.e.store.Experiment(context.Background(), g.x.ID)
		if last := x.Variants[len(x.Variants)-1]; last.Text != long || !last.Edited {
			t.Errorf("added %+v, want the long draft as edited", last)
		}
	})
}
