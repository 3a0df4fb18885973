package app

import (
	"net/http"
	"net/url"
	"testing"
)

// TestHTMXSignedOutReturnsToPage: an htmx request that finds the session
// gone (the results page's refresh every few seconds) sends the browser
// to sign in, and back afterwards to the page it was on, not to the bare
// fragment the refresh asked for: the page's own address from
// HX-Current-URL when it is this app's page, else the page the fragment
// belongs to.
func TestHTMXSignedOutReturnsToPage(t *testing.T) {
	e := newEnv(t)
	const frag = "/experiments/x1/results/live"
	for _, tc := range []struct {
		name, current, want string
	}{
		{"the page's address", testPublicURL + "/experiments/x1/results?range=7d", "/experiments/x1/results?range=7d"},
		{"no page address", "", "/experiments/x1/results"},
		{"another site's address", "https://evil.example/phish", "/experiments/x1/results"},
		{"a page that takes no GET", testPublicURL + "/experiments/x1/start", "/experiments/x1/results"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := newRequest(http.MethodGet, frag, nil)
			req.Header.Set("HX-Request", "true")
			if tc.current != "" {
				req.Header.Set("HX-Current-URL", tc.current)
			}
			resp := e.do(req)
			readBody(t, resp)
			want := "/login?next=" + url.QueryEscape(tc.want)
			if resp.StatusCode != http.StatusUnauthorized || resp.Header.Get("HX-Redirect") != want {
				t.Errorf("status %d, HX-Redirect %q; want 401 and %q", resp.StatusCode, resp.Header.Get("HX-Redirect"), want)
			}
		})
	}

	// A page opened without htmx comes back to itself, as before.
	resp := e.do(newRequest(http.MethodGet, "/experiments/x1/results?range=7d", nil))
	readBody(t, resp)
	if want := "/login?next=" + url.QueryEscape("/experiments/x1/results?range=7d"); resp.Header.Get("Location") != want {
		t.Errorf("Location %q, want %q", resp.Header.Get("Location"), want)
	}
}
