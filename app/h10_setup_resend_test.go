package app

import (
	"html"
	"net/http"
	"net/url"
	"testing"
)

// TestSetupFormSentAgainSignedIn: the first account's setup form, sent
// again by the browser that made it (Back, then reload), finds copylab
// set up and its sender signed in: it leads to the app (303), as opening
// /setup then does, not to "This form has expired" (403), which setup's
// new session caused by replacing the form's token. A stranger's form
// without a working token is still refused as a forgery, and neither
// makes a second first account.
func TestSetupFormSentAgainSignedIn(t *testing.T) {
	e := newEnv(t)
	c := e.client()
	c.get("/setup?token=" + testSetupToken)
	form := url.Values{"token": {testSetupToken}, "email": {"owner@example.com"},
		"password": {testPassword}, "password2": {testPassword}, "_csrf": {c.csrf}}
	resp, body := c.post("/setup", form)
	wantStatus(t, resp, http.StatusSeeOther, body)

	t.Run("the same browser", func(t *testing.T) {
		again := url.Values{}
		for k, v := range form {
			again[k] = v
		}
		again.Set("email", "second@example.com") // edited before the reload
		for _, req := range []struct{ method, path string }{{"POST", "/setup"}, {"GET", "/setup?token=" + testSetupToken}} {
			var resp *http.Response
			var body string
			if req.method == "POST" {
				resp, body = c.post(req.path, again)
			} else {
				resp, body = c.get(req.path)
			}
			wantStatus(t, resp, http.StatusSeeOther, body)
			if got := loc(resp); got != "/experiments" {
				t.Errorf("%s %s: Location %q, want /experiments", req.method, req.path, got)
			}
			resp, page := c.get(loc(resp))
			wantStatus(t, resp, http.StatusOK, page)
			if m := flashRe.FindStringSubmatch(page); m == nil || html.UnescapeString(m[1]) != "copylab is set up already." {
				t.Errorf("%s %s: flash %v", req.method, req.path, m)
			}
		}
	})
	t.Run("a stranger", func(t *testing.T) {
		s := e.client()
		resp, body := s.post("/setup", form) // the stale form, without its cookie
		wantStatus(t, resp, http.StatusForbidden, body)
		wantContains(t, body, "This form has expired")
		// With a token of its own (from the sign-in page), the form is
		// read, and sent to sign in.
		s.get("/login")
		again := url.Values{}
		for k, v := range form {
			again[k] = v
		}
		again.Set("email", "stranger@example.com")
		again.Set("_csrf", s.csrf)
		resp, body = s.post("/setup", again)
		wantStatus(t, resp, http.StatusSeeOther, body)
		if got := loc(resp); got != "/login" {
			t.Errorf("Location %q, want /login", got)
		}
	})
	if n, err := e.store.UserCount(t.Context()); err != nil || n != 1 {
		t.Errorf("%d accounts (%v), want the first only", n, err)
	}
}
