package app

import (
	"net/http"
	"net/url"
	"testing"
)

// TestLoginForgotPassword: the sign-in page says how to get a new
// password (there is no reset by email), before a failed sign-in as well
// as after one.
func TestLoginForgotPassword(t *testing.T) {
	e := newEnv(t)
	e.addUser("ann@example.com")
	c := e.client()
	_, body := c.get("/login")
	wantContains(t, body, "Forgot your password?")
	resp, body := c.post("/login", url.Values{"email": {"ann@example.com"}, "password": {"not the password"}})
	wantStatus(t, resp, http.StatusUnauthorized, body)
	wantContains(t, body, "Forgot your password?", "copylab user password --email YOU")
}
