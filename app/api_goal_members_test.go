package app

import (
	"slices"
	"strings"
	"testing"

	"copylab/experiments"
)

// TestAPIGoalMemberOfAnotherType: a goal names its one parameter by its
// type (selector for click, url for pageview, name for event). A member
// of another type's was dropped without a word, so a client that sent
// {"type":"event","name":"signup","selector":"#a"} believed clicks on #a
// counted. It is refused, 422, with a sentence saying which type takes it,
// listed with the request's other problems; a name no goal takes stays
// unknown_field.
func TestAPIGoalMemberOfAnotherType(t *testing.T) {
	e := newEnv(t)
	token := e.token("owner@example.com")
	site := e.site("Shop")
	body := func(goal, extra string) string {
		return `{"site_id":"` + site.ID + `","name":"Hero","page":"/pricing","selector":"#hero","goal":` + goal + extra +
			`,"variants":[{"text":"Original"},{"text":"New"}]}`
	}
	tests := []struct {
		name, goal, extra string
		status            int
		field, words      string
	}{
		{"selector on an event goal", `{"type":"event","name":"signup","selector":"#a"}`, "", 422,
			"goal.selector", "selector is used only by click goals"},
		{"url on a click goal", `{"type":"click","selector":"#buy","url":"/thanks"}`, "", 422,
			"goal.url", "url is used only by pageview goals"},
		{"name on a pageview goal", `{"type":"pageview","url":"/thanks*","name":"signup"}`, "", 422,
			"goal.name", "name is used only by event goals"},
		{"an empty member of another type", `{"type":"event","name":"signup","url":""}`, "", 422,
			"goal.url", "url is used only by pageview goals"},
		{"with other problems", `{"type":"event","name":"signup","selector":"#a"}`, `,"traffic_bp":20000`, 422,
			"goal.selector", "selector is used only by click goals"},
		{"null is as absent", `{"type":"event","name":"signup","selector":null}`, "", 201, "", ""},
		{"its own member", `{"type":"click","selector":"#buy"}`, "", 201, "", ""},
		{"an unknown member", `{"type":"event","name":"signup","foo":1}`, "", 400, "goal.foo", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, _ := e.store.Experiments(t.Context(), experiments.ExperimentFilter{SiteID: site.ID})
			resp, out := e.api("POST", "/api/v1/experiments", token, body(tt.goal, tt.extra))
			wantStatus(t, resp, tt.status, "")
			if tt.status == 201 {
				return
			}
			if after, _ := e.store.Experiments(t.Context(), experiments.ExperimentFilter{SiteID: site.ID}); len(after) != len(before) {
				t.Errorf("a refused create made an experiment")
			}
			if tt.status == 400 {
				if code, field := errorShape(t, out); code != "unknown_field" || field != tt.field {
					t.Errorf("error %s %s, want unknown_field %s", code, field, tt.field)
				}
				return
			}
			var fields []string
			found := false
			for _, x := range out["errors"].([]any) {
				f := x.(map[string]any)
				fields = append(fields, f["field"].(string))
				if f["field"] == tt.field {
					found = true
					if f["code"] != "invalid_goal" || !strings.Contains(f["message"].(string), tt.words) {
						t.Errorf("%s: %v %q, want invalid_goal saying %q", tt.field, f["code"], f["message"], tt.words)
					}
				}
			}
			if !found {
				t.Errorf("errors on %v, none on %s", fields, tt.field)
			}
			if tt.extra != "" && !slices.Contains(fields, "traffic_bp") {
				t.Errorf("errors on %v: the traffic share's problem is not listed with the goal's", fields)
			}
		})
	}
}
