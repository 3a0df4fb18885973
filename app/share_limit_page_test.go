package app

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
)

// TestShareLinkRateLimitPage: a share link held back by its limit answers
// with a public page like the one of a link that no longer works
// (shareGone), not the signed-in error page: whoever holds the link is
// usually not a copylab user, so a way into the app (its navigation, a
// button to the start page) only leads to the sign-in form. The 429, its
// Retry-After, the share pages' headers and the machine code stay.
func TestShareLinkRateLimitPage(t *testing.T) {
	e := newEnvWith(t, func(c *Config) { c.TrustedProxies = []string{"0.0.0.0"} })
	_, x := e.runningExperiment()
	member := e.signIn("member@example.com")
	get := func(c *client, path string) (*http.Response, string) {
		t.Helper()
		req := newRequest(http.MethodGet, path, nil)
		req.Header.Set("X-Forwarded-For", "203.0.113.8")
		return c.send(req)
	}

	var resp *http.Response
	var body string
	for range 500 {
		if resp, body = get(e.client(), "/r/"+x.ShareToken+"/live"); resp.StatusCode != http.StatusOK {
			break
		}
	}
	wantStatus(t, resp, http.StatusTooManyRequests, body)

	// The link's viewer, and a member who opens it (the page of a link
	// that no longer works is the same for both).
	for _, tc := range []struct {
		name, path string
		as         *client
	}{
		{"viewer page", "/r/" + x.ShareToken, e.client()},
		{"viewer csv", "/r/" + x.ShareToken + "/results.csv", e.client()},
		{"member page", "/r/" + x.ShareToken, member},
	} {
		t.Run(tc.name, func(t *testing.T) {
			resp, body := get(tc.as, tc.path)
			wantStatus(t, resp, http.StatusTooManyRequests, body)
			if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err != nil || s < 1 {
				t.Errorf("Retry-After %q", resp.Header.Get("Retry-After"))
			}
			for h, want := range map[string]string{
				"Content-Type":    "text/html",
				"Referrer-Policy": "no-referrer",
				"X-Robots-Tag":    "noindex",
				"Cache-Control":   "no-store",
				"X-Copylab":       "rate_limited",
			} {
				if got := resp.Header.Get(h); !strings.Contains(got, want) {
					t.Errorf("%s %q, want %q", h, got, want)
				}
			}
			wantContains(t, body, "This shared page was asked for too often from your address. Wait ", ", then reload it.",
				`<meta name="robots" content="noindex, nofollow"`)
			wantNotContains(t, body, "Go to the start page", `href="/"`, `href="/experiments`, `href="/login`, `class="topbar"`)
		})
	}
}
