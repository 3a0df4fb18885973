package app

import (
	"net/http"
	"strings"
	"testing"
)

// TestAPIIDsAnyCase: the ids copylab makes for experiments and sites are
// lower-case UUIDs, and a path of the API that names one in capitals (a
// client that upper-cases UUIDs, .NET's Guid.ToString("D").ToUpper(), a
// copy from a spreadsheet) reaches the same experiment or site, as the
// tag's preview links do. It used to answer 404. Only those ids are read
// in any case: a variant's key in the same path is not.
func TestAPIIDsAnyCase(t *testing.T) {
	e := newEnv(t)
	tok := e.token("api@example.com")
	site := e.site("Shop")
	x := e.experiment(site.ID, "Hero")
	upper, mixed := strings.ToUpper(x.ID), strings.ToUpper(x.ID[:8])+x.ID[8:]

	tests := []struct {
		name, method, path, body string
		status                   int
	}{
		{"experiment", http.MethodGet, "/api/v1/experiments/" + upper, "", http.StatusOK},
		{"experiment, mixed case", http.MethodGet, "/api/v1/experiments/" + mixed, "", http.StatusOK},
		{"experiment's history", http.MethodGet, "/api/v1/experiments/" + upper + "/history", "", http.StatusOK},
		{"a variant's text", http.MethodPatch, "/api/v1/experiments/" + upper + "/variants/b", `{"text":"Newer headline"}`, http.StatusOK},
		{"start", http.MethodPost, "/api/v1/experiments/" + upper + "/start", "", http.StatusOK},
		{"results", http.MethodGet, "/api/v1/experiments/" + upper + "/results", "", http.StatusOK},
		{"results CSV", http.MethodGet, "/api/v1/experiments/" + upper + "/results.csv", "", http.StatusOK},
		{"site", http.MethodGet, "/api/v1/sites/" + strings.ToUpper(site.ID), "", http.StatusOK},
		{"site update", http.MethodPatch, "/api/v1/sites/" + strings.ToUpper(site.ID), `{"name":"Shop two"}`, http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := newRequest(tt.method, tt.path, strings.NewReader(tt.body))
			if tt.body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			req.Header.Set("Authorization", "Bearer "+tok)
			resp := e.do(req)
			body := readBody(t, resp)
			wantStatus(t, resp, tt.status, body)
			if strings.HasPrefix(tt.path, "/api/v1/experiments/") && !strings.HasSuffix(tt.path, "/history") &&
				resp.Header.Get("Content-Type") == "application/json" && !strings.Contains(body, `"`+x.ID+`"`) {
				t.Errorf("the answer does not name the experiment by its id %s: %.300s", x.ID, body)
			}
		})
	}

	// An id that no experiment has is still the API's 404, in any case.
	resp, out := e.api(http.MethodGet, "/api/v1/experiments/0190A5C4-7B2E-7DEF-8A3B-1C2D3E4F5A6B", tok, "")
	if errBody, _ := out["error"].(map[string]any); resp.StatusCode != http.StatusNotFound || errBody["message"] != "No experiment has this id." {
		t.Errorf("unknown id: status %d (%v)", resp.StatusCode, out)
	}
	// A variant's key is not one of copylab's ids: B is not b.
	resp, out = e.api(http.MethodPatch, "/api/v1/experiments/"+upper+"/variants/B", tok, `{"text":"x"}`)
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("variant B: status %d, want 404 as for /variants/B with the id in lower case (%v)", resp.StatusCode, out)
	}
}
