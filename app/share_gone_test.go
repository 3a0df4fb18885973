package app

import (
	"net/http"
	"strings"
	"testing"

	"copylab/experiments"
)

// TestShareLinkGone: a share link that finds nothing — retired by "Make a
// new link", its experiment deleted, or never made — answers everyone, signed
// in or not, with the same public 404 page: it says the link no longer works
// and to ask for a new one, links to no admin page and no sign-in, and
// names no experiment. The pages and files under the link do the same. The
// current link still works.
func TestShareLinkGone(t *testing.T) {
	e := newEnv(t)
	owner := e.signIn("ann@example.com")
	site := e.site("Shop")
	x := e.experiment(site.ID, "Pricing hero")
	e.transition(x.ID, experiments.ActionStart)
	y := e.experiment(site.ID, "Signup button")

	anon := e.client()
	resp, body := anon.get("/r/" + x.ShareToken)
	wantStatus(t, resp, http.StatusOK, body)
	retired := x.ShareToken
	resp, body = owner.post("/experiments/"+x.ID+"/share-link", nil)
	wantStatus(t, resp, http.StatusSeeOther, body)
	current, err := e.store.Experiment(t.Context(), x.ID)
	if err != nil {
		t.Fatal(err)
	}
	deleted := y.ShareToken
	resp, body = owner.post("/experiments/"+y.ID+"/delete", nil)
	wantStatus(t, resp, http.StatusSeeOther, body)

	var first string
	for _, tc := range []struct{ name, path string }{
		{"retired link", "/r/" + retired},
		{"deleted experiment", "/r/" + deleted},
		{"random token", "/r/" + strings.Repeat("a", len(retired))},
		{"short token", "/r/" + current.ShareToken[:10]},
		{"retired link's results", "/r/" + retired + "/live"},
		{"retired link's charts", "/r/" + retired + "/trends"},
		{"retired link's CSV", "/r/" + retired + "/results.csv"},
		{"retired link's daily CSV", "/r/" + retired + "/daily.csv"},
		{"retired link's recordings", "/r/" + retired + "/recordings"},
		{"deleted experiment's recordings", "/r/" + deleted + "/recordings?variant=b"},
	} {
		for _, who := range []struct {
			name string
			c    *client
		}{{"signed out", anon}, {"signed in", owner}} {
			t.Run(tc.name+", "+who.name, func(t *testing.T) {
				resp, body := who.c.get(tc.path)
				wantStatus(t, resp, http.StatusNotFound, body)
				wantContains(t, body, "<title>Link no longer works", "This link no longer works",
					"Ask the person who shared it with you for a new link.")
				wantNotContains(t, body, `href="/"`, `href="/experiments`, `href="/sites`, `href="/users`, `href="/settings`,
					`href="/login`, `href="/demo`, "Sign out", "Sign in", "_csrf", "Pricing hero", "Signup button", "Page not found")
				for h, want := range map[string]string{
					"Content-Type":    "text/html; charset=utf-8",
					"Referrer-Policy": "no-referrer",
					"X-Robots-Tag":    "noindex, nofollow",
					"Cache-Control":   "no-store",
				} {
					if got := resp.Header.Get(h); got != want {
						t.Errorf("%s: %q, want %q", h, got, want)
					}
				}
				if resp.Header.Get("Content-Disposition") != "" {
					t.Errorf("Content-Disposition %q on the page", resp.Header.Get("Content-Disposition"))
				}
				// One page for every case: nothing in it tells a retired
				// token from one that never was.
				if first == "" {
					first = body
				} else if body != first {
					t.Errorf("the page differs from the first case's:\n%s\n---\n%s", body, first)
				}
			})
		}
	}

	resp, body = anon.get("/r/" + current.ShareToken)
	wantStatus(t, resp, http.StatusOK, body)
	wantContains(t, body, "Shared results", "Pricing hero")
	wantNotContains(t, body, "This link no longer works")

	// Elsewhere a 404 is still the app's own page.
	resp, body = owner.get("/experiments/" + y.ID)
	wantStatus(t, resp, http.StatusNotFound, body)
	wantContains(t, body, "Page not found", `href="/settings"`)
	wantNotContains(t, body, "This link no longer works")
}
