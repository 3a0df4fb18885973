package app

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"copylab/experiments"
)

// TestDraftBlockedByElementTest: a draft saved while another test runs on
// its element and pages is not told to start (Start refuses it): the
// message says it can start once that test stops. And a draft whose start
// would keep a paused test of its element from resuming says so in its
// Start question.
func TestDraftBlockedByElementTest(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	site := e.site("Marketing")
	const selector = `[data-copylab="hero"]`
	running := e.transition(e.experimentOn(site.ID, "Running", "/", selector, "Original", "Running copy").ID, experiments.ActionStart)

	c.get("/experiments/new")
	resp, body := c.post("/experiments", url.Values{"op": {"save"}, "site_id": {site.ID}, "name": {"Blocked"}, "page": {"/"}, "selector": {selector},
		"goal_type": {"click"}, "goal_selector": {"#signup"}, "coverage": {"100"},
		"variants[0].key": {""}, "variants[0].text": {"Plan your week in minutes"},
		"variants[1].key": {""}, "variants[1].text": {"Your week, planned"}})
	wantStatus(t, resp, http.StatusSeeOther, body)
	_, page := c.get(resp.Header.Get("Location"))
	m := flashRe.FindStringSubmatch(withoutBdi(page))
	if want := "Draft saved. It can start once “Running” stops: that test already tests this element on the same pages."; m == nil || m[1] != want {
		t.Errorf("after saving a blocked draft: %v, want %q", m, want)
	}

	// The running test paused: the draft may start, and its Start says
	// what that does to the paused one.
	e.transition(running.ID, experiments.ActionPause)
	id := strings.TrimPrefix(resp.Header.Get("Location"), "/experiments/")
	_, page = c.get("/experiments/" + id)
	start := pageButtons(t, page, id, "/start")
	const warns = "“Running”, paused, tests this element on the same pages: it cannot resume while this test runs."
	if len(start) != 1 || !strings.HasSuffix(start[0].confirm, warns) {
		t.Errorf("Start buttons %+v, want one ending %q", start, warns)
	}
}
