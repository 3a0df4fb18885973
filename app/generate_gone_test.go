package app

import (
	"net/http"
	"testing"
	"time"
)

// Once its experiment is deleted, the drafting page stops asking: every
// htmx request of the page (the progress's poll, a rewriting card's poll,
// a rewrite button, the brief form) answers 286, which ends htmx's
// polling, with a plain sentence in place of the whole workspace and a
// link back to the list. A browser without htmx gets the usual 404 page.
func TestDraftingPageAfterTheExperimentIsDeleted(t *testing.T) {
	tests := []struct {
		name string
		// running: the generation is still held when the experiment goes;
		// else a rewrite of draft 1 is.
		running bool
		method  string
		path    func(g *genFixture, statusURL string) string
	}{
		{"the progress's poll", true, http.MethodGet, func(_ *genFixture, s string) string { return s }},
		{"a rewriting card's poll", false, http.MethodGet, func(_ *genFixture, s string) string { return s + "/drafts/0?" + shownOnly }},
		{"a rewrite button", false, http.MethodPost, func(_ *genFixture, s string) string { return s + "/drafts/1/regenerate?instruction=shorter" }},
		{"the brief form", true, http.MethodPost, func(g *genFixture, _ string) string { return g.base }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			llm := newFakeLLM(t)
			g := newGenFixture(t, llm.generator(30*time.Second))
			g.c.get(g.base)
			var statusURL string
			if tt.running {
				release := llm.hold()
				defer release()
				statusURL, _ = g.start(t, g.brief(2))
			} else {
				statusURL, _ = g.start(t, g.brief(2))
				texts := draftTexts(g.wait(t, statusURL))
				release := llm.hold()
				defer release()
				rewriteHeld(t, g.c, llm, statusURL, draftsForm(texts, []int{0, 1}, nil), 0)
			}

			g.c.get("/experiments/" + g.x.ID)
			resp, body := g.c.post("/experiments/"+g.x.ID+"/delete", nil)
			wantStatus(t, resp, http.StatusSeeOther, body)

			var form map[string][]string
			if tt.method == http.MethodPost {
				form = g.brief(2)
			}
			resp, body = g.c.hx(tt.method, tt.path(g, statusURL), form)
			wantStatus(t, resp, 286, body)
			if got := resp.Header.Get("HX-Retarget"); got != "#generate-workspace" {
				t.Errorf("HX-Retarget %q", got)
			}
			if got := resp.Header.Get("HX-Reswap"); got != "innerHTML" {
				t.Errorf("HX-Reswap %q", got)
			}
			wantContains(t, body, `data-state="gone"`, "This experiment has been deleted, so its drafts are gone.",
				`<a href="/experiments">Back to the experiments</a>`)
			wantNotContains(t, body, "hx-trigger", "hx-get", "<html")

			if tt.method == http.MethodGet {
				resp, body = g.c.get(tt.path(g, statusURL))
				wantStatus(t, resp, http.StatusNotFound, body)
			}
		})
	}
}

// TestDraftsGoneAfterRestartSaySo: a job a restart did not keep (one
// from a copylab that kept none, say). In the hour after it, a job's page
// or poll that finds nothing says it may be the restart (or someone
// else's job: the answer is the same, so nobody learns another's job
// exists), with the brief kept for new drafts; later, that drafts are
// kept for an hour.
func TestDraftsGoneAfterRestartSaySo(t *testing.T) {
	g := newGenFixture(t, nil)
	g.c.get(g.base)
	const unknown = "aaaaaaaaaaaaaaaaaaaa" // a job of the process before
	_, body := g.c.get(g.base + "?job=" + unknown)
	wantContains(t, body, "These drafts are not here: they may have been made before copylab started less than a minute ago and not kept across the restart, or by someone else. Your brief is kept: write new ones below.")
	_, frag := g.c.hx(http.MethodGet, jobURL(g.x.ID, unknown), nil)
	wantContains(t, frag, "copylab started less than a minute ago", "Open the generation page to write new ones.")

	g.e.app.now = func() time.Time { return time.Now().Add(25 * time.Minute) }
	_, body = g.c.get(g.base + "?job=" + unknown)
	wantContains(t, body, "copylab started 25 minutes ago")

	g.e.app.now = func() time.Time { return time.Now().Add(genJobTTL + time.Minute) }
	_, body = g.c.get(g.base + "?job=" + unknown)
	wantContains(t, body, "These drafts are not here: they may have expired, as drafts are kept for an hour after they were last opened, or have been made by someone else.")
	wantNotContains(t, body, "copylab started", "restarted")
}
