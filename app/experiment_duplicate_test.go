package app

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"copylab/experiments"
)

// TestExperimentDuplicatePages: Duplicate (with the CSRF token) makes a new
// draft and opens it, saying what it is; the original is untouched.
func TestExperimentDuplicatePages(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site := e.site("Shop")
	x := e.experiment(site.ID, "Pricing hero", "Original headline", "Tested headline")
	e.transition(x.ID, experiments.ActionStart)
	e.transition(x.ID, experiments.ActionStop)

	_, body := c.get("/experiments/" + x.ID)
	wantContains(t, body, `action="/experiments/`+x.ID+`/duplicate"`)
	resp, _ := c.post("/experiments/"+x.ID+"/duplicate", url.Values{"_csrf": {""}})
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("duplicate without CSRF: %d", resp.StatusCode)
	}
	resp, _ = c.post("/experiments/"+x.ID+"/duplicate", nil)
	wantStatus(t, resp, http.StatusSeeOther, "")
	to := resp.Header.Get("Location")
	if !strings.HasPrefix(to, "/experiments/") || to == "/experiments/"+x.ID {
		t.Fatalf("after duplicate, to %q", to)
	}
	_, body = c.get(to)
	wantContains(t, body, "Pricing hero (copy)", "A new draft with the same page, element, goal and variants",
		"Tested headline", "This is a draft")
	if got, err := e.store.Experiment(t.Context(), x.ID); err != nil || got.Status != experiments.StatusStopped {
		t.Errorf("the original after duplicate: %v %v", got.Status, err)
	}
	resp, _ = c.post("/experiments/no-such-id/duplicate", nil)
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("duplicate of nothing: %d", resp.StatusCode)
	}
}

// TestAPIExperimentDuplicate: POST /api/v1/experiments/{id}/duplicate
// answers 201 with the new draft and its Location.
func TestAPIExperimentDuplicate(t *testing.T) {
	e := newEnv(t)
	tok := e.token("owner@example.com")
	site := e.site("Shop")
	x := e.experiment(site.ID, "Hero")
	resp, out := e.api("POST", "/api/v1/experiments/"+x.ID+"/duplicate", tok, "")
	if resp.StatusCode != http.StatusCreated || out["status"] != "draft" || out["name"] != "Hero (copy)" || out["id"] == x.ID {
		t.Fatalf("duplicate: %d %v", resp.StatusCode, out)
	}
	if got := resp.Header.Get("Location"); got != "/api/v1/experiments/"+out["id"].(string) {
		t.Errorf("Location %q", got)
	}
	resp, out = e.api("POST", "/api/v1/experiments/0194f1c2-7a3b-7cde-8f01-23456789abcd/duplicate", tok, "")
	if code, _ := errorShape(t, out); resp.StatusCode != http.StatusNotFound || code != "not_found" {
		t.Errorf("duplicate of nothing: %d %v", resp.StatusCode, out)
	}
}
