package app

import (
	"encoding/json"
	"fmt"
	"html"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"copylab/experiments"
)

// h9ShippedTest is the reviewer's test: an original and two variants with
// a brief, run, and Variant B shipped.
func h9ShippedTest(t *testing.T, e *env, siteID string) experiments.Experiment {
	t.Helper()
	x := e.experiment(siteID, "Pricing hero", "Project management for busy teams",
		"See what Acme Boards can do for you", "Is Acme Boards right for you?")
	x.Brief = `{"goal":"Get visitors to start a free trial","product":"Acme Boards","current_copy":"Project management for busy teams","n":2}`
	if _, err := e.store.UpdateExperiment(t.Context(), x); err != nil {
		t.Fatal(err)
	}
	e.transition(x.ID, experiments.ActionStart)
	x, err := e.store.Ship(t.Context(), x.ID, "b")
	if err != nil {
		t.Fatal(err)
	}
	return x
}

var h9FollowUpFormRe = regexp.MustCompile(`(?s)<form method="post" action="/experiments/([^"/]+)/follow-up"[^>]*>\s*<input type="hidden" name="_csrf" value="[^"]+"[^>]*>\s*<button[^>]*>Start a follow-up test</button>`)

// TestH9FollowUpPage: a shipped test's page offers "Start a follow-up
// test" beside Duplicate, as a form with the CSRF token; it opens the new
// draft's drafting page, whose brief starts from the shipped copy, with
// a message that says what happened and asks for new copy. The new
// draft holds the shipped copy as its original and nothing else, and its
// history says what it follows. A test with nothing shipped offers no
// such button, and a form sent anyway comes back refused.
func TestH9FollowUpPage(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site := e.site("Shop")
	x := h9ShippedTest(t, e, site.ID)

	_, body := c.get("/experiments/" + x.ID)
	m := h9FollowUpFormRe.FindStringSubmatch(body)
	if m == nil || m[1] != x.ID {
		t.Fatalf("no follow-up form on the shipped test's page: %s", body)
	}
	wantContains(t, body, `action="/experiments/`+x.ID+`/duplicate"`)
	if strings.Index(body, "/duplicate\"") > strings.Index(body, "/follow-up\"") {
		t.Error("the follow-up button comes before Duplicate")
	}

	resp, _ := c.post("/experiments/"+x.ID+"/follow-up", url.Values{"_csrf": {""}})
	wantStatus(t, resp, http.StatusForbidden, "")

	resp, body = c.post("/experiments/"+x.ID+"/follow-up", nil)
	wantStatus(t, resp, http.StatusSeeOther, body)
	to := resp.Header.Get("Location")
	id, ok := strings.CutSuffix(strings.TrimPrefix(to, "/experiments/"), "/generate")
	if !ok || id == x.ID || strings.Contains(id, "/") {
		t.Fatalf("after the follow-up, to %q", to)
	}
	_, body = c.get(to)
	text := html.UnescapeString(body)
	wantContains(t, withoutBdi(text), "Pricing hero (follow-up)",
		"A follow-up test of “Pricing hero”: a new draft whose original is Variant B, the copy you shipped",
		"Draft new copy below to test against it.",
		`>See what Acme Boards can do for you</textarea>`)

	f, err := e.store.Experiment(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Variants) != 1 || f.Variants[0].Text != "See what Acme Boards can do for you" || f.Status != experiments.StatusDraft ||
		f.Page != x.Page || f.Selector != x.Selector || f.Goal != x.Goal || f.CoverageBP != x.CoverageBP || f.CreatedBy == 0 {
		t.Errorf("follow-up %+v", f)
	}
	_, body = c.get("/experiments/" + id)
	wantContains(t, html.UnescapeString(body), "Follows “<bdi>Pricing hero</bdi>” (shipped Variant B).")
	if h9FollowUpFormRe.MatchString(body) {
		t.Error("the draft follow-up offers a follow-up of its own")
	}

	// The shipped test is as it was.
	if got, err := e.store.Experiment(t.Context(), x.ID); err != nil || got.ShippedVariant != "b" || len(got.Variants) != 3 {
		t.Errorf("the shipped test after its follow-up: %+v %v", got, err)
	}

	// Nothing shipped: no button, and a refusal that says what to do.
	y := e.experiment(site.ID, "Signup button")
	e.transition(y.ID, experiments.ActionStart)
	e.transition(y.ID, experiments.ActionStop)
	_, body = c.get("/experiments/" + y.ID)
	if strings.Contains(body, "/follow-up\"") {
		t.Error("a test with nothing shipped offers a follow-up")
	}
	resp, body = c.post("/experiments/"+y.ID+"/follow-up", nil)
	wantStatus(t, resp, http.StatusSeeOther, body)
	if got := resp.Header.Get("Location"); got != "/experiments/"+y.ID {
		t.Errorf("refused follow-up goes to %q", got)
	}
	_, body = c.get(resp.Header.Get("Location"))
	wantContains(t, body, "flash-error", "ship a variant first, or use Duplicate")
	if n := countExperiments(t, e); n != 3 {
		t.Errorf("%d experiments, want 3", n)
	}

	resp, _ = c.post("/experiments/no-such-id/follow-up", nil)
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("follow-up of nothing: %d", resp.StatusCode)
	}
}

// TestH9APIDuplicateFromShipped: POST /duplicate with {"from_shipped":
// true} makes the follow-up (201, Location), with the brief's current
// copy the shipped one; no body, {} and false duplicate as before; a test
// with nothing shipped is 409 not_shipped, and a body of another shape
// is refused as any body is.
func TestH9APIDuplicateFromShipped(t *testing.T) {
	e := newEnv(t)
	tok := e.token("api@example.com")
	site := e.site("Shop")
	x := h9ShippedTest(t, e, site.ID)
	path := "/api/v1/experiments/" + x.ID + "/duplicate"

	resp, out := e.api("POST", path, tok, `{"from_shipped": true}`)
	wantStatus(t, resp, http.StatusCreated, fmt.Sprint(out))
	if out["name"] != "Pricing hero (follow-up)" || out["status"] != "draft" || out["id"] == x.ID {
		t.Errorf("follow-up %v", out)
	}
	if got := resp.Header.Get("Location"); got != "/api/v1/experiments/"+fmt.Sprint(out["id"]) {
		t.Errorf("Location %q", got)
	}
	vs, _ := out["variants"].([]any)
	if len(vs) != 1 || vs[0].(map[string]any)["key"] != "control" || vs[0].(map[string]any)["text"] != "See what Acme Boards can do for you" {
		t.Errorf("variants %v", vs)
	}
	brief, _ := out["brief"].(map[string]any)
	if brief["current_copy"] != "See what Acme Boards can do for you" || brief["product"] != "Acme Boards" {
		t.Errorf("brief %v", out["brief"])
	}

	for _, body := range []string{"", `{}`, `{"from_shipped": false}`} {
		resp, out := e.api("POST", path, tok, body)
		wantStatus(t, resp, http.StatusCreated, fmt.Sprint(body, out))
		if vs, _ := out["variants"].([]any); out["name"] != "Pricing hero (copy)" || len(vs) != 3 {
			t.Errorf("duplicate with %q: %v", body, out)
		}
	}

	y := e.experiment(site.ID, "Signup button")
	resp, out = e.api("POST", "/api/v1/experiments/"+y.ID+"/duplicate", tok, `{"from_shipped":true}`)
	wantStatus(t, resp, http.StatusConflict, fmt.Sprint(out))
	if code, _ := errorShape(t, out); code != "not_shipped" || !strings.Contains(fmt.Sprint(out), "ship a variant first, or use Duplicate") {
		t.Errorf("follow-up of a draft: %v", out)
	}

	for _, tc := range []struct{ name, body, code, field string }{
		{"unknown name", `{"variant":"b"}`, "unknown_field", "variant"},
		{"not a boolean", `{"from_shipped":"yes"}`, "", "from_shipped"},
		{"not an object", `[]`, "invalid_json", ""},
	} {
		resp, out := e.api("POST", path, tok, tc.body)
		wantStatus(t, resp, http.StatusBadRequest, fmt.Sprint(tc.name, out))
		code, field := errorShape(t, out)
		if (tc.code != "" && code != tc.code) || field != tc.field {
			t.Errorf("%s: %s on %q", tc.name, code, field)
		}
		if tc.code == "unknown_field" && !strings.Contains(fmt.Sprint(out), "from_shipped") {
			t.Errorf("%s: the answer does not name from_shipped: %v", tc.name, out)
		}
	}
	if n := countExperiments(t, e); n != 6 {
		t.Errorf("%d experiments, want 6", n)
	}
}

// TestH9FollowUpDrafts: drafting for the follow-up never offers the
// shipped copy, which is now its original. (Nor should it offer the copy
// that lost, but the brief has no list of copy to avoid: see the report.)
func TestH9FollowUpDrafts(t *testing.T) {
	e := newEnv(t)
	tok := e.token("api@example.com")
	x := h9ShippedTest(t, e, e.site("Shop").ID)
	resp, out := e.api("POST", "/api/v1/experiments/"+x.ID+"/duplicate", tok, `{"from_shipped":true}`)
	wantStatus(t, resp, http.StatusCreated, fmt.Sprint(out))
	resp, out = e.api("POST", "/api/v1/experiments/"+fmt.Sprint(out["id"])+"/generate", tok, `{"n":5}`)
	wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
	raw, _ := json.Marshal(out["variants"])
	if strings.Contains(string(raw), "See what Acme Boards can do for you") {
		t.Errorf("the shipped copy offered as a draft: %s", raw)
	}
	if vs, _ := out["variants"].([]any); len(vs) == 0 {
		t.Errorf("no drafts: %v", out)
	}
}
