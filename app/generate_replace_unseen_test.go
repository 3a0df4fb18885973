package app

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

// answered is the brief v as sent once the marketer said yes to
// replacing her previous drafts (replace=1): a brief sent from a page
// that does not show them asks first (replaceRefusal), as a second brief
// of a test sent without a page's job and drafts form does.
func answered(v url.Values) url.Values {
	v.Set("replace", "1")
	return v
}

// TestBriefFromAPageWithoutTheDraftsAsks: a brief sent from a page that
// does not show the drafts it would replace (a failure's Try again, a
// restart's Write drafts again, a page with no drafts on it) replaces
// them only once the marketer says so, whatever the server knows of
// them: the edits may be in a browser only, or a restart may have taken
// the server's copy of them. The answer is the question, with Replace
// the drafts, and the drafts stay. A page that shows the drafts and
// sends their fields along keeps its rule: drafts as written go without
// a question.
func TestBriefFromAPageWithoutTheDraftsAsks(t *testing.T) {
	const edited = "Second hand edit"
	const asked = "New drafts replace the 3 drafts of your previous brief"
	tests := []struct {
		name string
		// newer makes the marketer's next brief over the 3 drafts of the
		// job oldID, whose texts are texts, and returns the brief to send
		// again and the model to count calls of.
		newer func(t *testing.T, g *genFixture, llm *fakeLLM, oldID string, texts []string) (again func() url.Values, calls *fakeLLM)
		want  string // the question, "" when the brief goes
	}{
		{
			name: "Write drafts again after a restart",
			newer: func(t *testing.T, g *genFixture, llm *fakeLLM, oldID string, texts []string) (func() url.Values, *fakeLLM) {
				release := llm.hold()
				t.Cleanup(release)
				v := withDrafts(g.newBrief(), draftsForm(texts, []int{0, 1}, map[int]string{0: edited}), oldID)
				v.Set("replace", "1") // asked about her edit, she said yes
				newURL, body := g.start(t, v)
				wantContains(t, body, `data-state="running"`)
				waitKept(t, g.e, jobOf(newURL), keptAs(keptRunning))
				after := newFakeLLM(t)
				g.e.restartWith(after.generator(10 * time.Second))
				_, page := g.c.hx(http.MethodGet, newURL, nil)
				wantContains(t, page, "copylab restarted while these drafts were being written", "Write drafts again")
				return func() url.Values {
					v := g.newBrief()
					v.Set("job", jobOf(newURL))
					return v
				}, after
			},
			want: asked,
		},
		{
			name: "Try again of a failure, the drafts as written",
			newer: func(t *testing.T, g *genFixture, llm *fakeLLM, oldID string, texts []string) (func() url.Values, *fakeLLM) {
				llm.setReply(failWith(http.StatusInternalServerError, nil, "boom"))
				failedURL, _ := g.start(t, withDrafts(g.newBrief(), draftsForm(texts, []int{0, 1}, nil), oldID))
				wantContains(t, g.wait(t, failedURL), `data-state="failed"`)
				llm.setReply(nil)
				return func() url.Values {
					v := g.newBrief()
					v.Set("job", jobOf(failedURL))
					return v
				}, llm
			},
			want: asked + ", with any edits you made to them.",
		},
		{
			name: "a page with no drafts on it",
			newer: func(t *testing.T, g *genFixture, llm *fakeLLM, oldID string, texts []string) (func() url.Values, *fakeLLM) {
				return func() url.Values { return g.newBrief() }, llm
			},
			want: asked + ", with any edits you made to them.",
		},
		{
			name: "Try again of a failure with the drafts below, as written",
			newer: func(t *testing.T, g *genFixture, llm *fakeLLM, oldID string, texts []string) (func() url.Values, *fakeLLM) {
				llm.setReply(failWith(http.StatusInternalServerError, nil, "boom"))
				failedURL, _ := g.start(t, withDrafts(g.newBrief(), draftsForm(texts, []int{0, 1}, nil), oldID))
				wantContains(t, g.wait(t, failedURL), `data-state="failed"`)
				llm.setReply(nil)
				return func() url.Values {
					v := withDrafts(g.newBrief(), draftsForm(texts, []int{0, 1}, nil), jobOf(failedURL))
					v.Set("drafts_job", oldID)
					return v
				}, llm
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			llm := newFakeLLM(t)
			g := newGenFixture(t, llm.generator(30*time.Second))
			g.c.get(g.base)
			oldURL, _ := g.start(t, g.brief(3))
			texts := draftTexts(g.wait(t, oldURL))
			if len(texts) != 3 {
				t.Fatalf("drafts %q", texts)
			}
			again, model := tt.newer(t, g, llm, jobOf(oldURL), texts)
			calls := model.calls()

			resp, frag := g.c.hx(http.MethodPost, g.base, again())
			wantStatus(t, resp, http.StatusOK, frag)
			pushed := resp.Header.Get("HX-Push-Url")
			if tt.want == "" {
				if pushed == "" {
					t.Fatalf("the drafts on the page were sent as written, yet nothing started: %s", frag)
				}
				return
			}
			if pushed != "" {
				t.Fatalf("the brief wrote new drafts (%s) over drafts its page did not show, without asking", pushed)
			}
			wantContains(t, frag, tt.want, `name="replace"`, "Replace the drafts")
			if n := model.calls() - calls; n != 0 {
				t.Errorf("%d model calls before an answer", n)
			}
			_, old := g.c.hx(http.MethodGet, oldURL, nil)
			wantContains(t, old, `data-state="done"`)
			wantNotContains(t, old, "replaced by")

			// Without JavaScript: the same question, on the page.
			resp, body := g.c.post(g.base, again())
			wantStatus(t, resp, http.StatusConflict, body)
			wantContains(t, body, tt.want, `name="replace" value="1"`)

			// The answer.
			v := again()
			v.Set("replace", "1")
			resp, frag = g.c.hx(http.MethodPost, g.base, v)
			wantStatus(t, resp, http.StatusOK, frag)
			if resp.Header.Get("HX-Push-Url") == "" {
				t.Fatalf("Replace the drafts started nothing: %s", frag)
			}
		})
	}
}

// TestEditsSentWithABriefSurviveARestart: the drafts' edits that a new
// brief brings along (its drafts form) are saved to those drafts, and
// kept across a restart as the drafts are: the brief being written when
// copylab restarts is lost, and the drafts it was to replace come back
// as the marketer left them, not as the model wrote them.
func TestEditsSentWithABriefSurviveARestart(t *testing.T) {
	const edited = "Second hand edit"
	llm := newFakeLLM(t)
	g := newGenFixture(t, llm.generator(30*time.Second))
	g.c.get(g.base)
	oldURL, _ := g.start(t, g.brief(3))
	texts := draftTexts(g.wait(t, oldURL))
	release := llm.hold()
	defer release()
	v := withDrafts(g.newBrief(), draftsForm(texts, []int{0, 1, 2}, map[int]string{0: edited}), jobOf(oldURL))
	v.Set("replace", "1")
	newURL, _ := g.start(t, v)
	waitKept(t, g.e, jobOf(newURL), keptAs(keptRunning))
	waitKept(t, g.e, jobOf(oldURL), keptAs(keptDone, edited))

	g.e.restartWith(newFakeLLM(t).generator(10 * time.Second))
	_, old := g.c.hx(http.MethodGet, oldURL, nil)
	wantContains(t, old, `data-state="done"`, edited)
	if got := strings.Join(tickedDrafts(old), ","); got != "0,1,2" {
		t.Errorf("ticked drafts after the restart %q, want 0,1,2", got)
	}
}
