package app

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

// TestF7APITwoAuthorizationHeaders: an API call with more than one
// Authorization header is refused, 400 invalid_authorization, whichever
// order its tokens come in and whatever they are: otherwise the first
// header would win, and a proxy or client that adds its own would decide
// which token acts. Nothing is done. One header still works.
func TestF7APITwoAuthorizationHeaders(t *testing.T) {
	f := newH10Fixture(t)
	for _, tt := range []struct {
		name    string
		method  string
		path    string
		body    string
		headers []string
	}{
		{"read-only then full, a write", http.MethodPatch, "/api/v1/sites/" + f.site.ID, `{"name":"Renamed"}`, []string{"Bearer " + f.ro, "Bearer " + f.full}},
		{"full then read-only, a write", http.MethodPatch, "/api/v1/sites/" + f.site.ID, `{"name":"Renamed"}`, []string{"Bearer " + f.full, "Bearer " + f.ro}},
		{"full twice, a write", http.MethodPatch, "/api/v1/sites/" + f.site.ID, `{"name":"Renamed"}`, []string{"Bearer " + f.full, "Bearer " + f.full}},
		{"full then read-only, a read", http.MethodGet, "/api/v1/sites", "", []string{"Bearer " + f.full, "Bearer " + f.ro}},
		{"full then an empty one", http.MethodGet, "/api/v1/sites", "", []string{"Bearer " + f.full, ""}},
		{"full then a wrong one", http.MethodGet, "/api/v1/sites", "", []string{"Bearer " + f.full, "Bearer cl_wrong"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			req := newRequest(tt.method, tt.path, strings.NewReader(tt.body))
			if tt.body != "" {
				req.Header.Set("Content-Type", "application/json")
			}
			req.Header["Authorization"] = tt.headers
			resp := f.e.do(req)
			body := readBody(t, resp)
			if resp.StatusCode != http.StatusBadRequest {
				t.Fatalf("status %d, want 400: %s", resp.StatusCode, body)
			}
			var got struct {
				Error struct{ Code, Message string }
			}
			if err := json.Unmarshal([]byte(body), &got); err != nil {
				t.Fatalf("not JSON: %v: %s", err, body)
			}
			if got.Error.Code != "invalid_authorization" || got.Error.Message != "Send one Authorization header." {
				t.Errorf("error %+v, want invalid_authorization, %q", got.Error, "Send one Authorization header.")
			}
			if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
				t.Errorf("Cache-Control %q", cc)
			}
		})
	}
	f.unchanged(t)

	// One header: as before.
	if status, body := f.send(http.MethodGet, "/api/v1/sites", f.ro); status != http.StatusOK {
		t.Errorf("one read-only header: %d %s", status, body)
	}
	if status, _ := f.send(http.MethodPatch, "/api/v1/sites/"+f.site.ID, f.ro); status != http.StatusForbidden {
		t.Errorf("one read-only header on a write: %d, want 403", status)
	}
}
