package app

import (
	"net/http"
	"strings"
	"testing"
)

// TestAPIAnswersAreNotStored: every answer of the JSON API says
// Cache-Control: no-store, as the signed-in pages do. An experiment's
// answer carries its share_url, whose token opens the read-only results to
// anyone; a share-link rotation answers with the new one; a site's answer
// its key. No cache, the client's or a proxy's, may keep them for the next
// reader, as none keeps the page that shows the same link.
func TestAPIAnswersAreNotStored(t *testing.T) {
	e := newEnv(t)
	tok := e.token("api@example.com")
	site := e.site("Shop")
	x := e.experiment(site.ID, "Hero")
	calls := []struct {
		name, method, path, body string
		status                   int
	}{
		{"sites", http.MethodGet, "/api/v1/sites", "", http.StatusOK},
		{"site", http.MethodGet, "/api/v1/sites/" + site.ID, "", http.StatusOK},
		{"experiments", http.MethodGet, "/api/v1/experiments", "", http.StatusOK},
		{"experiment", http.MethodGet, "/api/v1/experiments/" + x.ID, "", http.StatusOK},
		{"history", http.MethodGet, "/api/v1/experiments/" + x.ID + "/history", "", http.StatusOK},
		{"new share link of a draft", http.MethodPost, "/api/v1/experiments/" + x.ID + "/share-link", "", http.StatusConflict},
		{"edit", http.MethodPatch, "/api/v1/experiments/" + x.ID, `{"name":"Hero 2"}`, http.StatusOK},
		{"duplicate", http.MethodPost, "/api/v1/experiments/" + x.ID + "/duplicate", "", http.StatusCreated},
		{"new site", http.MethodPost, "/api/v1/sites", `{"name":"Blog","domain":"blog.example"}`, http.StatusCreated},
	}
	for _, tc := range calls {
		t.Run(tc.name, func(t *testing.T) {
			resp, out := e.api(tc.method, tc.path, tok, tc.body)
			if resp.StatusCode != tc.status {
				t.Fatalf("status %d, want %d: %v", resp.StatusCode, tc.status, out)
			}
			if got := resp.Header.Get("Cache-Control"); got != "no-store" {
				t.Errorf("Cache-Control %q, want no-store", got)
			}
		})
	}
	// The answer that holds the share link holds the secret itself (a
	// started experiment's: a draft's share_url is null).
	e.transition(x.ID, "start")
	for _, method := range []string{http.MethodGet, http.MethodPost} {
		path := "/api/v1/experiments/" + x.ID
		if method == http.MethodPost {
			path += "/share-link" // a new link
		}
		resp, out := e.api(method, path, tok, "")
		if u, _ := out["share_url"].(string); !strings.Contains(u, "/r/") || resp.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("%s %s: share_url %q sent with Cache-Control %q", method, path, u, resp.Header.Get("Cache-Control"))
		}
	}
}
