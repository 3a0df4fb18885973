package app

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"copylab/experiments"
)

// TestNewFormAsksWhereToTest: the New experiment form came with the page
// "/" and the element [data-copylab="hero"] typed in, as real values, so a
// form saved in a hurry tested the home page's hero without anyone
// choosing it. Both are now placeholders (the help beside each still
// suggests the data-copylab attribute), and a form sent with them empty
// asks for each. Found by a browser review.
func TestNewFormAsksWhereToTest(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	site := e.site("Marketing")

	_, body := c.get("/experiments/new")
	wantContains(t, body,
		`<input id="f-page" name="page" type="text" value="" class="input mono" placeholder="/pricing"`,
		`<input id="f-selector" name="selector" type="text" value="" class="input mono" placeholder="[data-copylab=&#34;hero&#34;]"`)

	// The form as a browser sends it with only the copy and goal filled in.
	resp, body := c.post("/experiments", url.Values{"op": {"save"}, "site_id": {site.ID}, "name": {"Hero"}, "page": {""}, "selector": {""},
		"goal_type": {"event"}, "goal_event": {"signup"}, "coverage": {"100"},
		"variants[0].key": {""}, "variants[0].text": {"Old"}, "variants[1].key": {""}, "variants[1].text": {"New"}})
	wantStatus(t, resp, http.StatusUnprocessableEntity, body)
	wantContains(t, body, `id="f-page-error"`, `id="f-selector-error"`)
	if xs, err := e.store.Experiments(context.Background(), experiments.ExperimentFilter{}); err != nil || len(xs) != 0 {
		t.Errorf("saved %d experiments (%v)", len(xs), err)
	}
}
