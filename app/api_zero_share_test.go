package app

import (
	"fmt"
	"net/http"
	"testing"

	"copylab/experiments"
)

// TestAPIPatchZeroShareWarns: a PATCH that leaves a started test at 0%
// (its traffic share, the original's split, or every share of a variant)
// is saved, and its answer carries a warning with a code and the sentence
// the edit form says; a change that keeps every share above 0% has none,
// nor does a draft's (Start refuses it there).
func TestAPIPatchZeroShareWarns(t *testing.T) {
	e := newEnv(t)
	tok := e.token("api@example.com")
	x := e.experiment(e.site("Shop").ID, "Hero", "Original headline", "New headline", "Other headline")
	base := "/api/v1/experiments/" + x.ID
	warning := func(out map[string]any) (code, msg string) {
		t.Helper()
		ws, _ := out["warnings"].([]any)
		if len(ws) == 0 {
			return "", ""
		}
		if len(ws) != 1 {
			t.Fatalf("warnings %v, want one", ws)
		}
		w := ws[0].(map[string]any)
		return w["code"].(string), w["message"].(string)
	}

	resp, out := e.api("PATCH", base, tok, `{"traffic_bp":0}`)
	wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
	if code, _ := warning(out); code != "" {
		t.Errorf("a draft's 0%% share warned %q", code)
	}
	e.api("PATCH", base, tok, `{"traffic_bp":10000}`)
	e.transition(x.ID, experiments.ActionStart)

	for _, tt := range []struct {
		path, body, code, msg string
	}{
		{"", `{"traffic_bp":0}`, "no_traffic", "Saved, but its traffic share is 0%: no visitor is in the test, so its results stop growing until the share is above 0%."},
		{"", `{"traffic_bp":5000}`, "", ""},
		{"/variants/b", `{"weight_bp":0}`, "variant_without_traffic", "Saved, but Variant B gets 0% of the split: no visitor sees it, so its results stop growing until its share is above 0%."},
		{"/variants/control", `{"weight_bp":10000}`, "variant_without_traffic", "Saved, but Variant B and Variant C get 0% of the split: no visitor sees them, so their results stop growing until their shares are above 0%."},
		{"/variants/control", `{"weight_bp":0}`, "control_without_traffic", "Saved, but the original gets 0% of the split: no visitor sees it, so nothing new can be compared with it until its share is above 0%."},
		{"/variants/control", `{"weight_bp":3400}`, "", ""},
	} {
		resp, out := e.api("PATCH", base+tt.path, tok, tt.body)
		wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
		if code, msg := warning(out); code != tt.code || msg != tt.msg {
			t.Errorf("PATCH %s %s: warning %q %q, want %q %q", tt.path, tt.body, code, msg, tt.code, tt.msg)
		}
	}
	resp, out = e.api("GET", base, tok, "")
	wantStatus(t, resp, http.StatusOK, "")
	if _, ok := out["warnings"]; ok {
		t.Errorf("GET carries warnings: %v", out["warnings"])
	}
}
