package app

import (
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestNewBriefAsksWhileADraftIsRewritten: a new brief stops the rewrites
// still running on the drafts it replaces, but its question counted only
// drafts edited or rewritten already: a set whose only work was a rewrite
// on its way was replaced without a word. A draft being rewritten now
// counts, in words that say so, with the drafts form along (htmx) or
// without it (a browser without JavaScript).
func TestNewBriefAsksWhileADraftIsRewritten(t *testing.T) {
	tests := []struct {
		name   string
		htmx   bool
		edits  map[int]string
		status int
		want   string
	}{
		{name: "with the drafts form", htmx: true, status: http.StatusOK,
			want: "1 draft is still being rewritten, and its rewrite will be lost."},
		{name: "without JavaScript", htmx: false, status: http.StatusConflict,
			want: "1 draft is still being rewritten, and its rewrite will be lost."},
		{name: "and an edit", htmx: true, status: http.StatusOK, edits: map[int]string{0: "Plan the launch in one calm place"},
			want: "Your edits to 1 draft will be replaced. 1 draft is still being rewritten, and its rewrite will be lost."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			llm := newFakeLLM(t)
			g := newGenFixture(t, llm.generator(10*time.Second))
			g.c.get(g.base)
			statusURL, _ := g.start(t, g.brief(3))
			body := g.wait(t, statusURL)
			texts := draftTexts(body)
			if len(texts) != 3 {
				t.Fatalf("%d drafts, want 3", len(texts))
			}
			if tt.edits != nil {
				// The edit is saved with the rewrite's form, as the page
				// sends it.
				texts[0] = tt.edits[0]
			}
			release := llm.hold()
			defer release()
			resp, card := g.c.hx(http.MethodPost, statusURL+"/drafts/2/regenerate?instruction=shorter",
				withRevs(draftsForm(texts, []int{0, 1}, nil), body))
			wantStatus(t, resp, http.StatusOK, card)
			if !strings.Contains(card, "draft-busy") {
				t.Fatalf("the rewrite is not running: %s", card)
			}

			v := g.newBrief()
			v.Set("job", jobOf(statusURL))
			if tt.htmx {
				v = withDrafts(v, withRevs(draftsForm(texts, []int{0, 1}, nil), body), jobOf(statusURL))
				resp, body = g.c.hx(http.MethodPost, g.base, v)
				if pushed := resp.Header.Get("HX-Push-Url"); pushed != "" {
					t.Fatalf("the new brief started (%s) over the draft being rewritten", pushed)
				}
			} else {
				resp, body = g.c.post(g.base, v)
			}
			wantStatus(t, resp, tt.status, body)
			wantContains(t, body, tt.want+replaceThen, `name="replace" value="1"`)

			// The rewrite goes on.
			_, card = g.c.hx(http.MethodGet, statusURL+"/drafts/2", nil)
			wantContains(t, card, "draft-busy")
			release()
			wantNotContains(t, waitCard(t, g.c, statusURL+"/drafts/2"), "regen-failed")
		})
	}
}
