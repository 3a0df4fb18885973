package app

import (
	"fmt"
	"net/http"
	"testing"
)

// TestAPINotFoundSaysWhat: an id the API does not know is answered in the
// API's words, naming what was not found (the experiment, the site, the
// variant of the path), not with the pages' sentence about old links. A
// variant key the experiment lacks is unknown_variant, as ship calls it,
// still with 404: the path names a thing that is not there.
func TestAPINotFoundSaysWhat(t *testing.T) {
	e := newEnv(t)
	tok := e.token("api@example.com")
	x := e.experiment(e.site("Shop").ID, "Hero")
	const (
		noExperiment = "No experiment has this id."
		noSite       = "No site has this id."
	)
	unknown := "/api/v1/experiments/01a20000-0000-7000-8000-000000000000"
	for _, tc := range []struct {
		method, path, body, code, message string
	}{
		{"GET", unknown, "", "not_found", noExperiment},
		{"PATCH", unknown, `{"name":"x"}`, "not_found", noExperiment},
		{"DELETE", unknown, "", "not_found", noExperiment},
		{"GET", unknown + "/results", "", "not_found", noExperiment},
		{"GET", unknown + "/history", "", "not_found", noExperiment},
		{"POST", unknown + "/generate", `{"n":1}`, "not_found", noExperiment},
		{"POST", unknown + "/start", "", "not_found", noExperiment},
		{"POST", unknown + "/stop", "", "not_found", noExperiment},
		{"POST", unknown + "/ship", `{"variant":"b"}`, "not_found", noExperiment},
		{"POST", unknown + "/unship", "", "not_found", noExperiment},
		{"POST", unknown + "/share-link", "", "not_found", noExperiment},
		{"POST", unknown + "/duplicate", "", "not_found", noExperiment},
		{"PATCH", unknown + "/variants/b", `{"weight_bp":3000}`, "not_found", noExperiment},
		{"PATCH", "/api/v1/experiments/" + x.ID + "/variants/zz", `{"weight_bp":3000}`, "unknown_variant", `This experiment has no variant "zz".`},
		{"GET", "/api/v1/sites/nope", "", "not_found", noSite},
		{"DELETE", "/api/v1/sites/nope", "", "not_found", noSite},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			resp, out := e.api(tc.method, tc.path, tok, tc.body)
			wantStatus(t, resp, http.StatusNotFound, fmt.Sprint(out))
			code, _ := errorShape(t, out)
			msg, _ := out["error"].(map[string]any)["message"].(string)
			if code != tc.code || msg != tc.message {
				t.Errorf("%s %q, want %s %q", code, msg, tc.code, tc.message)
			}
		})
	}
	// A path that is no route keeps its own sentence.
	resp, out := e.api("GET", "/api/v1/nothing", tok, "")
	wantStatus(t, resp, http.StatusNotFound, fmt.Sprint(out))
	if msg, _ := out["error"].(map[string]any)["message"].(string); msg != "There is no such API route. See the HTTP section of the README." {
		t.Errorf("unknown route: %q", msg)
	}
}
