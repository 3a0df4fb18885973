package app

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// TestPasswordLengthMessageIsTrue: a password over 72 bytes is refused
// wherever one is set (setup, an invite, Settings, the command line),
// and the reason says that accents and other scripts take more than a
// byte a letter: 40 letters of "é" are refused, which "about 72 letters"
// did not say.
func TestPasswordLengthMessageIsTrue(t *testing.T) {
	const want = "Use at most 72 bytes: 72 plain letters, fewer with accents or other scripts."
	long := strings.Repeat("é", 40) // 40 letters, 80 bytes
	check := func(t *testing.T, body string) {
		t.Helper()
		body = html.UnescapeString(body)
		wantContains(t, body, want)
		wantNotContains(t, body, "about 72 letters")
	}
	newPw := url.Values{"password": {long}, "password2": {long}}
	with := func(v url.Values) url.Values {
		out := url.Values{}
		for k, vs := range newPw {
			out[k] = vs
		}
		for k, vs := range v {
			out[k] = vs
		}
		return out
	}

	t.Run("setup", func(t *testing.T) {
		e := newEnv(t)
		c := e.client()
		c.get("/setup?token=" + testSetupToken)
		resp, body := c.post("/setup", with(url.Values{"token": {testSetupToken}, "email": {"a@example.com"}}))
		wantStatus(t, resp, http.StatusUnprocessableEntity, body)
		check(t, body)
	})
	t.Run("invite", func(t *testing.T) {
		e := newEnv(t)
		owner := e.signIn("owner@example.com")
		token, _ := invite(t, owner, "new@example.com", "")
		_, resp, body := accept(e, token, "", long)
		wantStatus(t, resp, http.StatusUnprocessableEntity, body)
		check(t, body)
	})
	t.Run("settings", func(t *testing.T) {
		e := newEnv(t)
		c := e.signIn("owner@example.com")
		c.get("/settings")
		resp, body := c.post("/settings/password", with(url.Values{"current_password": {testPassword}}))
		wantStatus(t, resp, http.StatusUnprocessableEntity, body)
		check(t, body)
	})
	t.Run("command line", func(t *testing.T) {
		e := newEnv(t)
		ctx := context.Background()
		_, _, err := AddUser(ctx, e.store, "x@example.com", "", long)
		if err == nil {
			t.Fatal("copylab user add took a password over 72 bytes")
		}
		check(t, err.Error())
		e.addUser("y@example.com")
		_, _, err = ResetPassword(ctx, e.store, "y@example.com", long, false)
		if err == nil {
			t.Fatal("copylab user password took a password over 72 bytes")
		}
		check(t, err.Error())
	})
}
