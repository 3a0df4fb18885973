package app

import (
	"net/http"
	"strings"
	"testing"
)

// TestLogoutPage: GET /logout (typed in, or a bookmark) does not sign
// anyone out, since a link on another site could then do it too; it
// answers a page that says so and has the Sign out button, whose form
// signs out. Signed out, it goes to the sign-in page.
func TestLogoutPage(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("lead@team.test")

	resp, body := c.get("/logout")
	wantStatus(t, resp, http.StatusOK, body)
	wantContains(t, body, "<h1>Sign out</h1>", "lead@team.test",
		"Signing out is done with the button below, not with a link, so that a link on another site cannot sign you out.",
		`<input type="hidden" name="_csrf" value="`+c.csrf+`">`, `<button type="submit" class="btn btn-primary btn-block">Sign out</button>`)
	if cc := resp.Header.Get("Cache-Control"); cc != "no-store" {
		t.Errorf("Cache-Control %q, want no-store: the page holds the session's CSRF token", cc)
	}
	if resp, _ := c.get("/settings"); resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /logout signed out: /settings answers %d", resp.StatusCode)
	}

	// The page's button signs out.
	form := h4PageForm(t, strings.SplitN(body, `<main`, 2)[1], "/logout")
	resp, body = c.post("/logout", form)
	wantStatus(t, resp, http.StatusSeeOther, body)
	if loc := resp.Header.Get("Location"); loc != "/login" {
		t.Errorf("signed out to %q, want /login", loc)
	}
	if resp, _ := c.get("/settings"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("still signed in after the page's button: /settings answers %d", resp.StatusCode)
	}

	// Signed out: the sign-in page, with no way back to this one.
	for _, cl := range []*client{c, e.client()} {
		resp, body = cl.get("/logout")
		wantStatus(t, resp, http.StatusSeeOther, body)
		if loc := resp.Header.Get("Location"); loc != "/login" {
			t.Errorf("GET /logout signed out goes to %q, want /login", loc)
		}
	}
}
