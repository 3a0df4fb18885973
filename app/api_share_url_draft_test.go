package app

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestAPIShareURLOnlyOnceStarted: the API gives an experiment's read-only
// share link when the pages do, once the test has started. A draft's
// share_url is null (the field stays, as started_at does, so a client that
// reads it keeps working): its link opens only a page that says the test
// has not started. Once started, share_url is the link the pages show, and
// it opens the results.
func TestAPIShareURLOnlyOnceStarted(t *testing.T) {
	e := newEnv(t)
	tok := e.token("api@example.com")

	resp, site := e.api("POST", "/api/v1/sites", tok, `{"name":"Shop","domain":"shop.example"}`)
	wantStatus(t, resp, http.StatusCreated, fmt.Sprint(site))
	resp, created := e.api("POST", "/api/v1/experiments", tok, `{"site_id":"`+site["id"].(string)+`","name":"Hero","page":"/pricing",
		"selector":"h1","goal":{"type":"click","selector":"#buy"},
		"variants":[{"text":"Ship faster"},{"text":"Ship sooner, with fewer meetings"}]}`)
	wantStatus(t, resp, http.StatusCreated, fmt.Sprint(created))
	id, _ := created["id"].(string)
	base := "/api/v1/experiments/" + id

	draftNull := func(t *testing.T, name string, doc map[string]any) {
		t.Helper()
		u, present := doc["share_url"]
		if !present || u != nil {
			t.Errorf("%s: share_url %#v (present %v), want null for a draft", name, u, present)
		}
	}
	draftNull(t, "create", created)
	resp, got := e.api("GET", base, tok, "")
	wantStatus(t, resp, http.StatusOK, fmt.Sprint(got))
	if got["status"] != "draft" {
		t.Fatalf("status %v, want draft", got["status"])
	}
	draftNull(t, "get", got)
	resp, list := e.api("GET", "/api/v1/experiments", tok, "")
	wantStatus(t, resp, http.StatusOK, fmt.Sprint(list))
	if xs, _ := list["experiments"].([]any); len(xs) != 1 {
		t.Fatalf("list: %v", list)
	} else {
		draftNull(t, "list", xs[0].(map[string]any))
	}
	// A draft has no link to replace (TestShareLinkDraftRefused).
	resp, got = e.api("POST", base+"/share-link", tok, "")
	wantStatus(t, resp, http.StatusConflict, fmt.Sprint(got))
	if code, _ := errorShape(t, got); code != "not_started" {
		t.Errorf("share-link on a draft: code %q, want not_started", code)
	}

	// What a draft's link (the one the old API gave) opens: no results.
	x, err := e.store.Experiment(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	resp, body := e.client().get("/r/" + x.ShareToken)
	wantStatus(t, resp, http.StatusOK, body)
	wantContains(t, body, "This test has not started yet")
	wantNotContains(t, body, `hx-get="/r/`)

	resp, started := e.api("POST", base+"/start", tok, "")
	wantStatus(t, resp, http.StatusOK, fmt.Sprint(started))
	resp, got = e.api("GET", base, tok, "")
	wantStatus(t, resp, http.StatusOK, fmt.Sprint(got))
	u, _ := got["share_url"].(string)
	if u != testPublicURL+"/r/"+x.ShareToken || started["share_url"] != u {
		t.Fatalf("share_url %q after the start (start answered %v), want %s/r/%s", u, started["share_url"], testPublicURL, x.ShareToken)
	}
	resp, body = e.client().get(strings.TrimPrefix(u, testPublicURL))
	wantStatus(t, resp, http.StatusOK, body)
	wantContains(t, body, "Shared results", "Hero", `hx-get="/r/`+x.ShareToken+`/live"`)
	wantNotContains(t, body, "This test has not started yet")

	// A pause, a stop and a ship keep the link, as the pages do.
	for _, step := range []struct{ path, body, status string }{
		{"/pause", "", "paused"},
		{"/stop", "", "stopped"},
		{"/ship", `{"variant":"b"}`, "stopped"},
	} {
		resp, got = e.api("POST", base+step.path, tok, step.body)
		wantStatus(t, resp, http.StatusOK, fmt.Sprint(got))
		if got["status"] != step.status || got["share_url"] != u {
			t.Errorf("%s: status %v, share_url %v; want %s and %s", step.path, got["status"], got["share_url"], step.status, u)
		}
	}
}
