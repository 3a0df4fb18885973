package app

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"copylab/experiments"
)

// pastedForm is the new-experiment form with page and goal page as given.
func pastedForm(siteID, page, goalURL string) url.Values {
	return url.Values{"op": {"save"}, "site_id": {siteID}, "name": {"Pricing"}, "page": {page}, "selector": {heroSelector},
		"goal_type": {"pageview"}, "goal_url": {goalURL}, "coverage": {"100"},
		"variants[0].key": {""}, "variants[0].text": {"Old"}, "variants[1].key": {""}, "variants[1].text": {"New"}}
}

// TestExperimentFormPastedAddress: an address pasted whole into Page
// loses its tracking part (?gclid=…, ?utm_source=…), which would narrow
// the test to the visitors who arrive with it, and the message after the
// save says so, and names the pasted host when it is not the site's. A
// real query (?plan=pro) stays, without a word. The edit form does the
// same.
func TestExperimentFormPastedAddress(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site := e.site("Shop") // example.com
	ctx := context.Background()

	c.get("/experiments/new")
	body := flashAfter(t, c, "/experiments", pastedForm(site.ID, "https://www.competitor.example/pricing?gclid=abc123",
		"https://www.example.com/thanks?utm_source=mail&utm_medium=email"))
	flash := flashText(body)
	for _, want := range []string{
		"Draft saved. ",
		"Left out the tracking part of the address (?gclid=…): the test runs on /pricing for every visitor.",
		"The pasted address is on www.competitor.example, not on example.com, the site’s domain: the test runs on that page wherever the site’s tag is loaded.",
		"Left out the tracking part of the goal’s address (?utm_source=…&utm_medium=…): a visit to /thanks counts for every visitor.",
		" Check the copy, then start the experiment.",
	} {
		if !strings.Contains(flash, want) {
			t.Errorf("flash %q lacks %q", flash, want)
		}
	}
	if strings.Count(flash, "pasted address is on") != 1 {
		t.Errorf("flash %q: www.example.com is the site's own domain", flash)
	}
	xs, err := e.store.Experiments(ctx, experiments.ExperimentFilter{SiteID: site.ID})
	if err != nil || len(xs) != 1 {
		t.Fatalf("%d experiments, %v", len(xs), err)
	}
	x := xs[0]
	if x.Page != "/pricing" || x.Goal.URL != "/thanks" {
		t.Errorf("saved page %q, goal %q; want /pricing and /thanks", x.Page, x.Goal.URL)
	}

	// A real query stays, and nothing is said of it.
	c.get("/experiments/" + x.ID + "/edit")
	v := pastedForm(site.ID, "https://example.com/pricing?plan=pro", "/thanks")
	v.Set("variants[0].key", "control")
	v.Set("variants[1].key", "b")
	flash = flashText(flashAfter(t, c, "/experiments/"+x.ID+"/edit", v))
	if flash != "Changes saved." {
		t.Errorf("flash %q, want Changes saved.", flash)
	}
	if got, _ := e.store.Experiment(ctx, x.ID); got.Page != "/pricing?plan=pro" {
		t.Errorf("saved page %q, want /pricing?plan=pro", got.Page)
	}

	// The edit form leaves out tracking as the new form does; a
	// developer's machine is not another domain.
	c.get("/experiments/" + x.ID + "/edit")
	v.Set("page", "http://localhost:3000/pricing?plan=pro&utm_campaign=spring")
	flash = flashText(flashAfter(t, c, "/experiments/"+x.ID+"/edit", v))
	if want := "Changes saved. Left out the tracking part of the address (?utm_campaign=…): the test runs on /pricing?plan=pro, and only where the address has plan=pro."; flash != want {
		t.Errorf("flash %q, want %q", flash, want)
	}
}

// TestAPIExperimentPastedAddress: the API saves a pasted page as the form
// does, and its answer warns as the form's message does.
func TestAPIExperimentPastedAddress(t *testing.T) {
	e := newEnv(t)
	token := e.token("api@example.com")
	site := e.site("Shop")
	resp, out := e.api("POST", "/api/v1/experiments", token, `{"site_id":"`+site.ID+`","name":"Hero",`+
		`"page":"https://www.competitor.example/pricing?gclid=abc123&plan=pro","selector":"h1","goal":{"type":"click","selector":"#buy"},`+
		`"variants":[{"key":"control","text":"Old"},{"key":"b","text":"New"}]}`)
	if resp.StatusCode != http.StatusCreated || out["page"] != "/pricing?plan=pro" {
		t.Fatalf("%d %v, want 201 with page /pricing?plan=pro", resp.StatusCode, out)
	}
	ws, _ := out["warnings"].([]any)
	var got []string
	for _, w := range ws {
		m, _ := w.(map[string]any)
		got = append(got, m["code"].(string)+": "+m["message"].(string))
	}
	want := []string{
		"tracking_left_out: Left out the tracking part of the address (?gclid=…): the test runs on /pricing?plan=pro, and only where the address has plan=pro.",
		"other_domain: The pasted address is on www.competitor.example, not on example.com, the site’s domain: the test runs on that page wherever the site’s tag is loaded.",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}

	// A typed page has nothing to warn of.
	resp, out = e.api("POST", "/api/v1/experiments", token, `{"site_id":"`+site.ID+`","name":"Hero 2",`+
		`"page":"/landing?utm_campaign=spring","selector":"h2","goal":{"type":"click","selector":"#buy"},`+
		`"variants":[{"key":"control","text":"Old"},{"key":"b","text":"New"}]}`)
	if resp.StatusCode != http.StatusCreated || out["page"] != "/landing?utm_campaign=spring" || out["warnings"] != nil {
		t.Errorf("%d %v, want 201 with the page as typed and no warnings", resp.StatusCode, out)
	}
}
