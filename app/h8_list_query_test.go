package app

import (
	"fmt"
	"net/http"
	"testing"
)

// TestH8ListQueryChecked: GET /api/v1/experiments refuses a query
// parameter it does not take (naming it and those it takes), and one
// given twice, rather than answer page one again.
func TestH8ListQueryChecked(t *testing.T) {
	e := newEnv(t)
	tok := e.token("api@example.com")
	for _, tc := range []struct{ query, code, name string }{
		{"?offset=2", "unknown_parameter", "offset"},
		{"?limit=10&offset=2", "unknown_parameter", "offset"},
		{"?Status=running", "unknown_parameter", "Status"},
		{"?status=stopped&status=running", "repeated_parameter", "status"},
		{"?limit=5&limit=5", "repeated_parameter", "limit"},
	} {
		t.Run(tc.query, func(t *testing.T) {
			resp, out := e.api("GET", "/api/v1/experiments"+tc.query, tok, "")
			wantStatus(t, resp, http.StatusBadRequest, fmt.Sprint(out))
			code, field := errorShape(t, out)
			if code != tc.code || field != tc.name {
				t.Errorf("code %s field %s", code, field)
			}
			msg := out["error"].(map[string]any)["message"].(string)
			wantContains(t, msg, tc.name)
			if tc.code == "unknown_parameter" {
				wantContains(t, msg, "site_id", "status", "q", "limit", "cursor", "page")
			}
		})
	}
	for _, q := range []string{"", "?status=draft&limit=5", "?q=&site_id=", "?page=1"} {
		resp, out := e.api("GET", "/api/v1/experiments"+q, tok, "")
		wantStatus(t, resp, http.StatusOK, fmt.Sprint(out))
	}
}
