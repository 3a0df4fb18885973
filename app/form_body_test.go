package app

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/crypto/bcrypt"
)

// postWithQuery posts body as a form to path?query, the way a hand-made
// link or a script could; body's _csrf is left as given (none if absent).
func (c *client) postWithQuery(path string, query, body url.Values) (*http.Response, string) {
	c.e.t.Helper()
	req := newRequest(http.MethodPost, path+"?"+query.Encode(), strings.NewReader(body.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.send(req)
}

// TestFormFieldsComeFromTheBody: every form field is read from the posted
// body, never from the query string. A token or password in a URL ends up
// in logs, history and Referer headers, so a form whose CSRF token, setup
// token or password is only in the URL is refused as if it were missing,
// and a field in the URL does not override the body's.
func TestFormFieldsComeFromTheBody(t *testing.T) {
	ctx := context.Background()

	t.Run("sign-in: CSRF token in the URL", func(t *testing.T) {
		e := newEnv(t)
		e.addUser("ann@example.com")
		c := e.client()
		c.get("/login")
		resp, body := c.postWithQuery("/login", url.Values{"_csrf": {c.csrf}},
			url.Values{"email": {"ann@example.com"}, "password": {testPassword}})
		wantStatus(t, resp, http.StatusForbidden, body)
		wantContains(t, body, "did not come from copylab")
	})

	t.Run("sign-in: password in the URL", func(t *testing.T) {
		e := newEnv(t)
		e.addUser("ann@example.com")
		c := e.client()
		c.get("/login")
		resp, body := c.postWithQuery("/login", url.Values{"password": {testPassword}},
			url.Values{"_csrf": {c.csrf}, "email": {"ann@example.com"}})
		wantStatus(t, resp, http.StatusUnauthorized, body)
		if _, ok := c.cookies["copylab_session"]; ok {
			t.Fatal("signed in with the password in the URL")
		}
	})

	t.Run("setup: token in the URL", func(t *testing.T) {
		e := newEnv(t)
		c := e.client()
		c.get("/setup?token=" + testSetupToken)
		resp, body := c.postWithQuery("/setup", url.Values{"token": {testSetupToken}},
			url.Values{"_csrf": {c.csrf}, "email": {"owner@example.com"}, "password": {testPassword}, "password2": {testPassword}})
		wantStatus(t, resp, http.StatusNotFound, body)
		if n, _ := e.store.UserCount(ctx); n != 0 {
			t.Fatalf("%d users: setup took its token from the URL", n)
		}
	})

	t.Run("signed in: CSRF token in the URL", func(t *testing.T) {
		e := newEnv(t)
		c := e.signIn("ann@example.com")
		resp, body := c.postWithQuery("/sites", url.Values{"_csrf": {c.csrf}},
			url.Values{"name": {"Marketing"}, "domain": {"example.com"}})
		wantStatus(t, resp, http.StatusForbidden, body)
		if sites, _ := e.store.Sites(ctx); len(sites) != 0 {
			t.Fatalf("sites %v: the CSRF token was taken from the URL", sites)
		}
	})

	t.Run("signed in: passwords in the URL", func(t *testing.T) {
		e := newEnv(t)
		c := e.signIn("ann@example.com")
		resp, body := c.postWithQuery("/settings/password",
			url.Values{"current_password": {testPassword}, "password": {"a new passphrase"}, "password2": {"a new passphrase"}},
			url.Values{"_csrf": {c.csrf}})
		wantStatus(t, resp, http.StatusUnprocessableEntity, body)
		wantContains(t, body, "Enter the password you use now.")
		if _, hash, err := e.store.UserByEmail(ctx, "ann@example.com"); err != nil || bcrypt.CompareHashAndPassword([]byte(hash), []byte(testPassword)) != nil {
			t.Fatalf("the password changed (%v)", err)
		}
	})

	t.Run("signed in: the URL does not override the body", func(t *testing.T) {
		e := newEnv(t)
		c := e.signIn("ann@example.com")
		resp, body := c.postWithQuery("/sites", url.Values{"name": {"From the URL"}},
			url.Values{"_csrf": {c.csrf}, "name": {"Marketing"}, "domain": {"example.com"}})
		wantStatus(t, resp, http.StatusSeeOther, body)
		sites, _ := e.store.Sites(ctx)
		if len(sites) != 1 || sites[0].Name != "Marketing" {
			t.Fatalf("sites %+v, want one named from the body", sites)
		}
	})
}
