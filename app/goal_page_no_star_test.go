package app

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"
)

// TestGoalPageMessageOffersNoStar: a goal page without its leading /
// is not told to "use * for every page", which the goal refuses; the
// tested page's own message still offers it.
func TestGoalPageMessageOffersNoStar(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("owner@example.com")
	site := e.site("Shop")
	c.get("/experiments/new")
	resp, body := c.post("/experiments", url.Values{
		"op": {"save"}, "site_id": {site.ID}, "name": {"Hero"}, "page": {"pricing"}, "selector": {heroSelector},
		"goal_type": {"pageview"}, "goal_url": {"thanks"}, "coverage": {"100"},
		"variants[0].key": {""}, "variants[0].text": {"Old"}, "variants[1].key": {""}, "variants[1].text": {"New"},
	})
	wantStatus(t, resp, http.StatusUnprocessableEntity, body)
	doc := parseHTML(t, body)
	text := func(id string) string {
		for _, n := range findAll(doc, func(n *xhtml.Node) bool { return attrOf(n, "id") == id }) {
			return strings.Join(strings.Fields(textOf(n)), " ")
		}
		return ""
	}
	if got, want := text("f-goal-error"), "Goal page: start the page pattern with /, such as /thanks or /thanks*."; got != want {
		t.Errorf("goal message %q, want %q", got, want)
	}
	if got := text("f-page-error"); !strings.Contains(got, "or use * for every page") {
		t.Errorf("page message %q, want it to offer *", got)
	}

	// The API's message is the same sentence.
	tok := e.token("api@example.com")
	_, out := e.api(http.MethodPost, "/api/v1/experiments", tok, fmt.Sprintf(`{"site_id":%q,"name":"Hero","page":"/","selector":%q,
		"goal":{"type":"pageview","url":"thanks"},"variants":[{"text":"Old"},{"text":"New"}]}`, site.ID, heroSelector))
	if got := fmt.Sprint(out); !strings.Contains(got, "Goal page: start the page pattern with /, such as /thanks or /thanks*.") ||
		strings.Contains(got, "every page") {
		t.Errorf("API answer %s", got)
	}
}
