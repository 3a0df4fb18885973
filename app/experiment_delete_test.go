package app

import (
	"net/http"
	"net/url"
	"testing"

	"copylab/experiments"
)

// TestExperimentDeletePages: the experiment page offers Delete once the
// test is not running; it needs the CSRF token, takes the experiment and
// its shipped copy off the tag, and the list says what went.
func TestExperimentDeletePages(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site := e.site("Shop")
	x := e.experiment(site.ID, "Pricing hero", "Original headline", "Shipped headline")
	e.transition(x.ID, experiments.ActionStart)
	resp := e.postEvents(eventBody(site.Key, "v1", x.ID, "b", true))
	wantStatus(t, resp, http.StatusNoContent, "")

	_, body := c.get("/experiments/" + x.ID)
	wantContains(t, body, "A running experiment cannot be deleted: stop it first.")
	wantNotContains(t, body, "/experiments/"+x.ID+"/delete")
	resp, _ = c.post("/experiments/"+x.ID+"/delete", nil)
	wantStatus(t, resp, http.StatusSeeOther, "")
	_, body = c.get("/experiments/" + x.ID)
	wantContains(t, body, "Stop the experiment before you delete it.", "Pricing hero")

	if _, err := e.store.Ship(t.Context(), x.ID, "b"); err != nil {
		t.Fatal(err)
	}
	wantContains(t, e.tagBody(site.Key), "Shipped headline")
	_, body = c.get("/experiments/" + x.ID)
	wantContains(t, body, "Delete experiment", "data-confirm=\"Delete “\u2068Pricing hero\u2069” and all its results? Variant B stops showing: visitors will see your page&#39;s own copy again. This cannot be undone.\"",
		"visitors see your page&#39;s own copy again instead of Variant B")

	resp, _ = c.post("/experiments/"+x.ID+"/delete", url.Values{"_csrf": {""}})
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("delete without CSRF: %d", resp.StatusCode)
	}
	resp, _ = c.post("/experiments/"+x.ID+"/delete", nil)
	wantStatus(t, resp, http.StatusSeeOther, "")
	if got := resp.Header.Get("Location"); got != "/experiments" {
		t.Errorf("after delete, to %q", got)
	}
	_, body = c.get("/experiments")
	wantContains(t, withoutBdi(body), "Deleted “Pricing hero” with its results (2 events).")
	wantNotContains(t, e.tagBody(site.Key), "Shipped headline")
	resp, _ = c.get("/experiments/" + x.ID)
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("the deleted experiment's page: %d", resp.StatusCode)
	}
	resp = e.do(newRequest(http.MethodGet, "/r/"+x.ShareToken, nil))
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("the deleted experiment's share link: %d", resp.StatusCode)
	}
}

// TestAPIExperimentDelete: DELETE /api/v1/experiments/{id} refuses a
// running experiment with a code, deletes a stopped one (204), then it is
// not found.
func TestAPIExperimentDelete(t *testing.T) {
	e := newEnv(t)
	tok := e.token("owner@example.com")
	site := e.site("Shop")
	x := e.experiment(site.ID, "Hero")
	e.transition(x.ID, experiments.ActionStart)
	resp, out := e.api("DELETE", "/api/v1/experiments/"+x.ID, tok, "")
	if code, _ := errorShape(t, out); resp.StatusCode != http.StatusConflict || code != "experiment_running" {
		t.Fatalf("delete running: %d %v", resp.StatusCode, out)
	}
	e.transition(x.ID, experiments.ActionStop)
	resp, out = e.api("DELETE", "/api/v1/experiments/"+x.ID, tok, "")
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("delete stopped: %d %v", resp.StatusCode, out)
	}
	resp, out = e.api("GET", "/api/v1/experiments/"+x.ID, tok, "")
	if code, _ := errorShape(t, out); resp.StatusCode != http.StatusNotFound || code != "not_found" {
		t.Errorf("get after delete: %d %v", resp.StatusCode, out)
	}
	resp, out = e.api("DELETE", "/api/v1/experiments/"+x.ID, tok, "")
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("delete twice: %d %v", resp.StatusCode, out)
	}
	resp, _ = e.api("DELETE", "/api/v1/experiments/"+x.ID, "", "")
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("delete without a token: %d", resp.StatusCode)
	}
}
