package app

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

var revFieldRe = regexp.MustCompile(`name="drafts\[(\d+)\]\.rev" value="(\d+)"`)

// withRevs adds each draft's revision (drafts[i].rev), as a fragment
// renders it, to a drafts form: the form a browser posts carries them.
func withRevs(form url.Values, body string) url.Values {
	for _, m := range revFieldRe.FindAllStringSubmatch(body, -1) {
		form.Set("drafts["+m[1]+"].rev", m[2])
	}
	return form
}

// TestNewBriefAsksAfterARewrite: a draft rewritten with one of its
// buttons (Shorter here) is the marketer's work as much as one edited by
// hand, so a new brief asks before its drafts replace it, with the drafts
// form along (htmx) or without it (a browser without JavaScript), and
// names it as an edit.
func TestNewBriefAsksAfterARewrite(t *testing.T) {
	tests := []struct {
		name   string
		htmx   bool
		status int
	}{
		{name: "with the drafts form", htmx: true, status: http.StatusOK},
		{name: "without JavaScript", htmx: false, status: http.StatusConflict},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := newGenFixture(t, nil)
			statusURL, body := offlineDrafts(t, g, 3)
			texts := draftTexts(body)
			resp, card := g.c.hx(http.MethodPost, statusURL+"/drafts/0/regenerate?instruction=shorter",
				withRevs(draftsForm(texts, []int{0, 1}, nil), body))
			wantStatus(t, resp, http.StatusOK, card)
			if strings.Contains(card, "draft-busy") {
				card = waitCard(t, g.c, statusURL+"/drafts/0")
			}
			wantNotContains(t, card, "regen-failed")
			_, now := g.c.hx(http.MethodGet, statusURL, nil)
			rewritten := draftTexts(now)
			if rewritten[0] == texts[0] {
				t.Fatalf("draft 1 was not rewritten: %q", rewritten[0])
			}

			const want = "Your edits to 1 draft will be replaced."
			v := g.newBrief()
			v.Set("job", jobOf(statusURL))
			if tt.htmx {
				v = withDrafts(v, withRevs(draftsForm(rewritten, []int{0, 1}, nil), now), jobOf(statusURL))
				resp, body = g.c.hx(http.MethodPost, g.base, v)
				if pushed := resp.Header.Get("HX-Push-Url"); pushed != "" {
					t.Fatalf("the new brief started (%s) over the rewritten draft", pushed)
				}
			} else {
				resp, body = g.c.post(g.base, v)
			}
			wantStatus(t, resp, tt.status, body)
			wantContains(t, body, want, `name="replace" value="1"`)

			// The rewrite is still there.
			_, now = g.c.hx(http.MethodGet, statusURL, nil)
			if got := draftTexts(now)[0]; got != rewritten[0] {
				t.Errorf("draft 1 reads %q, want the rewrite %q", got, rewritten[0])
			}
		})
	}
}
