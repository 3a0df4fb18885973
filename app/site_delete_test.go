package app

import (
	"net/http"
	"net/url"
	"testing"

	"copylab/experiments"
)

// TestSiteDeletePages: a site with a running experiment cannot be deleted
// (the page names it); once it stops, Delete (with the CSRF token) takes
// the site, its experiments and their events, and its tag answers 404.
func TestSiteDeletePages(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site := e.site("Shop")
	keep := e.site("Other shop")
	x := e.experiment(site.ID, "Pricing hero")
	e.experiment(site.ID, "A draft")
	y := e.experiment(keep.ID, "Kept")
	e.transition(x.ID, experiments.ActionStart)
	e.transition(y.ID, experiments.ActionStart)
	wantStatus(t, e.postEvents(eventBody(site.Key, "v1", x.ID, "b", true)), http.StatusNoContent, "")

	_, body := c.get("/sites/" + site.ID)
	wantContains(t, body, "Stop its running experiments first: “<bdi>Pricing hero</bdi>”.")
	wantNotContains(t, body, "/sites/"+site.ID+"/delete")
	resp, _ := c.post("/sites/"+site.ID+"/delete", nil)
	wantStatus(t, resp, http.StatusSeeOther, "")
	_, body = c.get("/sites/" + site.ID)
	wantContains(t, withoutBdi(body), "Stop the site&#39;s running experiments before you delete it: “Pricing hero”.")

	e.transition(x.ID, experiments.ActionStop)
	_, body = c.get("/sites/" + site.ID)
	wantContains(t, body, "Delete site", "with its 2 experiments, their results and events")
	resp, _ = c.post("/sites/"+site.ID+"/delete", url.Values{"_csrf": {""}})
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("delete without CSRF: %d", resp.StatusCode)
	}
	resp, _ = c.post("/sites/"+site.ID+"/delete", nil)
	wantStatus(t, resp, http.StatusSeeOther, "")
	_, body = c.get("/sites")
	wantContains(t, withoutBdi(body), "Deleted the site “Shop” with its 2 experiments and 2 events.", "Other shop")
	if resp := e.do(newRequest(http.MethodGet, "/s/"+site.Key+".js", nil)); resp.StatusCode != http.StatusNotFound {
		t.Errorf("the deleted site's tag: %d", resp.StatusCode)
	}
	if resp, _ := c.get("/experiments/" + x.ID); resp.StatusCode != http.StatusNotFound {
		t.Errorf("the deleted site's experiment: %d", resp.StatusCode)
	}
	wantContains(t, e.tagBody(keep.Key), y.ID)
}

// TestAPISiteDelete: DELETE /api/v1/sites/{id} refuses a site with a
// running experiment with a code, deletes it once stopped (204), then it is
// not found.
func TestAPISiteDelete(t *testing.T) {
	e := newEnv(t)
	tok := e.token("owner@example.com")
	site := e.site("Shop")
	x := e.experiment(site.ID, "Hero")
	e.transition(x.ID, experiments.ActionStart)
	resp, out := e.api("DELETE", "/api/v1/sites/"+site.ID, tok, "")
	if code, _ := errorShape(t, out); resp.StatusCode != http.StatusConflict || code != "site_running" {
		t.Fatalf("delete with a running experiment: %d %v", resp.StatusCode, out)
	}
	e.transition(x.ID, experiments.ActionPause)
	if resp, out = e.api("DELETE", "/api/v1/sites/"+site.ID, tok, ""); resp.StatusCode != http.StatusNoContent {
		t.Fatalf("delete: %d %v", resp.StatusCode, out)
	}
	resp, out = e.api("GET", "/api/v1/sites/"+site.ID, tok, "")
	if code, _ := errorShape(t, out); resp.StatusCode != http.StatusNotFound || code != "not_found" {
		t.Errorf("get after delete: %d %v", resp.StatusCode, out)
	}
	if resp, _ = e.api("DELETE", "/api/v1/sites/"+site.ID, tok, ""); resp.StatusCode != http.StatusNotFound {
		t.Errorf("delete twice: %d", resp.StatusCode)
	}
}
