package app

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"
)

// newBrief is the fixture's brief with another product line: the brief a
// marketer sends after reading a first set of drafts.
func (g *genFixture) newBrief() url.Values {
	v := g.brief(2)
	v.Set("product", "Acme Boards, a kanban tool for agencies")
	return v
}

// jobOf is the id of the job whose status URL is statusURL.
func jobOf(statusURL string) string { return statusURL[strings.LastIndex(statusURL, "/")+1:] }

// TestNewBriefAsksBeforeReplacingEdits: a new brief's drafts replace the
// set on the page, so a brief sent while that set holds the marketer's
// edits or ticks starts nothing: the answer names what would be lost, and
// the set stays as it was, edits included, until the marketer presses
// Replace the drafts (replace=1). A set as it was written goes without a
// question.
func TestNewBriefAsksBeforeReplacingEdits(t *testing.T) {
	tests := []struct {
		name    string
		include []int
		edits   map[int]string
		want    string // the question, "" for none
	}{
		{name: "as written", include: []int{0, 1}},
		{name: "every draft unticked", include: nil},
		{name: "a first draft unticked", include: []int{1}},
		{name: "one draft edited", include: []int{0, 1}, edits: map[int]string{0: "Plan the launch in one calm place, by hand"},
			want: "Your edits to 1 draft will be replaced."},
		{name: "a third draft ticked", include: []int{0, 1, 2},
			want: "Your tick on 1 draft will be replaced."},
		{name: "two drafts edited, none ticked", include: nil,
			edits: map[int]string{0: "Plan the launch in one calm place", 2: "Every project, one calm board"},
			want:  "Your edits to 2 drafts will be replaced."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := newGenFixture(t, nil)
			statusURL, body := offlineDrafts(t, g, 3)
			texts := draftTexts(body)
			v := withDrafts(g.newBrief(), draftsForm(texts, tt.include, tt.edits), jobOf(statusURL))

			resp, frag := g.c.hx(http.MethodPost, g.base, v)
			wantStatus(t, resp, http.StatusOK, frag)
			pushed := resp.Header.Get("HX-Push-Url")
			if tt.want == "" {
				if pushed == "" {
					t.Fatalf("nothing to lose, yet no new drafts were started: %s", frag)
				}
				wantNotContains(t, frag, `name="replace"`)
				return
			}
			if pushed != "" {
				t.Fatalf("the new brief started (%s) over the marketer's edits", pushed)
			}
			wantContains(t, frag, tt.want, `name="replace"`, "Replace the drafts",
				`value="Acme Boards, a kanban tool for agencies"`) // the new brief, as typed
			wantNotContains(t, frag, "Please fix the")

			// The set is still there, edits and ticks as sent.
			_, now := g.c.hx(http.MethodGet, statusURL, nil)
			wantContains(t, now, `data-state="done"`)
			for i, text := range draftTexts(now) {
				want := texts[i]
				if e, ok := tt.edits[i]; ok {
					want = e
				}
				if text != want {
					t.Errorf("draft %d reads %q, want %q", i+1, text, want)
				}
			}
			var ticked []string
			for _, i := range tt.include {
				ticked = append(ticked, strconv.Itoa(i))
			}
			if got, want := strings.Join(tickedDrafts(now), ","), strings.Join(ticked, ","); got != want {
				t.Errorf("ticked drafts %q, want %q", got, want)
			}

			// Replace the drafts: the marketer said yes.
			v.Set("replace", "1")
			resp, frag = g.c.hx(http.MethodPost, g.base, v)
			wantStatus(t, resp, http.StatusOK, frag)
			if resp.Header.Get("HX-Push-Url") == "" {
				t.Fatalf("Replace the drafts started nothing: %s", frag)
			}
		})
	}
}

// TestNewBriefWithoutJavaScriptAsks: without JavaScript the brief form
// cannot carry the drafts below it, so the server cannot see edits typed
// into them: a brief sent from a page that shows a set of drafts asks
// first, and writes new ones only after Replace the drafts.
func TestNewBriefWithoutJavaScriptAsks(t *testing.T) {
	g := newGenFixture(t, nil)
	statusURL, _ := offlineDrafts(t, g, 3)
	_, page := g.c.get(g.base + "?job=" + jobOf(statusURL))
	wantContains(t, page, `name="job" value="`+jobOf(statusURL)+`"`)

	v := g.newBrief()
	v.Set("job", jobOf(statusURL))
	resp, body := g.c.post(g.base, v)
	wantStatus(t, resp, http.StatusConflict, body)
	wantContains(t, body, "New drafts replace the 3 drafts below, with any edits and ticks you made to them.",
		`name="replace" value="1"`, `id="drafts-form"`)
	_, now := g.c.hx(http.MethodGet, statusURL, nil)
	wantContains(t, now, `data-state="done"`)

	v.Set("replace", "1")
	resp, body = g.c.post(g.base, v)
	wantStatus(t, resp, http.StatusSeeOther, body)
	if loc := resp.Header.Get("Location"); !strings.Contains(loc, "?job=") || strings.Contains(loc, jobOf(statusURL)) {
		t.Errorf("Replace the drafts went to %q, want the new job's page", loc)
	}
}

// TestNewBriefFromANewerBriefAsksAgain: once the marketer said yes to
// replacing their edited drafts, the drafts stay until the new brief's
// are there, below its progress, where they can still be edited. A brief
// sent meanwhile from the progress would replace them as surely, so it
// asks again, as the page's own question does: about the edit the server
// holds; with nothing left to lose (the edit undone, in the drafts' form
// that comes along with the brief) it goes; and from a browser without
// JavaScript, whose brief cannot carry the drafts below, about drafts it
// cannot see, as on their own page.
func TestNewBriefFromANewerBriefAsksAgain(t *testing.T) {
	llm := newFakeLLM(t)
	g := newGenFixture(t, llm.generator(10*time.Second))
	g.c.get(g.base)
	oldURL, _ := g.start(t, g.brief(3))
	texts := draftTexts(g.wait(t, oldURL))
	release := llm.hold()
	defer release()

	v := withDrafts(g.newBrief(), draftsForm(texts, []int{0, 1}, map[int]string{0: "Plan the launch in one calm place"}), jobOf(oldURL))
	v.Set("replace", "1")
	newURL, body := g.start(t, v)
	wantContains(t, body, `data-state="running"`)

	v = g.newBrief()
	v.Set("tone", "playful")
	v.Set("job", jobOf(newURL))
	resp, body := g.c.hx(http.MethodPost, g.base, v)
	wantStatus(t, resp, http.StatusOK, body)
	if pushed := resp.Header.Get("HX-Push-Url"); pushed != "" {
		t.Fatalf("the brief from the progress replaced the edited drafts without asking (%s)", pushed)
	}
	wantContains(t, body, "Your edits to 1 draft will be replaced.", `name="replace"`)

	undone := withDrafts(v, draftsForm(texts, []int{0, 1}, nil), jobOf(newURL))
	undone.Set("drafts_job", jobOf(oldURL))
	newerURL, body := g.start(t, undone)
	wantContains(t, body, `data-state="running"`)

	v.Set("job", jobOf(newerURL))
	resp, body = g.c.post(g.base, v)
	wantStatus(t, resp, http.StatusConflict, body)
	wantContains(t, body, "New drafts replace the 3 drafts below, with any edits and ticks you made to them.", `id="previous-drafts"`)
	release()
}
