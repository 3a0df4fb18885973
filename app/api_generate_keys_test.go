package app

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"
)

// TestAPIGenerateNewKeyAfterRemoval: a draft's Variant C removed on its
// edit page, copy then drafted through the API is Variant D, not a second
// Variant C: the key names the copy in the API, the exports, the recording
// links and the history, where "Variant C" already means the removed copy.
func TestAPIGenerateNewKeyAfterRemoval(t *testing.T) {
	e := newEnv(t) // the offline generator
	tok := e.token("api@example.com")
	c := e.signIn("ann@example.com")
	x := e.experiment(e.site("Shop").ID, "Hero", "Plan your week in minutes", "Your week, planned", "A calmer week")

	c.get("/experiments/" + x.ID + "/edit")
	resp, body := c.post("/experiments/"+x.ID+"/edit", url.Values{"op": {"save"}, "name": {"Hero"}, "page": {x.Page},
		"selector": {x.Selector}, "goal_type": {"click"}, "goal_selector": {"#buy"}, "coverage": {"100"},
		"variants[0].key": {"control"}, "variants[0].text": {"Plan your week in minutes"},
		"variants[1].key": {"b"}, "variants[1].text": {"Your week, planned"}})
	wantStatus(t, resp, http.StatusSeeOther, body)
	if y, err := e.store.Experiment(t.Context(), x.ID); err != nil || len(y.Variants) != 2 {
		t.Fatalf("after the edit: %+v %v", y.Variants, err)
	}

	resp, out := e.api("POST", "/api/v1/experiments/"+x.ID+"/generate", tok, `{"n":1}`)
	wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
	vs, _ := out["variants"].([]any)
	if len(vs) != 1 {
		t.Fatalf("generated %v", out)
	}
	if k := vs[0].(map[string]any)["key"]; k != "d" {
		t.Errorf("the new draft's key is %v, want d", k)
	}
	resp, out = e.api("GET", "/api/v1/experiments/"+x.ID, tok, "")
	wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
	var keys []string
	for _, v := range out["variants"].([]any) {
		keys = append(keys, v.(map[string]any)["key"].(string))
	}
	if fmt.Sprint(keys) != "[control b d]" {
		t.Errorf("keys %v, want [control b d]", keys)
	}
}
