package app

import (
	"net/http"
	"testing"

	"copylab/experiments"
)

// TestShipRequiredListsErrors: a ship without a variant is a validation
// error like any other, so it lists its problem in "errors" as the README
// says every 422 does (unknown_variant, on the same route, does).
func TestShipRequiredListsErrors(t *testing.T) {
	e := newEnv(t)
	token := e.token("owner@example.com")
	site := e.site("Shop")
	x := e.experiment(site.ID, "Hero")
	e.transition(x.ID, experiments.ActionStart)
	for _, body := range []string{`{}`, `{"variant":""}`, `{"variant":"zz"}`} {
		resp, out := e.api("POST", "/api/v1/experiments/"+x.ID+"/ship", token, body)
		wantStatus(t, resp, http.StatusUnprocessableEntity, "")
		code, field := errorShape(t, out)
		all, _ := out["errors"].([]any)
		if len(all) != 1 {
			t.Errorf("ship %s: errors %v, want the one problem", body, out["errors"])
			continue
		}
		if first, _ := all[0].(map[string]any); first["code"] != code || first["field"] != field || field != "variant" {
			t.Errorf("ship %s: errors[0] %v, error %s %s", body, all[0], code, field)
		}
	}
}
