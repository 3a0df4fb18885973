package app

import (
	"net/http"
	"net/url"
	"testing"
)

// TestWeightOutOfRangeWords: a weight of 150 is a percentage, only not one
// a split can have: its message says the range, as the traffic share's
// does, rather than asking for "a percentage such as 50". Found by a
// browser review.
func TestWeightOutOfRangeWords(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	site := e.site("Marketing")
	c.get("/experiments/new")
	for _, weight := range []string{"150", "-5", "lots"} {
		t.Run(weight, func(t *testing.T) {
			resp, body := c.post("/experiments", url.Values{
				"op": {"save"}, "site_id": {site.ID}, "name": {"Hero"}, "page": {"/"}, "selector": {"h1"},
				"goal_type": {"event"}, "goal_event": {"signup"}, "coverage": {"100"},
				"variants[0].key": {""}, "variants[0].text": {"Old"}, "variants[0].weight": {weight},
				"variants[1].key": {""}, "variants[1].text": {"New"}, "variants[1].weight": {""},
			})
			wantStatus(t, resp, http.StatusUnprocessableEntity, body)
			wantContains(t, body, `<p class="field-error" id="f-variants-0-weight-error">Enter a percentage from 0 to 100, such as 50 or 33.33.</p>`)
		})
	}
}
