package app

import (
	"net/http"
	"strings"
	"testing"

	xhtml "golang.org/x/net/html"

	"copylab/experiments"
)

// TestShareGoneCode: a share link that finds nothing says why in
// X-Copylab, as its 409 (not_started) and 429 (rate_limited) do, with the
// code the app answers that case with everywhere (not_found), so a
// program fetching the CSV can tell a dead link from a busy one. The page
// stays the public one: no way into the app, no sign-in.
func TestShareGoneCode(t *testing.T) {
	e := newEnv(t)
	owner := e.signIn("ann@example.com")
	x := e.transition(e.experiment(e.site("Shop").ID, "Pricing hero").ID, experiments.ActionStart)
	retired := x.ShareToken
	resp, body := owner.post("/experiments/"+x.ID+"/share-link", nil)
	wantStatus(t, resp, http.StatusSeeOther, body)

	for _, path := range []string{
		"/r/" + retired,
		"/r/" + retired + "/live",
		"/r/" + retired + "/results.csv",
		"/r/" + strings.Repeat("a", len(retired)) + "/daily.csv",
		"/r/unknown/recordings",
	} {
		t.Run(path, func(t *testing.T) {
			resp := e.do(newRequest(http.MethodGet, path, nil))
			body := readBody(t, resp)
			wantStatus(t, resp, http.StatusNotFound, body)
			if got := resp.Header.Get("X-Copylab"); got != "not_found" {
				t.Errorf("X-Copylab %q, want not_found", got)
			}
			wantContains(t, body, "This link no longer works")
			wantNotContains(t, body, "Sign in", "_csrf", "Pricing hero")
			for _, a := range findAll(parseHTML(t, body), func(n *xhtml.Node) bool { return n.Data == "a" || n.Data == "form" || n.Data == "nav" }) {
				if a.Data != "a" || attrOf(a, "href") != "#main" {
					t.Errorf("<%s href=%q> on the public page", a.Data, attrOf(a, "href"))
				}
			}
		})
	}
}
