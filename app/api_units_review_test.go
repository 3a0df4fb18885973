package app

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"
)

// TestAPIErrorsSpeakTheFieldsUnit: the API takes shares in basis points
// (traffic_bp, weight_bp) and the threshold as a fraction, so its
// validation errors give the bounds and sums in those units, with the
// percentage beside them; the page, which takes percentages, keeps its
// own wording. Only the sentence differs: the store's checks decide.
func TestAPIErrorsSpeakTheFieldsUnit(t *testing.T) {
	e := newEnv(t)
	tok := e.token("api@example.com")
	site := e.site("Shop")
	x := e.experiment(site.ID, "Hero")
	create := func(extra string) string {
		return `{"site_id":"` + site.ID + `","name":"Hero 2","page":"/pricing","selector":"h2",
			"goal":{"type":"click","selector":"#buy"}` + extra + `}`
	}
	const trafficWords = "traffic_bp must be between 0 and 10000 (0% to 100%)."
	for _, tc := range []struct {
		name, method, path, body, field, code, message string
	}{
		{"create, traffic", "POST", "/api/v1/experiments", create(`,"traffic_bp":20000,"variants":[{"text":"A"},{"text":"B"}]`),
			"traffic_bp", "out_of_range", trafficWords},
		{"create, threshold", "POST", "/api/v1/experiments", create(`,"threshold":2,"variants":[{"text":"A"},{"text":"B"}]`),
			"threshold", "out_of_range", "threshold must be between 0.005 and 1 (0.5% to 100%)."},
		{"create, weights sum", "POST", "/api/v1/experiments", create(`,"variants":[{"text":"A","weight_bp":1000},{"text":"B","weight_bp":2000}]`),
			"variants", "weights_sum", "The variants' weight_bp must add up to 10000 (100%); they add up to 3000 (30%)."},
		{"create, a weight", "POST", "/api/v1/experiments", create(`,"variants":[{"text":"A","weight_bp":-5000},{"text":"B","weight_bp":15000}]`),
			"variants[0].weight_bp", "out_of_range", "variants[0].weight_bp must be between 0 and 10000 (0% to 100%)."},
		{"patch, traffic", "PATCH", "/api/v1/experiments/" + x.ID, `{"traffic_bp":-1}`,
			"traffic_bp", "out_of_range", trafficWords},
		{"patch, threshold", "PATCH", "/api/v1/experiments/" + x.ID, `{"threshold":1.5}`,
			"threshold", "out_of_range", "threshold must be between 0.005 and 1 (0.5% to 100%)."},
		{"variant weight", "PATCH", "/api/v1/experiments/" + x.ID + "/variants/b", `{"weight_bp":20000}`,
			"weight_bp", "out_of_range", "weight_bp must be between 0 and 10000 (0% to 100%)."},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, out := e.api(tc.method, tc.path, tok, tc.body)
			wantStatus(t, resp, http.StatusUnprocessableEntity, fmt.Sprint(out))
			all, _ := out["errors"].([]any)
			for _, a := range all {
				f, _ := a.(map[string]any)
				if f["field"] == tc.field {
					if f["code"] != tc.code || f["message"] != tc.message {
						t.Errorf("%s: %v %q, want %s %q", tc.field, f["code"], f["message"], tc.code, tc.message)
					}
					return
				}
			}
			t.Errorf("no error on %s in %v", tc.field, out)
		})
	}

	t.Run("the page keeps percentages", func(t *testing.T) {
		c := e.signIn("ann@example.com")
		resp, body := c.post("/experiments", url.Values{
			"site_id": {site.ID}, "name": {"Hero"}, "page": {"/"}, "selector": {"h1"}, "goal_type": {"event"}, "goal_event": {"signup"},
			"variants[0].key": {""}, "variants[0].text": {"One"}, "variants[0].weight": {"10"},
			"variants[1].key": {""}, "variants[1].text": {"Two"}, "variants[1].weight": {"20"},
		})
		wantStatus(t, resp, http.StatusUnprocessableEntity, body)
		wantContains(t, body, "The traffic split must add up to 100% (it adds up to 30%).")
		wantNotContains(t, body, "weight_bp", "10000")
	})
}
