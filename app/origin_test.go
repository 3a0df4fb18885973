package app

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestFormsRefuseOtherOrigins: a form post whose browser names another
// origin is refused even with the right tokens (a sibling subdomain can
// plant the signed-out forms' cookie on a plain http copylab, and a page
// on the same host shares its cookies); the app's own origin, the public
// URL's host and senders without an Origin header pass.
func TestFormsRefuseOtherOrigins(t *testing.T) {
	e := newEnv(t)
	e.addUser("ann@example.com")
	postWithOrigin := func(c *client, path, origin string, v url.Values) (*http.Response, string) {
		t.Helper()
		if _, ok := v["_csrf"]; !ok {
			v.Set("_csrf", c.csrf)
		}
		req := newRequest(http.MethodPost, path, strings.NewReader(v.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		if origin != "" {
			req.Header.Set("Origin", origin)
		}
		return c.send(req)
	}
	signIn := url.Values{"email": {"ann@example.com"}, "password": {testPassword}}

	t.Run("sign-in", func(t *testing.T) {
		for _, origin := range []string{"http://evil.copylab.test", "http://copylab.test.evil.example", "null", "http://copylab.test:81"} {
			c := e.client()
			c.get("/login")
			resp, body := postWithOrigin(c, "/login", origin, url.Values{"email": {"ann@example.com"}, "password": {testPassword}})
			wantStatus(t, resp, http.StatusForbidden, body)
			wantContains(t, body, "did not come from copylab")
		}
		for _, origin := range []string{"", "http://copylab.test", "HTTP://COPYLAB.TEST"} {
			c := e.client()
			c.get("/login")
			resp, body := postWithOrigin(c, "/login", origin, url.Values{"email": {"ann@example.com"}, "password": {testPassword}})
			wantStatus(t, resp, http.StatusSeeOther, body)
		}
	})

	t.Run("signed in", func(t *testing.T) {
		c := e.client()
		c.get("/login")
		postWithOrigin(c, "/login", "", signIn)
		c.get("/settings")
		resp, body := postWithOrigin(c, "/settings/tokens", "http://evil.example", url.Values{"name": {"ci"}})
		wantStatus(t, resp, http.StatusForbidden, body)
		resp, body = postWithOrigin(c, "/settings/tokens", "http://copylab.test", url.Values{"name": {"ci"}})
		if resp.StatusCode >= 400 {
			t.Fatalf("same origin: status %d: %.300s", resp.StatusCode, body)
		}
	})
}
