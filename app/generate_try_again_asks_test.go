package app

import (
	"net/http"
	"testing"
	"time"
)

// TestTryAgainAsksAboutTheDraftsItReplaces: a new brief the model
// service failed leaves the drafts it was to replace as the marketer
// left them, hers again, edits and ticks included. Its Try again sends
// the brief once more, and its drafts would replace them as surely: the
// server asks first, as it does for Write drafts on the drafts' own page,
// whether the failure shows the drafts below it (its poll kept them
// there, and their form comes along with the brief, its edits saved to
// those drafts) or only the way back to them (the failure came at once,
// or the page was loaded again). Replace the drafts, the answer, writes
// new ones.
func TestTryAgainAsksAboutTheDraftsItReplaces(t *testing.T) {
	tests := []struct {
		name  string
		reply func(n, limit int) (int, map[string]string, string)
	}{
		{"server error", failWith(http.StatusInternalServerError, nil, "boom")},
		{"rate limited", failWith(http.StatusTooManyRequests, map[string]string{"Retry-After": "1"}, "Rate limit reached")},
	}
	const edited, again = "My own careful wording", "And this one by hand too"
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			llm := newFakeLLM(t)
			g := newGenFixture(t, llm.generator(5*time.Second))
			g.c.get(g.base)
			oldURL, _ := g.start(t, g.brief(3))
			texts := draftTexts(g.wait(t, oldURL))
			oldID := jobOf(oldURL)

			// Asked about her edit and tick, she said yes; the brief failed.
			llm.setReply(tt.reply)
			v := withDrafts(g.newBrief(), draftsForm(texts, []int{0, 1, 2}, map[int]string{0: edited}), oldID)
			v.Set("replace", "1")
			failedURL, _ := g.start(t, v)
			wantContains(t, g.wait(t, failedURL), `data-state="failed"`)
			llm.setReply(nil)
			time.Sleep(1100 * time.Millisecond) // past the rate limit's wait

			// Try again from the failure alone: asked.
			try := g.newBrief()
			try.Set("job", jobOf(failedURL))
			resp, frag := g.c.hx(http.MethodPost, g.base, try)
			wantStatus(t, resp, http.StatusOK, frag)
			if pushed := resp.Header.Get("HX-Push-Url"); pushed != "" {
				t.Fatalf("Try again wrote new drafts (%s) over her edit without asking", pushed)
			}
			wantContains(t, frag, "Your edits to 1 draft and your tick on 1 draft will be replaced.", `name="replace"`)
			_, now := g.c.hx(http.MethodGet, oldURL, nil)
			wantContains(t, now, `data-state="done"`, edited)

			// Try again from the failure with the drafts below it, draft
			// 2 edited since: the edit is saved to them, and counted.
			below := withDrafts(g.newBrief(), draftsForm(texts, []int{0, 1, 2}, map[int]string{0: edited, 1: again}), jobOf(failedURL))
			below.Set("drafts_job", oldID)
			resp, frag = g.c.hx(http.MethodPost, g.base, below)
			wantStatus(t, resp, http.StatusOK, frag)
			if pushed := resp.Header.Get("HX-Push-Url"); pushed != "" {
				t.Fatalf("Try again wrote new drafts (%s) over her edits without asking", pushed)
			}
			wantContains(t, frag, "Your edits to 2 drafts and your tick on 1 draft will be replaced.")
			_, now = g.c.hx(http.MethodGet, oldURL, nil)
			wantContains(t, now, edited, again)

			// The answer.
			below.Set("replace", "1")
			resp, frag = g.c.hx(http.MethodPost, g.base, below)
			wantStatus(t, resp, http.StatusOK, frag)
			if resp.Header.Get("HX-Push-Url") == "" {
				t.Fatalf("Replace the drafts started nothing: %s", frag)
			}
		})
	}
}
