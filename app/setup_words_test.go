package app

import (
	"net/http"
	"net/url"
	"testing"
)

// TestSetupWords: the first-run pages say what to do when the link is
// wrong or used up, in the words of a person who just installed copylab.
func TestSetupWords(t *testing.T) {
	e := newEnv(t)

	// copylab makes a new link at each start, so the link of an earlier
	// start is the usual wrong one: the page says where the current one is.
	t.Run("a wrong or missing link says where the right one is", func(t *testing.T) {
		for _, path := range []string{"/setup", "/setup?token=wrong-token-0123456789"} {
			resp, body := e.client().get(path)
			wantStatus(t, resp, http.StatusNotFound, body)
			wantContains(t, body, "This setup link does not work", "new link each time it starts",
				"copylab user add --email you@example.com")
			wantNotContains(t, body, testSetupToken)
		}
		c := e.client()
		c.get("/login")
		resp, body := c.post("/setup", url.Values{"token": {"wrong-token-0123456789"}, "email": {"a@example.com"},
			"password": {testPassword}, "password2": {testPassword}})
		wantStatus(t, resp, http.StatusNotFound, body)
		wantContains(t, body, "This setup link does not work")
	})

	// Once set up, the link sends a signed-in person on to the app, not
	// to a sign-in page telling them to sign in.
	t.Run("the used link, signed in", func(t *testing.T) {
		c := e.client()
		c.get("/setup?token=" + testSetupToken)
		resp, body := c.post("/setup", url.Values{"token": {testSetupToken}, "email": {"owner@example.com"},
			"password": {testPassword}, "password2": {testPassword}})
		wantStatus(t, resp, http.StatusSeeOther, body)
		c.get("/experiments") // reads the welcome

		resp, body = c.get("/setup?token=" + testSetupToken)
		wantStatus(t, resp, http.StatusSeeOther, body)
		if loc := resp.Header.Get("Location"); loc != "/experiments" {
			t.Errorf("Location %q, want /experiments", loc)
		}
		_, page := c.get("/experiments")
		wantContains(t, page, "copylab is set up already.")
		wantNotContains(t, page, "sign in.")
	})

	t.Run("the used link, signed out", func(t *testing.T) {
		c := e.client()
		resp, body := c.get("/setup?token=" + testSetupToken)
		wantStatus(t, resp, http.StatusSeeOther, body)
		if loc := resp.Header.Get("Location"); loc != "/login" {
			t.Errorf("Location %q, want /login", loc)
		}
		_, page := c.get("/login")
		wantContains(t, page, "copylab is set up already: sign in.")
	})
}
