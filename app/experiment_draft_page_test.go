package app

import (
	"net/http"
	"testing"
)

// TestExperimentPageDraft: a draft's page has no results to show, so it
// neither renders the results panel (verdict, table of zeros) nor polls
// for it; it says results come once the test starts and what to settle
// before, its Setup says it has not started, and it offers no share link
// to a results page that is empty (nor says deleting it stops one). Once
// started, the page has the live panel, polling, and the share link.
func TestExperimentPageDraft(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	site := e.site("Marketing")
	x := e.experiment(site.ID, "Hero", "Original", "Variant copy")
	path := "/experiments/" + x.ID

	resp, body := c.get(path)
	wantStatus(t, resp, http.StatusOK, body)
	wantContains(t, body,
		`id="draft-results"`,
		"Results appear here once you start the test",
		"Before you start",
		`href="/experiments/`+x.ID+`/edit#plan-fields"`,
		"<dt>Started</dt><dd class=\"muted\">Not started yet</dd>",
		"This is a draft: visitors see the original copy until you start it.",
		"Removes this draft for good, with its copy.", "data-confirm=\"Delete the draft “\u2068Hero\u2069”? This cannot be undone.\"")
	wantNotContains(t, body,
		`id="results"`, "hx-trigger", "/results/live", "refreshes every 5 seconds",
		`class="verdict`, "Not enough data yet", "visitors in the test",
		"<dd>—</dd>",
		"Share the results", "/r/"+x.ShareToken, "/share-link", "Make a new link", "The share link stops working",
		`href="/experiments/`+x.ID+`/results"`)

	e.transition(x.ID, "start")
	resp, body = c.get(path)
	wantStatus(t, resp, http.StatusOK, body)
	wantContains(t, body, `id="results"`, `hx-get="/experiments/`+x.ID+`/results/live"`, `hx-trigger="every 5s"`,
		"Share the results", testPublicURL+"/r/"+x.ShareToken, "Make a new link", `href="/experiments/`+x.ID+`/results"`)
	wantNotContains(t, body, `id="draft-results"`, "Before you start", "Not started yet")
}
