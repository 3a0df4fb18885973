package app

import (
	"encoding/json"
	"net/http"
	"slices"
	"strings"
	"testing"
)

// TestH14APIGetsRefuseUnknownParameters: every GET of the API that takes
// no query parameter refuses one, as GET /api/v1/experiments refuses one
// it does not take, rather than answer as if it had not been sent
// (…/results?variant=b answered every variant). The routes are read from
// the router, so a GET added later is held to it too.
func TestH14APIGetsRefuseUnknownParameters(t *testing.T) {
	e := newEnv(t)
	tok := e.token("api@example.com")
	site := e.site("Shop")
	x := e.experiment(site.ID, "Hero")
	fill := func(route string) string {
		id := x.ID
		if strings.HasPrefix(route, "/api/v1/sites/") {
			id = site.ID
		}
		return strings.NewReplacer(":id", id, ":key", x.Variants[1].Key).Replace(route)
	}
	send := func(method, path, token string) (int, map[string]any) {
		t.Helper()
		req := newRequest(method, path, nil)
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp := e.do(req)
		raw := readBody(t, resp)
		var out map[string]any
		if resp.StatusCode != http.StatusOK && raw != "" {
			if err := json.Unmarshal([]byte(raw), &out); err != nil {
				t.Fatalf("%s %s: not JSON (%d): %s", method, path, resp.StatusCode, raw)
			}
		}
		return resp.StatusCode, out
	}

	var routes []string
	for _, r := range e.app.fiber.GetRoutes(true) {
		if r.Method == http.MethodGet && strings.HasPrefix(r.Path, "/api/v1/") && apiQueryParams[http.MethodGet+" "+r.Path] == nil &&
			!slices.Contains(routes, r.Path) {
			routes = append(routes, r.Path)
		}
	}
	for _, want := range []string{"/api/v1/sites", "/api/v1/sites/:id", "/api/v1/experiments/:id",
		"/api/v1/experiments/:id/history", "/api/v1/experiments/:id/results", "/api/v1/experiments/:id/variants/:key",
		"/api/v1/experiments/:id/results.csv", "/api/v1/experiments/:id/daily.csv"} {
		if !slices.Contains(routes, want) {
			t.Fatalf("GET %s is not among the API's GETs %v", want, routes)
		}
	}
	for _, route := range routes {
		t.Run(route, func(t *testing.T) {
			path := fill(route)
			for _, q := range []string{"", "?", "?&"} {
				if status, out := send(http.MethodGet, path+q, tok); status != http.StatusOK {
					t.Fatalf("GET %s%s: %d %v", path, q, status, out)
				}
			}
			for _, tc := range []struct{ query, name string }{
				{"?variant=b", "variant"},
				{"?limit=10", "limit"},
				{"?q=", "q"},
				{"?download", "download"},
				{"?variant=b&variant=c", "variant"},
			} {
				status, out := send(http.MethodGet, path+tc.query, tok)
				if status != http.StatusBadRequest {
					t.Fatalf("GET %s%s: %d %v, want 400", path, tc.query, status, out)
				}
				code, field := errorShape(t, out)
				if code != "unknown_parameter" || field != tc.name {
					t.Errorf("GET %s%s: code %s field %q", path, tc.query, code, field)
				}
				wantContains(t, out["error"].(map[string]any)["message"].(string), `"`+tc.name+`"`, "it takes none")
			}
			if status, _ := send(http.MethodHead, path+"?variant=b", tok); status != http.StatusBadRequest {
				t.Errorf("HEAD %s?variant=b: %d, want 400", path, status)
			}
			// The token is checked first: a caller without one learns
			// nothing of the route's parameters.
			if status, _ := send(http.MethodGet, path+"?variant=b", ""); status != http.StatusUnauthorized {
				t.Errorf("GET %s?variant=b without a token: %d, want 401", path, status)
			}
		})
	}
}

// TestH14APIListParametersKept: the list still takes its own parameters
// and names them when it refuses another.
func TestH14APIListParametersKept(t *testing.T) {
	e := newEnv(t)
	tok := e.token("api@example.com")
	resp, out := e.api("GET", "/api/v1/experiments?site_id=&status=draft&q=hero&limit=5&page=1", tok, "")
	wantStatus(t, resp, http.StatusOK, "")
	resp, out = e.api("GET", "/api/v1/experiments?variant=b", tok, "")
	wantStatus(t, resp, http.StatusBadRequest, "")
	if code, field := errorShape(t, out); code != "unknown_parameter" || field != "variant" {
		t.Errorf("code %s field %s", code, field)
	}
	wantContains(t, out["error"].(map[string]any)["message"].(string), `"site_id", "status", "q", "limit", "cursor" or "page"`)
	resp, out = e.api("GET", "/api/v1/experiments?limit=5&limit=6", tok, "")
	wantStatus(t, resp, http.StatusBadRequest, "")
	if code, field := errorShape(t, out); code != "repeated_parameter" || field != "limit" {
		t.Errorf("code %s field %s", code, field)
	}
}
