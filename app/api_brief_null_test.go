package app

import (
	"net/http"
	"testing"
)

// TestAPIBriefNullWhenUnset: an experiment without a brief says "brief":
// null, as every other unset value of the object does (started_at,
// share_url …), rather than leaving the member out: a client that reads
// the object's fields finds them all, whatever the experiment.
func TestAPIBriefNullWhenUnset(t *testing.T) {
	e := newEnv(t)
	token := e.token("owner@example.com")
	site := e.site("Shop")
	resp, out := e.api("POST", "/api/v1/experiments", token, `{"site_id":"`+site.ID+`","name":"Hero","page":"/pricing",
		"selector":"#hero","goal":{"type":"click","selector":"#buy"},"variants":[{"text":"Original"},{"text":"New"}]}`)
	wantStatus(t, resp, http.StatusCreated, "")
	id, _ := out["id"].(string)
	for _, path := range []string{"", "/api/v1/experiments/" + id, "/api/v1/experiments"} {
		got := out
		if path != "" {
			resp, list := e.api("GET", path, token, "")
			wantStatus(t, resp, http.StatusOK, "")
			got = list
			if xs, ok := list["experiments"].([]any); ok && len(xs) == 1 {
				got, _ = xs[0].(map[string]any)
			}
		}
		b, ok := got["brief"]
		if !ok || b != nil {
			t.Errorf("%s: brief %v (present %v), want null", path, b, ok)
		}
	}
	// A brief given is still the object sent.
	resp, out = e.api("POST", "/api/v1/experiments", token, `{"site_id":"`+site.ID+`","name":"Hero 2","page":"/pricing",
		"selector":"#hero2","goal":{"type":"click","selector":"#buy"},"brief":{"audience":"shoppers"},
		"variants":[{"text":"Original"},{"text":"New"}]}`)
	wantStatus(t, resp, http.StatusCreated, "")
	if b, _ := out["brief"].(map[string]any); b["audience"] != "shoppers" {
		t.Errorf("brief %v", out["brief"])
	}
}
