package app

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"copylab/experiments"
)

// tagBody is a site's tag as a browser without gzip gets it.
func (e *env) tagBody(key string) string {
	e.t.Helper()
	resp := e.do(newRequest(http.MethodGet, "/s/"+key+".js", nil))
	body := readBody(e.t, resp)
	wantStatus(e.t, resp, http.StatusOK, body)
	return body
}

// shipped makes an experiment "Old" on /pricing's heroSelector whose
// variant b, with text, is shipped: started, then stopped with b shown to
// everyone.
func (e *env) shipped(siteID, text string) experiments.Experiment {
	e.t.Helper()
	x := e.experimentOn(siteID, "Old", "/pricing", heroSelector, "Original headline", text)
	e.transition(x.ID, experiments.ActionStart)
	x, err := e.store.Ship(context.Background(), x.ID, "b")
	if err != nil {
		e.t.Fatal(err)
	}
	return x
}

// TestAPIShip: shipping through the API stops the test and puts the
// variant in the tag (at once: the tag cache is dropped); refusals have
// codes and change nothing; unship takes it out again.
func TestAPIShip(t *testing.T) {
	e := newEnv(t)
	token := e.token("owner@example.com")
	site := e.site("Shop")
	x := e.experiment(site.ID, "Hero", "Original headline", "Ship me headline", "Other headline")
	path := "/api/v1/experiments/" + x.ID

	resp, out := e.api("POST", path+"/ship", token, `{"variant":"b"}`)
	if resp.StatusCode != http.StatusConflict || out["error"].(map[string]any)["code"] != "invalid_transition" {
		t.Fatalf("ship a draft: %d %v", resp.StatusCode, out)
	}
	e.transition(x.ID, experiments.ActionStart)
	wantContains(t, e.tagBody(site.Key), x.ID, "Ship me headline")

	for _, tc := range []struct {
		body   string
		status int
		code   string
	}{
		{`{"variant":"control"}`, http.StatusConflict, "ship_control"},
		{`{"variant":"zz"}`, http.StatusUnprocessableEntity, "unknown_variant"},
		{`{"variant":"b","extra":1}`, http.StatusBadRequest, "unknown_field"},
	} {
		resp, out := e.api("POST", path+"/ship", token, tc.body)
		if resp.StatusCode != tc.status || out["error"].(map[string]any)["code"] != tc.code {
			t.Errorf("ship %s: %d %v, want %d %s", tc.body, resp.StatusCode, out, tc.status, tc.code)
		}
	}
	if got, _ := e.store.Experiment(t.Context(), x.ID); got.Status != experiments.StatusRunning {
		t.Fatalf("a refused ship changed the status to %s", got.Status)
	}

	resp, out = e.api("POST", path+"/ship", token, `{"variant":"b"}`)
	if resp.StatusCode != http.StatusOK || out["status"] != "stopped" || out["shipped_variant"] != "b" || out["shipped_at"] == nil {
		t.Fatalf("ship: %d %v", resp.StatusCode, out)
	}
	tag := e.tagBody(site.Key)
	wantContains(t, tag, "Ship me headline")
	wantNotContains(t, tag, x.ID, "Other headline") // no experiment, no events, only the shipped copy

	resp, out = e.api("POST", path+"/unship", token, "")
	if resp.StatusCode != http.StatusOK || out["shipped_variant"] != "" || out["shipped_at"] != nil {
		t.Fatalf("unship: %d %v", resp.StatusCode, out)
	}
	wantNotContains(t, e.tagBody(site.Key), "Ship me headline")
	// A second unship is done already: 200, unchanged (as a second stop).
	resp, out = e.api("POST", path+"/unship", token, "")
	if resp.StatusCode != http.StatusOK || out["shipped_variant"] != "" {
		t.Fatalf("unship twice: %d %v", resp.StatusCode, out)
	}
	if resp, _ := e.api("POST", "/api/v1/experiments/nope/ship", token, `{"variant":"b"}`); resp.StatusCode != http.StatusNotFound {
		t.Fatalf("ship an unknown experiment: %d", resp.StatusCode)
	}
}

// TestShippedYieldsToRunningTest: a new test of the same element decides
// its copy; the shipped variant is left out of the tag meanwhile, and the
// experiment page says so.
func TestShippedYieldsToRunningTest(t *testing.T) {
	e := newEnv(t)
	site := e.site("Shop")
	old := e.shipped(site.ID, "Shipped headline")
	next := e.experimentOn(site.ID, "Next", "/pricing", heroSelector, "Shipped headline", "Newer headline")
	e.transition(next.ID, experiments.ActionStart)
	tag := e.tagBody(site.Key)
	wantContains(t, tag, next.ID, "Newer headline")
	if n := strings.Count(tag, "Shipped headline"); n != 0 {
		t.Errorf("the tag carries the shipped copy as its own entry (%d) while a test runs on its element", n)
	}
	c := e.signIn("owner@example.com")
	_, body := c.get("/experiments/" + old.ID)
	wantContains(t, body, "Shipped, on hold: Variant B</strong> shows to every visitor", "Not shown right now")
	wantNotContains(t, body, "Shipped: every visitor sees")
}

// TestShipPages: the experiment page offers each new variant once the test
// started; shipping needs the CSRF token, says what happened, and the page
// and the list then show it shipped, with a way back.
func TestShipPages(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site := e.site("Shop")
	x := e.experiment(site.ID, "Hero", "Original headline", "Ship me headline")
	_, body := c.get("/experiments/" + x.ID)
	wantNotContains(t, body, "Ship a variant", "Ship before the test has an answer")
	e.transition(x.ID, experiments.ActionStart)
	_, body = c.get("/experiments/" + x.ID)
	// Just started, the verdict has no answer: shipping is folded away
	// (TestShipBeforeAnAnswerIsFolded).
	wantContains(t, body, "Ship before the test has an answer", "Ship Variant B", `name="variant" value="b"`)
	wantNotContains(t, body, `value="control"`)

	resp, _ := c.post("/experiments/"+x.ID+"/ship", url.Values{"variant": {"b"}, "_csrf": {""}})
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("ship without CSRF: %d", resp.StatusCode)
	}
	resp, _ = c.post("/experiments/"+x.ID+"/ship", url.Values{"variant": {"control"}})
	wantStatus(t, resp, http.StatusSeeOther, "")
	_, body = c.get("/experiments/" + x.ID)
	wantContains(t, body, "The original copy is what the page shows already")

	resp, _ = c.post("/experiments/"+x.ID+"/ship", url.Values{"variant": {"b"}})
	wantStatus(t, resp, http.StatusSeeOther, "")
	_, body = c.get("/experiments/" + x.ID)
	wantContains(t, body, "Shipped: every visitor now sees Variant B", "Shipped: every visitor sees Variant B",
		"Ship me headline", "Stop showing it", "badge-shipped")
	wantNotContains(t, body, "Not shown right now", "Ship Variant B")
	_, body = c.get("/sites/" + site.ID)
	wantContains(t, body, "badge-shipped")

	resp, _ = c.post("/experiments/"+x.ID+"/unship", nil)
	wantStatus(t, resp, http.StatusSeeOther, "")
	_, body = c.get("/experiments/" + x.ID)
	wantContains(t, body, "own copy again", "Ship Variant B", "badge-stopped")
	wantNotContains(t, body, "Stop showing it")
}
