package app

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"golang.org/x/crypto/bcrypt"
)

// TestPasswordChange: Settings changes the signed-in user's password after
// checking the current one; every problem shows beside its field; the
// other browsers signed in as the user are signed out and this one stays
// in; wrong current passwords count against the sign-in limit.
func TestPasswordChange(t *testing.T) {
	e := newEnv(t)
	c := e.signIn("ann@example.com")
	other := e.client()
	other.get("/login")
	other.post("/login", url.Values{"email": {"ann@example.com"}, "password": {testPassword}})
	if resp, _ := other.get("/sites"); resp.StatusCode != http.StatusOK {
		t.Fatalf("second browser not signed in: %d", resp.StatusCode)
	}

	_, body := c.get("/settings")
	wantContains(t, body, "Your password", `name="current_password"`, `autocomplete="new-password"`)

	resp, body := c.post("/settings/password", url.Values{"current_password": {""}, "password": {"short"}, "password2": {"other"}})
	wantStatus(t, resp, http.StatusUnprocessableEntity, body)
	wantContains(t, body, "Enter the password you use now.", "Use at least 10 characters.", "The two passwords differ.")

	resp, body = c.post("/settings/password", url.Values{"current_password": {"not it at all"}, "password": {"a new long passphrase"}, "password2": {"a new long passphrase"}})
	wantStatus(t, resp, http.StatusUnprocessableEntity, body)
	wantContains(t, body, "That is not your current password.")

	resp, body = c.post("/settings/password", url.Values{"_csrf": {"wrong"}, "current_password": {testPassword}, "password": {"a new long passphrase"}, "password2": {"a new long passphrase"}})
	wantStatus(t, resp, http.StatusForbidden, body)

	resp, body = c.post("/settings/password", url.Values{"current_password": {testPassword}, "password": {"a new long passphrase"}, "password2": {"a new long passphrase"}})
	wantStatus(t, resp, http.StatusSeeOther, body)
	_, body = c.get(loc(resp))
	wantContains(t, body, "Your password is changed.")
	if _, hash, err := e.store.UserByEmail(context.Background(), "ann@example.com"); err != nil || bcrypt.CompareHashAndPassword([]byte(hash), []byte("a new long passphrase")) != nil {
		t.Errorf("the stored hash is not the new password's (%v)", err)
	}
	if resp, _ := c.get("/sites"); resp.StatusCode != http.StatusOK {
		t.Errorf("this browser was signed out: %d", resp.StatusCode)
	}
	if resp, _ := other.get("/sites"); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("the other browser is still signed in: %d", resp.StatusCode)
	}

	// Guessing through the form hits the sign-in limit for the account:
	// first the browser's device cookie's, then the address's.
	var last string
	for range loginMaxPerDevice + loginMaxFailures + 1 {
		_, last = c.post("/settings/password", url.Values{"current_password": {"guess guess guess"}, "password": {"another long one"}, "password2": {"another long one"}})
	}
	wantContains(t, last, "Too many wrong passwords for this account")
	resp, body = c.post("/settings/password", url.Values{"current_password": {"a new long passphrase"}, "password": {"another long one"}, "password2": {"another long one"}})
	wantStatus(t, resp, http.StatusUnprocessableEntity, body)
	wantContains(t, body, "Too many wrong passwords")
}
