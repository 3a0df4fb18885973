package app

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"copylab/experiments"
)

// draftFirstForm is the New experiment form as a browser sends it when a
// marketer has typed only the name and the original copy (and variant,
// when given), with the form's defaults (a click goal, 100%) left as they
// were.
func draftFirstForm(siteID, op, control, variant string) url.Values {
	return url.Values{"op": {op}, "site_id": {siteID}, "name": {"Hero"}, "page": {""}, "selector": {""},
		"goal_type": {"click"}, "goal_selector": {""}, "goal_url": {""}, "goal_event": {""}, "coverage": {"100"}, "threshold": {""},
		"variants[0].key": {""}, "variants[0].text": {control}, "variants[0].weight": {""},
		"variants[1].key": {""}, "variants[1].text": {variant}, "variants[1].weight": {""}}
}

// saveDraftFirst saves the form through "Draft copy with AI" and returns the
// draft it made.
func saveDraftFirst(t *testing.T, e *env, c *client, siteID, variant string) experiments.Experiment {
	t.Helper()
	c.get("/experiments/new")
	resp, body := c.post("/experiments", draftFirstForm(siteID, "generate", "Project management for busy teams", variant))
	wantStatus(t, resp, http.StatusSeeOther, body)
	xs, err := e.store.Experiments(context.Background(), experiments.ExperimentFilter{})
	if err != nil || len(xs) != 1 {
		t.Fatalf("%d experiments (%v)", len(xs), err)
	}
	if loc := resp.Header.Get("Location"); loc != generateURL(xs[0].ID) {
		t.Fatalf("went to %q, want the drafting page %q", loc, generateURL(xs[0].ID))
	}
	return xs[0]
}

// TestDraftCopyBeforeWhereToTest: "Draft copy with AI" on the New
// experiment form refused a form with only a name and the original copy,
// asking for the page, the element and the goal's selector, although the
// box says it saves a draft first and a brief needs only the current copy
// and the goal. It now saves the draft with what is there and opens the
// drafting page, whose goal is left for the marketer to type (it stays
// required there). The name and the original copy are still needed, and
// Save draft keeps asking for everything.
func TestDraftCopyBeforeWhereToTest(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	site := e.site("Marketing")

	// The box says what it needs.
	_, body := c.get("/experiments/new")
	wantContains(t, body, "The page, element and goal can wait until you start it.")

	// Save draft: today's rules, the page, element and goal included.
	resp, body := c.post("/experiments", draftFirstForm(site.ID, "save", "Project management for busy teams", "Projects, under control"))
	wantStatus(t, resp, http.StatusUnprocessableEntity, body)
	wantContains(t, body, `id="f-page-error"`, `id="f-selector-error"`, `id="f-goal-error"`)

	// Draft copy with AI still needs a name and the original copy.
	v := draftFirstForm(site.ID, "generate", "", "")
	v.Set("name", "")
	resp, body = c.post("/experiments", v)
	wantStatus(t, resp, http.StatusUnprocessableEntity, body)
	wantContains(t, body, `id="f-name-error"`, `id="f-variants-0-text-error"`, "Please fix the 2 problems marked below.")
	wantNotContains(t, body, `id="f-page-error"`, `id="f-selector-error"`, `id="f-goal-error"`)

	x := saveDraftFirst(t, e, c, site.ID, "")
	if x.Status != experiments.StatusDraft || x.Page != "" || x.Selector != "" || x.Goal.Value() != "" || len(x.Variants) != 1 {
		t.Errorf("saved %+v", x)
	}
	resp, body = c.get(generateURL(x.ID))
	wantStatus(t, resp, http.StatusOK, body)
	wantContains(t, body, "Project management for busy teams", `name="goal"`, "Its page, element and goal can wait until you start it.")
	if strings.Contains(body, "A click on") {
		t.Errorf("the brief's goal was made up from an empty goal")
	}
	// The brief's goal is the marketer's to type: without it, no drafts.
	g := &genFixture{e: e, c: c, site: site, x: x, base: generateURL(x.ID)}
	b := g.brief(2)
	b.Set("goal", "")
	resp, body = c.post(g.base, b)
	wantStatus(t, resp, http.StatusUnprocessableEntity, body)
	wantContains(t, body, `id="f-goal-error"`)

	// The same box on the draft's edit form keeps it as unfinished.
	v = draftFirstForm(site.ID, "generate", "Project management for busy teams", "")
	v.Set("name", "Hero headline")
	resp, body = c.post("/experiments/"+x.ID+"/edit", v)
	wantStatus(t, resp, http.StatusSeeOther, body)
	if got, _ := e.store.Experiment(context.Background(), x.ID); got.Name != "Hero headline" {
		t.Errorf("edit saved %q", got.Name)
	}

	// Save on its edit form keeps what it still lacks empty, as a PATCH
	// does, and says Start needs it; the element it was given stays
	// required.
	v = draftFirstForm(site.ID, "save", "Project management for busy teams", "Projects, under control")
	v.Set("variants[0].key", "control")
	v.Set("selector", "h1")
	resp, body = c.post("/experiments/"+x.ID+"/edit", v)
	wantStatus(t, resp, http.StatusSeeOther, body)
	_, body = c.get("/experiments/" + x.ID)
	wantContains(t, body, "Changes saved. It still needs its page and goal before it can start.")
	v.Set("selector", "")
	resp, body = c.post("/experiments/"+x.ID+"/edit", v)
	wantStatus(t, resp, http.StatusUnprocessableEntity, body)
	wantContains(t, body, `id="f-selector-error"`, "Please fix the problem marked below.")
}

// TestUnfinishedDraftStart: a draft saved before its page, element and
// goal were chosen cannot start, from the page or the API: the page's
// Start leads to the edit form with the message beside each missing
// field, and the API answers 422 with a code and field for each.
func TestUnfinishedDraftStart(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	tok := e.token("api@example.com")
	site := e.site("Marketing")
	x := saveDraftFirst(t, e, c, site.ID, "Projects, under control")

	c.get("/experiments/" + x.ID)
	resp, body := c.post("/experiments/"+x.ID+"/start", nil)
	wantStatus(t, resp, http.StatusSeeOther, body)
	_, body = c.get(resp.Header.Get("Location"))
	wantContains(t, body, "Edit experiment", `id="f-page-error"`, `id="f-selector-error"`, `id="f-goal-error"`,
		"Enter the page to test on", "Enter the CSS selector of the button or link whose click counts",
		"cannot start yet")

	resp, out := e.api("POST", "/api/v1/experiments/"+x.ID+"/start", tok, "")
	wantStatus(t, resp, http.StatusUnprocessableEntity, fmt.Sprint(out))
	got := map[string]string{}
	for _, f := range out["errors"].([]any) {
		m := f.(map[string]any)
		got[m["field"].(string)] = m["code"].(string)
	}
	if got["page"] != "invalid_page" || got["selector"] == "" || got["goal"] != "invalid_goal" || len(got) != 3 {
		t.Errorf("errors %v", got)
	}
	if now, _ := e.store.Experiment(context.Background(), x.ID); now.Status != experiments.StatusDraft {
		t.Errorf("status %s", now.Status)
	}

	// Filled in, it starts.
	v := draftFirstForm(site.ID, "save", "Project management for busy teams", "Projects, under control")
	v.Set("page", "/pricing")
	v.Set("selector", "h1")
	v.Set("goal_selector", "#signup")
	v.Set("variants[0].key", "control")
	v.Set("variants[1].key", "b")
	resp, body = c.post("/experiments/"+x.ID+"/edit", v)
	wantStatus(t, resp, http.StatusSeeOther, body)
	// The history says they were set, not changed from nothing.
	_, body = c.get("/experiments/" + x.ID)
	wantContains(t, body, "Page set to /pricing.", "Element set to h1.", "Goal set to a click on #signup.")
	wantNotContains(t, body, "Not ready to start yet", "changed from  to")
	resp, out = e.api("POST", "/api/v1/experiments/"+x.ID+"/start", tok, "")
	wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
}

// TestUnfinishedDraftPages: the experiment page, the lists, the site page,
// the preview link and the API show a draft without its page, element and
// goal as not chosen yet, rather than empty code or links that cannot
// work; a PATCH, drafts added through the API and a duplicate keep working.
func TestUnfinishedDraftPages(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	tok := e.token("api@example.com")
	site := e.site("Marketing")
	x := saveDraftFirst(t, e, c, site.ID, "Projects, under control")

	resp, body := c.get("/experiments/" + x.ID)
	wantStatus(t, resp, http.StatusOK, body)
	wantContains(t, body, "No page chosen yet — add one before starting.", "No element chosen yet — add one before starting.",
		"No goal chosen yet — add one before starting.", "Preview links appear once the page, element and goal are chosen")
	wantNotContains(t, body, "copylab="+x.ID, "<code></code>", "a click on <", "then press Start")

	for _, path := range []string{"/experiments", "/sites/" + site.ID} {
		resp, body = c.get(path)
		wantStatus(t, resp, http.StatusOK, body)
		wantContains(t, body, "Not chosen yet")
		wantNotContains(t, body, "<code></code>", "copylab="+x.ID)
	}

	// Its results page, and its share page (not offered before the start,
	// but the link exists), say the goal is not chosen yet.
	resp, body = c.get("/experiments/" + x.ID + "/results")
	wantStatus(t, resp, http.StatusOK, body)
	wantContains(t, body, "Goal: not chosen yet.")
	resp, body = e.client().get("/r/" + x.ShareToken)
	wantContains(t, body, "Page <span class=\"muted\">not chosen yet</span>", "goal: not chosen yet")
	wantNotContains(t, body, "<code></code>")

	resp, body = c.get("/s/" + site.Key + ".js?p=" + x.ID + ":b")
	wantStatus(t, resp, http.StatusOK, body)
	if h := resp.Header.Get("X-Copylab"); !strings.Contains(h, "page, element and goal") {
		t.Errorf("X-Copylab %q", h)
	}

	resp, out := e.api("GET", "/api/v1/experiments/"+x.ID, tok, "")
	wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
	if out["page"] != "" || out["selector"] != "" || out["goal"] != nil {
		t.Errorf("page %q, selector %q, goal %v", out["page"], out["selector"], out["goal"])
	}
	resp, out = e.api("PATCH", "/api/v1/experiments/"+x.ID, tok, `{"name":"Hero headline"}`)
	wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
	resp, out = e.api("PATCH", "/api/v1/experiments/"+x.ID+"/variants/b", tok, `{"text":"Projects, finally under control"}`)
	wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
	// Without the experiment's goal to start from, the brief's goal is
	// the client's to give.
	resp, out = e.api("POST", "/api/v1/experiments/"+x.ID+"/generate", tok, `{"n":1}`)
	wantStatus(t, resp, http.StatusUnprocessableEntity, fmt.Sprint(out))
	if _, field := errorShape(t, out); field != "brief.goal" {
		t.Errorf("generate without a goal: field %q", field)
	}
	resp, out = e.api("POST", "/api/v1/experiments/"+x.ID+"/generate", tok, `{"n":1,"brief":{"goal":"Get visitors to start a free trial"}}`)
	wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
	resp, out = e.api("POST", "/api/v1/experiments/"+x.ID+"/duplicate", tok, "")
	wantStatus(t, resp, http.StatusCreated, fmt.Sprint(out))
	if out["page"] != "" || out["goal"] != nil {
		t.Errorf("duplicate: page %q, goal %v", out["page"], out["goal"])
	}
	resp, out = e.api("GET", "/api/v1/experiments", tok, "")
	wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
	for _, it := range out["experiments"].([]any) {
		if m := it.(map[string]any); m["goal"] != nil {
			t.Errorf("listed goal %v", m["goal"])
		}
	}
}
