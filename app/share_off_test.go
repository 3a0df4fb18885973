package app

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"copylab/experiments"
)

// shareSubPaths are the pages and files under a share link, the link itself
// first.
var shareSubPaths = []string{"", "/live", "/trends", "/results.csv", "/daily.csv", "/recordings"}

// shareAnswer is what a path under a share link answered.
type shareAnswer struct {
	status     int
	code, body string
}

func shareGet(who *client, path string) shareAnswer {
	resp, body := who.get(path)
	return shareAnswer{resp.StatusCode, resp.Header.Get("X-Copylab"), body}
}

// unknownLinkAnswers is what each path under a token that never existed
// answers, by sub-path. (Read once: share links are rate-limited.)
func unknownLinkAnswers(who *client, n int) map[string]shareAnswer {
	out := map[string]shareAnswer{}
	for _, sub := range shareSubPaths {
		out[sub] = shareGet(who, "/r/"+strings.Repeat("a", n)+sub)
	}
	return out
}

// wantShareGone checks that every path under token answers exactly as the
// same path under a token that never existed (unknown): the same status,
// code and page, so nothing tells a link turned off from one never made.
func wantShareGone(t *testing.T, who *client, token string, unknown map[string]shareAnswer) {
	t.Helper()
	for _, sub := range shareSubPaths {
		got, want := shareGet(who, "/r/"+token+sub), unknown[sub]
		if got.status != http.StatusNotFound || got != want {
			t.Errorf("/r/TOKEN%s: %d %q, an unknown link's %d %q; page:\n%.600s", sub, got.status, got.code, want.status, want.code, got.body)
		}
	}
}

// TestShareLinkTurnOff: a started experiment's share link can be turned
// off from its page, with the session's CSRF token. Then the link and
// every page and file under it answer as a link that never existed, the
// page and the results page say the link is off and offer to make one,
// and the history says who turned it off; deleting the test no longer
// says a link stops working. Turning it off again changes nothing. "Make a share link" turns sharing back on with a new link; the
// link that was turned off never works again.
func TestShareLinkTurnOff(t *testing.T) {
	e := newEnv(t)
	owner := e.signIn("ann@example.com")
	x := e.transition(e.experiment(e.site("Shop").ID, "Pricing hero").ID, experiments.ActionStart)
	anon := e.client()
	page := "/experiments/" + x.ID
	off := page + "/share-link/off"
	old := x.ShareToken

	_, body := owner.get(page)
	wantContains(t, body, testPublicURL+"/r/"+old, "Make a new link",
		`<form method="post" action="`+off+`" class="inline">`,
		`data-confirm="Turn off the share link? It stops working at once, for everyone who has it.">Turn off the link</button>`)
	wantNotContains(t, body, "The share link is off", "Make a share link")

	resp, body := owner.post(off, url.Values{"_csrf": {"wrong"}})
	wantStatus(t, resp, http.StatusForbidden, body)
	resp, body = anon.get("/r/" + old)
	wantStatus(t, resp, http.StatusOK, body)

	resp, body = owner.post(off, nil)
	wantStatus(t, resp, http.StatusSeeOther, body)
	if got := loc(resp); got != page+"#share-link" {
		t.Errorf("after turning off, to %q", got)
	}
	_, body = owner.get(loc(resp))
	wantContains(t, body, "The share link is off. Nobody can open the results with it any more.",
		"The share link is off: nobody can open these results without signing in.",
		`<form method="post" action="`+page+`/share-link" class="inline">`, ">Make a share link</button>",
		"<strong>Share link turned off</strong>", "by ann@example.com",
		"The share link was turned off: it no longer opens the results, for anyone who has it.")
	wantNotContains(t, body, "/r/"+old, "Make a new link", "Turn off the link")
	_, body = owner.get(page + "/results")
	wantContains(t, body, "The share link is off", `href="`+page+`#share-link"`)
	wantNotContains(t, body, "/r/"+old)

	// Deleting a stopped test no longer says a link stops working.
	e.transition(x.ID, experiments.ActionStop)
	_, body = owner.get(page)
	wantContains(t, body, "Removes the experiment for good: its copy, its results, its events and its recording links.</p>")
	wantNotContains(t, body, "The share link stops working")

	unknown := unknownLinkAnswers(anon, len(old))
	t.Run("every path under the link answers as an unknown link", func(t *testing.T) {
		wantShareGone(t, anon, old, unknown)
	})

	resp, body = owner.post(off, nil)
	wantStatus(t, resp, http.StatusSeeOther, body)
	_, body = owner.get(loc(resp))
	wantContains(t, body, "The share link was already off; nothing changed.")
	hist, err := e.store.History(t.Context(), x.ID)
	if err != nil {
		t.Fatal(err)
	}
	var offs []string
	for _, h := range hist {
		if h.Action == experiments.ChangeShareOff {
			offs = append(offs, h.Actor)
		}
	}
	if len(offs) != 1 || offs[0] != "ann@example.com" {
		t.Errorf("history after turning off twice: %+v", hist)
	}

	resp, body = owner.post(page+"/share-link", nil)
	wantStatus(t, resp, http.StatusSeeOther, body)
	_, body = owner.get(loc(resp))
	y, err := e.store.Experiment(t.Context(), x.ID)
	if err != nil {
		t.Fatal(err)
	}
	if y.ShareToken == old || y.ShareOff {
		t.Fatalf("after Make a share link: token changed %v, off %v", y.ShareToken != old, y.ShareOff)
	}
	wantContains(t, body, "Sharing is back on with a new link. The link that was turned off still opens nothing.",
		testPublicURL+"/r/"+y.ShareToken, "Make a new link", "Turn off the link", "<strong>New share link</strong>",
		"A new share link turned sharing back on; the link that was turned off still opens nothing.")
	wantNotContains(t, body, "The share link is off:", "Make a share link")
	resp, body = anon.get("/r/" + y.ShareToken)
	wantStatus(t, resp, http.StatusOK, body)
	wantContains(t, body, "Shared results", "Pricing hero")
	t.Run("the link turned off stays dead", func(t *testing.T) {
		wantShareGone(t, anon, old, unknown)
	})
}

// TestShareLinkTurnOffDraft: a draft's page offers no share link to turn
// off, and a forged form is refused with the sentence a new link's is.
func TestShareLinkTurnOffDraft(t *testing.T) {
	e := newEnv(t)
	owner := e.signIn("ann@example.com")
	x := e.experiment(e.site("Shop").ID, "Pricing hero")
	_, body := owner.get("/experiments/" + x.ID)
	wantNotContains(t, body, "Turn off the link", "Make a share link", "/share-link")
	resp, body := owner.post("/experiments/"+x.ID+"/share-link/off", nil)
	wantStatus(t, resp, http.StatusSeeOther, body)
	_, body = owner.get(loc(resp))
	wantContains(t, body, "A draft has no share link yet: it gets one when the test starts.")
	resp, body = owner.post("/experiments/nope/share-link/off", nil)
	wantStatus(t, resp, http.StatusNotFound, body)
}

// TestAPIShareLinkTurnOff: DELETE …/share-link turns the link off and
// answers the experiment with share_url null, as often as it is asked; a
// draft is 409 not_started, as POST answers it, and an unknown experiment
// 404 not_found. POST turns sharing back on with a new link.
func TestAPIShareLinkTurnOff(t *testing.T) {
	e := newEnv(t)
	tok := e.token("ci@example.com")
	x := e.experiment(e.site("Shop").ID, "Pricing hero")
	path := "/api/v1/experiments/" + x.ID + "/share-link"

	resp, out := e.api("DELETE", path, tok, "")
	wantStatus(t, resp, http.StatusConflict, fmt.Sprint(out))
	if code, _ := errorShape(t, out); code != "not_started" {
		t.Errorf("draft: code %q, want not_started", code)
	}
	resp, out = e.api("DELETE", "/api/v1/experiments/01a20281-7302-7eec-a0ce-7c5572839ce7/share-link", tok, "")
	wantStatus(t, resp, http.StatusNotFound, fmt.Sprint(out))
	if code, _ := errorShape(t, out); code != "not_found" {
		t.Errorf("unknown: code %q, want not_found", code)
	}

	x = e.transition(x.ID, experiments.ActionStart)
	resp, out = e.api("DELETE", path, tok, `{"why":"agency"}`)
	wantStatus(t, resp, http.StatusBadRequest, fmt.Sprint(out))
	for i := range 2 {
		resp, out = e.api("DELETE", path, tok, "")
		wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
		if u, present := out["share_url"]; !present || u != nil || out["status"] != "running" || out["id"] != x.ID {
			t.Errorf("DELETE #%d: share_url %#v (present %v), status %v", i+1, u, present, out["status"])
		}
	}
	resp, out = e.api("GET", "/api/v1/experiments/"+x.ID, tok, "")
	wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
	if u, present := out["share_url"]; !present || u != nil {
		t.Errorf("GET after DELETE: share_url %#v", u)
	}
	resp, out = e.api("GET", "/api/v1/experiments/"+x.ID+"/history", tok, "")
	wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
	hist := out["history"].([]any)
	first := hist[0].(map[string]any)
	if first["action"] != experiments.ChangeShareOff || first["actor"] != "ci@example.com (API)" ||
		hist[1].(map[string]any)["action"] != experiments.ChangeStarted {
		t.Errorf("history: %v", hist)
	}
	resp, body := e.client().get("/r/" + x.ShareToken)
	wantStatus(t, resp, http.StatusNotFound, body)

	resp, out = e.api("POST", path, tok, "")
	wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
	u, _ := out["share_url"].(string)
	if !strings.HasPrefix(u, testPublicURL+"/r/") || u == testPublicURL+"/r/"+x.ShareToken {
		t.Fatalf("POST after DELETE: share_url %q", u)
	}
	resp, body = e.client().get(strings.TrimPrefix(u, testPublicURL))
	wantStatus(t, resp, http.StatusOK, body)
	resp, body = e.client().get("/r/" + x.ShareToken)
	wantStatus(t, resp, http.StatusNotFound, body)
}
