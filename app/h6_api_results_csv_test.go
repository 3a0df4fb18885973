package app

import (
	"net/http"
	"strings"
	"testing"
)

// TestAPIResultsCSV: the results CSV can be fetched with an API token, at
// GET /api/v1/experiments/{id}/results.csv: the same file, byte for byte,
// as the signed-in page's download. Without a token, with a revoked one
// or for an id no experiment has, the answer is the API's JSON error, not
// the pages' redirect to the sign-in page (303 /login).
func TestAPIResultsCSV(t *testing.T) {
	e, c, tok, x := startedWithCounts(t, [2]int64{1000, 100}, [2]int64{1000, 130})

	resp, page := c.get("/experiments/" + x.ID + "/results.csv")
	wantStatus(t, resp, http.StatusOK, page)

	req := newRequest(http.MethodGet, "/api/v1/experiments/"+x.ID+"/results.csv", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp = e.do(req)
	body := readBody(t, resp)
	wantStatus(t, resp, http.StatusOK, body)
	if ct := resp.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if cd := resp.Header.Get("Content-Disposition"); cd != `attachment; filename="copylab-hero-results.csv"` {
		t.Errorf("Content-Disposition %q", cd)
	}
	if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q", cc)
	}
	if body != page {
		t.Errorf("the API's CSV differs from the page's:\n%s\n---\n%s", body, page)
	}
	if !strings.HasPrefix(body, "key,label,text,exposures,conversions,") || strings.Count(body, "\n") != 3 {
		t.Errorf("not the results table:\n%s", body)
	}

	tests := []struct {
		name, token, id string
		status          int
		code            string
	}{
		{"no token", "", x.ID, http.StatusUnauthorized, "unauthorized"},
		{"a wrong token", "cl_nosuchtoken", x.ID, http.StatusUnauthorized, "invalid_token"},
		{"no such experiment", tok, "0190a5c4-7b2e-7def-8a3b-1c2d3e4f5a6b", http.StatusNotFound, "not_found"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, out := e.api(http.MethodGet, "/api/v1/experiments/"+tt.id+"/results.csv", tt.token, "")
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d (%v)", resp.StatusCode, tt.status, out)
			}
			errBody, _ := out["error"].(map[string]any)
			if errBody["code"] != tt.code {
				t.Errorf("error %v, want code %s", out, tt.code)
			}
			if tt.code == "not_found" && errBody["message"] != "No experiment has this id." {
				t.Errorf("message %v", errBody["message"])
			}
		})
	}

	// The route is in the API's table: another method is 405 with Allow.
	resp, out := e.api(http.MethodPost, "/api/v1/experiments/"+x.ID+"/results.csv", tok, "")
	if resp.StatusCode != http.StatusMethodNotAllowed || !strings.Contains(resp.Header.Get("Allow"), "GET") {
		t.Errorf("POST: status %d, Allow %q (%v)", resp.StatusCode, resp.Header.Get("Allow"), out)
	}
}

// TestAPIDailyCSV: the daily CSV too, at …/daily.csv, the page's file.
func TestAPIDailyCSV(t *testing.T) {
	e, c, tok, x := startedWithCounts(t, [2]int64{1000, 100}, [2]int64{1000, 130})
	resp, page := c.get("/experiments/" + x.ID + "/daily.csv")
	wantStatus(t, resp, http.StatusOK, page)
	req := newRequest(http.MethodGet, "/api/v1/experiments/"+x.ID+"/daily.csv", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp = e.do(req)
	body := readBody(t, resp)
	wantStatus(t, resp, http.StatusOK, body)
	if body != page || resp.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("the API's daily CSV (Cache-Control %q) differs from the page's:\n%s\n---\n%s",
			resp.Header.Get("Cache-Control"), body, page)
	}
	resp, out := e.api(http.MethodGet, "/api/v1/experiments/"+x.ID+"/daily.csv", "", "")
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("no token: status %d (%v)", resp.StatusCode, out)
	}
}
