package app

import (
	"context"
	"net/http"
	"net/url"
	"path"
	"strings"
	"testing"
	"time"
)

// withDrafts is a new brief as the drafting page posts it: the brief
// form, with the drafts form on screen (its job and the drafts as
// edited) brought along, so that edits made since the last save are
// kept with the previous drafts.
func withDrafts(brief, drafts url.Values, jobID string) url.Values {
	out := url.Values{}
	for k, v := range brief {
		out[k] = v
	}
	for k, v := range drafts {
		out[k] = v
	}
	out["job"] = []string{jobID}
	return out
}

// A new brief that fails leaves the previous drafts as they were, hand
// edits included: their page and their status still show them, they can
// be added to the experiment, and nothing says they expired.
func TestFailedNewBriefKeepsThePreviousDrafts(t *testing.T) {
	tests := []struct {
		name  string
		reply func(n, limit int) (int, map[string]string, string)
	}{
		{"rate limited", failWith(http.StatusTooManyRequests, map[string]string{"Retry-After": "20"}, "Rate limit reached")},
		{"server error", failWith(http.StatusInternalServerError, nil, "boom")},
	}
	const edited = "Your projects, calm at last"
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			llm := newFakeLLM(t)
			g := newGenFixture(t, llm.generator(5*time.Second))
			g.c.get(g.base)
			oldURL, _ := g.start(t, g.brief(5))
			texts := draftTexts(g.wait(t, oldURL))
			if len(texts) != 5 {
				t.Fatalf("%d drafts, want 5", len(texts))
			}
			oldID := path.Base(oldURL)

			llm.setReply(tt.reply)
			v := g.brief(5)
			v.Set("tone", "playful")
			v = withDrafts(v, draftsForm(texts, []int{0, 1}, map[int]string{0: edited}), oldID)
			v.Set("replace", "1") // asked about the edit, the marketer said yes; then the brief fails
			newURL, _ := g.start(t, v)
			wantContains(t, g.wait(t, newURL), `data-state="failed"`)

			// The previous drafts' status and page still show them, as edited.
			_, frag := g.c.hx(http.MethodGet, oldURL, nil)
			wantContains(t, frag, `data-state="done"`, edited)
			wantNotContains(t, frag, "no longer here", "drafts are not here", "kept for an hour")
			if n := len(draftTexts(frag)); n != 5 {
				t.Errorf("%d previous drafts shown, want 5", n)
			}
			_, page := g.c.get(g.base + "?job=" + oldID)
			wantContains(t, page, `data-state="done"`, edited)
			wantNotContains(t, page, "no longer here", "drafts are not here")

			// A rewrite of one of them still works.
			llm.setReply(nil)
			resp, card := g.c.hx(http.MethodPost, oldURL+"/drafts/1/regenerate?instruction=shorter", draftsForm(texts, []int{0, 1}, map[int]string{0: edited}))
			wantStatus(t, resp, http.StatusOK, card)
			if resp.Header.Get("HX-Redirect") != "" {
				t.Fatalf("the rewrite was sent away: %s", resp.Header.Get("HX-Redirect"))
			}

			// And they can be added.
			resp, body := g.c.post(oldURL+"/approve", draftsForm(texts, []int{0, 2}, map[int]string{0: edited}))
			wantStatus(t, resp, http.StatusSeeOther, body)
			if loc := resp.Header.Get("Location"); loc != "/experiments/"+g.x.ID {
				t.Fatalf("approve went to %q", loc)
			}
			x, err := g.e.store.Experiment(context.Background(), g.x.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(x.Variants) != 4 || x.Variants[2].Text != edited {
				t.Errorf("variants after adding the previous drafts: %+v", x.Variants)
			}
		})
	}
}

// While a new brief is being written, the previous drafts stay; once its
// drafts are there, the previous ones are replaced, and whatever still
// points at them says so, rather than that they expired.
func TestNewBriefReplacesThePreviousDraftsWhenItSucceeds(t *testing.T) {
	llm := newFakeLLM(t)
	g := newGenFixture(t, llm.generator(10*time.Second))
	g.c.get(g.base)
	oldURL, _ := g.start(t, g.brief(2))
	texts := draftTexts(g.wait(t, oldURL))
	oldID := path.Base(oldURL)

	release := llm.hold()
	defer release()
	newURL, _ := g.start(t, answered(g.brief(3)))
	_, frag := g.c.hx(http.MethodGet, oldURL, nil)
	wantContains(t, frag, `data-state="done"`, texts[0])

	release()
	newTexts := draftTexts(g.wait(t, newURL))
	if len(newTexts) != 3 {
		t.Fatalf("%d new drafts, want 3", len(newTexts))
	}

	const replaced = "replaced by the drafts of your newer brief"
	_, frag = g.c.hx(http.MethodGet, oldURL, nil)
	wantContains(t, frag, replaced)
	wantNotContains(t, frag, "kept for an hour", texts[0])

	_, page := g.c.get(g.base + "?job=" + oldID)
	wantContains(t, page, replaced, newTexts[0])
	wantNotContains(t, page, "kept for an hour")

	resp, body := g.c.hx(http.MethodPost, oldURL+"/drafts/0/regenerate?instruction=shorter", draftsForm(texts, []int{0}, nil))
	wantStatus(t, resp, http.StatusOK, body)
	if to := resp.Header.Get("HX-Redirect"); to != g.base {
		t.Errorf("HX-Redirect %q, want %q", to, g.base)
	}
	_, page = g.c.get(g.base)
	wantContains(t, page, replaced)
	wantNotContains(t, page, "kept for an hour")

	// Only the newest drafts are kept: one job for the experiment.
	r := g.e.app.genJobs
	r.mu.Lock()
	n := len(r.jobs)
	r.mu.Unlock()
	if n != 1 {
		t.Errorf("%d jobs kept, want 1", n)
	}
}

// A new brief refused by a limit, or sent with a mistake, leaves the
// drafts on screen below the brief form (the page swaps the whole
// workspace), not only on the server.
func TestRefusedNewBriefStillShowsTheDrafts(t *testing.T) {
	llm := newFakeLLM(t)
	g := newGenFixture(t, llm.generator(10*time.Second))
	g.c.get(g.base)
	oldURL, _ := g.start(t, g.brief(2))
	texts := draftTexts(g.wait(t, oldURL))

	v := withDrafts(g.brief(2), draftsForm(texts, []int{0}, nil), path.Base(oldURL))
	v.Set("goal", "")
	resp, body := g.c.hx(http.MethodPost, g.base, v)
	wantStatus(t, resp, http.StatusOK, body)
	wantContains(t, body, `id="f-goal-error"`, texts[0], texts[1])
	if strings.Contains(resp.Header.Get("HX-Push-Url"), "job=") {
		t.Error("an invalid brief started a job")
	}
}

// A new brief stops the rewrites of the previous drafts (their model
// calls would hold a slot the new brief needs), and the drafts stay as
// they were, saying why the rewrite stopped, should the new brief fail.
func TestNewBriefStopsRewritesOfThePreviousDrafts(t *testing.T) {
	llm := newFakeLLM(t)
	g := newGenFixture(t, llm.generator(10*time.Second))
	g.c.get(g.base)
	oldURL, _ := g.start(t, g.brief(2))
	texts := draftTexts(g.wait(t, oldURL))
	release := llm.hold()
	defer release()
	rewriteHeld(t, g.c, llm, oldURL, draftsForm(texts, []int{0, 1}, nil), 0)

	llm.setReply(failWith(http.StatusInternalServerError, nil, "boom")) // once released
	// The brief is sent as the answer to its question: a rewrite running
	// on the drafts it replaces asks first.
	v := g.brief(2)
	v.Set("replace", "1")
	newURL, _ := g.start(t, v)
	if !llm.waitCancelled(1, 20*time.Second) {
		t.Fatal("the previous drafts' rewrite went on")
	}
	release()
	wantContains(t, g.wait(t, newURL), `data-state="failed"`)

	card := waitCard(t, g.c, oldURL+"/drafts/0")
	wantContains(t, card, "The rewrite stopped when you sent a newer brief; ask again if you still want it.", texts[0])
	wantNotContains(t, card, "Something went wrong")
}

// The drafts a failed new brief left are found from its job, for the
// failure's way back to them; once a newer brief's drafts are there,
// there is nothing to go back to.
func TestPreviousDraftsOfAFailedBrief(t *testing.T) {
	llm := newFakeLLM(t)
	g := newGenFixture(t, llm.generator(5*time.Second))
	g.c.get(g.base)
	oldURL, _ := g.start(t, g.brief(2))
	g.wait(t, oldURL)
	job := func(statusURL string) *genJob {
		t.Helper()
		r := g.e.app.genJobs
		r.mu.Lock()
		defer r.mu.Unlock()
		j, ok := r.jobs[path.Base(statusURL)]
		if !ok {
			t.Fatalf("job %s not kept", statusURL)
		}
		return j
	}
	if got := g.e.app.previousDraftsURL(g.x.ID, job(oldURL)); got != "" {
		t.Errorf("the first drafts have previous drafts: %q", got)
	}

	llm.setReply(failWith(http.StatusInternalServerError, nil, "boom"))
	failedURL, _ := g.start(t, answered(g.brief(2)))
	g.wait(t, failedURL)
	want := jobPageURL(g.x.ID, path.Base(oldURL))
	if got := g.e.app.previousDraftsURL(g.x.ID, job(failedURL)); got != want {
		t.Errorf("previous drafts of the failed brief: %q, want %q", got, want)
	}

	llm.setReply(nil)
	newURL, _ := g.start(t, answered(g.brief(2)))
	g.wait(t, newURL)
	if got := g.e.app.previousDraftsURL(g.x.ID, job(newURL)); got != "" {
		t.Errorf("the newer drafts still have previous ones: %q", got)
	}
}
